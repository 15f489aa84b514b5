/**
 * The map of every face over fake-indexeddb: computed once and read back, new faces placed on the stored map
 * while they are few, recomputed when they are many, removed faces dropped, and everything gone with Erase.
 */
import 'fake-indexeddb/auto';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { deleteDB } from 'idb';
import { inlineProjection } from '../../src/analysis/projection/inline-projection.ts';
import type { ProjectionRunner } from '../../src/analysis/projection/index.ts';
import { MapCache, mapDatabaseName } from '../../src/store/map-cache.ts';
import type { FaceRecord } from '../../src/store/types.ts';
import { FaceCollection } from '../../src/workspace/collection.ts';
import { faceMap } from '../../src/workspace/face-map.ts';
import { gaussianClusters } from '../analysis/helpers.ts';

const DB = 'face-map-test';
const D = 8;
const { data } = gaussianClusters({ k: 4, perCluster: 30, d: D, spread: 0.05, seed: 9, unit: true });

/** A collection of the first `n` synthetic faces (ids f0, f1, …) and the calls its runner got. */
function collection(rows: readonly number[]): FaceCollection {
  const c = new FaceCollection('test-model', D);
  for (const r of rows) c.add({ id: `f${r}` } as FaceRecord, data.subarray(r * D, (r + 1) * D));
  return c;
}

function counting(): { runner: ProjectionRunner; calls: string[] } {
  const inner = inlineProjection();
  const calls: string[] = [];
  return {
    calls,
    runner: {
      project: (v, d, o) => { calls.push(`project ${v.length / d}`); return inner.project(v, d, { ...o, nEpochs: 50 } as typeof o); },
      place: (m, p, a, d, o) => { calls.push(`place ${a.length / d}`); return inner.place(m, p, a, d, o); },
    },
  };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

afterEach(async () => {
  await deleteDB(mapDatabaseName(DB));
});

describe('faceMap', () => {
  it('computes once, reads the stored map back, places a few new faces and recomputes for many', async () => {
    const { runner, calls } = counting();
    const first = await faceMap(DB, collection(range(0, 100)), { runner });
    assert.equal(first.source, 'computed');
    assert.equal(first.points.length, 200);
    const again = await faceMap(DB, collection(range(0, 100)), { runner });
    assert.equal(again.source, 'cached');
    assert.deepEqual(again.points, first.points);
    const more = await faceMap(DB, collection(range(0, 110)), { runner });
    assert.equal(more.source, 'placed');
    assert.deepEqual(more.points.subarray(0, 200), first.points, 'the faces already mapped stay where they were');
    assert.deepEqual(more.ids.slice(100), range(100, 110).map((r) => `f${r}`));
    assert.equal(more.projected, 100);
    const cached = await MapCache.open(DB);
    assert.equal((await cached.latest('test-model'))?.faceIds.length, 110, 'the extended map is stored');
    cached.close();
    const many = await faceMap(DB, collection(range(0, 120).concat(range(0, 0))), { runner, recomputeShare: 0.05 });
    assert.equal(many.source, 'computed');
    assert.deepEqual(calls, ['project 100', 'place 10', 'project 120']);
  });

  it('drops removed faces and forgets the map when the faces are erased', async () => {
    const { runner, calls } = counting();
    await faceMap(DB, collection(range(0, 100)), { runner });
    const fewer = await faceMap(DB, collection(range(5, 100)), { runner });
    assert.equal(fewer.source, 'placed');
    assert.equal(fewer.ids.length, 95);
    assert.ok(!fewer.ids.includes('f0'));
    await MapCache.erase(DB);
    assert.equal((await faceMap(DB, collection(range(5, 100)), { runner })).source, 'computed');
    assert.deepEqual(calls, ['project 100', 'project 95']);
  });

  it('stops on abort', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(faceMap(DB, collection(range(0, 50)), { runner: inlineProjection(), signal: controller.signal }), { name: 'AbortError' });
  });
});

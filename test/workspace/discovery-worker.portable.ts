/**
 * discoverInWorker in Chromium: discovery runs in the bundled discovery worker (served as
 * /discovery-worker.js by discovery-worker.browser.test.ts) and gives exactly what the same call gives on
 * the page, reports its progress view by view, and stops at once on an AbortSignal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discoverAttributes } from '../../src/analysis/discovery/index.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { loadKernel } from '../../src/kernel/index.ts';
import { discoverInWorker } from '../../src/workspace/discovery-client.ts';
import type { DiscoveryProgress } from '../../src/analysis/discovery/index.ts';
import { plantedFaces } from '../analysis/discovery-helpers.ts';

const workerUrl = '/discovery-worker.js';

function planted() {
  const p = plantedFaces({ people: 12, faces: 10, d: 16, shift: 0.8, noise: 0.05, seed: 31, groupShift: 0.6 });
  const faces = p.persons.map((_, i) => ({
    box: { x: 0, y: 0, width: 100 + (i % 7), height: 100 }, foundBy: 'detected',
    measures: { yaw: p.attribute[i] ? 20 : -20, pitch: 0, roll: 0, brightness: 120 + (i % 5), contrast: 40, sharpness: 10 },
  }));
  return { vectors: p.vectors, d: p.d, persons: p.persons.map(String), faces };
}

describe('discoverInWorker', () => {
  it('gives in the worker exactly what discovery gives on the page, with progress view by view', async () => {
    const input = planted();
    const kernel = await loadKernel();
    const here = await discoverAttributes(kernel, { ...input, vectors: input.vectors.slice() }, { seed: 0 });
    const progress: DiscoveryProgress[] = [];
    const there = await discoverInWorker({ ...input, vectors: input.vectors.slice() }, { workerUrl, seed: 0, onProgress: (p) => progress.push(p) });
    for (const view of ['across', 'within'] as const) {
      const a = here[view];
      const b = there[view];
      assert.ok(a && b, `the ${view} view was looked at`);
      assert.deepEqual(b.splits.map((s) => [s.id, [...s.sides], s.description?.text]), a.splits.map((s) => [s.id, [...s.sides], s.description?.text]));
    }
    assert.ok(there.within!.splits[0]!.description!.described, 'the planted within-people split is described');
    assert.deepEqual(progress.map((p) => [p.done, p.total, p.view]), [[0, 2, 'across people'], [1, 2, 'within people'], [2, 2, null]]);
  });

  it('keeps the class of an error thrown in the worker', async () => {
    const input = planted();
    await assert.rejects(discoverInWorker({ ...input, persons: input.persons.slice(1) }, { workerUrl }), (e: unknown) => e instanceof InvalidInputError && /persons/.test(e.message));
  });

  it('stops at once on the AbortSignal with an AbortError, also before it started', async () => {
    const input = planted();
    const before = new AbortController();
    before.abort();
    await assert.rejects(discoverInWorker({ ...input }, { workerUrl, signal: before.signal }), (e: unknown) => (e as Error).name === 'AbortError');
    const during = new AbortController();
    let after = 0;
    await assert.rejects(
      discoverInWorker({ ...input, vectors: input.vectors.slice() }, {
        workerUrl, signal: during.signal,
        onProgress: (p) => {
          if (p.done === 0) during.abort();
          else after++;
        },
      }),
      (e: unknown) => (e as Error).name === 'AbortError',
    );
    assert.equal(after, 0, 'nothing is reported after the abort');
  });
});

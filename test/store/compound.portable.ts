/**
 * The compound writes (replaceRun, replaceIdentityGroups, addBatch with `replacing`): each commits in one
 * transaction, so a failure at any write inside it leaves the store exactly as it was. Portable: runs in
 * Node (store.test.ts) and Chromium (store.browser.test.ts).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { InvalidInputError } from '../../src/errors.ts';
import { FaceStore, type ClusterRun, type PhotoRecord } from '../../src/store/index.ts';
import { deleteDatabase, makeBatch, makeGroup, makeProbe, makeRun, snapshot, uniqueName } from './fixtures.ts';

let store: FaceStore;

beforeEach(async () => {
  store = await FaceStore.open(uniqueName());
});

afterEach(async () => {
  store.close();
  await deleteDatabase(store.name);
});

/**
 * For every put and every delete `operation` makes: on a fresh store prepared by `setup`, makes that one
 * request throw and checks that the store is unchanged. Ends with a fresh store on which `operation` ran
 * without a failure (the global `store`). Returns how many failures were tried and what `setup` returned.
 */
async function failEverywhere<T>(setup: () => Promise<T>, operation: (context: T) => Promise<unknown>): Promise<{ tried: number; context: T }> {
  const proto = IDBObjectStore.prototype;
  const real = { put: proto.put, delete: proto.delete };
  let tried = 0;
  const fresh = async (): Promise<T> => {
    store.close();
    await deleteDatabase(store.name);
    store = await FaceStore.open(uniqueName());
    return setup();
  };
  for (const method of ['put', 'delete'] as const) {
    for (let target = 1; ; target++) {
      const context = await fresh();
      const before = await snapshot(store);
      let calls = 0;
      proto[method] = function (this: IDBObjectStore, ...args: unknown[]) {
        if (++calls === target) throw new Error(`injected failure of ${method} #${target}`);
        return (real[method] as (...a: unknown[]) => IDBRequest).apply(this, args);
      } as never;
      let outcome: unknown;
      try {
        outcome = await operation(context).then(() => 'ok', (error: unknown) => error);
      } finally {
        proto.put = real.put;
        proto.delete = real.delete;
      }
      if (calls < target) break;
      tried++;
      assert.ok(outcome instanceof Error && /injected failure/.test(outcome.message), `${method} #${target}: ${String(outcome)}`);
      assert.deepEqual(await snapshot(store), before, `${method} #${target} failed: the store changed`);
    }
  }
  const context = await fresh();
  await operation(context);
  return { tried, context };
}

async function twoRuns(): Promise<{ ids: string[]; run1: ClusterRun; run2: ClusterRun }> {
  const batch = makeBatch({ seed: 100, photos: 4, facesPerPhoto: 2, dimension: 4 });
  await store.addBatch(batch);
  const ids = batch.faces.map((f) => f.id);
  const run1 = makeRun('run-1', ids, 3, 4);
  const run2 = makeRun('run-2', ids, 2, 4);
  await store.saveRun(run1);
  await store.saveRun(run2);
  await store.nameCluster('run-1', 0, 'Ada');
  await store.nameCluster('run-1', 2, 'Grace');
  await store.nameCluster('run-2', 1, 'Kept');
  await store.saveProbe({ ...makeProbe('probe:run-1', ids, 4), runId: 'run-1' });
  await store.saveProbe({ ...makeProbe('probe:run-2', ids, 4), runId: 'run-2' });
  await store.saveProbe(makeProbe('free-probe', ids, 4));
  return { ids, run1, run2 };
}

describe('FaceStore: compound writes, all or nothing', () => {
  it('replaceRun saves the merged run with its names and deletes the replaced run, its names and probes', async () => {
    const mergedOf = (run1: ClusterRun): ClusterRun => ({ ...run1, id: 'run-merged', k: 2, labels: run1.labels.map((l) => Math.min(l, 1)), centroids: run1.centroids.slice(0, 8), kChoice: { kind: 'merged', from: ['run-1'] } });
    const { tried, context } = await failEverywhere(twoRuns, ({ run1 }) => store.replaceRun(mergedOf(run1), { names: new Map([[0, 'Ada'], [1, 'Grace']]), replaces: ['run-1'] }));
    const { run1, run2 } = context;
    const merged = mergedOf(run1);
    assert.ok(tried >= 5, `${tried} failures injected`);
    assert.deepEqual((await store.listRuns()).map((r) => r.id).sort(), ['run-2', 'run-merged']);
    assert.deepEqual(await store.getRun('run-merged'), merged);
    assert.deepEqual([...(await store.clusterNames('run-merged'))], [[0, 'Ada'], [1, 'Grace']]);
    assert.equal((await store.clusterNames('run-1')).size, 0);
    assert.deepEqual((await store.listProbes()).map((p) => p.id).sort(), ['free-probe', 'probe:run-2']);
    assert.deepEqual(await store.getRun('run-2'), run2);
    assert.deepEqual([...(await store.clusterNames('run-2'))], [[1, 'Kept']]);
  });

  it('replaceRun refuses names outside [0, k), empty names, and a run replacing itself, writing nothing', async () => {
    const { run1 } = await twoRuns();
    const before = await snapshot(store);
    const merged = { ...run1, id: 'run-merged' };
    await assert.rejects(store.replaceRun(merged, { names: new Map([[3, 'x']]) }), InvalidInputError);
    await assert.rejects(store.replaceRun(merged, { names: new Map([[-1, 'x']]) }), InvalidInputError);
    await assert.rejects(store.replaceRun(merged, { names: new Map([[0, '']]) }), InvalidInputError);
    await assert.rejects(store.replaceRun(merged, { replaces: ['run-merged'] }), InvalidInputError);
    assert.deepEqual(await snapshot(store), before);
  });

  it('replaceIdentityGroups replaces all of a model\'s groups at once and leaves other models\' alone', async () => {
    const ids = makeBatch({ seed: 101, photos: 3, facesPerPhoto: 1, dimension: 4 }).faces.map((f) => f.id);
    const setup = async (): Promise<void> => {
      await store.saveIdentityGroup(makeGroup('g1', ids));
      await store.saveIdentityGroup({ ...makeGroup('g2', ids), createdAt: 2 });
      await store.saveIdentityGroup(makeGroup('other', ids, 'other-model'));
    };
    const next = [{ ...makeGroup('g2', ids), name: 'Renamed', createdAt: 3 }, { ...makeGroup('g3', ids), createdAt: 4 }];
    const { tried } = await failEverywhere(setup, () => store.replaceIdentityGroups('test-model', next));
    assert.ok(tried >= 4, `${tried} failures injected`);
    assert.deepEqual(await store.listIdentityGroups({ modelId: 'test-model' }), next);
    assert.deepEqual((await store.listIdentityGroups({ modelId: 'other-model' })).map((g) => g.id), ['other']);
    await assert.rejects(store.replaceIdentityGroups('test-model', [next[0]!, next[0]!]), InvalidInputError);
    await assert.rejects(store.replaceIdentityGroups('test-model', [makeGroup('x', ids, 'other-model')]), InvalidInputError);
    assert.deepEqual(await store.listIdentityGroups({ modelId: 'test-model' }), next);
  });

  it('addBatch with `replacing` swaps a stored failure record for the photo that now worked, in one transaction', async () => {
    const retried = makeBatch({ seed: 103, photos: 1, facesPerPhoto: 2, dimension: 4 });
    const photo = retried.photos[0]!;
    const failed: PhotoRecord = { ...photo, type: '', width: 0, height: 0, faceIds: [], error: { code: 'decode', message: 'could not decode' } };
    const setup = async (): Promise<void> => {
      await store.addBatch(makeBatch({ seed: 102, photos: 2, facesPerPhoto: 1, dimension: 4 }));
      await store.addBatch({ photos: [failed] });
    };
    const { tried } = await failEverywhere(setup, () => store.addBatch(retried, { replacing: [photo.hash] }));
    assert.ok(tried >= 4, `${tried} failures injected`);
    assert.deepEqual(await store.getPhoto(photo.hash), photo);
    assert.equal(await store.countFaces(), 4);
    assert.equal(await store.countEmbeddings('test-model'), 4);
    assert.equal(await store.countPhotos(), 3);
  });
});

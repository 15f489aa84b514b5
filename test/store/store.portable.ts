/**
 * The store's core suite: runs in Node on fake-indexeddb (store.test.ts) and in real Chromium
 * (store.browser.test.ts). Portable: node:test and node:assert/strict only, the global `indexedDB`.
 * Every test uses a fresh database and deletes it afterwards.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { InvalidInputError, StorageError } from '../../src/errors.ts';
import { encodeValue } from '../../src/store/codec.ts';
import { DB_VERSION, EXPORT_VERSION, FaceStore, ImportFailure, StorageFailure, hashBytes, type FaceBatch } from '../../src/store/index.ts';
import {
  Header,
  concat,
  deleteDatabase,
  done,
  embeddingsOffset,
  fakeHash,
  exportAround,
  makeBatch,
  makeCorrection,
  makeGroup,
  makeProbe,
  makeRun,
  reseal,
  rng,
  snapshot,
  uniqueName,
} from './fixtures.ts';

let name = '';
let store: FaceStore;
let extra: FaceStore[] = [];

async function openExtra(): Promise<FaceStore> {
  const other = await FaceStore.open(uniqueName());
  extra.push(other);
  return other;
}

async function closeAndDelete(s: FaceStore): Promise<void> {
  s.close();
  await deleteDatabase(s.name);
}

beforeEach(async () => {
  name = uniqueName();
  store = await FaceStore.open(name);
  extra = [];
});

afterEach(async () => {
  for (const s of [store, ...extra]) await closeAndDelete(s);
});

function isError(kind: typeof InvalidInputError | typeof StorageError, reason?: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof kind, `expected ${kind.name}, got ${String(error)}`);
    if (reason !== undefined) assert.equal((error as InvalidInputError).details?.reason, reason, (error as Error).message);
    return true;
  };
}

describe('FaceStore: batches', () => {
  it('writes photos, faces and vectors and reads them back exactly; originals only on request', async () => {
    const batch = makeBatch({ seed: 1, photos: 3, facesPerPhoto: 2, dimension: 8, originals: true });
    const result = await store.addBatch(batch);
    assert.deepEqual(result, { addedPhotos: batch.photos.map((p) => p.hash), extendedPhotos: [], skippedPhotos: [], faces: 6, embeddings: 6 });
    const first = batch.photos[0]!;
    const { original: _dropped, ...withoutOriginal } = first;
    assert.deepEqual(await store.getPhoto(first.hash), withoutOriginal);
    assert.deepEqual(await store.facesOfPhoto(first.hash), batch.faces.slice(0, 2));
    assert.deepEqual(await store.getFace(batch.faces[3]!.id), batch.faces[3]);
    assert.equal(await store.countEmbeddings('test-model'), 6);
    assert.deepEqual(await store.models(), [{ modelId: 'test-model', dimension: 8, count: 6, nextSeq: 1 }]);
    const got = await store.getEmbeddings('test-model', [batch.faces[4]!.id]);
    assert.deepEqual(got.get(batch.faces[4]!.id), batch.embeddings[0]!.vectors.slice(32, 40));

    const kept = makeBatch({ seed: 2, photos: 1, facesPerPhoto: 1, dimension: 8, originals: true });
    await store.addBatch(kept, { keepOriginals: true });
    assert.deepEqual((await store.getPhoto(kept.photos[0]!.hash))?.original, kept.photos[0]!.original);
  });

  it('stores the same photo once and skips it (with its faces and vectors) the second time', async () => {
    const batch = makeBatch({ seed: 3, photos: 2, facesPerPhoto: 1, dimension: 4 });
    await store.addBatch(batch);
    const again = await store.addBatch(batch);
    assert.deepEqual(again, { addedPhotos: [], extendedPhotos: [], skippedPhotos: batch.photos.map((p) => p.hash), faces: 0, embeddings: 0 });
    assert.equal(await store.countPhotos(), 2);
    assert.equal(await store.countEmbeddings('test-model'), 2);
  });

  it('packs vectors into full chunks across batches and streams them in any chunk size', async () => {
    const small = await openExtra();
    const sizes = [7, 5, 9];
    const all: FaceBatch[] = sizes.map((n, i) => makeBatch({ seed: 10 + i, photos: n, facesPerPhoto: 1, dimension: 3 }));
    for (const b of all) await small.addBatch(b);
    const expectedIds = all.flatMap((b) => b.faces!.map((f) => f.id));
    const expected = concat(all.map((b) => b.embeddings![0]!.vectors));
    // The default chunk size is 10,000, so 21 vectors are one chunk.
    const stored = [];
    for await (const rows of small.streamEmbeddings('test-model')) stored.push(rows);
    assert.deepEqual(stored.map((r) => r.count), [21]);
    for (const size of [1, 4, 21, 50]) {
      const rows = [];
      for await (const r of small.streamEmbeddings('test-model', { chunkSize: size })) rows.push(r);
      assert.deepEqual(rows.map((r) => r.count), Array.from({ length: Math.ceil(21 / size) }, (_, i) => Math.min(size, 21 - i * size)));
      assert.deepEqual(rows.flatMap((r) => r.faceIds), expectedIds);
      assert.deepEqual(concat(rows.map((r) => r.vectors)), expected);
    }
  });

  it('tops up the last partial chunk and never exceeds the chunk size', async () => {
    const chunked = await FaceStore.open(uniqueName(), { chunkSize: 4 });
    extra.push(chunked);
    for (const [i, n] of [3, 3, 6].entries()) await chunked.addBatch(makeBatch({ seed: 20 + i, photos: n, facesPerPhoto: 1, dimension: 2 }));
    const counts = [];
    for await (const rows of chunked.streamEmbeddings('test-model')) counts.push(rows.count);
    assert.deepEqual(counts, [4, 4, 4]);
    assert.deepEqual(await chunked.models(), [{ modelId: 'test-model', dimension: 2, count: 12, nextSeq: 3 }]);
  });

  it('reads a store written with another chunk size and tops it up to its own size', async () => {
    const dbName = uniqueName();
    const older = await FaceStore.open(dbName, { chunkSize: 3 });
    const batches = [makeBatch({ seed: 40, photos: 7, facesPerPhoto: 1, dimension: 2 }), makeBatch({ seed: 41, photos: 9, facesPerPhoto: 1, dimension: 2 })];
    await older.addBatch(batches[0]!);
    older.close();
    const newer = await FaceStore.open(dbName, { chunkSize: 5 });
    extra.push(newer);
    await newer.addBatch(batches[1]!);
    const rows = [];
    for await (const r of newer.streamEmbeddings('test-model')) rows.push(r);
    // 7 vectors in chunks of 3 (3, 3, 1); the last is topped up to 5, then new chunks of 5.
    assert.deepEqual(rows.map((r) => r.count), [3, 3, 5, 5]);
    assert.deepEqual(rows.flatMap((r) => r.faceIds), batches.flatMap((b) => b.embeddings[0]!.faceIds));
    assert.deepEqual(concat(rows.map((r) => r.vectors)), concat(batches.map((b) => b.embeddings[0]!.vectors)));
  });

  it('gives stored faces attributes found later, all or nothing, passing over faces no longer stored', async () => {
    const batch = makeBatch({ seed: 29, photos: 2, facesPerPhoto: 1, dimension: 4 });
    for (const face of batch.faces) delete face.attributes;
    await store.addBatch(batch);
    const [a, b] = batch.faces.map((f) => f.id) as [string, string];
    const attributes = { age: 31.5, gender: 'female' as const, genderProbability: 0.8, expressions: { neutral: 0.9, happy: 0.1 } };
    assert.equal(await store.setFaceAttributes(new Map([[a, attributes], ['gone:0', attributes]])), 1);
    assert.deepEqual((await store.getFace(a))?.attributes, attributes);
    assert.equal((await store.getFace(b))?.attributes, undefined);
    assert.equal((await store.getFace(a))?.thumbnail.bytes.length, batch.faces[0]!.thumbnail.bytes.length, 'the rest of the face is kept');
    const bad = { ...attributes, genderProbability: 2 };
    await assert.rejects(store.setFaceAttributes(new Map([[b, attributes], [a, bad]])), isError(InvalidInputError));
    assert.equal((await store.getFace(b))?.attributes, undefined, 'nothing of a refused call is written');
    assert.equal(await store.setFaceAttributes(new Map()), 0);
  });

  it('aborting mid-batch writes nothing and keeps what was stored before', async () => {
    await store.addBatch(makeBatch({ seed: 30, photos: 2, facesPerPhoto: 1, dimension: 4 }));
    const before = await snapshot(store);
    const controller = new AbortController();
    let calls = 0;
    const big = makeBatch({ seed: 31, photos: 20, facesPerPhoto: 2, dimension: 4 });
    await assert.rejects(
      store.addBatch(big, {
        signal: controller.signal,
        onProgress: ({ done: n, total }) => {
          calls++;
          // Half of the records are queued in the transaction when the abort comes.
          if (n === Math.floor(total / 2)) controller.abort();
        },
      }),
      (error: unknown) => (error as Error).name === 'AbortError',
    );
    assert.ok(calls >= 30, `the batch was under way when aborted (${calls} progress calls)`);
    assert.deepEqual(await snapshot(store), before);
  });

  it('aborting after the vectors are queued (a new chunk and a topped-up one, Blobs both) writes none of them', async () => {
    const chunked = await FaceStore.open(uniqueName(), { chunkSize: 4 });
    extra.push(chunked);
    // 3 vectors: one partial chunk, which the next batch tops up before adding a chunk of its own.
    await chunked.addBatch(makeBatch({ seed: 33, photos: 3, facesPerPhoto: 1, dimension: 4 }));
    const before = await snapshot(chunked);
    const controller = new AbortController();
    const big = makeBatch({ seed: 34, photos: 5, facesPerPhoto: 1, dimension: 4 });
    let last = 0;
    await assert.rejects(
      chunked.addBatch(big, {
        signal: controller.signal,
        onProgress: ({ done: n, total }) => {
          last = n;
          // Every record, the vectors' chunks last, is queued in the transaction when the abort comes.
          if (n === total) controller.abort();
        },
      }),
      (error: unknown) => (error as Error).name === 'AbortError',
    );
    assert.equal(last, 5 + 5 + 5);
    assert.deepEqual(await snapshot(chunked), before);
  });

  it('reports a stored chunk whose vectors do not fill count × dimension as a damaged record', async () => {
    await store.addBatch(makeBatch({ seed: 36, photos: 3, facesPerPhoto: 1, dimension: 4 }));
    const raw = await done(indexedDB.open(store.name));
    const chunk = await done(raw.transaction('embeddings').objectStore('embeddings').get(['test-model', 0]));
    // One float short, as a truncated blob file would read.
    const short = { ...chunk, vectors: chunk.vectors.slice(0, chunk.vectors.size - 4) };
    await done(raw.transaction('embeddings', 'readwrite').objectStore('embeddings').put(short));
    raw.close();
    await assert.rejects(
      (async () => {
        for await (const _ of store.streamEmbeddings('test-model')) void _;
      })(),
      (error: unknown) => {
        isError(StorageError, StorageFailure.Failed)(error);
        assert.match((error as Error).message, /chunk 0 of model 'test-model' holds 44 bytes of vectors; 3 vectors of dimension 4 take 48 \(the record is damaged\)/);
        return true;
      },
    );
  });

  it('an error thrown mid-batch writes nothing', async () => {
    await store.addBatch(makeBatch({ seed: 32, photos: 1, facesPerPhoto: 1, dimension: 4 }));
    const before = await snapshot(store);
    const boom = new Error('progress callback failed');
    await assert.rejects(
      store.addBatch(makeBatch({ seed: 33, photos: 5, facesPerPhoto: 2, dimension: 4 }), {
        onProgress: ({ done: n }) => {
          if (n === 12) throw boom;
        },
      }),
      (error: unknown) => error === boom,
    );
    assert.deepEqual(await snapshot(store), before);
  });

  it('a dimension clash found inside the transaction rolls back the photos already queued', async () => {
    await store.addBatch(makeBatch({ seed: 34, photos: 1, facesPerPhoto: 1, dimension: 4 }));
    const before = await snapshot(store);
    await assert.rejects(store.addBatch(makeBatch({ seed: 35, photos: 3, facesPerPhoto: 1, dimension: 8 })), isError(InvalidInputError, 'wrong-dimension'));
    assert.deepEqual(await snapshot(store), before);
  });

  it('refuses malformed batches before writing, naming the bad value', async () => {
    const bad = makeBatch({ seed: 36, photos: 1, facesPerPhoto: 2, dimension: 4 });
    bad.embeddings[0]!.vectors[5] = Number.NaN;
    await assert.rejects(store.addBatch(bad), (e: unknown) => e instanceof InvalidInputError && /vectors\[5\]/.test(e.message) && /finite/.test(e.message));
    const hash = makeBatch({ seed: 37, photos: 1, facesPerPhoto: 0, dimension: 4 });
    hash.photos[0]!.hash = 'not-a-hash';
    await assert.rejects(store.addBatch(hash), (e: unknown) => e instanceof InvalidInputError && /hash/.test(e.message));
    const orphan = makeBatch({ seed: 38, photos: 1, facesPerPhoto: 1, dimension: 4 });
    orphan.embeddings[0]!.faceIds[0] = `${fakeHash(rng(1))}:0`;
    await assert.rejects(store.addBatch(orphan), isError(InvalidInputError));
    assert.equal(await store.countPhotos(), 0);
  });

  it('deletes photos with their faces and vectors, rewriting chunks', async () => {
    const batch = makeBatch({ seed: 39, photos: 4, facesPerPhoto: 2, dimension: 3 });
    await store.addBatch(batch);
    const gone = batch.photos[1]!.hash;
    assert.deepEqual(await store.deletePhotos([gone, fakeHash(rng(2))]), { photos: 1, faces: 2, embeddings: 2 });
    assert.equal(await store.getPhoto(gone), undefined);
    assert.deepEqual(await store.facesOfPhoto(gone), []);
    assert.equal(await store.countEmbeddings('test-model'), 6);
    const rows = [];
    for await (const r of store.streamEmbeddings('test-model')) rows.push(r);
    const v = batch.embeddings[0]!.vectors;
    assert.deepEqual(rows.flatMap((r) => r.faceIds), batch.faces.filter((f) => f.photoHash !== gone).map((f) => f.id));
    assert.deepEqual(concat(rows.map((r) => r.vectors)), concat([v.subarray(0, 6), v.subarray(12)]));
  });

  it('lists photos oldest first with offset and limit', async () => {
    const batch = makeBatch({ seed: 41, photos: 7, facesPerPhoto: 0, dimension: 2, addedAt: 1000 });
    // Added in shuffled order: the list follows addedAt, not the order of writing.
    await store.addBatch({ photos: [...batch.photos.slice(4), ...batch.photos.slice(0, 4)] });
    const hashes = batch.photos.map((p) => p.hash);
    const page = async (options: { offset?: number; limit?: number }): Promise<string[]> => (await store.listPhotos(options)).map((p) => p.hash);
    assert.deepEqual(await page({}), hashes);
    assert.deepEqual(await page({ offset: 2 }), hashes.slice(2));
    assert.deepEqual(await page({ limit: 3 }), hashes.slice(0, 3));
    assert.deepEqual(await page({ offset: 2, limit: 3 }), hashes.slice(2, 5));
    assert.deepEqual(await page({ offset: 5, limit: 10 }), hashes.slice(5));
    assert.deepEqual(await page({ offset: 7 }), []);
    assert.deepEqual(await page({ offset: 100, limit: 1 }), []);
    assert.deepEqual(await page({ limit: 0 }), []);
  });

  it('streams with an abort signal and through embeddingSource for the kernel', async () => {
    const chunked = await FaceStore.open(uniqueName(), { chunkSize: 2 });
    extra.push(chunked);
    await chunked.addBatch(makeBatch({ seed: 40, photos: 40, facesPerPhoto: 1, dimension: 2 }));
    const controller = new AbortController();
    let seen = 0;
    await assert.rejects(
      (async () => {
        for await (const rows of chunked.streamEmbeddings('test-model', { signal: controller.signal })) {
          seen += rows.count;
          if (seen === 10) controller.abort();
        }
      })(),
      (error: unknown) => (error as Error).name === 'AbortError',
    );
    assert.equal(seen, 10);
    const source = chunked.embeddingSource('test-model', { chunkSize: 16 });
    for (let pass = 0; pass < 2; pass++) {
      const lengths = [];
      for await (const chunk of source()) lengths.push(chunk.length);
      assert.deepEqual(lengths, [32, 32, 16]);
    }
  });
});

describe('FaceStore: analyses', () => {
  it('saves runs, names clusters, and deletes a run with its names', async () => {
    const batch = makeBatch({ seed: 50, photos: 3, facesPerPhoto: 2, dimension: 4 });
    await store.addBatch(batch);
    const ids = batch.faces.map((f) => f.id);
    const run = makeRun('run-1', ids, 3, 4);
    await store.saveRun(run);
    await store.saveRun({ ...makeRun('run-2', ids, 2, 4, 'other-model'), scope: { kind: 'person', groupId: 'g1' } });
    assert.deepEqual(await store.getRun('run-1'), run);
    assert.deepEqual((await store.listRuns({ modelId: 'test-model' })).map((r) => r.id), ['run-1']);
    await store.nameCluster('run-1', 0, 'Ada');
    await store.nameCluster('run-1', 2, 'Grace');
    await store.nameCluster('run-1', 2, 'Grace H.');
    assert.deepEqual([...(await store.clusterNames('run-1'))].sort(), [[0, 'Ada'], [2, 'Grace H.']]);
    await store.nameCluster('run-1', 0, null);
    assert.deepEqual([...(await store.clusterNames('run-1'))], [[2, 'Grace H.']]);
    await assert.rejects(store.nameCluster('run-1', 3, 'x'), (e: unknown) => e instanceof InvalidInputError && /0 to 2/.test(e.message));
    await assert.rejects(store.nameCluster('nope', 0, 'x'), isError(InvalidInputError));
    await store.deleteRun('run-1');
    assert.equal(await store.getRun('run-1'), undefined);
    assert.equal((await store.clusterNames('run-1')).size, 0);
    await assert.rejects(store.saveRun({ ...run, labels: Int32Array.of(0, 1) }), isError(InvalidInputError));
  });

  it('refuses a run with a label equal to k (clusters are 0 … k − 1) or below 0, and non-finite centroids', async () => {
    const ids = makeBatch({ seed: 51, photos: 3, facesPerPhoto: 1, dimension: 4 }).faces.map((f) => f.id);
    const run = makeRun('run-k', ids, 3, 4);
    await assert.rejects(store.saveRun({ ...run, labels: Int32Array.of(0, 1, 3) }), (e: unknown) => e instanceof InvalidInputError && /labels\[2\]/.test(e.message) && /\[0, 3\)/.test(e.message));
    await assert.rejects(store.saveRun({ ...run, labels: Int32Array.of(-1, 1, 2) }), isError(InvalidInputError));
    const nan = run.centroids.slice();
    nan[4] = Number.NaN;
    await assert.rejects(store.saveRun({ ...run, centroids: nan }), (e: unknown) => e instanceof InvalidInputError && /centroids\[4\]/.test(e.message));
    await store.saveRun({ ...run, labels: Int32Array.of(0, 1, 2) });
    assert.deepEqual((await store.listRuns()).map((r) => r.id), ['run-k']);
    await assert.rejects(store.nameCluster('run-k', 3, 'x'), (e: unknown) => e instanceof InvalidInputError && /0 to 2/.test(e.message));
    await store.nameCluster('run-k', 2, 'last');
    assert.deepEqual([...(await store.clusterNames('run-k'))], [[2, 'last']]);
  });

  it('saves, lists (oldest first) and deletes corrections, and refuses malformed ones', async () => {
    const ids = ['a', 'b', 'c', 'd'].map((x) => `${fakeHash(rng(x.charCodeAt(0)))}:0`);
    const later = { ...makeCorrection('c2', ids), createdAt: 1_700_000_500_000, kind: 'not-face' as const, people: undefined };
    const { people: _none, ...notFace } = later;
    await store.saveCorrection(notFace);
    await store.saveCorrection(makeCorrection('c1', ids));
    assert.deepEqual((await store.listCorrections({ modelId: 'test-model' })).map((c) => c.id), ['c1', 'c2']);
    assert.deepEqual(await store.listCorrections({ modelId: 'x' }), []);
    await store.deleteCorrection('c1');
    assert.deepEqual((await store.listCorrections()).map((c) => c.id), ['c2']);
    await assert.rejects(store.saveCorrection({ ...makeCorrection('c3', ids), kind: 'rename' as 'move' }), isError(InvalidInputError));
    await assert.rejects(store.saveCorrection({ ...makeCorrection('c4', ids), people: [] }), isError(InvalidInputError));
    await assert.rejects(store.saveCorrection({ ...notFace, id: 'c5', kind: 'strictness', scale: 0 }), isError(InvalidInputError));
  });

  it('saves, lists and deletes probes and identity groups', async () => {
    const ids = ['a', 'b', 'c', 'd'].map((x) => `${fakeHash(rng(x.charCodeAt(0)))}:0`);
    const probe = makeProbe('p1', ids, 4);
    const group = makeGroup('g1', ids);
    await store.saveProbe(probe);
    await store.saveIdentityGroup(group);
    assert.deepEqual(await store.getProbe('p1'), probe);
    assert.deepEqual(await store.listProbes({ modelId: 'test-model' }), [probe]);
    assert.deepEqual(await store.listProbes({ modelId: 'x' }), []);
    assert.deepEqual(await store.listIdentityGroups({ modelId: 'test-model' }), [group]);
    assert.deepEqual(await store.getIdentityGroup('g1'), group);
    await store.deleteProbe('p1');
    await store.deleteIdentityGroup('g1');
    assert.deepEqual(await store.listProbes(), []);
    assert.deepEqual(await store.listIdentityGroups(), []);
    await assert.rejects(store.saveProbe({ ...probe, trained: { ...probe.trained!, bias: new Float32Array(0) } }), isError(InvalidInputError));
  });
});

/** A store with every kind of record in it; returns the batch used. */
async function fill(s: FaceStore, seed = 60): Promise<ReturnType<typeof makeBatch>> {
  const batch = makeBatch({ seed, photos: 5, facesPerPhoto: 3, dimension: 16, originals: true });
  await s.addBatch(batch, { keepOriginals: true });
  const ids = batch.faces.map((f) => f.id);
  await s.saveRun(makeRun('run-1', ids, 4, 16));
  await s.nameCluster('run-1', 1, 'Ada');
  await s.saveProbe(makeProbe('p1', ids, 16));
  await s.saveIdentityGroup(makeGroup('g1', ids));
  await s.saveCorrection(makeCorrection('c1', ids));
  return batch;
}

describe('FaceStore: export and import', () => {
  it('round-trips bit for bit (export → import elsewhere → export gives the same bytes)', async () => {
    await fill(store);
    const bytes = await store.exportToBytes();
    const other = await openExtra();
    const result = await other.importFromBytes(bytes, { modelId: 'test-model' });
    assert.deepEqual(result.added, { photos: 5, faces: 15, embeddings: 15, runs: 1, clusterNames: 1, probes: 1, identityGroups: 1, corrections: 1 });
    assert.deepEqual(await other.exportToBytes(), bytes);
    assert.deepEqual(await snapshot(other), await snapshot(store));
    const blob = await store.exportToBlob();
    assert.deepEqual(new Uint8Array(await blob.arrayBuffer()), bytes);
    // Importing the same file again adds nothing.
    const again = await other.importFromBytes(bytes);
    assert.deepEqual(again.added, { photos: 0, faces: 0, embeddings: 0, runs: 0, clusterNames: 0, probes: 0, identityGroups: 0, corrections: 0 });
    assert.deepEqual(await other.exportToBytes(), bytes);
  });

  it('reads a file written before corrections existed as having none, and checks the corrections a file holds', async () => {
    const lists = { photos: [], faces: [], runs: [], clusterNames: [], probes: [], identityGroups: [], embeddingFaceIds: [] };
    const before = await store.importFromBytes(exportAround(encodeValue(lists), 0));
    assert.equal(before.added.corrections, 0);
    const withOne = await store.importFromBytes(exportAround(encodeValue({ ...lists, corrections: [{ ...makeCorrection('c9', ['x:m:0']), modelId: 'm' }] }), 0));
    assert.equal(withOne.added.corrections, 1);
    assert.deepEqual((await store.listCorrections({ modelId: 'm' })).map((c) => c.id), ['c9']);
    const bad = exportAround(encodeValue({ ...lists, corrections: [{ ...makeCorrection('c8', ['x:m:0']), modelId: 'm', kind: 'forget' }] }), 0);
    await assert.rejects(store.importFromBytes(bad), (e: unknown) => e instanceof InvalidInputError && /corrections\[0\]\.kind/.test(e.message));
  });

  it('refuses hostile files with a clear error and leaves the store unchanged', async () => {
    await fill(store);
    const good = await store.exportToBytes();
    const target = await openExtra();
    await target.addBatch(makeBatch({ seed: 70, photos: 2, facesPerPhoto: 1, dimension: 16 }));
    const before = await snapshot(target);
    const copy = (): Uint8Array => good.slice();
    const set = (bytes: Uint8Array, offset: number, value: number): Uint8Array => {
      new DataView(bytes.buffer).setUint32(offset, value, true);
      return bytes;
    };
    const e = embeddingsOffset(good);
    const cases: [string, Uint8Array | ArrayBuffer, string, { modelId?: string }?][] = [
      ['empty file', new Uint8Array(0), ImportFailure.Truncated],
      ['cut inside the header', good.slice(0, 40), ImportFailure.Truncated],
      ['cut inside the records', good.slice(0, e - 10), ImportFailure.Truncated],
      ['cut inside the embeddings', good.slice(0, good.length - 7), ImportFailure.Truncated],
      ['trailing bytes', (() => { const b = new Uint8Array(good.length + 4); b.set(good); return b.buffer; })(), ImportFailure.Malformed],
      ['wrong magic', (() => { const b = copy(); b[0] = 0x50; return b; })(), ImportFailure.BadMagic],
      ['PNG file', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(80)), ImportFailure.BadMagic],
      ['newer version', reseal(set(copy(), Header.version, EXPORT_VERSION + 1)), ImportFailure.UnsupportedVersion],
      ['flipped header byte', set(copy(), Header.photos, 4), ImportFailure.ChecksumMismatch],
      ['flipped embedding byte', (() => { const b = copy(); b[e + 5]! ^= 1; return b; })(), ImportFailure.ChecksumMismatch],
      ['flipped record byte', (() => { const b = copy(); b[new DataView(b.buffer).getUint32(Header.length, true) + 30]! ^= 1; return b; })(), ImportFailure.ChecksumMismatch],
      ['absurd vector count', reseal(set(copy(), Header.vectors, 0x7fffffff)), ImportFailure.AbsurdCount],
      ['absurd dimension', reseal(set(copy(), Header.dimension, 1_000_000)), ImportFailure.AbsurdCount],
      ['absurd photo count', reseal(set(copy(), Header.photos, 0xffffffff)), ImportFailure.AbsurdCount],
      ['count disagreeing with the records', reseal(set(copy(), Header.photos, 4)), ImportFailure.Malformed],
      ['NaN vector', (() => { const b = copy(); new DataView(b.buffer).setFloat32(e + 8, Number.NaN, true); return reseal(b); })(), ImportFailure.NonFinite],
      ['Infinity vector', (() => { const b = copy(); new DataView(b.buffer).setFloat32(e + 4 * 17, -Infinity, true); return reseal(b); })(), ImportFailure.NonFinite],
      ['different model', copy(), ImportFailure.DifferentModel, { modelId: 'another-model' }],
    ];
    for (const [label, bytes, reason, options] of cases) {
      await assert.rejects(target.importFromBytes(bytes, options), (error: unknown) => {
        assert.ok(error instanceof InvalidInputError, `${label}: expected InvalidInputError, got ${String(error)}`);
        assert.equal(error.details?.reason, reason, `${label}: ${error.message}`);
        assert.match(error.message, /^Cannot import this file: /, label);
        return true;
      });
    }
    assert.deepEqual(await snapshot(target), before);
  });

  it('refuses a file whose dimension differs from the model stored here', async () => {
    await fill(store);
    const bytes = await store.exportToBytes();
    const target = await openExtra();
    await target.addBatch(makeBatch({ seed: 71, photos: 1, facesPerPhoto: 1, dimension: 8 }));
    const before = await snapshot(target);
    await assert.rejects(target.importFromBytes(bytes), isError(InvalidInputError, ImportFailure.WrongDimension));
    assert.deepEqual(await snapshot(target), before);
  });

  it('refuses a file whose records break the rules (a face of another model)', async () => {
    const batch = makeBatch({ seed: 72, photos: 1, facesPerPhoto: 1, dimension: 4 });
    await store.addBatch(batch);
    const bytes = await store.exportToBytes();
    // Rename the face's modelId property in place (same length), then reseal the checksums: the key
    // 'modelId' is followed by a string tag (1 byte) and its length (4 bytes).
    const text = new TextEncoder().encode('modelId');
    const h = new DataView(bytes.buffer).getUint32(Header.length, true);
    const at = bytes.subarray(h).findIndex((_, i, a) => text.every((c, j) => a[i + j] === c));
    assert.ok(at >= 0);
    bytes[h + at + text.length + 5] = 'b'.charCodeAt(0);
    const target = await openExtra();
    await assert.rejects(target.importFromBytes(reseal(bytes)), isError(InvalidInputError, ImportFailure.InvalidRecord));
    assert.equal(await target.countPhotos(), 0);
  });

  it('exports a store without vectors only for a named model, and imports it back', async () => {
    const photoOnly = makeBatch({ seed: 75, photos: 2, facesPerPhoto: 0, dimension: 4 });
    await store.addBatch({ photos: photoOnly.photos });
    await assert.rejects(store.exportToBytes(), (e: unknown) => e instanceof InvalidInputError && /modelId/.test(e.message));
    const bytes = await store.exportToBytes({ modelId: 'test-model' });
    const target = await openExtra();
    const result = await target.importFromBytes(bytes);
    assert.deepEqual({ dimension: result.dimension, added: result.added.photos, vectors: result.added.embeddings }, { dimension: 0, added: 2, vectors: 0 });
    assert.deepEqual(await target.listPhotos(), photoOnly.photos);
    assert.deepEqual(await target.models(), []);
  });

  it('needs a model id to export a store with several models', async () => {
    await store.addBatch(makeBatch({ seed: 73, photos: 1, facesPerPhoto: 1, dimension: 4 }));
    await store.addBatch(makeBatch({ seed: 74, photos: 1, facesPerPhoto: 1, dimension: 6, modelId: 'm2' }));
    await assert.rejects(store.exportToBytes(), (e: unknown) => e instanceof InvalidInputError && /m2/.test(e.message));
    const bytes = await store.exportToBytes({ modelId: 'm2' });
    const target = await openExtra();
    const result = await target.importFromBytes(bytes);
    assert.equal(result.dimension, 6);
    assert.equal(await target.countEmbeddings('m2'), 1);
  });
});

describe('FaceStore: schema versions and failures', () => {
  it('upgrades a v1 database with every record intact', async () => {
    const v1 = uniqueName('face-store-v1');
    const batch = makeBatch({ seed: 80, photos: 2, facesPerPhoto: 2, dimension: 4 });
    const ids = batch.faces.map((f) => f.id);
    const { scope: _scope, ...v1Run } = makeRun('run-1', ids, 2, 4);
    const chunk = { modelId: 'test-model', seq: 0, dimension: 4, count: 4, faceIds: ids, vectors: batch.embeddings[0]!.vectors };
    // The v1 layout, written here independently of the code under test.
    const open = indexedDB.open(v1, 1);
    open.onupgradeneeded = () => {
      const db = open.result;
      db.createObjectStore('photos', { keyPath: 'hash' }).createIndex('byAddedAt', 'addedAt');
      db.createObjectStore('faces', { keyPath: 'id' }).createIndex('byPhoto', 'photoHash');
      db.createObjectStore('embeddings', { keyPath: ['modelId', 'seq'] });
      db.createObjectStore('models', { keyPath: 'modelId' });
      db.createObjectStore('runs', { keyPath: 'id' });
      db.createObjectStore('clusterNames', { keyPath: ['runId', 'cluster'] }).createIndex('byRun', 'runId');
    };
    const db = await done(open);
    const tx = db.transaction(['photos', 'faces', 'embeddings', 'models', 'runs', 'clusterNames'], 'readwrite');
    for (const p of batch.photos) tx.objectStore('photos').put(p);
    for (const f of batch.faces) tx.objectStore('faces').put(f);
    tx.objectStore('embeddings').put(chunk);
    tx.objectStore('models').put({ modelId: 'test-model', dimension: 4, count: 4, nextSeq: 1 });
    tx.objectStore('runs').put(v1Run);
    tx.objectStore('clusterNames').put({ runId: 'run-1', cluster: 1, name: 'Ada' });
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();

    const upgraded = await FaceStore.open(v1);
    extra.push(upgraded);
    assert.deepEqual(await upgraded.listPhotos(), batch.photos);
    assert.deepEqual(await upgraded.listFaces({ modelId: 'test-model' }), [...batch.faces].sort((a, b) => (a.id < b.id ? -1 : 1)));
    const rows = [];
    for await (const r of upgraded.streamEmbeddings('test-model')) rows.push(r);
    assert.deepEqual(rows.map((r) => ({ ...r })), [{ modelId: 'test-model', dimension: 4, count: 4, faceIds: ids, vectors: chunk.vectors }]);
    assert.deepEqual(await upgraded.listRuns({ modelId: 'test-model' }), [{ ...v1Run, scope: { kind: 'all' } }]);
    assert.deepEqual([...(await upgraded.clusterNames('run-1'))], [[1, 'Ada']]);
    await upgraded.saveProbe(makeProbe('p1', ids, 4));
    assert.equal((await upgraded.listProbes()).length, 1);
    const version = await done(indexedDB.open(v1));
    assert.equal(version.version, DB_VERSION);
    version.close();
  });

  it('rolls a failing upgrade back and reports it, leaving the v1 data as it was', async () => {
    const odd = uniqueName('face-store-odd-v1');
    const open = indexedDB.open(odd, 1);
    open.onupgradeneeded = () => {
      const db = open.result;
      db.createObjectStore('photos', { keyPath: 'hash' }).createIndex('byAddedAt', 'addedAt');
      // An index v2 wants to create already exists: the v2 step throws ConstraintError.
      const faces = db.createObjectStore('faces', { keyPath: 'id' });
      faces.createIndex('byPhoto', 'photoHash');
      faces.createIndex('byModel', 'modelId');
      db.createObjectStore('embeddings', { keyPath: ['modelId', 'seq'] });
      db.createObjectStore('models', { keyPath: 'modelId' });
      db.createObjectStore('runs', { keyPath: 'id' });
      db.createObjectStore('clusterNames', { keyPath: ['runId', 'cluster'] }).createIndex('byRun', 'runId');
    };
    const db = await done(open);
    const photo = makeBatch({ seed: 82, photos: 1, facesPerPhoto: 0, dimension: 4 }).photos[0]!;
    await done(db.transaction('photos', 'readwrite').objectStore('photos').put(photo));
    db.close();
    await assert.rejects(FaceStore.open(odd), (error: unknown) => {
      isError(StorageError, StorageFailure.Failed)(error);
      assert.match((error as Error).message, /rolled back/);
      return true;
    });
    const after = await done(indexedDB.open(odd));
    assert.equal(after.version, 1);
    assert.deepEqual(await done(after.transaction('photos').objectStore('photos').get(photo.hash)), photo);
    after.close();
    await deleteDatabase(odd);
  });

  it('refuses a database from a newer version and leaves it untouched', async () => {
    const future = uniqueName('face-store-future');
    const open = indexedDB.open(future, DB_VERSION + 1);
    open.onupgradeneeded = () => open.result.createObjectStore('future', { keyPath: 'id' });
    const db = await done(open);
    await done(db.transaction('future', 'readwrite').objectStore('future').put({ id: 1, keep: 'me' }));
    db.close();
    await assert.rejects(FaceStore.open(future), (error: unknown) => {
      isError(StorageError, StorageFailure.NewerVersion)(error);
      assert.match((error as Error).message, new RegExp(`version ${DB_VERSION + 1}, newer than the version ${DB_VERSION}`));
      return true;
    });
    const again = await done(indexedDB.open(future));
    assert.equal(again.version, DB_VERSION + 1);
    assert.deepEqual(await done(again.transaction('future').objectStore('future').get(1)), { id: 1, keep: 'me' });
    again.close();
    await deleteDatabase(future);
  });

  it('reports a blocked upgrade as a StorageError and does not upgrade later behind the caller', { timeout: 20_000 }, async () => {
    const old = uniqueName('face-store-blocked');
    const open = indexedDB.open(old, 1);
    open.onupgradeneeded = () => open.result.createObjectStore('photos', { keyPath: 'hash' });
    const db = await done(open);
    await done(db.transaction('photos', 'readwrite').objectStore('photos').put({ hash: 'h', name: 'kept' }));
    // This old connection ignores versionchange, like an old tab that never closes.
    let hinted = 0;
    try {
      await assert.rejects(FaceStore.open(old, { blockedTimeoutMs: 0, onBlocked: () => hinted++ }), isError(StorageError, StorageFailure.Blocked));
      assert.equal(hinted, 1);
    } finally {
      db.close();
    }
    const after = await done(indexedDB.open(old));
    assert.equal(after.version, 1);
    assert.deepEqual(await done(after.transaction('photos').objectStore('photos').get('h')), { hash: 'h', name: 'kept' });
    after.close();
    await deleteDatabase(old);
  });

  it('turns a missing or throwing IndexedDB into StorageError "unavailable"', async () => {
    const throwing = { open: () => { throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError'); } };
    await assert.rejects(FaceStore.open('x', { factory: throwing as unknown as IDBFactory }), isError(StorageError, StorageFailure.Unavailable));
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB');
    Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true, writable: true });
    try {
      await assert.rejects(FaceStore.open('x'), (e: unknown) => isError(StorageError, StorageFailure.Unavailable)(e) && /IndexedDB is unavailable/.test((e as Error).message));
    } finally {
      if (saved) Object.defineProperty(globalThis, 'indexedDB', saved);
    }
  });

  it('steps aside when another tab deletes the database, then reports itself closed', async () => {
    await store.addBatch(makeBatch({ seed: 81, photos: 1, facesPerPhoto: 1, dimension: 4 }));
    await deleteDatabase(name);
    assert.equal(store.closed, true);
    await assert.rejects(store.countPhotos(), isError(StorageError, StorageFailure.Closed));
  });

  it('erase() deletes everything of the store', async () => {
    await fill(store);
    await store.erase();
    assert.equal(store.closed, true);
    await assert.rejects(store.listPhotos(), isError(StorageError, StorageFailure.Closed));
    if (typeof indexedDB.databases === 'function') {
      const names = (await indexedDB.databases()).map((d) => d.name);
      assert.ok(!names.includes(name), `${name} still listed after erase`);
    }
    const reopened = await FaceStore.open(name);
    try {
      assert.deepEqual(await snapshot(reopened), { photos: [], faces: [], models: [], embeddings: {}, runs: [], names: [], probes: [], groups: [], corrections: [] });
    } finally {
      reopened.close();
    }
  });

  it('erase() waits for an old connection that ignores versionchange, saying it is blocked', { timeout: 20_000 }, async () => {
    await fill(store);
    const old = await done(indexedDB.open(name));
    let blocked = 0;
    let reportBlocked = (): void => {};
    const wasBlocked = new Promise<void>((resolve) => (reportBlocked = resolve));
    const erasing = store.erase({
      onBlocked: () => {
        blocked++;
        reportBlocked();
      },
    });
    // The deletion is queued behind `old`; closing it once `blocked` fired lets the deletion finish.
    await wasBlocked;
    old.close();
    await erasing;
    assert.equal(blocked, 1);
    const reopened = await FaceStore.open(name);
    try {
      assert.equal(await reopened.countPhotos(), 0);
    } finally {
      reopened.close();
    }
  });

  it('reports storage usage where navigator.storage exists and hashes bytes with SHA-256', async () => {
    const estimate = await store.estimate();
    const hasStorage = typeof navigator !== 'undefined' && navigator.storage?.estimate !== undefined;
    assert.equal(typeof estimate.usage, hasStorage ? 'number' : 'undefined');
    assert.equal(typeof estimate.quota, hasStorage ? 'number' : 'undefined');
    assert.equal(typeof (await store.requestPersistence()), 'boolean');
    assert.equal(await hashBytes(new TextEncoder().encode('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

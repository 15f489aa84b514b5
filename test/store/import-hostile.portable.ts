/**
 * Import validates everything and refuses the file whole: hostile records (non-finite or mis-sized
 * centroids, face ids nobody holds, repeated keys, faces their photo does not list, faces slipped under a
 * stored photo, names for cluster k) leave the store exactly as it was. Portable (Node and Chromium).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { InvalidInputError } from '../../src/errors.ts';
import { decodeExport, encodeExport, type DecodedExport } from '../../src/store/export-format.ts';
import { concatBytes } from '../../src/runtime/bytes.ts';
import { FaceStore, ImportFailure, faceId, type PhotoRecord } from '../../src/store/index.ts';
import { bloatedRecordExport, deeplyNestedExport, deleteDatabase, hostileExport, makeBatch, makeGroup, makeProbe, makeRun, snapshot, uniqueName } from './fixtures.ts';

let source: FaceStore;
let target: FaceStore;

beforeEach(async () => {
  source = await FaceStore.open(uniqueName());
  target = await FaceStore.open(uniqueName());
});

afterEach(async () => {
  for (const s of [source, target]) {
    s.close();
    await deleteDatabase(s.name);
  }
});

/** A source store with every kind of record; returns its export file and the batch used. */
async function good(): Promise<{ bytes: Uint8Array; batch: ReturnType<typeof makeBatch> }> {
  const batch = makeBatch({ seed: 110, photos: 3, facesPerPhoto: 2, dimension: 4 });
  await source.addBatch(batch);
  const ids = batch.faces.map((f) => f.id);
  await source.saveRun(makeRun('run-1', ids, 3, 4));
  await source.nameCluster('run-1', 2, 'Ada');
  await source.saveProbe({ ...makeProbe('p1', ids, 4), runId: 'run-1' });
  await source.saveIdentityGroup(makeGroup('g1', ids));
  return { bytes: await source.exportToBytes(), batch };
}

/** The export file `bytes` with its records changed by `edit` (checksums right, so the records are what is judged). */
function edited(bytes: Uint8Array, edit: (file: DecodedExport) => void): Uint8Array {
  const file = decodeExport(bytes);
  edit(file);
  const d = file.embeddingFaceIds.length === 0 ? 0 : file.dimension;
  return concatBytes(encodeExport(file.modelId, d, file, file.embeddingFaceIds.length === 0 ? [] : [file.vectors]));
}

/** Imports `bytes` into the target, expecting a refusal for `reason` and the target unchanged. */
async function refused(bytes: Uint8Array, reason: string, pattern?: RegExp): Promise<void> {
  const before = await snapshot(target);
  await assert.rejects(target.importFromBytes(bytes), (error: unknown) => {
    assert.ok(error instanceof InvalidInputError, String(error));
    assert.equal(error.details?.reason, reason, error.message);
    assert.match(error.message, /^Cannot import this file: /);
    if (pattern) assert.match(error.message, pattern);
    return true;
  });
  assert.deepEqual(await snapshot(target), before);
}

/** Gives the target some data of its own, so "unchanged" means something. */
async function targetData(): Promise<void> {
  await target.addBatch(makeBatch({ seed: 111, photos: 2, facesPerPhoto: 1, dimension: 4 }));
}

describe('FaceStore: import refuses hostile records and leaves the store unchanged', () => {
  it('run centroids with NaN or ±Infinity', async () => {
    const { bytes } = await good();
    await targetData();
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      await refused(edited(bytes, (f) => { f.runs[0]!.centroids[5] = bad; }), ImportFailure.InvalidRecord, /centroids\[5\]/);
    }
  });

  it('centroids of another dimension, also when the file holds no vectors', async () => {
    const { bytes } = await good();
    await targetData();
    const noVectors = (f: DecodedExport): void => {
      f.embeddingFaceIds = [];
      f.vectors = new Float32Array(0);
    };
    // 3 × 5 floats: a 5-D run in a file whose vectors are 4-D.
    await refused(edited(bytes, (f) => { f.runs[0]!.centroids = new Float32Array(15); }), ImportFailure.WrongDimension);
    // No vectors in the file, 5-D centroids, 4-D model here.
    await refused(edited(bytes, (f) => { noVectors(f); f.runs[0]!.centroids = new Float32Array(15); f.probes = []; }), ImportFailure.WrongDimension, /dimension 5/);
    // No vectors, and two runs that disagree with each other (the target's model does not matter).
    const empty = await FaceStore.open(uniqueName());
    try {
      const twoDims = edited(bytes, (f) => { noVectors(f); f.probes = []; f.runs.push({ ...f.runs[0]!, id: 'run-2', centroids: new Float32Array(15) }); });
      await assert.rejects(empty.importFromBytes(twoDims), (e: unknown) => (e as InvalidInputError).details?.reason === ImportFailure.WrongDimension);
      assert.equal(await empty.countPhotos(), 0);
    } finally {
      empty.close();
      await deleteDatabase(empty.name);
    }
  });

  it('run, probe and identity group face ids that neither the file nor the store holds', async () => {
    const { bytes, batch } = await good();
    await targetData();
    const ghost = faceId(batch.photos[0]!.hash, 'test-model', 9);
    await refused(edited(bytes, (f) => { f.runs[0]!.faceIds[1] = ghost; }), ImportFailure.InvalidRecord, /neither the file nor this store/);
    await refused(edited(bytes, (f) => { f.probes[0]!.groups[0]!.faceIds.push(ghost); }), ImportFailure.InvalidRecord, /neither the file nor this store/);
    await refused(edited(bytes, (f) => { f.identityGroups[0]!.faceIds.push(ghost); }), ImportFailure.InvalidRecord, /neither the file nor this store/);
    // A face the store holds (not the file) may be named.
    const stored = (await target.listFaces())[0]!.id;
    const result = await target.importFromBytes(edited(bytes, (f) => { f.identityGroups[0]!.faceIds.push(stored); }));
    assert.equal(result.added.identityGroups, 1);
  });

  it('repeated photo or face keys within the file', async () => {
    const { bytes } = await good();
    await targetData();
    await refused(edited(bytes, (f) => { f.photos.push({ ...f.photos[0]!, name: 'again.jpg' }); }), ImportFailure.InvalidRecord, /repeats the key/);
    await refused(edited(bytes, (f) => { f.faces.push({ ...f.faces[0]!, score: 0.1 }); }), ImportFailure.InvalidRecord, /repeats the key/);
    await refused(edited(bytes, (f) => { f.runs.push({ ...f.runs[0]! }); }), ImportFailure.InvalidRecord, /repeats the key/);
  });

  it('faces their photo does not list, and photos listing faces the file does not hold', async () => {
    const { bytes } = await good();
    await targetData();
    await refused(edited(bytes, (f) => { f.photos[0]!.faceIds = f.photos[0]!.faceIds.slice(1); }), ImportFailure.InvalidRecord, /not listed in its photo/);
    await refused(edited(bytes, (f) => { f.photos[0]!.faceIds.push(faceId(f.photos[0]!.hash, 'test-model', 7)); }), ImportFailure.InvalidRecord, /not a face in the file/);
  });

  it('a face added under a photo the store already holds', async () => {
    const { bytes, batch } = await good();
    const photo = batch.photos[0]!;
    // The store holds the photo with one of its two faces of this model: the file would slip in the other.
    await target.addBatch({ photos: [{ ...photo, faceIds: [photo.faceIds[0]!] }], faces: [batch.faces[0]!] });
    await refused(bytes, ImportFailure.InvalidRecord, /already holds with other faces/);
    // The store holds the photo as a failure.
    const failedTarget = await FaceStore.open(uniqueName());
    try {
      const failed: PhotoRecord = { ...photo, faceIds: [], error: { code: 'decode', message: 'bad' } };
      await failedTarget.addBatch({ photos: [failed] });
      await assert.rejects(failedTarget.importFromBytes(bytes), /as a photo that failed/);
      assert.deepEqual(await failedTarget.listPhotos(), [failed]);
    } finally {
      failedTarget.close();
      await deleteDatabase(failedTarget.name);
    }
  });

  it('adds a model\'s faces to stored photos that have none of that model', async () => {
    const { bytes, batch } = await good();
    const other = makeBatch({ seed: 112, photos: 3, facesPerPhoto: 1, dimension: 6, modelId: 'other-model' });
    // The same photos, embedded by another model before.
    const moved = other.faces.map((f, i) => ({ ...f, photoHash: batch.photos[i]!.hash, id: faceId(batch.photos[i]!.hash, 'other-model', 0) }));
    await target.addBatch({
      photos: batch.photos.map((p, i) => ({ ...p, faceIds: [moved[i]!.id] })),
      faces: moved,
      embeddings: [{ ...other.embeddings[0]!, faceIds: moved.map((f) => f.id) }],
    });
    const result = await target.importFromBytes(bytes);
    assert.deepEqual({ photos: result.added.photos, faces: result.added.faces, vectors: result.added.embeddings }, { photos: 0, faces: 6, vectors: 6 });
    assert.deepEqual((await target.getPhoto(batch.photos[0]!.hash))?.faceIds, [moved[0]!.id, ...batch.photos[0]!.faceIds]);
    // Importing it again adds nothing.
    const again = await target.importFromBytes(bytes);
    assert.equal(again.added.faces, 0);
  });

  it('a name for cluster k (clusters are 0 … k − 1), in the file or for a run the store holds', async () => {
    const { bytes } = await good();
    await targetData();
    await refused(edited(bytes, (f) => { f.clusterNames[0]!.cluster = 3; }), ImportFailure.InvalidRecord, /cluster 3 of a run with k = 3/);
    // The store holds run-1 with k = 3; the file's run-1 has k = 4 and names cluster 3.
    await target.saveRun(makeRun('run-1', [], 3, 4));
    const wider = edited(bytes, (f) => {
      const run = f.runs[0]!;
      f.runs[0] = { ...run, k: 4, centroids: new Float32Array(16) };
      f.clusterNames[0]!.cluster = 3;
    });
    await refused(wider, ImportFailure.InvalidRecord, /which this store holds with k = 3/);
  });

  it('a file of tiny values refused at its first record, and values that would outgrow the file refused by their memory', async () => {
    await targetData();
    // 200,000 empty Uint8Arrays where photos belong (1 MB): refused at the first one.
    await refused(hostileExport(200_000), ImportFailure.InvalidRecord, /photos\[0\] is a Uint8Array/);
    // The same under a property nobody reads: stepped over without being built.
    await refused(hostileExport(200_000, 'unread'), ImportFailure.Malformed, /no photos list/);
    // The same inside a record: the record is built before it is checked, within a memory budget it exceeds.
    await refused(bloatedRecordExport(200_000), ImportFailure.Malformed, /memory/);
  });

  it('a record nested 200,000 levels deep, with a clear refusal (not a RangeError)', async () => {
    await targetData();
    await refused(deeplyNestedExport(200_000), ImportFailure.Malformed, /nested deeper than 32 levels/);
  });
});

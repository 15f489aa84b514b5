/**
 * Schema v3 from a v2 database with data in it (written here with raw IndexedDB, independently of the
 * code under test), and old export files (format 1): faces re-keyed by model, runs' k choice typed,
 * every record kept. Portable: runs in Node (store.test.ts) and Chromium (store.browser.test.ts).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { encodeExport } from '../../src/store/export-format.ts';
import { DB_VERSION, FaceStore, faceId, type ClusterRun, type FaceRecord, type PhotoRecord } from '../../src/store/index.ts';
import { Header, concat, deleteDatabase, done, makeBatch, makeCorrection, makeGroup, makeProbe, makeRun, reseal, uniqueName } from './fixtures.ts';

const opened: FaceStore[] = [];
const names: string[] = [];

afterEach(async () => {
  for (const s of opened.splice(0)) s.close();
  for (const n of names.splice(0)) await deleteDatabase(n);
});

/** The v2 face id of a face (no model in it). */
const legacyId = (f: { photoHash: string; index: number }): string => `${f.photoHash}:${f.index}`;

/** v2-shaped records: legacy face ids everywhere, run k choices as score keys, no probe runId. */
function legacyData() {
  const batch = makeBatch({ seed: 90, photos: 3, facesPerPhoto: 2, dimension: 4 });
  const faces = batch.faces.map((f) => ({ ...f, id: legacyId(f) }));
  const ids = faces.map((f) => f.id);
  const photos = batch.photos.map((p) => ({ ...p, faceIds: p.faceIds.map((_, i) => `${p.hash}:${i}`) }));
  const strip = (run: ClusterRun): Omit<ClusterRun, 'kChoice'> => {
    const { kChoice: _typed, ...rest } = run;
    return rest;
  };
  const auto = { ...strip(makeRun('run-auto', ids, 3, 4)), scores: { inertia: 4.5, auto: 1, 'curve:2': 0.1, 'curve:3': 0.3, silhouette: 0.3 } };
  const set = { ...strip(makeRun('run-set', ids, 2, 4)), scores: { inertia: 6, auto: 0 } };
  const merged = { ...strip(makeRun('run-merged', ids, 2, 4)), scores: { merged: 1, silhouette: 0.2 } };
  const { runId: _none, ...probe } = makeProbe('probe:run-auto', ids, 4);
  const group = makeGroup('g1', ids);
  const chunk = { modelId: 'test-model', seq: 0, dimension: 4, count: 6, faceIds: ids, vectors: batch.embeddings[0]!.vectors };
  return { batch, photos, faces, runs: [auto, set, merged], probe, group, chunk };
}

/**
 * Creates the stores and indexes of the v2 layout (also v3's: v3 changed records, not stores), plus v4's
 * `corrections` store when `corrections` is set, with raw IndexedDB, independently of the code under test.
 */
function createLayout(db: IDBDatabase, corrections: boolean): void {
  db.createObjectStore('photos', { keyPath: 'hash' }).createIndex('byAddedAt', 'addedAt');
  const faces = db.createObjectStore('faces', { keyPath: 'id' });
  faces.createIndex('byPhoto', 'photoHash');
  faces.createIndex('byModel', 'modelId');
  db.createObjectStore('embeddings', { keyPath: ['modelId', 'seq'] });
  db.createObjectStore('models', { keyPath: 'modelId' });
  db.createObjectStore('runs', { keyPath: 'id' }).createIndex('byModel', 'modelId');
  db.createObjectStore('clusterNames', { keyPath: ['runId', 'cluster'] }).createIndex('byRun', 'runId');
  db.createObjectStore('probes', { keyPath: 'id' }).createIndex('byModel', 'modelId');
  db.createObjectStore('identityGroups', { keyPath: 'id' }).createIndex('byModel', 'modelId');
  if (corrections) db.createObjectStore('corrections', { keyPath: 'id' }).createIndex('byModel', 'modelId');
}

/** Writes a database in the v2 layout (also v3's: v3 changed records, not stores) holding `data`. */
async function writeV2(name: string, data: ReturnType<typeof legacyData>, version = 2): Promise<void> {
  const open = indexedDB.open(name, version);
  open.onupgradeneeded = () => createLayout(open.result, false);
  const db = await done(open);
  const stores = ['photos', 'faces', 'embeddings', 'models', 'runs', 'clusterNames', 'probes', 'identityGroups'];
  const tx = db.transaction(stores, 'readwrite');
  for (const p of data.photos) tx.objectStore('photos').put(p);
  for (const f of data.faces) tx.objectStore('faces').put(f);
  tx.objectStore('embeddings').put(data.chunk);
  tx.objectStore('models').put({ modelId: 'test-model', dimension: 4, count: 6, nextSeq: 1 });
  for (const r of data.runs) tx.objectStore('runs').put(r);
  tx.objectStore('clusterNames').put({ runId: 'run-auto', cluster: 2, name: 'Ada' });
  tx.objectStore('clusterNames').put({ runId: 'run-merged', cluster: 0, name: 'Grace' });
  tx.objectStore('probes').put(data.probe);
  tx.objectStore('identityGroups').put(data.group);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

/** `batch` moved onto the photos `photos` (same hashes), as another model would embed them. */
function samePhotos(batch: ReturnType<typeof makeBatch>, photos: readonly PhotoRecord[]): ReturnType<typeof makeBatch> {
  const hashOf = new Map(batch.photos.map((p, i) => [p.hash, photos[i]!.hash]));
  const faces = batch.faces.map((f) => {
    const photoHash = hashOf.get(f.photoHash)!;
    return { ...f, photoHash, id: faceId(photoHash, f.modelId, f.index) };
  });
  const idOf = new Map(batch.faces.map((f, i) => [f.id, faces[i]!.id]));
  return {
    photos: batch.photos.map((p, i) => ({ ...photos[i]!, faceIds: p.faceIds.map((id) => idOf.get(id)!) })),
    faces,
    embeddings: batch.embeddings.map((e) => ({ ...e, faceIds: e.faceIds.map((id) => idOf.get(id)!) })),
  };
}

describe('FaceStore: schema v3 and old export files', () => {
  it('upgrades a v2 database with data: faces keyed by model, typed k choices, every record kept', async () => {
    const name = uniqueName('face-store-v2');
    names.push(name);
    const data = legacyData();
    await writeV2(name, data);
    const store = await FaceStore.open(name);
    opened.push(store);
    const newId = (old: string): string => {
      const [hash, index] = old.split(':') as [string, string];
      return faceId(hash, 'test-model', Number(index));
    };
    const ids = data.faces.map((f) => newId(f.id));
    assert.deepEqual(ids, data.batch.faces.map((f) => f.id));
    assert.deepEqual(await store.listPhotos(), data.batch.photos);
    const byId = (a: FaceRecord, b: FaceRecord): number => (a.id < b.id ? -1 : 1);
    assert.deepEqual(await store.listFaces(), [...data.batch.faces].sort(byId));
    assert.equal(await store.getFace(data.faces[0]!.id), undefined, 'no face is left under its v2 id');
    const rows = [];
    for await (const r of store.streamEmbeddings('test-model')) rows.push({ ...r });
    assert.deepEqual(rows, [{ modelId: 'test-model', dimension: 4, count: 6, faceIds: ids, vectors: data.chunk.vectors }]);
    const runs = new Map((await store.listRuns()).map((r) => [r.id, r]));
    assert.equal(runs.size, 3);
    assert.deepEqual(runs.get('run-auto')?.kChoice, { kind: 'auto', curve: [{ k: 2, score: 0.1 }, { k: 3, score: 0.3 }] });
    assert.deepEqual(runs.get('run-auto')?.scores, { inertia: 4.5, silhouette: 0.3 });
    assert.deepEqual(runs.get('run-set')?.kChoice, { kind: 'set' });
    assert.deepEqual(runs.get('run-set')?.scores, { inertia: 6 });
    assert.deepEqual(runs.get('run-merged')?.kChoice, { kind: 'merged', from: [] });
    assert.deepEqual(runs.get('run-merged')?.scores, { silhouette: 0.2 });
    for (const run of runs.values()) {
      assert.deepEqual(run.faceIds, ids);
      const old = data.runs.find((r) => r.id === run.id)!;
      assert.deepEqual({ labels: run.labels, centroids: run.centroids, k: run.k, scope: run.scope }, { labels: old.labels, centroids: old.centroids, k: old.k, scope: old.scope });
    }
    assert.deepEqual([...(await store.clusterNames('run-auto'))], [[2, 'Ada']]);
    assert.deepEqual([...(await store.clusterNames('run-merged'))], [[0, 'Grace']]);
    const probe = await store.getProbe('probe:run-auto');
    assert.deepEqual(probe, { ...data.probe, runId: 'run-auto', groups: data.probe.groups.map((g) => ({ ...g, faceIds: g.faceIds.map(newId) })) });
    assert.deepEqual(await store.getIdentityGroup('g1'), { ...data.group, faceIds: data.group.faceIds.map(newId) });
    const raw = await done(indexedDB.open(name));
    assert.equal(raw.version, DB_VERSION);
    raw.close();
  });

  it('upgrades a v3 database (through v4 and v5): every record kept, and an empty corrections store that works', async () => {
    const name = uniqueName('face-store-v3');
    names.push(name);
    const { batch } = legacyData();
    const ids = batch.faces.map((f) => f.id);
    const run = makeRun('run-auto', ids, 3, 4);
    const v3 = {
      batch, photos: batch.photos, faces: batch.faces, runs: [run], probe: { ...makeProbe('probe:run-auto', ids, 4), runId: 'run-auto' },
      group: makeGroup('g1', ids), chunk: { modelId: 'test-model', seq: 0, dimension: 4, count: 6, faceIds: ids, vectors: batch.embeddings[0]!.vectors },
    } as unknown as ReturnType<typeof legacyData>;
    await writeV2(name, v3, 3);
    const store = await FaceStore.open(name);
    opened.push(store);
    assert.deepEqual(await store.listPhotos(), batch.photos);
    const byId = (a: FaceRecord, b: FaceRecord): number => (a.id < b.id ? -1 : 1);
    assert.deepEqual(await store.listFaces(), [...batch.faces].sort(byId));
    assert.deepEqual(await store.listRuns(), [run]);
    assert.deepEqual([...(await store.clusterNames('run-auto'))], [[2, 'Ada']]);
    assert.deepEqual(await store.listProbes(), [v3.probe]);
    assert.deepEqual(await store.listIdentityGroups(), [v3.group]);
    const rows = [];
    for await (const r of store.streamEmbeddings('test-model')) rows.push({ ...r });
    assert.deepEqual(rows, [{ modelId: 'test-model', dimension: 4, count: 6, faceIds: ids, vectors: v3.chunk.vectors }]);
    assert.deepEqual(await store.listCorrections(), []);
    const correction = makeCorrection('c1', ids);
    await store.saveCorrection(correction);
    assert.deepEqual(await store.listCorrections({ modelId: 'test-model' }), [correction]);
    const raw = await done(indexedDB.open(name));
    assert.equal(raw.version, DB_VERSION);
    raw.close();
  });

  it('upgrades a v4 database to v5: every chunk kept with the same key, rows and bytes, then topped up and exported', async () => {
    const name = uniqueName('face-store-v4');
    names.push(name);
    // Two models; test-model in chunks of 4, 4 and a partial 2 (seq 0, 1, 3: a gap after a deletion).
    const a = makeBatch({ seed: 95, photos: 10, facesPerPhoto: 1, dimension: 3 });
    const b = makeBatch({ seed: 96, photos: 2, facesPerPhoto: 2, dimension: 5, modelId: 'other-model' });
    const aIds = a.faces.map((f) => f.id);
    const av = a.embeddings[0]!.vectors;
    const v4Chunks = [
      { modelId: 'test-model', seq: 0, dimension: 3, count: 4, faceIds: aIds.slice(0, 4), vectors: av.slice(0, 12) },
      { modelId: 'test-model', seq: 1, dimension: 3, count: 4, faceIds: aIds.slice(4, 8), vectors: av.slice(12, 24) },
      { modelId: 'test-model', seq: 3, dimension: 3, count: 2, faceIds: aIds.slice(8), vectors: av.slice(24) },
      { modelId: 'other-model', seq: 0, dimension: 5, count: 4, faceIds: b.faces.map((f) => f.id), vectors: b.embeddings[0]!.vectors },
    ];
    const correction = makeCorrection('c1', aIds.slice(0, 2));
    // The v4 layout and records, written here with raw IndexedDB, independently of the code under test.
    const open = indexedDB.open(name, 4);
    open.onupgradeneeded = () => createLayout(open.result, true);
    const db = await done(open);
    const tx = db.transaction(['photos', 'faces', 'embeddings', 'models', 'corrections'], 'readwrite');
    for (const p of [...a.photos, ...b.photos]) tx.objectStore('photos').put(p);
    for (const f of [...a.faces, ...b.faces]) tx.objectStore('faces').put(f);
    for (const c of v4Chunks) tx.objectStore('embeddings').put(c);
    tx.objectStore('models').put({ modelId: 'test-model', dimension: 3, count: 10, nextSeq: 4 });
    tx.objectStore('models').put({ modelId: 'other-model', dimension: 5, count: 4, nextSeq: 1 });
    tx.objectStore('corrections').put(correction);
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();

    const store = await FaceStore.open(name, { chunkSize: 4 });
    opened.push(store);
    const raw = await done(indexedDB.open(name));
    assert.equal(raw.version, DB_VERSION);
    assert.equal(DB_VERSION, 5);
    const stored = await done(raw.transaction('embeddings').objectStore('embeddings').getAll());
    raw.close();
    // Every chunk is still there under its key, in v5's shape: ids packed into one string, vectors in a Blob.
    assert.deepEqual(stored.map((c: { modelId: string; seq: number; count: number }) => [c.modelId, c.seq, c.count]), [['other-model', 0, 4], ['test-model', 0, 4], ['test-model', 1, 4], ['test-model', 3, 2]]);
    for (const c of stored) {
      assert.equal(typeof c.faceIdText, 'string');
      assert.ok(c.vectors instanceof Blob);
      assert.equal(c.vectors.size, c.count * c.dimension * 4);
      assert.equal('faceIds' in c, false);
    }
    const streamed = async (modelId: string) => {
      const rows = [];
      for await (const r of store.streamEmbeddings(modelId)) rows.push({ ...r });
      return rows;
    };
    assert.deepEqual(await streamed('test-model'), v4Chunks.slice(0, 3).map((c) => ({ modelId: c.modelId, dimension: c.dimension, count: c.count, faceIds: c.faceIds, vectors: c.vectors })));
    assert.deepEqual(await streamed('other-model'), [{ modelId: 'other-model', dimension: 5, count: 4, faceIds: v4Chunks[3]!.faceIds, vectors: v4Chunks[3]!.vectors }]);
    assert.deepEqual(await store.listCorrections(), [correction]);
    assert.deepEqual(await store.listPhotos(), [...a.photos, ...b.photos].sort((x, y) => x.addedAt - y.addedAt || (x.hash < y.hash ? -1 : 1)));
    // The migrated partial chunk is topped up by the next batch, and deleting rewrites migrated chunks.
    const more = makeBatch({ seed: 97, photos: 3, facesPerPhoto: 1, dimension: 3 });
    await store.addBatch(more);
    const after = await streamed('test-model');
    assert.deepEqual(after.map((r) => r.count), [4, 4, 4, 1]);
    assert.deepEqual(after.flatMap((r) => r.faceIds), [...aIds, ...more.faces.map((f) => f.id)]);
    assert.deepEqual(concat(after.map((r) => r.vectors)), concat([av, more.embeddings[0]!.vectors]));
    await store.deletePhotos([a.photos[1]!.hash, a.photos[5]!.hash]);
    const kept = await streamed('test-model');
    const keptRows = [0, 2, 3, 4, 6, 7, 8, 9];
    assert.deepEqual(kept.flatMap((r) => r.faceIds), [...keptRows.map((i) => aIds[i]!), ...more.faces.map((f) => f.id)]);
    assert.deepEqual(concat(kept.map((r) => r.vectors)), concat([...keptRows.map((i) => av.subarray(i * 3, i * 3 + 3)), more.embeddings[0]!.vectors]));
    // And the export of a migrated store imports into a fresh one with the same rows.
    const copy = await FaceStore.open(uniqueName());
    opened.push(copy);
    names.push(copy.name);
    await copy.importFromBytes(await store.exportToBytes({ modelId: 'test-model' }));
    const copied = [];
    for await (const r of copy.streamEmbeddings('test-model')) copied.push(r);
    assert.deepEqual(copied.flatMap((r) => r.faceIds), kept.flatMap((r) => r.faceIds));
    assert.deepEqual(concat(copied.map((r) => r.vectors)), concat(kept.map((r) => r.vectors)));
  });

  it('adds a second model\'s faces to photos it already holds, after the upgrade too', async () => {
    const name = uniqueName('face-store-v2');
    names.push(name);
    const data = legacyData();
    await writeV2(name, data);
    const store = await FaceStore.open(name);
    opened.push(store);
    // The same photos, embedded by another model.
    const second = samePhotos(makeBatch({ seed: 91, photos: 3, facesPerPhoto: 1, dimension: 6, modelId: 'other-model' }), data.batch.photos);
    const result = await store.addBatch(second);
    assert.deepEqual(result, { addedPhotos: [], extendedPhotos: second.photos.map((p) => p.hash), skippedPhotos: [], faces: 3, embeddings: 3 });
    assert.equal(await store.countFaces({ modelId: 'other-model' }), 3);
    assert.equal(await store.countFaces({ modelId: 'test-model' }), 6);
    assert.equal(await store.countEmbeddings('other-model'), 3);
    const photo = (await store.getPhoto(second.photos[0]!.hash)) as PhotoRecord;
    assert.deepEqual(photo.faceIds, [...data.batch.photos[0]!.faceIds, second.faces[0]!.id]);
    // A second time, nothing changes: the photos hold that model's faces now.
    const again = await store.addBatch(second);
    assert.deepEqual(again, { addedPhotos: [], extendedPhotos: [], skippedPhotos: second.photos.map((p) => p.hash), faces: 0, embeddings: 0 });
    // Each model's export carries only its own faces in the photos' faceIds, and imports elsewhere.
    const bytes = await store.exportToBytes({ modelId: 'other-model' });
    const other = await FaceStore.open(uniqueName());
    opened.push(other);
    names.push(other.name);
    await other.importFromBytes(bytes);
    assert.deepEqual((await other.getPhoto(photo.hash))?.faceIds, [second.faces[0]!.id]);
  });

  it('imports an export file of format 1 (v2 face ids, k choice in scores)', async () => {
    const data = legacyData();
    const names1 = [
      { runId: 'run-auto', cluster: 2, name: 'Ada' },
      { runId: 'run-merged', cluster: 0, name: 'Grace' },
    ];
    const parts = encodeExport(
      'test-model',
      4,
      {
        photos: data.photos,
        faces: data.faces,
        runs: data.runs as unknown as ClusterRun[],
        clusterNames: names1,
        probes: [data.probe],
        identityGroups: [data.group],
        embeddingFaceIds: data.chunk.faceIds,
      },
      [data.chunk.vectors],
    );
    const file = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      file.set(p, at);
      at += p.length;
    }
    new DataView(file.buffer).setUint32(Header.version, 1, true);
    const store = await FaceStore.open(uniqueName());
    opened.push(store);
    names.push(store.name);
    const result = await store.importFromBytes(reseal(file));
    assert.deepEqual(result.added, { photos: 3, faces: 6, embeddings: 6, runs: 3, clusterNames: 2, probes: 1, identityGroups: 1, corrections: 0 });
    assert.deepEqual(await store.listPhotos(), data.batch.photos);
    assert.deepEqual((await store.getRun('run-auto'))?.kChoice, { kind: 'auto', curve: [{ k: 2, score: 0.1 }, { k: 3, score: 0.3 }] });
    assert.deepEqual((await store.getRun('run-set'))?.faceIds, data.batch.faces.map((f) => f.id));
    assert.equal((await store.getProbe('probe:run-auto'))?.runId, 'run-auto');
    assert.deepEqual((await store.getIdentityGroup('g1'))?.faceIds, data.group.faceIds.map((id) => faceId(id.split(':')[0]!, 'test-model', Number(id.split(':')[1]))));
  });
});

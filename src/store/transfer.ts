/**
 * Export (one consistent read transaction → the file of export-format.ts) and import (validate the
 * whole file first, then one read-write transaction, all or nothing).
 */
import { unwrap } from 'idb';
import { InvalidInputError, throwIfAborted } from '../errors.ts';
import { appendEmbeddings } from './embeddings.ts';
import { ImportFailure, decodeExport, encodeExport, type DecodedExport } from './export-format.ts';
import { ALL_STORES, type FaceDb, type WriteTx } from './schema.ts';
import { runRead, runWrite } from './transaction.ts';
import type { ClusterName } from './types.ts';

/** What an import added; records whose key already existed are kept as stored and counted as skipped. */
export interface ImportResult {
  modelId: string;
  dimension: number;
  added: { photos: number; faces: number; embeddings: number; runs: number; clusterNames: number; probes: number; identityGroups: number };
  skipped: { photos: number; faces: number; runs: number; clusterNames: number; probes: number; identityGroups: number };
}

/** Picks the model to export: the one asked for, or the store's only model. */
async function chooseModel(db: FaceDb, modelId: string | undefined): Promise<string> {
  if (modelId !== undefined) return modelId;
  const models = await runRead('list models', () => db.getAllKeys('models'));
  if (models.length === 1) return models[0] as string;
  if (models.length === 0) {
    throw new InvalidInputError('export: the store holds no embeddings, so no model can be chosen; pass options.modelId');
  }
  throw new InvalidInputError(`export: the store holds embeddings of ${models.length} models (${models.join(', ')}); pass options.modelId to pick one`);
}

/**
 * Reads everything of `modelId` (all photos; that model's faces, embeddings, runs, names, probes,
 * identity groups) in one read-only transaction and encodes it as export parts.
 */
export async function exportParts(db: FaceDb, options: { modelId?: string; signal?: AbortSignal } = {}): Promise<Uint8Array[]> {
  throwIfAborted(options.signal);
  const modelId = await chooseModel(db, options.modelId);
  const data = await runRead('export the store', async () => {
    const tx = db.transaction(ALL_STORES, 'readonly');
    // If a read fails, Promise.all reports it; mark `done` handled so its rejection is not a second report.
    tx.done.catch(() => undefined);
    const [model, photos, faces, chunks, runs, probes, identityGroups] = await Promise.all([
      tx.objectStore('models').get(modelId),
      tx.objectStore('photos').getAll(),
      tx.objectStore('faces').index('byModel').getAll(modelId),
      tx.objectStore('embeddings').getAll(IDBKeyRange.bound([modelId, 0], [modelId, Infinity])),
      tx.objectStore('runs').index('byModel').getAll(modelId),
      tx.objectStore('probes').index('byModel').getAll(modelId),
      tx.objectStore('identityGroups').index('byModel').getAll(modelId),
    ]);
    const names = await Promise.all(runs.map((run) => tx.objectStore('clusterNames').index('byRun').getAll(run.id)));
    await tx.done;
    return { model, photos, faces, chunks, runs, probes, identityGroups, clusterNames: names.flat() };
  });
  throwIfAborted(options.signal);
  // Index order is (model, primary key) for faces etc.; sort by key so export order matches the stores'.
  data.faces.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  data.runs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  data.clusterNames.sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : a.cluster - b.cluster));
  // A photo lists the faces of every model it was embedded with; the file holds this model's only.
  const exported = new Set(data.faces.map((f) => f.id));
  const photos = data.photos.map((p) => (p.faceIds.every((id) => exported.has(id)) ? p : { ...p, faceIds: p.faceIds.filter((id) => exported.has(id)) }));
  return encodeExport(
    modelId,
    data.model?.dimension ?? 0,
    {
      photos,
      faces: data.faces,
      runs: data.runs,
      clusterNames: data.clusterNames,
      probes: data.probes,
      identityGroups: data.identityGroups,
      embeddingFaceIds: data.chunks.flatMap((c) => c.faceIds),
    },
    data.chunks.map((c) => c.vectors),
  );
}

/**
 * Validates `bytes` completely (see export-format.ts), checks the model's dimension against the
 * store, then writes the file's records in one transaction. Existing records (same key) are kept;
 * vectors are added only for faces the import adds, so importing a file twice adds nothing.
 * @throws InvalidInputError (details.reason an ImportFailure) before anything is written.
 */
export async function importBytes(
  db: FaceDb,
  bytes: Uint8Array | ArrayBuffer,
  options: { modelId?: string; signal?: AbortSignal; chunkSize: number },
): Promise<ImportResult> {
  throwIfAborted(options.signal);
  const input = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const file = decodeExport(input, options.modelId === undefined ? {} : { modelId: options.modelId });
  const stored = await runRead('read the model', () => db.get('models', file.modelId));
  if (stored && file.embeddingFaceIds.length > 0 && stored.dimension !== file.dimension) {
    throw new InvalidInputError(
      `Cannot import this file: its vectors have dimension ${file.dimension}; model '${file.modelId}' here has dimension ${stored.dimension}`,
      { details: { reason: ImportFailure.WrongDimension, expected: stored.dimension, got: file.dimension } },
    );
  }
  throwIfAborted(options.signal);
  return runWrite(db, [...ALL_STORES], 'import the file', options.signal, (tx) => writeImport(tx, file, options.chunkSize));
}

async function writeImport(tx: WriteTx, file: DecodedExport, chunkSize: number): Promise<ImportResult> {
  const keys = await Promise.all([
    tx.objectStore('photos').getAllKeys(),
    tx.objectStore('faces').getAllKeys(),
    tx.objectStore('runs').getAllKeys(),
    tx.objectStore('clusterNames').getAllKeys(),
    tx.objectStore('probes').getAllKeys(),
    tx.objectStore('identityGroups').getAllKeys(),
  ]);
  const [photoKeys, faceKeys, runKeys, nameKeys, probeKeys, groupKeys] = keys.map((k) => new Set(k.map((key) => JSON.stringify(key))));
  const added = { photos: 0, faces: 0, embeddings: 0, runs: 0, clusterNames: 0, probes: 0, identityGroups: 0 };
  const skipped = { photos: 0, faces: 0, runs: 0, clusterNames: 0, probes: 0, identityGroups: 0 };
  const putNew = <T>(
    store: 'photos' | 'faces' | 'runs' | 'clusterNames' | 'probes' | 'identityGroups',
    existing: Set<string> | undefined,
    records: T[],
    key: (record: T) => unknown,
  ): Set<string> => {
    const raw = unwrap(tx.objectStore(store));
    const fresh = new Set<string>();
    for (const record of records) {
      const k = JSON.stringify(key(record));
      if (existing?.has(k)) {
        skipped[store]++;
        continue;
      }
      raw.put(record);
      fresh.add(k);
      added[store]++;
    }
    return fresh;
  };
  putNew('photos', photoKeys, file.photos, (p) => p.hash);
  const newFaces = putNew('faces', faceKeys, file.faces, (f) => f.id);
  putNew('runs', runKeys, file.runs, (r) => r.id);
  putNew('clusterNames', nameKeys, file.clusterNames, (n: ClusterName) => [n.runId, n.cluster]);
  putNew('probes', probeKeys, file.probes, (p) => p.id);
  putNew('identityGroups', groupKeys, file.identityGroups, (g) => g.id);
  const d = file.dimension;
  const rows: number[] = [];
  file.embeddingFaceIds.forEach((id, i) => {
    if (newFaces.has(JSON.stringify(id))) rows.push(i);
  });
  if (rows.length > 0) {
    let vectors = file.vectors;
    if (rows.length < file.embeddingFaceIds.length) {
      vectors = new Float32Array(rows.length * d);
      rows.forEach((src, dst) => vectors.set(file.vectors.subarray(src * d, (src + 1) * d), dst * d));
    }
    const ids = rows.map((i) => file.embeddingFaceIds[i] as string);
    await appendEmbeddings(tx, file.modelId, d, ids, vectors, chunkSize);
    added.embeddings = rows.length;
  }
  return { modelId: file.modelId, dimension: d, added, skipped };
}

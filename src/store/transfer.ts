/**
 * Export (one consistent read transaction → the file of export-format.ts) and import (validate the
 * whole file first, then one read-write transaction, all or nothing).
 */
import { InvalidInputError, throwIfAborted } from '../errors.ts';
import { chunkFaceIds, readChunkVectors } from './embeddings.ts';
import { decodeExport, encodeExport } from './export-format.ts';
import { writeImport, type ImportResult } from './import-write.ts';
import { ALL_STORES, type FaceDb } from './schema.ts';
import { runRead, runWrite } from './transaction.ts';

export type { ImportResult } from './import-write.ts';

/** Where an import stands: reading the file, checking all of it, writing it (one transaction). */
export interface ImportProgress {
  phase: 'reading' | 'checking' | 'writing';
}

/** Options of an import. */
export interface ImportOptions {
  /** Refuse a file for another model. */
  modelId?: string;
  /** Aborting rolls the import back (nothing is written). */
  signal?: AbortSignal;
  /** Called as the import enters each phase. */
  onProgress?: (progress: ImportProgress) => void;
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
    const [model, photos, faces, chunks, runs, probes, identityGroups, corrections] = await Promise.all([
      tx.objectStore('models').get(modelId),
      tx.objectStore('photos').getAll(),
      tx.objectStore('faces').index('byModel').getAll(modelId),
      tx.objectStore('embeddings').getAll(IDBKeyRange.bound([modelId, 0], [modelId, Infinity])),
      tx.objectStore('runs').index('byModel').getAll(modelId),
      tx.objectStore('probes').index('byModel').getAll(modelId),
      tx.objectStore('identityGroups').index('byModel').getAll(modelId),
      tx.objectStore('corrections').index('byModel').getAll(modelId),
    ]);
    const names = await Promise.all(runs.map((run) => tx.objectStore('clusterNames').index('byRun').getAll(run.id)));
    await tx.done;
    // The chunks' Blobs are snapshots: reading them after the transaction sees what it saw.
    const vectors = await Promise.all(chunks.map(readChunkVectors));
    return { model, photos, faces, chunks, vectors, runs, probes, identityGroups, corrections, clusterNames: names.flat() };
  });
  throwIfAborted(options.signal);
  // Index order is (model, primary key) for faces etc.; sort by key so export order matches the stores'.
  data.faces.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  data.runs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  data.clusterNames.sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : a.cluster - b.cluster));
  // The file names only faces it holds: a photo lists the faces of every model it was embedded with, and
  // analyses keep naming the faces of photos deleted since (an import refuses ids it cannot resolve).
  const exported = new Set(data.faces.map((f) => f.id));
  const held = (ids: readonly string[]): boolean => ids.every((id) => exported.has(id));
  const keep = (ids: readonly string[]): string[] => ids.filter((id) => exported.has(id));
  const photos = data.photos.map((p) => (held(p.faceIds) ? p : { ...p, faceIds: keep(p.faceIds) }));
  const runs = data.runs.map((run) => {
    if (held(run.faceIds)) return run;
    const rows = run.faceIds.flatMap((id, i) => (exported.has(id) ? [i] : []));
    return { ...run, faceIds: rows.map((i) => run.faceIds[i] as string), labels: Int32Array.from(rows, (i) => run.labels[i] as number) };
  });
  const probes = data.probes.map((p) => (p.groups.every((g) => held(g.faceIds)) ? p : { ...p, groups: p.groups.map((g) => ({ ...g, faceIds: keep(g.faceIds) })) }));
  const identityGroups = data.identityGroups.map((g) => (held(g.faceIds) ? g : { ...g, faceIds: keep(g.faceIds) }));
  return encodeExport(
    modelId,
    data.model?.dimension ?? 0,
    {
      photos,
      faces: data.faces,
      runs,
      clusterNames: data.clusterNames,
      probes,
      identityGroups,
      // Oldest first: the order they apply and are undone in.
      corrections: data.corrections.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)),
      embeddingFaceIds: data.chunks.flatMap(chunkFaceIds),
    },
    data.vectors,
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
  options: ImportOptions & { chunkSize: number },
): Promise<ImportResult> {
  throwIfAborted(options.signal);
  const input = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  options.onProgress?.({ phase: 'checking' });
  const file = decodeExport(input, options.modelId === undefined ? {} : { modelId: options.modelId });
  throwIfAborted(options.signal);
  options.onProgress?.({ phase: 'writing' });
  return runWrite(db, [...ALL_STORES], 'import the file', options.signal, (tx) => writeImport(tx, file, options.chunkSize));
}

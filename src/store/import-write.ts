/**
 * The write half of an import: inside the import's one read-write transaction, the checks that need the
 * store (the model's dimension, face ids the file names but does not hold, faces under photos already
 * stored, names for clusters of runs already stored), then the writes. A refusal throws before the first
 * write, and any later failure aborts the transaction: the store is unchanged either way.
 */
import { unwrap } from 'idb';
import { appendEmbeddings } from './embeddings.ts';
import type { DecodedExport } from './export-format.ts';
import { ImportFailure, refuse } from './import-failure.ts';
import type { WriteTx } from './schema.ts';
import type { PhotoRecord } from './types.ts';

/** What an import added; records whose key already existed are kept as stored and counted as skipped. */
export interface ImportResult {
  modelId: string;
  dimension: number;
  added: { photos: number; faces: number; embeddings: number; runs: number; clusterNames: number; probes: number; identityGroups: number; corrections: number };
  skipped: { photos: number; faces: number; runs: number; clusterNames: number; probes: number; identityGroups: number; corrections: number };
}

/** Checks `file` against the store and writes it inside `tx` (over every store). */
export async function writeImport(tx: WriteTx, file: DecodedExport, chunkSize: number): Promise<ImportResult> {
  const { modelId } = file;
  const [model, faceKeys, nameKeys, probeKeys, groupKeys, correctionKeys, storedPhotos, storedRuns] = await Promise.all([
    tx.objectStore('models').get(modelId),
    tx.objectStore('faces').getAllKeys(),
    tx.objectStore('clusterNames').getAllKeys(),
    tx.objectStore('probes').getAllKeys(),
    tx.objectStore('identityGroups').getAllKeys(),
    tx.objectStore('corrections').getAllKeys(),
    Promise.all(file.photos.map((p) => tx.objectStore('photos').get(p.hash))),
    Promise.all(file.runs.map((r) => tx.objectStore('runs').get(r.id))),
  ]);
  if (model) {
    for (const [d, what] of [
      [file.embeddingFaceIds.length > 0 ? file.dimension : undefined, 'its vectors have'],
      [file.analysisDimension, 'its cluster runs and probes have'],
    ] as const) {
      if (d !== undefined && d !== model.dimension) {
        refuse(ImportFailure.WrongDimension, `${what} dimension ${d}; model '${modelId}' here has dimension ${model.dimension}`, { expected: model.dimension, got: d });
      }
    }
  }
  const storedFaces = new Set(faceKeys);
  for (const id of file.outsideFaceIds) {
    if (!storedFaces.has(id)) refuse(ImportFailure.InvalidRecord, `a cluster run, probe or identity group names face ${id}, which neither the file nor this store holds`);
  }

  // Photos: new ones are added; a stored one may gain this model's faces only if it has none of them.
  const storedPhoto = new Map(storedPhotos.flatMap((p) => (p ? [[p.hash, p] as const] : [])));
  const extended = new Map<string, PhotoRecord>();
  const newFaces = file.faces.filter((f) => !storedFaces.has(f.id));
  for (const face of newFaces) {
    const stored = storedPhoto.get(face.photoHash);
    if (!stored) continue;
    const prefix = `${face.photoHash}:${modelId}:`;
    if (stored.error !== undefined || stored.faceIds.some((id) => id.startsWith(prefix))) {
      refuse(
        ImportFailure.InvalidRecord,
        `face ${face.id} would be added under photo ${face.photoHash}, which this store already holds ${stored.error ? 'as a photo that failed' : `with other faces of model '${modelId}'`}`,
      );
    }
    const photo = extended.get(stored.hash) ?? { ...stored, faceIds: [...stored.faceIds] };
    photo.faceIds.push(face.id);
    extended.set(stored.hash, photo);
  }
  // Names for clusters of a run kept as stored must fit that run.
  const storedRun = new Map(storedRuns.flatMap((r) => (r ? [[r.id, r] as const] : [])));
  file.clusterNames.forEach((n, i) => {
    const run = storedRun.get(n.runId);
    if (run && n.cluster >= run.k) {
      refuse(ImportFailure.InvalidRecord, `clusterNames[${i}] names cluster ${n.cluster} of run '${n.runId}', which this store holds with k = ${run.k}`);
    }
  });

  const added = { photos: 0, faces: 0, embeddings: 0, runs: 0, clusterNames: 0, probes: 0, identityGroups: 0, corrections: 0 };
  const skipped = { photos: 0, faces: 0, runs: 0, clusterNames: 0, probes: 0, identityGroups: 0, corrections: 0 };
  const putNew = <S extends 'photos' | 'faces' | 'runs' | 'clusterNames' | 'probes' | 'identityGroups' | 'corrections'>(
    store: S,
    isStored: (record: NonNullable<DecodedExport[S]>[number]) => boolean,
    records: NonNullable<DecodedExport[S]>,
  ): void => {
    const raw = unwrap(tx.objectStore(store));
    for (const record of records) {
      if (isStored(record)) {
        skipped[store]++;
        continue;
      }
      raw.put(record);
      added[store]++;
    }
  };
  const has = (keys: readonly IDBValidKey[]): ((key: IDBValidKey) => boolean) => {
    const set = new Set(keys.map((k) => JSON.stringify(k)));
    return (key) => set.has(JSON.stringify(key));
  };
  putNew('photos', (p) => storedPhoto.has(p.hash), file.photos);
  for (const photo of extended.values()) unwrap(tx.objectStore('photos')).put(photo);
  putNew('faces', (f) => storedFaces.has(f.id), file.faces);
  putNew('runs', (r) => storedRun.has(r.id), file.runs);
  const nameStored = has(nameKeys);
  putNew('clusterNames', (n) => nameStored([n.runId, n.cluster]), file.clusterNames);
  const probeStored = has(probeKeys);
  putNew('probes', (p) => probeStored(p.id), file.probes);
  const groupStored = has(groupKeys);
  putNew('identityGroups', (g) => groupStored(g.id), file.identityGroups);
  const correctionStored = has(correctionKeys);
  putNew('corrections', (c) => correctionStored(c.id), file.corrections ?? []);

  const d = file.dimension;
  const fresh = new Set(newFaces.map((f) => f.id));
  const rows: number[] = [];
  file.embeddingFaceIds.forEach((id, i) => {
    if (fresh.has(id)) rows.push(i);
  });
  if (rows.length > 0) {
    let vectors = file.vectors;
    if (rows.length < file.embeddingFaceIds.length) {
      vectors = new Float32Array(rows.length * d);
      rows.forEach((src, dst) => vectors.set(file.vectors.subarray(src * d, (src + 1) * d), dst * d));
    }
    await appendEmbeddings(tx, modelId, d, rows.map((i) => file.embeddingFaceIds[i] as string), vectors, chunkSize);
    added.embeddings = rows.length;
  }
  return { modelId, dimension: d, added, skipped };
}

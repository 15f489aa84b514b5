/**
 * The writes of a batch inside one read-write transaction: adding a drop of photos with their faces and
 * vectors, and deleting photos with theirs. `FaceStore.addBatch` and `deletePhotos` run them in their own
 * transaction; `addBatch(batch, { replacing })` runs both in the same one.
 */
import { unwrap } from 'idb';
import { appendEmbeddings, removeEmbeddings } from './embeddings.ts';
import type { WriteTx } from './schema.ts';
import type { FaceBatch, FaceRecord, PhotoRecord } from './types.ts';

/** The stores a batch writes. */
export const BATCH_STORES = ['photos', 'faces', 'embeddings', 'models'] as const;

/**
 * What a batch wrote. A photo already stored (same content hash) is skipped with its faces and vectors,
 * unless it holds no face of the batch's model for it: then it gains those faces and vectors (extended).
 */
export interface AddBatchResult {
  /** Photos stored for the first time. */
  addedPhotos: string[];
  /** Stored photos that gained the faces (and vectors) of a model they had no faces of. */
  extendedPhotos: string[];
  /** Stored photos left as they were (but for a preview they lacked), with the batch's faces and vectors for them. */
  skippedPhotos: string[];
  faces: number;
  embeddings: number;
}

/** How {@link writeBatch} writes. */
export interface WriteBatchOptions {
  chunkSize: number;
  keepOriginals?: boolean;
  onProgress?: (progress: { done: number; total: number }) => void;
}

/**
 * Writes a validated batch inside `tx` (over {@link BATCH_STORES}); photos are each once (later
 * duplicates dropped by the caller).
 */
export async function writeBatch(tx: WriteTx, batch: FaceBatch, photos: readonly PhotoRecord[], options: WriteBatchOptions): Promise<AddBatchResult> {
  const { chunkSize } = options;
  const photoStore = tx.objectStore('photos');
  const faceStore = tx.objectStore('faces');
  const stored = await Promise.all(photos.map((p) => photoStore.get(p.hash)));
  const storedFaceIds = await Promise.all(stored.map((p) => (p ? faceStore.index('byPhoto').getAllKeys(p.hash) : [])));
  const fresh: PhotoRecord[] = [];
  const extended: PhotoRecord[] = [];
  const skipped: string[] = [];
  const previewed: PhotoRecord[] = [];
  const faces: FaceRecord[] = [];
  const byPhoto = new Map<string, FaceRecord[]>();
  for (const f of batch.faces ?? []) byPhoto.set(f.photoHash, [...(byPhoto.get(f.photoHash) ?? []), f]);
  photos.forEach((photo, i) => {
    const old = stored[i];
    const own = byPhoto.get(photo.hash) ?? [];
    if (!old) {
      fresh.push(photo);
      faces.push(...own);
      return;
    }
    // A stored photo gains the faces of a model it has none of (the same photo embedded by another model).
    const held = storedFaceIds[i] ?? [];
    const added = old.error === undefined ? own.filter((f) => !held.some((id) => id.startsWith(`${photo.hash}:${f.modelId}:`))) : [];
    // A photo stored before previews were kept gains its preview when it is added again.
    const preview = old.preview === undefined && old.error === undefined && photo.preview ? { preview: photo.preview } : {};
    if (added.length === 0) {
      skipped.push(photo.hash);
      if (preview.preview) previewed.push({ ...old, ...preview });
      return;
    }
    extended.push({ ...old, faceIds: [...old.faceIds, ...added.map((f) => f.id)], ...preview });
    faces.push(...added);
  });
  const written = new Set(faces.map((f) => f.id));
  const embeddings = (batch.embeddings ?? []).map((e) => keepRows(e, written)).filter((e) => e.faceIds.length > 0);
  const total = fresh.length + extended.length + faces.length + embeddings.reduce((n, e) => n + e.faceIds.length, 0);
  let done = 0;
  const progress = (items: number): void => {
    done += items;
    options.onProgress?.({ done, total });
  };
  const rawPhotos = unwrap(photoStore);
  for (const photo of fresh) {
    rawPhotos.put(options.keepOriginals ? photo : withoutOriginal(photo));
    progress(1);
  }
  for (const photo of extended) {
    rawPhotos.put(photo);
    progress(1);
  }
  for (const photo of previewed) rawPhotos.put(photo);
  const rawFaces = unwrap(faceStore);
  for (const face of faces) {
    rawFaces.put(face);
    progress(1);
  }
  for (const e of embeddings) {
    await appendEmbeddings(tx, e.modelId, e.dimension, e.faceIds, e.vectors, chunkSize, progress);
  }
  return {
    addedPhotos: fresh.map((p) => p.hash),
    extendedPhotos: extended.map((p) => p.hash),
    skippedPhotos: skipped,
    faces: faces.length,
    embeddings: embeddings.reduce((n, e) => n + e.faceIds.length, 0),
  };
}

/** Deletes photos with their faces and those faces' vectors inside `tx` (over {@link BATCH_STORES}). */
export async function deletePhotosIn(tx: WriteTx, hashes: readonly string[]): Promise<{ photos: number; faces: number; embeddings: number }> {
  const faceIds = new Set<string>();
  let photos = 0;
  for (const hash of hashes) {
    if ((await tx.objectStore('photos').getKey(hash)) === undefined) continue;
    photos++;
    await tx.objectStore('photos').delete(hash);
    for (const id of await tx.objectStore('faces').index('byPhoto').getAllKeys(hash)) {
      faceIds.add(id);
      await tx.objectStore('faces').delete(id);
    }
  }
  const embeddings = await removeEmbeddings(tx, faceIds);
  return { photos, faces: faceIds.size, embeddings };
}

function withoutOriginal(photo: PhotoRecord): PhotoRecord {
  if (photo.original === undefined) return photo;
  const { original: _dropped, ...rest } = photo;
  return rest;
}

/** The rows of an embedding batch whose faces are in `keep` (the batch itself when all are). */
function keepRows(e: NonNullable<FaceBatch['embeddings']>[number], keep: ReadonlySet<string>): NonNullable<FaceBatch['embeddings']>[number] {
  const rows = e.faceIds.flatMap((id, i) => (keep.has(id) ? [i] : []));
  if (rows.length === e.faceIds.length) return e;
  const d = e.dimension;
  const vectors = new Float32Array(rows.length * d);
  rows.forEach((src, dst) => vectors.set(e.vectors.subarray(src * d, (src + 1) * d), dst * d));
  return { ...e, faceIds: rows.map((i) => e.faceIds[i] as string), vectors };
}

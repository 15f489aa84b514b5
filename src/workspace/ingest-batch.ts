/**
 * Turns one chunk of engine outcomes into the store batch that records it: photos with their faces and
 * vectors, failed photos as photo records carrying their error, each photo once per drop.
 */
import type { EngineInfo, ImageOutcome } from '../embedding/types.ts';
import { faceId, type FaceBatch, type FaceRecord, type PhotoRecord } from '../store/types.ts';
import type { PhotoFailure } from './types.ts';

/** A failed outcome as the element lists it: the photo's name, and why without the name said again. */
export function failureOf(outcome: ImageOutcome & { ok: false }): PhotoFailure {
  const prefix = `${outcome.name}: `;
  const message = outcome.error.message.startsWith(prefix) ? outcome.error.message.slice(prefix.length) : outcome.error.message;
  return { name: outcome.name, code: outcome.error.code ?? outcome.error.name, message };
}

/** What {@link toBatch} makes of a chunk. */
export interface ChunkBatch {
  batch: Required<FaceBatch>;
  /** Face id → embedding, for the faces in `batch`. */
  vectors: Map<string, Float32Array>;
  /** This chunk's failures, each photo once per drop. */
  failures: PhotoFailure[];
  /** Failures whose bytes could not even be read (no hash): listed for this session, never stored. */
  unstored: PhotoFailure[];
  /** Photos that came a second time in this drop (same content). */
  repeated: number;
  /** Hashes of photos stored as failures before that worked this time: their error records are replaced. */
  replaced: string[];
  /** Hashes of the failed photos in `batch.photos` (a stored photo that now fails is skipped, not a duplicate). */
  failed: Set<string>;
}

/**
 * The store batch for a chunk of outcomes.
 * @param seen hashes already met in this drop; updated.
 * @param storedFailures hashes stored as failed photos: a failure again leaves that record as it is; a
 *   success replaces it.
 */
export function toBatch(
  outcomes: readonly ImageOutcome[], info: EngineInfo, now: number, seen: Set<string>, storedFailures: ReadonlySet<string>,
): ChunkBatch {
  const photos: PhotoRecord[] = [];
  const faces: FaceRecord[] = [];
  const vectors = new Map<string, Float32Array>();
  const out: Omit<ChunkBatch, 'batch' | 'vectors'> = { failures: [], unstored: [], repeated: 0, replaced: [], failed: new Set() };
  for (const o of outcomes) {
    if (o.hash === undefined) {
      if (!o.ok) {
        out.failures.push(failureOf(o));
        out.unstored.push(failureOf(o));
      }
      continue;
    }
    if (seen.has(o.hash)) {
      out.repeated++;
      continue;
    }
    seen.add(o.hash);
    if (!o.ok) {
      const error = failureOf(o);
      out.failures.push(error);
      if (storedFailures.has(o.hash)) continue;
      out.failed.add(o.hash);
      photos.push({ hash: o.hash, name: o.name, size: o.size ?? 0, type: '', addedAt: now, width: 0, height: 0, faceIds: [], error: { code: error.code, message: error.message } });
      continue;
    }
    if (storedFailures.has(o.hash)) out.replaced.push(o.hash);
    const ids = o.faces.map((f) => faceId(o.hash, f.modelId, f.index));
    photos.push({ hash: o.hash, name: o.name, size: o.size, type: `image/${o.format}`, addedAt: now, width: o.width, height: o.height, faceIds: ids });
    o.faces.forEach((f, i) => {
      const id = ids[i] as string;
      faces.push({
        id, photoHash: o.hash, index: f.index, box: f.box, score: f.score, landmarks: f.landmarks, foundBy: f.foundBy,
        modelId: f.modelId,
        // The engine encodes a thumbnail whenever one is asked for; an empty one would only show as a blank tile.
        thumbnail: f.thumbnail ?? { type: 'image/jpeg', bytes: new Uint8Array(0), width: 0, height: 0 },
        ...(f.attributes ? { attributes: f.attributes } : {}),
        ...(f.measures ? { measures: f.measures } : {}),
      });
      vectors.set(id, f.embedding);
    });
  }
  const d = info.dimension;
  const faceIds = faces.map((f) => f.id);
  const matrix = new Float32Array(faceIds.length * d);
  faceIds.forEach((id, i) => matrix.set(vectors.get(id) as Float32Array, i * d));
  return {
    batch: { photos, faces, embeddings: faceIds.length ? [{ modelId: info.modelId, dimension: d, faceIds, vectors: matrix }] : [] },
    vectors,
    ...out,
  };
}

/**
 * Age, gender and expression found after the faces were stored (see WorkOptions.attributes 'later'): the workspace
 * keeps the faces it added without them, with the file each came from, and this runs the engine's attribute heads on
 * them (FaceEngineClient.attributesOf) and stores what they find. A module of its own so a page loads it with its
 * first clustering, not with the page.
 */
import type { FaceAttributes, FaceEngineClient, ImageSource } from '../embedding/types.ts';
import type { FaceStore } from '../store/face-store.ts';
import type { Box } from '../vision/image.ts';
import type { FaceCollection } from './collection.ts';

/** Stored faces still without attributes, by photo hash, with the file the photo was added from. */
export type PendingAttributes = Map<string, { source: ImageSource; faces: { id: string; box: Box }[] }>;

/** Photos per call to the engine and per write: what finished is kept when the work is cancelled. */
const PHOTOS_PER_STEP = 24;

/**
 * Runs the attribute heads on the faces of `pending` and stores what they find, a step of photos at a time; each
 * photo done (found, or unreadable: its faces keep none) leaves `pending`, so a cancelled call leaves the rest for a
 * later one. Found attributes also go to `collection`'s faces.
 * @returns faces given attributes, photos that could not be read again, and whether it was cancelled.
 */
export async function findPendingAttributes(
  engine: FaceEngineClient,
  pending: PendingAttributes,
  store: FaceStore,
  collection: FaceCollection | undefined,
  options: { signal?: AbortSignal; onProgress?: (progress: { done: number; total: number }) => void } = {},
): Promise<{ faces: number; failed: number; cancelled: boolean }> {
  const { signal, onProgress } = options;
  const photos = [...pending];
  let faces = 0;
  let failed = 0;
  if (photos.length === 0 || !engine.attributesOf) return { faces, failed, cancelled: false };
  for (let start = 0; start < photos.length; start += PHOTOS_PER_STEP) {
    if (signal?.aborted) return { faces, failed, cancelled: true };
    const slice = photos.slice(start, start + PHOTOS_PER_STEP);
    const result = await engine.attributesOf(slice.map(([, p]) => ({ source: p.source, boxes: p.faces.map((f) => f.box) })), {
      ...(signal ? { signal } : {}),
      onProgress: (p) => onProgress?.({ done: start + p.done, total: photos.length }),
    });
    const found = new Map<string, FaceAttributes>();
    result.outcomes.forEach((outcome, i) => {
      const [hash, entry] = slice[i]!;
      if (outcome.ok) entry.faces.forEach((f, k) => outcome.attributes[k] && found.set(f.id, outcome.attributes[k]!));
      else failed++;
      pending.delete(hash);
    });
    // Not given the signal: attributes that were found are kept even when Cancel comes during the write.
    await store.setFaceAttributes(found);
    for (const [id, attributes] of found) if (collection?.setAttributes(id, attributes)) faces++;
    if (result.cancelled) return { faces, failed, cancelled: true };
  }
  return { faces, failed, cancelled: false };
}

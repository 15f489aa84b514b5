/**
 * The map of every face of a collection: read from the map cache (src/store/map-cache.ts) when it was made for
 * exactly these faces; when faces were added since, the new ones are placed among their nearest mapped
 * neighbours (placePoints) as long as they are at most {@link FaceMapOptions.recomputeShare} of the faces
 * projected last time, else the whole map is computed again with UMAP. Faces removed since are dropped from the
 * map. The result is stored back, so the next visit reads it.
 */
import { PROJECTION_METHOD, type ProjectionProgress, type ProjectionRunner } from '../analysis/projection/index.ts';
import { throwIfAborted } from '../errors.ts';
import { MapCache, hashFaceIds, type CachedMap } from '../store/map-cache.ts';
import type { FaceCollection } from './collection.ts';

/** How the map shown came about. */
export type FaceMapSource = 'cached' | 'placed' | 'computed';

/** Where each face sits on the map. */
export interface FaceMap {
  /** Face ids in map order. */
  ids: string[];
  /** ids.length × 2 positions, row-major. */
  points: Float32Array;
  /** Read as stored, new faces placed on the stored map, or computed afresh. */
  source: FaceMapSource;
  /** Faces of the last full projection (the others were placed). */
  projected: number;
  method: string;
}

/** Options for {@link faceMap}. */
export interface FaceMapOptions {
  /** Computes the projection: workerProjection(url) in the page, inlineProjection() in Node. */
  runner: ProjectionRunner;
  /** Place new faces while they are at most this share of the faces last projected (default 0.2); else recompute. */
  recomputeShare?: number;
  /** Recompute even when the cache could be used. */
  recompute?: boolean;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ProjectionProgress) => void;
}

/** The rows of `ids` in the collection, as one matrix. */
function vectorsOf(collection: FaceCollection, ids: readonly string[]): Float32Array {
  return collection.matrix(ids).vectors;
}

/** What to do with the cached map: use it, extend it, or nothing usable. */
function plan(cached: CachedMap | undefined, present: ReadonlySet<string>, total: number, share: number): { kept: string[]; keptPoints: Float32Array } | undefined {
  if (!cached || cached.method !== PROJECTION_METHOD) return undefined;
  const keep: number[] = [];
  cached.faceIds.forEach((id, i) => { if (present.has(id)) keep.push(i); });
  const added = total - keep.length;
  if (keep.length < 4 || added > share * cached.projected || cached.faceIds.length - keep.length > share * cached.projected) return undefined;
  const keptPoints = new Float32Array(keep.length * 2);
  keep.forEach((i, r) => keptPoints.set(cached.points.subarray(i * 2, i * 2 + 2), r * 2));
  return { kept: keep.map((i) => cached.faceIds[i] as string), keptPoints };
}

/**
 * The map of every face in `collection` (of the database `database`), cached, extended or computed.
 * @throws AbortError when `signal` aborts; StorageError when IndexedDB is unavailable; what the runner throws.
 */
export async function faceMap(database: string, collection: FaceCollection, options: FaceMapOptions): Promise<FaceMap> {
  const { runner, signal } = options;
  const ids = collection.faces.map((f) => f.id);
  const d = collection.dimension;
  const cache = await MapCache.open(database);
  try {
    const cached = options.recompute ? undefined : await cache.latest(collection.modelId);
    throwIfAborted(signal);
    const idsHash = await hashFaceIds(ids);
    if (cached && cached.method === PROJECTION_METHOD && cached.faceIds.length === ids.length) {
      const present = new Set(cached.faceIds);
      if (ids.every((id) => present.has(id))) {
        return { ids: cached.faceIds, points: cached.points, source: 'cached', projected: cached.projected, method: cached.method };
      }
    }
    const present = new Set(ids);
    const extend = plan(cached, present, ids.length, options.recomputeShare ?? 0.2);
    let map: FaceMap;
    if (extend) {
      const known = new Set(extend.kept);
      const added = ids.filter((id) => !known.has(id));
      const placed = added.length
        ? await runner.place(vectorsOf(collection, extend.kept), extend.keptPoints, vectorsOf(collection, added), d, signal ? { signal } : {})
        : new Float32Array(0);
      const points = new Float32Array((extend.kept.length + added.length) * 2);
      points.set(extend.keptPoints);
      points.set(placed, extend.keptPoints.length);
      map = { ids: [...extend.kept, ...added], points, source: 'placed', projected: cached?.projected ?? extend.kept.length, method: PROJECTION_METHOD };
    } else {
      const points = await runner.project(collection.vectors.slice(), d, {
        seed: options.seed ?? 0,
        ...(signal ? { signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      map = { ids, points, source: 'computed', projected: ids.length, method: PROJECTION_METHOD };
    }
    throwIfAborted(signal);
    await cache.save({
      modelId: collection.modelId,
      idsHash: map.ids === ids ? idsHash : await hashFaceIds(map.ids),
      faceIds: map.ids,
      points: map.points,
      method: map.method,
      projected: map.projected,
      savedAt: Date.now(),
    });
    return map;
  } finally {
    cache.close();
  }
}

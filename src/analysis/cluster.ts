/**
 * Clustering and views of a set of embeddings, on the kernel: k-means with k given or chosen by the
 * silhouette over a range (with the curve), PCA to 2-D for scatter plots, and each cluster's
 * representatives (members nearest the centroid first) for galleries.
 */
import { InvalidInputError, throwIfAborted } from '../errors.ts';
import type { KMeansResult, Kernel, PcaResult } from '../kernel/types.ts';
import { checkMatrix, selectRows } from './matrix.ts';
import { createRng, sampleIndices } from './rng.ts';

/** Options for {@link cluster}. */
export interface ClusterOptions {
  /** Number of clusters, or 'auto' to choose it by silhouette over `kRange`. Default 'auto'. */
  k?: number | 'auto';
  /** Inclusive range searched when k is 'auto'. Default { min: 2, max: 8 } (capped at n − 1). */
  kRange?: { min: number; max: number };
  /** k-means++ restarts, lowest inertia kept. Default 10. */
  restarts?: number;
  /** Seed of the k-means++ seeding (and of the silhouette sample). Default 0. */
  seed?: number;
  /** Lloyd iteration cap per restart. Default: the kernel's (100). */
  maxIterations?: number;
  /**
   * With k 'auto': a k whose clustering has a cluster smaller than this is never chosen (a handful of
   * odd faces is not a group worth showing). Default max(3, ⌈5 % of n⌉). When no k in the range
   * qualifies, the result is one cluster (k = 1).
   */
  minClusterSize?: number;
  /** Rows whose silhouette is averaged (against all rows) when n is larger. Default 2000. */
  silhouetteSampleSize?: number;
  /** Checked between candidate k values. */
  signal?: AbortSignal;
}

/** One point of the silhouette curve. */
export interface SilhouettePoint {
  k: number;
  /** Mean silhouette coefficient in [−1, 1]. */
  silhouette: number;
  inertia: number;
  /** Whether every cluster of this k had at least `minClusterSize` rows (only such k are chosen). */
  eligible: boolean;
}

/** The chosen clustering. */
export interface ClusterResult extends KMeansResult {
  k: number;
  /** The curve over `kRange` when k was 'auto', else null. */
  silhouetteCurve: SilhouettePoint[] | null;
}

/** The default smallest cluster an automatic k may offer: max(3, ⌈5 % of n⌉). */
export function defaultMinClusterSize(n: number): number {
  return Math.max(3, Math.ceil(0.05 * n));
}

/**
 * k-means (k-means++ seeding, restarts, lowest inertia kept), with k given or chosen as the
 * highest mean silhouette over `kRange` (ties go to the smaller k) among the k whose clusters all
 * have at least `minClusterSize` rows.
 * @param data n × d, row-major.
 * @throws InvalidInputError for a bad shape, k outside [1, n], or an empty range;
 *   an AbortError when `signal` aborts.
 */
export function cluster(kernel: Kernel, data: Float32Array, d: number, options: ClusterOptions = {}): ClusterResult {
  const n = checkMatrix(data, d, 'cluster input');
  const seed = options.seed ?? 0;
  const kmeans = (k: number): KMeansResult => kernel.kmeans(data, d, {
    k, seed, restarts: options.restarts ?? 10,
    ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
  });
  const k = options.k ?? 'auto';
  if (k !== 'auto') {
    if (!Number.isInteger(k) || k < 1 || k > n) throw new InvalidInputError(`k must be an integer in [1, ${n}] (rows) or 'auto', got ${k}`);
    return { ...kmeans(k), k, silhouetteCurve: null };
  }
  const min = options.kRange?.min ?? 2;
  const max = Math.min(options.kRange?.max ?? 8, n - 1);
  if (!Number.isInteger(min) || min < 2 || max < min) {
    throw new InvalidInputError(`choosing k by silhouette needs 2 ≤ min ≤ max ≤ n − 1 = ${n - 1}; got min ${min}, max ${options.kRange?.max ?? 8}`);
  }
  const minSize = options.minClusterSize ?? defaultMinClusterSize(n);
  if (!Number.isInteger(minSize) || minSize < 1) throw new InvalidInputError(`minClusterSize must be a positive integer, got ${minSize}`);
  let best: (KMeansResult & { k: number }) | undefined;
  let bestScore = -Infinity;
  const curve: SilhouettePoint[] = [];
  for (let kk = min; kk <= max; kk++) {
    throwIfAborted(options.signal);
    const result = kmeans(kk);
    const silhouette = silhouetteScore(kernel, data, d, result.labels, { seed, sampleSize: options.silhouetteSampleSize ?? 2000 });
    const eligible = smallestCluster(result.labels, kk) >= minSize;
    curve.push({ k: kk, silhouette, inertia: result.inertia, eligible });
    if (eligible && silhouette > bestScore) {
      bestScore = silhouette;
      best = { ...result, k: kk };
    }
  }
  return { ...(best ?? { ...kmeans(1), k: 1 }), silhouetteCurve: curve };
}

function smallestCluster(labels: ArrayLike<number>, k: number): number {
  const sizes = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) sizes[labels[i] as number]!++;
  return Math.min(...sizes);
}

/** Options for {@link silhouetteScore}. */
export interface SilhouetteOptions {
  /** When n exceeds this, the mean is over a seeded sample of this many rows (each against all rows). Default 2000. */
  sampleSize?: number;
  seed?: number;
}

/**
 * Mean silhouette coefficient (Rousseeuw 1987) with Euclidean distances: for each row,
 * (b − a) / max(a, b) where a is its mean distance to the rest of its cluster and b its smallest
 * mean distance to another cluster; rows alone in their cluster score 0.
 * @param labels cluster per row (non-negative integers), at least two distinct values.
 * @throws InvalidInputError for a bad shape or labels, or fewer than two clusters.
 */
export function silhouetteScore(kernel: Kernel, data: Float32Array, d: number, labels: ArrayLike<number>, options: SilhouetteOptions = {}): number {
  const n = checkMatrix(data, d, 'silhouette input');
  if (labels.length !== n) throw new InvalidInputError(`labels: length ${labels.length}, expected ${n}`);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i] as number;
    if (!Number.isInteger(l) || l < 0) throw new InvalidInputError(`labels[${i}] is ${l}; expected a non-negative integer`);
    k = Math.max(k, l + 1);
  }
  const sizes = new Float64Array(k);
  for (let i = 0; i < n; i++) sizes[labels[i] as number] = (sizes[labels[i] as number] as number) + 1;
  if (sizes.filter((s) => s > 0).length < 2) throw new InvalidInputError('the silhouette needs at least two non-empty clusters');
  const sampleSize = options.sampleSize ?? 2000;
  const rows = n > sampleSize ? sampleIndices(n, sampleSize, createRng(options.seed ?? 0)) : Array.from({ length: n }, (_, i) => i);
  const block = 256;
  let total = 0;
  const sums = new Float64Array(k);
  for (let start = 0; start < rows.length; start += block) {
    const chunk = rows.slice(start, start + block);
    const dist2 = kernel.l2sqPairwise(selectRows(data, d, chunk), data, d);
    chunk.forEach((i, r) => {
      sums.fill(0);
      const offset = r * n;
      for (let j = 0; j < n; j++) {
        const l = labels[j] as number;
        sums[l] = (sums[l] as number) + Math.sqrt(Math.max(0, dist2[offset + j] as number));
      }
      const own = labels[i] as number;
      const ownSize = sizes[own] as number;
      if (ownSize <= 1) return; // a singleton scores 0
      const a = (sums[own] as number) / (ownSize - 1);
      let b = Infinity;
      for (let c = 0; c < k; c++) if (c !== own && (sizes[c] as number) > 0) b = Math.min(b, (sums[c] as number) / (sizes[c] as number));
      const denominator = Math.max(a, b);
      total += denominator > 0 ? (b - a) / denominator : 0;
    });
  }
  return total / rows.length;
}

/** A 2-D view of the data. */
export interface Projection2d {
  /** n × 2, row-major: the coordinates on the first two principal components. */
  points: Float32Array;
  /** Share of the total variance on each axis. */
  explainedVarianceRatio: [number, number];
  /** The fitted basis, to project new faces with `kernel.projectPca`. */
  pca: PcaResult;
}

/**
 * PCA to two dimensions for scatter plots.
 * @throws InvalidInputError for a bad shape or d < 2.
 */
export function projectPca2d(kernel: Kernel, data: Float32Array, d: number): Projection2d {
  checkMatrix(data, d, 'projection input');
  if (d < 2) throw new InvalidInputError(`a 2-D projection needs d ≥ 2, got ${d}`);
  const pca = kernel.pca(data, d, 2);
  const ratio = (i: number): number => (pca.totalVariance > 0 ? (pca.variances[i] as number) / pca.totalVariance : 0);
  return { points: kernel.projectPca(data, d, pca), explainedVarianceRatio: [ratio(0), ratio(1)], pca };
}

/**
 * Members of each cluster ordered by distance to its centroid, nearest first (ties by index).
 * @param labels cluster per row in [0, k). @param centroids k × d.
 * @param perCluster keep at most this many per cluster (default: all).
 * @returns indices into the rows of `data`, one list per cluster (empty for an empty cluster).
 * @throws InvalidInputError for mismatched shapes or labels outside [0, k).
 */
export function representatives(kernel: Kernel, data: Float32Array, d: number, labels: ArrayLike<number>, centroids: Float32Array, perCluster = Infinity): number[][] {
  const n = checkMatrix(data, d, 'representatives input');
  const k = checkMatrix(centroids, d, 'centroids');
  if (labels.length !== n) throw new InvalidInputError(`labels: length ${labels.length}, expected ${n}`);
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) {
    const l = labels[i] as number;
    if (!Number.isInteger(l) || l < 0 || l >= k) throw new InvalidInputError(`labels[${i}] is ${l}; expected an integer in [0, ${k})`);
    (members[l] as number[]).push(i);
  }
  return members.map((list, c) => {
    if (list.length === 0) return [];
    const dist = kernel.l2sqOneToMany(centroids.subarray(c * d, c * d + d), selectRows(data, d, list), d);
    return list
      .map((index, r) => ({ index, distance: dist[r] as number }))
      .sort((a, b) => a.distance - b.distance || a.index - b.index)
      .slice(0, perCluster)
      .map((entry) => entry.index);
  });
}

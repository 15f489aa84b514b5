/**
 * How well a 2-D map keeps each point's neighbours from the high-dimensional space: trustworthiness
 * (Venna & Kaski, 2001: are the points near on the map also near in the embedding?) and k-nearest-neighbour
 * recall (the share of each point's k nearest neighbours in the embedding that are also among its k nearest on
 * the map). Exact distances, computed for every query point against all points: O(queries × n × d), so large
 * sets are scored on a seeded sample of query points (every point still counts as a neighbour).
 */
import { InvalidInputError } from '../../errors.ts';
import { createRng, sampleIndices } from '../rng.ts';

/** Options for {@link neighbourScores}. */
export interface NeighbourScoreOptions {
  /** Neighbours per point (default 15). */
  k?: number;
  /** Score at most this many query points, drawn with {@link seed} (default: all). */
  queries?: number;
  /** Seed of the query sample (default 0). */
  seed?: number;
}

/** What {@link neighbourScores} measured. */
export interface NeighbourScores {
  /** Trustworthiness in [0, 1]: 1 when no point is brought near on the map that is not near in the embedding. */
  trustworthiness: number;
  /** Mean share of the k nearest embedding neighbours that are also k nearest on the map, in [0, 1]. */
  knnRecall: number;
  k: number;
  /** Query points scored. */
  queries: number;
}

/** Squared distances from row `i` to every row of `data` (n × d, row-major) into `out`. */
function distancesFrom(data: ArrayLike<number>, d: number, n: number, i: number, out: Float64Array): void {
  const base = i * d;
  for (let j = 0; j < n; j++) {
    let s = 0;
    const o = j * d;
    for (let t = 0; t < d; t++) {
      const diff = (data[base + t] as number) - (data[o + t] as number);
      s += diff * diff;
    }
    out[j] = s;
  }
}

/**
 * Offers candidate `j` at distance `v` to a list of the nearest so far (`val` ascending, `idx` beside it, both of
 * length k): it goes in at its place when nearer than the last, which drops out.
 */
export function keepNearest(val: Float64Array, idx: Int32Array, v: number, j: number): void {
  const k = val.length;
  if (v >= (val[k - 1] as number)) return;
  let p = k - 1;
  while (p > 0 && (val[p - 1] as number) > v) {
    val[p] = val[p - 1] as number;
    idx[p] = idx[p - 1] as number;
    p--;
  }
  val[p] = v;
  idx[p] = j;
}

/** Indices of the k smallest entries of `dist`, skipping `self`, nearest first (ties by index). */
function nearest(dist: Float64Array, k: number, self: number): Int32Array {
  const idx = new Int32Array(k).fill(-1);
  const val = new Float64Array(k).fill(Infinity);
  for (let j = 0; j < dist.length; j++) {
    if (j === self) continue;
    keepNearest(val, idx, dist[j] as number, j);
  }
  return idx;
}

/**
 * Trustworthiness and kNN recall of the map `low` (n × lowDim) of `high` (n × highDim), both row-major.
 * @throws InvalidInputError when the shapes disagree or k is not in [1, n/2).
 */
export function neighbourScores(
  high: ArrayLike<number>, highDim: number, low: ArrayLike<number>, lowDim: number, options: NeighbourScoreOptions = {},
): NeighbourScores {
  const n = high.length / highDim;
  const k = options.k ?? 15;
  if (!Number.isInteger(n) || low.length !== n * lowDim) {
    throw new InvalidInputError(`neighbourScores: ${high.length} values of ${highDim} dimensions and ${low.length} of ${lowDim} are not the same points`);
  }
  if (!Number.isInteger(k) || k < 1 || 2 * k >= n) {
    throw new InvalidInputError(`neighbourScores: k must be an integer in [1, n/2) for n = ${n}, got ${k}`);
  }
  const m = Math.min(n, options.queries ?? n);
  const picks = m < n ? sampleIndices(n, m, createRng(options.seed ?? 0)) : Array.from({ length: n }, (_, i) => i);
  const highDist = new Float64Array(n);
  const lowDist = new Float64Array(n);
  let penalty = 0;
  let shared = 0;
  for (const i of picks) {
    distancesFrom(high, highDim, n, i, highDist);
    distancesFrom(low, lowDim, n, i, lowDist);
    const highNear = nearest(highDist, k, i);
    const lowNear = nearest(lowDist, k, i);
    const inHigh = new Set(highNear);
    for (const j of lowNear) {
      if (inHigh.has(j)) {
        shared++;
        continue;
      }
      // Rank of j among i's neighbours in the embedding (1 = nearest); it is > k since j is not among the k.
      const dj = highDist[j] as number;
      let rank = 0;
      for (let t = 0; t < n; t++) {
        if (t === i) continue;
        const v = highDist[t] as number;
        if (v < dj || (v === dj && t < j)) rank++;
      }
      penalty += rank + 1 - k;
    }
  }
  const trustworthiness = 1 - (2 / (m * k * (2 * n - 3 * k - 1))) * penalty;
  return { trustworthiness, knnRecall: shared / (m * k), k, queries: m };
}

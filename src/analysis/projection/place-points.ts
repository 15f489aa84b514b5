/**
 * Placing faces added after a map was made, without recomputing it: each new face goes to the weighted mean
 * of the map positions of its k nearest mapped faces in the embedding (the same first guess UMAP's own
 * `transform` starts from), so new faces land among the faces they resemble and the map everyone has learnt
 * does not move. Exact neighbours: O(new × mapped × d).
 */
import { InvalidInputError, throwIfAborted } from '../../errors.ts';
import { keepNearest } from './neighbour-scores.ts';

/** Options for {@link placePoints}. */
export interface PlaceOptions {
  /** Neighbours averaged per new point (default 10). */
  k?: number;
  signal?: AbortSignal;
}

/**
 * Map positions for `added` (m × d) from the mapped vectors `mapped` (n × d) and their positions `points` (n × 2).
 * Weights are 1 / (distance + the nearest distance's tenth), so an exact duplicate lands on its twin.
 * @returns m × 2 positions, row-major.
 * @throws InvalidInputError when shapes disagree or nothing is mapped; AbortError when `signal` aborts.
 */
export function placePoints(mapped: Float32Array, points: Float32Array, added: Float32Array, d: number, options: PlaceOptions = {}): Float32Array {
  const n = mapped.length / d;
  const m = added.length / d;
  if (!Number.isInteger(n) || !Number.isInteger(m) || points.length !== n * 2) {
    throw new InvalidInputError(`placePoints: ${mapped.length} mapped values with ${points.length} positions and ${added.length} new values do not fit ${d} dimensions`);
  }
  if (n === 0) throw new InvalidInputError('placePoints: nothing is mapped yet to place new faces near');
  const k = Math.min(options.k ?? 10, n);
  const out = new Float32Array(m * 2);
  const idx = new Int32Array(k);
  const val = new Float64Array(k);
  for (let i = 0; i < m; i++) {
    if (i % 64 === 0) throwIfAborted(options.signal);
    idx.fill(-1);
    val.fill(Infinity);
    const a = i * d;
    for (let j = 0; j < n; j++) {
      const b = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = (added[a + t] as number) - (mapped[b + t] as number);
        s += diff * diff;
      }
      keepNearest(val, idx, s, j);
    }
    const eps = Math.sqrt(val[0] as number) / 10 + 1e-9;
    let wx = 0;
    let wy = 0;
    let w = 0;
    for (let q = 0; q < k; q++) {
      const j = idx[q] as number;
      const weight = 1 / (Math.sqrt(val[q] as number) + eps);
      wx += weight * (points[j * 2] as number);
      wy += weight * (points[j * 2 + 1] as number);
      w += weight;
    }
    out[i * 2] = wx / w;
    out[i * 2 + 1] = wy / w;
  }
  return out;
}

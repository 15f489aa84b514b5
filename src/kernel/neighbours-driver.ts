/**
 * Approximate k nearest neighbours by an inverted file, shared by both backends; each backend supplies the
 * loops ({@link NeighbourOps}, assembly/umap.ts and src/kernel/umap-reference.ts).
 *
 * Procedure:
 * 1. centroids: k-means (8 Lloyd iterations at most) of a seeded sample of 16 rows per list;
 * 2. each row's `probes` nearest centroids (nearestLists); its nearest one is its list;
 * 3. rows are sorted by list (stable), so each list is contiguous and streams through the cache;
 * 4. each row is compared exactly with every row of its probed lists, keeping the k nearest (searchLists);
 * 5. `refinements` rounds of neighbour-of-neighbour search (NN-descent's local join) mend what the lists missed;
 * 6. indices are mapped back to the caller's row order.
 * With one list (the default up to 4,096 rows) this is the exact search.
 */
import type { Kernel } from './types.ts';
import type { NearestNeighbourOptions, NearestNeighbours } from './umap-types.ts';
import { Rng } from './rng.ts';
import { checkDim, checkFinite, checkInteger, checkMatrix, checkSeed } from './validate.ts';

/** Rows up to which the default is one list, an exact search. */
const EXACT_UP_TO = 4096;
/** Lists each row searches by default. */
const DEFAULT_PROBES = 3;
/** Refinement rounds by default. */
const DEFAULT_REFINEMENTS = 2;
/** Sampled rows per list for the centroids. */
const SAMPLE_PER_LIST = 16;

/** What a backend provides to {@link nearestNeighboursWith}. */
export interface NeighbourOps {
  /** The m nearest of the nc centroids (nc × d) for every row of `data` (n × d): n × m list indices. */
  nearestLists(data: Float32Array, n: number, d: number, centroids: Float32Array, nc: number, m: number): Int32Array;
  /**
   * The k nearest other rows of each row of `sorted` (rows grouped by list: list L is rows starts[L] ..
   * starts[L + 1] − 1), searched in the m lists `probes` (n × m) names per row, then `rounds` rounds of
   * neighbour-of-neighbour refinement. Indices are rows of `sorted`.
   */
  searchLists(
    sorted: Float32Array, n: number, d: number, starts: Int32Array, probes: Int32Array, m: number, k: number, rounds: number,
  ): NearestNeighbours;
}

/** Resolves and checks the options against n rows. @throws InvalidInputError */
function resolve(options: NearestNeighbourOptions, n: number): { k: number; lists: number; probes: number; refinements: number; seed: number } {
  const k = checkInteger('k', options.k, 1, Math.max(1, n - 1));
  if (n < 2) checkInteger('n', n, 2);
  const lists = checkInteger('lists', options.lists ?? (n <= EXACT_UP_TO ? 1 : Math.round(Math.sqrt(n))), 1, n);
  const probes = Math.min(lists, checkInteger('probes', options.probes ?? DEFAULT_PROBES, 1));
  const refinements = probes === lists ? 0 : checkInteger('refinements', options.refinements ?? DEFAULT_REFINEMENTS, 0);
  return { k, lists, probes, refinements, seed: checkSeed(options.seed ?? 0) };
}

/** `count` distinct rows of n drawn with `rng` (a partial Fisher–Yates shuffle), ascending. */
function sampleRows(n: number, count: number, rng: Rng): Int32Array {
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rng.nextFloat() * (n - i));
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
  }
  return all.subarray(0, count).sort();
}

/**
 * UmapKernel.nearestNeighbours with a backend's loops and its k-means.
 * @throws InvalidInputError for a bad matrix, non-finite values, or k, lists, probes or seed out of range.
 */
export function nearestNeighboursWith(
  ops: NeighbourOps, kernel: Pick<Kernel, 'kmeans'>, data: Float32Array, d: number, options: NearestNeighbourOptions,
): NearestNeighbours {
  checkDim(d);
  const n = checkMatrix('data', data, d);
  const { k, lists, probes, refinements, seed } = resolve(options, n);
  checkFinite('data', data, d);
  let probe: Int32Array;
  if (lists === 1) {
    probe = new Int32Array(n);
  } else {
    const picks = sampleRows(n, Math.min(n, lists * SAMPLE_PER_LIST), new Rng(seed));
    const sample = new Float32Array(picks.length * d);
    picks.forEach((row, i) => sample.set(data.subarray(row * d, row * d + d), i * d));
    const { centroids } = kernel.kmeans(sample, d, { k: lists, seed, maxIterations: 8, tolerance: 1e-3 });
    probe = ops.nearestLists(data, n, d, centroids, lists, probes);
  }
  // Counting sort by each row's nearest list.
  const starts = new Int32Array(lists + 1);
  for (let i = 0; i < n; i++) starts[probe[i * probes]! + 1]!++;
  for (let l = 0; l < lists; l++) starts[l + 1]! += starts[l]!;
  const order = new Int32Array(n);
  const fill = starts.slice(0, lists);
  for (let i = 0; i < n; i++) order[fill[probe[i * probes]!]!++] = i;
  const sorted = new Float32Array(n * d);
  const sortedProbes = new Int32Array(n * probes);
  for (let s = 0; s < n; s++) {
    const i = order[s]!;
    sorted.set(data.subarray(i * d, i * d + d), s * d);
    sortedProbes.set(probe.subarray(i * probes, i * probes + probes), s * probes);
  }
  const found = ops.searchLists(sorted, n, d, starts, sortedProbes, probes, k, refinements);
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  for (let s = 0; s < n; s++) {
    const i = order[s]!;
    for (let q = 0; q < k; q++) {
      const j = found.indices[s * k + q]!;
      indices[i * k + q] = j < 0 ? -1 : order[j]!;
      distances[i * k + q] = found.distances[s * k + q]!;
    }
  }
  return { indices, distances, k };
}

/**
 * Grouping faces by person without knowing how many people there are: a graph joins two faces whose
 * embeddings lie closer than a same-person distance threshold, and Chinese whispers (Biemann 2006,
 * the method of dlib's face-clustering example) finds its communities. Edges are weighted by a
 * squared hinge, (1 − distance/threshold)²: a pair near the threshold is where different people's
 * pairs start to appear, so its vote fades smoothly to zero there, while close pairs vote fully.
 * In a large folder most pairs are different people, so even a 1 % false-match rate gives every
 * face dozens of false neighbours; unweighted votes then merge people (see DEFAULT_SAME_PERSON_DISTANCE). Groupings are scored against
 * known identities by pairwise and BCubed (Amigó et al. 2009) precision, recall and F.
 */
import { InvalidInputError, throwIfAborted } from '../errors.ts';
import type { Kernel } from '../kernel/types.ts';
import { contractGraph, type LinkConstraints } from './link-constraints.ts';
import { checkMatrix } from './matrix.ts';
import { createRng, shuffleInPlace } from './rng.ts';

/** dlib's published same-person threshold on its raw 128-D descriptors (99.38 % on LFW). */
export const DLIB_SAME_PERSON_DISTANCE = 0.6;

/**
 * Median Euclidean norm of the raw (not normalised) descriptors of this network: 1.40, with 5th–95th
 * percentiles 1.32–1.53, over 4,684 faces of ../shared/datasets embedded by face-api's own pipeline
 * (the same dlib ResNet weights). Raw descriptors are not unit length, so dlib's threshold needs rescaling.
 */
export const RAW_DESCRIPTOR_MEDIAN_NORM = 1.4;

/**
 * Default same-person threshold: Euclidean distance between L2-normalised embeddings,
 * 0.6 / 1.40 ≈ 0.43. Because raw norms are concentrated, ‖x/‖x‖ − y/‖y‖‖ ≈ ‖x − y‖ / 1.40, so this
 * is dlib's own threshold carried over to unit vectors, not a value fitted to any folder (the
 * threshold belongs to the model; pass `threshold` for another model or pipeline).
 *
 * Measured afterwards on lfw-attributes with face-api's pipeline (a check, not a fit):
 * same-person distances have median 0.31 and 95th percentile 0.39; 1 % of different-person pairs
 * fall below 0.43. With 2,999 faces that 1 % still gives each face ~30 false neighbours, which is
 * why votes are weighted (see the module comment): BCubed F 0.982 at 0.40, 0.973 at this default,
 * 0.962 at 0.45 (unweighted votes: 0.76 at 0.425).
 */
export const DEFAULT_SAME_PERSON_DISTANCE = DLIB_SAME_PERSON_DISTANCE / RAW_DESCRIPTOR_MEDIAN_NORM;

/** Options for {@link groupByIdentity}. */
export interface IdentityOptions {
  /** Faces closer than this (Euclidean, same units as the data) are joined. Default {@link DEFAULT_SAME_PERSON_DISTANCE}. */
  threshold?: number;
  /** Seeds the visiting order and tie-breaks. Default 0. */
  seed?: number;
  /** Sweep cap (each sweep visits every face once). Default 100. */
  maxIterations?: number;
  /**
   * A person's corrections, as row pairs: must-linked rows always end in one group, cannot-linked rows never
   * do (unless a chain of must-links joins them: then the must-link wins). See link-constraints.ts.
   */
  constraints?: LinkConstraints;
  signal?: AbortSignal;
}

/** A grouping of faces into presumed people. */
export interface IdentityGroups {
  /** Group per face; group 0 is the largest, then by size (ties by first member). */
  labels: Int32Array;
  /** Number of groups, singletons included. */
  groups: number;
  /** Sweeps run. */
  iterations: number;
  /** True when a sweep changed no label (false when `maxIterations` ran out). */
  converged: boolean;
  /** Edges of the threshold graph (each pair once). */
  edges: number;
}

/**
 * An undirected graph in compressed adjacency form: the neighbours of v are
 * neighbours[offsets[v] .. offsets[v+1]), with the edge weights at the same positions (all 1 when absent).
 */
export interface AdjacencyGraph {
  offsets: Int32Array;
  neighbours: Int32Array;
  weights?: Float32Array;
}

/** The vote of a pair at `distance` below `threshold`: the squared hinge (1 − distance/threshold)². */
export function edgeWeight(distance: number, threshold: number): number {
  return (1 - distance / threshold) ** 2;
}

/**
 * The threshold graph: an edge between every pair of rows closer than `threshold` (Euclidean),
 * weighted by {@link edgeWeight}.
 * Distances are computed in blocks of rows, so memory stays O(block × n + edges).
 * @throws InvalidInputError for a bad shape or a threshold that is not a positive finite number.
 */
export function thresholdGraph(kernel: Kernel, data: Float32Array, d: number, threshold: number, signal?: AbortSignal): AdjacencyGraph {
  const n = checkMatrix(data, d, 'identity input');
  if (!(threshold > 0) || !Number.isFinite(threshold)) throw new InvalidInputError(`threshold must be a positive finite distance, got ${threshold}`);
  const limit = threshold * threshold;
  const lists: number[][] = Array.from({ length: n }, () => []);
  const weightLists: number[][] = Array.from({ length: n }, () => []);
  const block = 256;
  for (let start = 0; start < n; start += block) {
    throwIfAborted(signal);
    const end = Math.min(n, start + block);
    const dist2 = kernel.l2sqPairwise(data.subarray(start * d, end * d), data, d);
    for (let i = start; i < end; i++) {
      const offset = (i - start) * n;
      // Each pair once (j > i), then mirrored.
      for (let j = i + 1; j < n; j++) {
        const squared = dist2[offset + j] as number;
        if (squared < limit) {
          const w = edgeWeight(Math.sqrt(Math.max(0, squared)), threshold);
          (lists[i] as number[]).push(j);
          (lists[j] as number[]).push(i);
          (weightLists[i] as number[]).push(w);
          (weightLists[j] as number[]).push(w);
        }
      }
    }
  }
  const offsets = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) offsets[v + 1] = (offsets[v] as number) + (lists[v] as number[]).length;
  const neighbours = new Int32Array(offsets[n] as number);
  const weights = new Float32Array(offsets[n] as number);
  lists.forEach((list, v) => neighbours.set(list, offsets[v] as number));
  weightLists.forEach((list, v) => weights.set(list, offsets[v] as number));
  return { offsets, neighbours, weights };
}

/**
 * Chinese whispers: every node starts in its own class; in each sweep (random order) a node takes
 * the class with the largest total edge weight among its neighbours (ties broken at random); stops
 * when a sweep changes nothing. Isolated nodes stay alone. With `cannot` (cannot-linked nodes of each node, in
 * the graph's compressed form) a node never takes a class that holds one of its cannot-linked nodes; as
 * every node starts alone and only one node moves at a time, no class ever holds a cannot-linked pair.
 * `selfWeights` (per node) is a vote for the node's own class: the edges inside a node that stands for several
 * faces (see link-constraints.ts).
 * @returns raw class per node (not renumbered), sweeps run, and whether it converged.
 */
export function chineseWhispers(
  graph: AdjacencyGraph, seed = 0, maxIterations = 100, cannot?: { offsets: Int32Array; neighbours: Int32Array }, selfWeights?: Float64Array,
): { labels: Int32Array; iterations: number; converged: boolean } {
  const n = graph.offsets.length - 1;
  const labels = Int32Array.from({ length: n }, (_, i) => i);
  const order = Array.from({ length: n }, (_, i) => i);
  const rng = createRng(seed);
  const weight = new Float64Array(n);
  const seen = new Uint8Array(n);
  const touched: number[] = [];
  const barred = new Uint8Array(cannot ? n : 0);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    let changed = 0;
    for (const v of shuffleInPlace(order, rng)) {
      const from = graph.offsets[v] as number;
      const to = graph.offsets[v + 1] as number;
      if (from === to) continue;
      const own = selfWeights ? (selfWeights[v] as number) : 0;
      if (own > 0) {
        const l = labels[v] as number;
        seen[l] = 1;
        touched.push(l);
        weight[l] = own;
      }
      for (let e = from; e < to; e++) {
        const l = labels[graph.neighbours[e] as number] as number;
        if (!seen[l]) {
          seen[l] = 1;
          touched.push(l);
        }
        weight[l] = (weight[l] as number) + (graph.weights ? (graph.weights[e] as number) : 1);
      }
      const from2 = cannot ? (cannot.offsets[v] as number) : 0;
      const to2 = cannot ? (cannot.offsets[v + 1] as number) : 0;
      for (let e = from2; e < to2; e++) barred[labels[(cannot as { neighbours: Int32Array }).neighbours[e] as number] as number] = 1;
      let best = labels[v] as number;
      let bestWeight = -Infinity;
      let ties = 0;
      for (const l of touched) {
        if (barred.length && barred[l]) continue;
        const w = weight[l] as number;
        if (w > bestWeight) {
          bestWeight = w;
          best = l;
          ties = 1;
        } else if (w === bestWeight) {
          // Reservoir choice: each tied class is kept with equal probability.
          ties++;
          if (rng.int(ties) === 0) best = l;
        }
      }
      for (const l of touched) {
        weight[l] = 0;
        seen[l] = 0;
      }
      for (let e = from2; e < to2; e++) barred[labels[(cannot as { neighbours: Int32Array }).neighbours[e] as number] as number] = 0;
      touched.length = 0;
      if (best !== labels[v]) {
        labels[v] = best;
        changed++;
      }
    }
    if (changed === 0) {
      converged = true;
      break;
    }
  }
  return { labels, iterations, converged };
}

/** Renumbers groups 0.. by decreasing size, ties by first member. */
function renumberBySize(raw: Int32Array): { labels: Int32Array; groups: number } {
  const members = new Map<number, { size: number; first: number }>();
  raw.forEach((l, i) => {
    const entry = members.get(l);
    if (entry) entry.size++;
    else members.set(l, { size: 1, first: i });
  });
  const order = [...members.entries()].sort((a, b) => b[1].size - a[1].size || a[1].first - b[1].first);
  const map = new Map(order.map(([l], index) => [l, index]));
  return { labels: raw.map((l) => map.get(l) as number), groups: order.length };
}

/**
 * Groups faces into people: threshold graph + Chinese whispers.
 * @param data n × d embeddings (L2-normalised for the default threshold to apply).
 * @throws InvalidInputError for a bad shape or threshold; an AbortError when `signal` aborts.
 */
export function groupByIdentity(kernel: Kernel, data: Float32Array, d: number, options: IdentityOptions = {}): IdentityGroups {
  const graph = thresholdGraph(kernel, data, d, options.threshold ?? DEFAULT_SAME_PERSON_DISTANCE, options.signal);
  throwIfAborted(options.signal);
  const edges = graph.neighbours.length / 2;
  const { constraints } = options;
  if (!constraints || (!constraints.mustLink?.length && !constraints.cannotLink?.length)) {
    const { labels, iterations, converged } = chineseWhispers(graph, options.seed ?? 0, options.maxIterations ?? 100);
    return { ...renumberBySize(labels), iterations, converged, edges };
  }
  const contracted = contractGraph(graph, constraints);
  const result = chineseWhispers(contracted.graph, options.seed ?? 0, options.maxIterations ?? 100, contracted.cannot, contracted.selfWeights);
  const labels = contracted.nodeOf.map((node) => result.labels[node] as number);
  return { ...renumberBySize(labels), iterations: result.iterations, converged: result.converged, edges };
}

/** Precision, recall and their harmonic mean, each in [0, 1]. */
export interface PrecisionRecall {
  precision: number;
  recall: number;
  f: number;
}

/** One cell of the truth × predicted table: its count and the sizes of its row and column. */
interface Cell {
  count: number;
  truthSize: number;
  predictedSize: number;
}

/** The non-empty cells of truth × predicted, with the row (truth) and column (predicted) sizes. */
function cells(truth: ArrayLike<string | number>, predicted: ArrayLike<string | number>): { cells: Cell[]; rows: Map<string | number, number>; cols: Map<string | number, number> } {
  if (truth.length !== predicted.length) throw new InvalidInputError(`truth (${truth.length}) and predicted (${predicted.length}) must have the same length`);
  if (truth.length === 0) throw new InvalidInputError('cannot score an empty grouping (0 items)');
  const joint = new Map<string | number, Map<string | number, number>>();
  const rows = new Map<string | number, number>();
  const cols = new Map<string | number, number>();
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] as string | number;
    const p = predicted[i] as string | number;
    let row = joint.get(t);
    if (!row) joint.set(t, (row = new Map()));
    row.set(p, (row.get(p) ?? 0) + 1);
    rows.set(t, (rows.get(t) ?? 0) + 1);
    cols.set(p, (cols.get(p) ?? 0) + 1);
  }
  const list: Cell[] = [];
  for (const [t, row] of joint) {
    for (const [p, count] of row) list.push({ count, truthSize: rows.get(t) as number, predictedSize: cols.get(p) as number });
  }
  return { cells: list, rows, cols };
}

const harmonic = (p: number, r: number): number => (p + r > 0 ? (2 * p * r) / (p + r) : 0);
const pairCount = (x: number): number => (x * (x - 1)) / 2;

/**
 * Pairwise scores: precision = pairs grouped together that are the same person / pairs grouped
 * together; recall = same-person pairs grouped together / same-person pairs. A vacuous ratio
 * (no pairs in its denominator) is 1.
 * @param truth known identity per face; @param predicted group per face.
 * @throws InvalidInputError for unequal lengths or no items.
 */
export function pairwiseScores(truth: ArrayLike<string | number>, predicted: ArrayLike<string | number>): PrecisionRecall {
  const { cells: list, rows, cols } = cells(truth, predicted);
  const together = list.reduce((a, c) => a + pairCount(c.count), 0);
  const predictedPairs = [...cols.values()].reduce((a, s) => a + pairCount(s), 0);
  const truePairs = [...rows.values()].reduce((a, s) => a + pairCount(s), 0);
  const precision = predictedPairs > 0 ? together / predictedPairs : 1;
  const recall = truePairs > 0 ? together / truePairs : 1;
  return { precision, recall, f: harmonic(precision, recall) };
}

/**
 * BCubed scores: per face, precision = share of its group that is its person, recall = share of its
 * person that is in its group; each averaged over faces, F their harmonic mean.
 * @throws InvalidInputError for unequal lengths or no items.
 */
export function bcubedScores(truth: ArrayLike<string | number>, predicted: ArrayLike<string | number>): PrecisionRecall {
  const { cells: list } = cells(truth, predicted);
  const n = truth.length;
  let precision = 0;
  let recall = 0;
  // Every face in a cell has the same per-face ratios, so each cell contributes count × ratio.
  for (const c of list) {
    precision += (c.count * c.count) / c.predictedSize;
    recall += (c.count * c.count) / c.truthSize;
  }
  precision /= n;
  recall /= n;
  return { precision, recall, f: harmonic(precision, recall) };
}

/** The identity_grouping experiment's result (issue 6), in the JSON's snake_case. */
export interface IdentityGroupingResult {
  name: 'identity_grouping';
  /** Faces grouped. */
  faces: number;
  /** Distinct known identities among them. */
  people: number;
  /** Groups found. */
  groups: number;
  /** The distance threshold used. */
  threshold: number;
  bcubed: PrecisionRecall;
  pairwise: PrecisionRecall;
  /** Issue 6's target for BCubed F. */
  target_bcubed_f: number;
  converged: boolean;
}

/**
 * Groups faces by person without labels and scores the grouping against the known identities.
 * @param persons known identity per row. @param options as {@link groupByIdentity}.
 * @throws InvalidInputError for a bad shape, a persons list of the wrong length, or a bad threshold;
 *   an AbortError when `options.signal` aborts.
 */
export function runIdentityGrouping(kernel: Kernel, data: Float32Array, d: number, persons: ArrayLike<string>, options: IdentityOptions = {}): IdentityGroupingResult {
  const n = checkMatrix(data, d, 'identity input');
  if (persons.length !== n) throw new InvalidInputError(`persons: length ${persons.length}, expected one per row (${n})`);
  const threshold = options.threshold ?? DEFAULT_SAME_PERSON_DISTANCE;
  const grouping = groupByIdentity(kernel, data, d, { ...options, threshold });
  return {
    name: 'identity_grouping',
    faces: n,
    people: new Set(Array.from(persons)).size,
    groups: grouping.groups,
    threshold,
    bcubed: bcubedScores(persons, grouping.labels),
    pairwise: pairwiseScores(persons, grouping.labels),
    target_bcubed_f: 0.95,
    converged: grouping.converged,
  };
}

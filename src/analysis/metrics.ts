/**
 * Scores of a clustering against known classes: the confusion matrix, accuracy under the best
 * one-to-one cluster↔class matching (Hungarian algorithm), its chance level by shuffled labels,
 * normalised mutual information and the adjusted Rand index. Labels are non-negative integers
 * (any array-like); classes and clusters need not use the same ids or counts.
 */
import { InvalidInputError } from '../errors.ts';
import { createRng, shuffleInPlace } from './rng.ts';

/** Rows = classes, columns = clusters, each in increasing id order. */
export interface ConfusionMatrix {
  /** Distinct class ids present, increasing. */
  classIds: number[];
  /** Distinct cluster ids present, increasing. */
  clusterIds: number[];
  /** counts[i][j] = items of class classIds[i] in cluster clusterIds[j]. */
  counts: number[][];
}

/** Checks two label arrays of equal, non-zero length holding non-negative integers. */
function checkLabels(classes: ArrayLike<number>, clusters: ArrayLike<number>): void {
  if (classes.length !== clusters.length) {
    throw new InvalidInputError(`classes (${classes.length}) and clusters (${clusters.length}) must have the same length`);
  }
  if (classes.length === 0) throw new InvalidInputError('cannot score an empty labelling (0 items)');
  for (const [name, labels] of [['classes', classes], ['clusters', clusters]] as const) {
    for (let i = 0; i < labels.length; i++) {
      const v = labels[i] as number;
      if (!Number.isInteger(v) || v < 0) throw new InvalidInputError(`${name}[${i}] is ${v}; labels must be non-negative integers`);
    }
  }
}

/**
 * The confusion (contingency) matrix of classes against clusters.
 * @throws InvalidInputError for unequal lengths, no items, or labels that are not non-negative integers.
 */
export function confusionMatrix(classes: ArrayLike<number>, clusters: ArrayLike<number>): ConfusionMatrix {
  checkLabels(classes, clusters);
  const classIds = [...new Set(Array.from(classes))].sort((a, b) => a - b);
  const clusterIds = [...new Set(Array.from(clusters))].sort((a, b) => a - b);
  const row = new Map(classIds.map((id, i) => [id, i]));
  const col = new Map(clusterIds.map((id, j) => [id, j]));
  const counts = classIds.map(() => new Array<number>(clusterIds.length).fill(0));
  for (let i = 0; i < classes.length; i++) {
    const r = counts[row.get(classes[i] as number) as number] as number[];
    const j = col.get(clusters[i] as number) as number;
    r[j] = (r[j] as number) + 1;
  }
  return { classIds, clusterIds, counts };
}

/**
 * Minimum-cost assignment of rows to columns (Hungarian algorithm with potentials, O(r²c)).
 * @param cost r × c matrix with r ≤ c, finite entries.
 * @returns for each row, its column (distinct columns).
 * @throws InvalidInputError when r > c, rows differ in length, or an entry is not finite.
 */
export function linearAssignment(cost: readonly (readonly number[])[]): number[] {
  const r = cost.length;
  const c = cost[0]?.length ?? 0;
  if (r === 0) return [];
  if (r > c) throw new InvalidInputError(`linearAssignment needs rows ≤ columns, got ${r} × ${c} (transpose it)`);
  for (const [i, rowValues] of cost.entries()) {
    if (rowValues.length !== c) throw new InvalidInputError(`cost row ${i} has ${rowValues.length} entries, expected ${c}`);
    if (!rowValues.every(Number.isFinite)) throw new InvalidInputError(`cost row ${i} has a non-finite entry`);
  }
  // 1-based arrays; column 0 is the virtual start of each augmenting path.
  const u = new Float64Array(r + 1);
  const v = new Float64Array(c + 1);
  const owner = new Int32Array(c + 1); // owner[j] = row matched to column j (0 = free)
  const way = new Int32Array(c + 1);
  for (let i = 1; i <= r; i++) {
    owner[0] = i;
    let j0 = 0;
    const minv = new Float64Array(c + 1).fill(Infinity);
    const used = new Uint8Array(c + 1);
    do {
      used[j0] = 1;
      const i0 = owner[j0] as number;
      const costRow = cost[i0 - 1] as readonly number[];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= c; j++) {
        if (used[j]) continue;
        const reduced = (costRow[j - 1] as number) - (u[i0] as number) - (v[j] as number);
        if (reduced < (minv[j] as number)) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if ((minv[j] as number) < delta) {
          delta = minv[j] as number;
          j1 = j;
        }
      }
      for (let j = 0; j <= c; j++) {
        if (used[j]) {
          u[owner[j] as number] = (u[owner[j] as number] as number) + delta;
          v[j] = (v[j] as number) - delta;
        } else {
          minv[j] = (minv[j] as number) - delta;
        }
      }
      j0 = j1;
    } while (owner[j0] !== 0);
    do {
      const j1 = way[j0] as number;
      owner[j0] = owner[j1] as number;
      j0 = j1;
    } while (j0 !== 0);
  }
  const assignment = new Array<number>(r).fill(-1);
  for (let j = 1; j <= c; j++) if ((owner[j] as number) > 0) assignment[(owner[j] as number) - 1] = j - 1;
  return assignment;
}

/** Accuracy and the cluster → class mapping that achieves it. */
export interface MatchedAccuracy {
  /** Fraction of items whose cluster maps to their class, in [0, 1]. */
  accuracy: number;
  /** Cluster id → class id; clusters left unmatched (more clusters than classes) are absent. */
  mapping: Map<number, number>;
}

/**
 * Accuracy under the best one-to-one matching of clusters to classes (Hungarian on the confusion
 * matrix; for two classes and two clusters this equals max(a, 1 − a)). Items in clusters left
 * without a class count as wrong.
 * @throws InvalidInputError as {@link confusionMatrix}.
 */
export function matchedAccuracy(classes: ArrayLike<number>, clusters: ArrayLike<number>): MatchedAccuracy {
  const { classIds, clusterIds, counts } = confusionMatrix(classes, clusters);
  const transpose = classIds.length > clusterIds.length;
  // Maximising matched counts = minimising their negation.
  const cost = transpose
    ? clusterIds.map((_, j) => classIds.map((_, i) => -(counts[i]?.[j] as number)))
    : classIds.map((_, i) => clusterIds.map((_, j) => -(counts[i]?.[j] as number)));
  const assignment = linearAssignment(cost);
  const mapping = new Map<number, number>();
  let matched = 0;
  assignment.forEach((col, row) => {
    const [ci, kj] = transpose ? [col, row] : [row, col];
    mapping.set(clusterIds[kj] as number, classIds[ci] as number);
    matched += counts[ci]?.[kj] as number;
  });
  return { accuracy: matched / classes.length, mapping };
}

/** {@link matchedAccuracy}'s accuracy alone. */
export function clusterAccuracy(classes: ArrayLike<number>, clusters: ArrayLike<number>): number {
  return matchedAccuracy(classes, clusters).accuracy;
}

/**
 * Chance level: the matched accuracy of the same clusters against the same labels randomly
 * permuted, averaged over `shuffles` permutations (PROTOCOL.md uses one per run).
 * @param seed seeds the permutations.
 * @throws InvalidInputError as {@link confusionMatrix}, or for shuffles < 1.
 */
export function chanceAccuracy(classes: ArrayLike<number>, clusters: ArrayLike<number>, seed: number, shuffles = 1): number {
  if (!Number.isInteger(shuffles) || shuffles < 1) throw new InvalidInputError(`shuffles must be a positive integer, got ${shuffles}`);
  checkLabels(classes, clusters);
  const rng = createRng(seed);
  const permuted = Array.from(classes);
  let total = 0;
  for (let s = 0; s < shuffles; s++) total += clusterAccuracy(shuffleInPlace(permuted, rng), clusters);
  return total / shuffles;
}

/** Sum of x·ln(x) style terms with 0·ln 0 = 0. */
function entropyOf(counts: readonly number[], n: number): number {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
}

/**
 * Normalised mutual information with the arithmetic-mean normaliser, MI / ((H(classes) + H(clusters)) / 2),
 * as scikit-learn's default. Both labellings with a single group score 1; otherwise MI = 0 scores 0.
 * @throws InvalidInputError as {@link confusionMatrix}.
 */
export function normalizedMutualInfo(classes: ArrayLike<number>, clusters: ArrayLike<number>): number {
  const { counts } = confusionMatrix(classes, clusters);
  const n = classes.length;
  const rowSums = counts.map((row) => row.reduce((a, b) => a + b, 0));
  const colSums = (counts[0] ?? []).map((_, j) => counts.reduce((a, row) => a + (row[j] as number), 0));
  if (rowSums.length === 1 && colSums.length === 1) return 1;
  let mi = 0;
  counts.forEach((row, i) => row.forEach((nij, j) => {
    if (nij > 0) mi += (nij / n) * Math.log((n * nij) / ((rowSums[i] as number) * (colSums[j] as number)));
  }));
  if (mi <= 0) return 0;
  const normaliser = (entropyOf(rowSums, n) + entropyOf(colSums, n)) / 2;
  return Math.min(1, mi / normaliser);
}

const pairs = (x: number): number => (x * (x - 1)) / 2;

/**
 * Adjusted Rand index (Hubert & Arabie): 1 for identical partitions, about 0 for independent ones,
 * negative below chance. When both partitions are trivial in the same way (all in one group, or all
 * singletons) the index is defined as 1, as scikit-learn does.
 * @throws InvalidInputError as {@link confusionMatrix}.
 */
export function adjustedRandIndex(classes: ArrayLike<number>, clusters: ArrayLike<number>): number {
  const { counts } = confusionMatrix(classes, clusters);
  const n = classes.length;
  // A single item: both partitions are the same trivial one.
  if (n < 2) return 1;
  let sumCells = 0;
  for (const row of counts) for (const nij of row) sumCells += pairs(nij);
  const sumRows = counts.reduce((a, row) => a + pairs(row.reduce((x, y) => x + y, 0)), 0);
  const sumCols = (counts[0] ?? []).reduce((a, _, j) => a + pairs(counts.reduce((x, row) => x + (row[j] as number), 0)), 0);
  const expected = (sumRows * sumCols) / pairs(n);
  const max = (sumRows + sumCols) / 2;
  if (max === expected) return 1;
  return (sumCells - expected) / (max - expected);
}

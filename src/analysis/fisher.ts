/**
 * Feature importance: the Fisher score of each dimension and PROTOCOL.md's split-half top-m curve.
 * Ranking and measuring on the same images would flatter the top dimensions (selection bias), so
 * the dimensions are ranked on one stratified half and k-means is scored on the other; the same
 * curve with the first half's labels shuffled shows what selection alone buys.
 */
import { InvalidInputError } from '../errors.ts';
import type { Kernel } from '../kernel/types.ts';
import { checkBinaryClasses, checkMatrix, pick, selectColumns, selectRows } from './matrix.ts';
import { clusterAccuracy } from './metrics.ts';
import { stratifiedFolds } from './probe.ts';
import { createRng, deriveSeed, shuffleInPlace } from './rng.ts';

/**
 * Fisher score per dimension: between-class over within-class variance,
 * F_j = Σ_c n_c (μ_cj − μ_j)² / Σ_c n_c σ²_cj (σ² the population variance within class c).
 * A dimension with no within-class spread scores +∞ when the class means differ, else 0.
 * @param classes per row, non-negative integers (two or more distinct values for a useful score).
 * @returns length d.
 * @throws InvalidInputError for a bad shape or labels.
 */
export function fisherScores(data: Float32Array, d: number, classes: ArrayLike<number>): Float64Array {
  const n = checkMatrix(data, d, 'Fisher input');
  if (classes.length !== n) throw new InvalidInputError(`classes: length ${classes.length}, expected ${n}`);
  const ids = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const c = classes[i] as number;
    if (!Number.isInteger(c) || c < 0) throw new InvalidInputError(`classes[${i}] is ${c}; expected a non-negative integer`);
    if (!ids.has(c)) ids.set(c, ids.size);
  }
  const k = ids.size;
  const counts = new Float64Array(k);
  const sums = new Float64Array(k * d);
  const squares = new Float64Array(k * d);
  for (let i = 0; i < n; i++) {
    const c = ids.get(classes[i] as number) as number;
    counts[c] = (counts[c] as number) + 1;
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j] as number;
      sums[c * d + j] = (sums[c * d + j] as number) + v;
      squares[c * d + j] = (squares[c * d + j] as number) + v * v;
    }
  }
  const scores = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let total = 0;
    for (let c = 0; c < k; c++) total += sums[c * d + j] as number;
    const mean = total / n;
    let between = 0;
    let within = 0;
    for (let c = 0; c < k; c++) {
      const nc = counts[c] as number;
      const mc = (sums[c * d + j] as number) / nc;
      between += nc * (mc - mean) ** 2;
      // n_c σ²_c = Σ x² − n_c μ_c², clamped against rounding below zero.
      within += Math.max(0, (squares[c * d + j] as number) - nc * mc * mc);
    }
    scores[j] = within > 0 ? between / within : between > 0 ? Infinity : 0;
  }
  return scores;
}

/** Dimensions by decreasing score (ties by lower index). */
export function rankDimensions(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, j) => j).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
}

/** 1, 2, 4, … below d, then d itself: PROTOCOL.md's m values (1 … 128 for d = 128). */
export function topMValues(d: number): number[] {
  const ms: number[] = [];
  for (let m = 1; m < d; m *= 2) ms.push(m);
  ms.push(d);
  return ms;
}

/** Options for {@link splitHalfFisherCurve}. */
export interface FisherCurveOptions {
  /** Seeds the split, the label shuffle and k-means. Default 0. */
  seed?: number;
  /** m values (each in [1, d]). Default {@link topMValues}(d). */
  ms?: readonly number[];
  /** k-means++ restarts per fit. Default 10. */
  restarts?: number;
}

/** A split-half curve: k-means accuracy on the second half using only the top m dimensions. */
export interface FisherCurve {
  /** m (as a string key) → accuracy, dimensions ranked with the true labels of the first half. */
  topM: Record<string, number>;
  /** Same, ranked with the first half's labels shuffled (the selection-bias baseline). */
  shuffled: Record<string, number>;
  /** The first half's ranking with true labels (dimension indices, best first). */
  ranking: number[];
}

/**
 * PROTOCOL.md's feature-importance curve: a stratified split in two halves (by the seed), dimensions
 * ranked by Fisher score on the first half, k-means (k = 2) accuracy on the second half restricted
 * to the top m dimensions, for each m; and the same with the first half's labels shuffled.
 * @param classes 0/1 per row; each class needs at least 2 rows (one per half).
 * @throws InvalidInputError for a bad shape, labels, m values, or too few rows.
 */
export function splitHalfFisherCurve(kernel: Kernel, data: Float32Array, d: number, classes: ArrayLike<number>, options: FisherCurveOptions = {}): FisherCurve {
  const n = checkMatrix(data, d, 'Fisher curve input');
  const counts = checkBinaryClasses(classes, n);
  if (Math.min(...counts) < 2) throw new InvalidInputError(`the split-half curve needs at least 2 rows per class, got ${counts[0]} and ${counts[1]}`);
  const ms = options.ms ?? topMValues(d);
  for (const m of ms) if (!Number.isInteger(m) || m < 1 || m > d) throw new InvalidInputError(`m = ${m} is outside [1, ${d}]`);
  const seed = options.seed ?? 0;
  const halves = stratifiedFolds(classes, 2, deriveSeed(seed, 'fisher-split'));
  const first: number[] = [];
  const second: number[] = [];
  for (let i = 0; i < n; i++) (halves[i] === 0 ? first : second).push(i);
  const firstX = selectRows(data, d, first);
  const firstY = pick(classes, first);
  const secondX = selectRows(data, d, second);
  const secondY = pick(classes, second);
  const kmeansSeed = deriveSeed(seed, 'fisher-kmeans');
  const restarts = options.restarts ?? 10;
  const curve = (ranking: number[]): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const m of ms) {
      const columns = selectColumns(secondX, d, ranking.slice(0, m));
      const { labels } = kernel.kmeans(columns, m, { k: 2, seed: kmeansSeed, restarts });
      out[String(m)] = clusterAccuracy(secondY, labels);
    }
    return out;
  };
  const ranking = rankDimensions(fisherScores(firstX, d, firstY));
  const shuffledY = shuffleInPlace([...firstY], createRng(deriveSeed(seed, 'fisher-shuffle')));
  const shuffledRanking = rankDimensions(fisherScores(firstX, d, shuffledY));
  return { topM: curve(ranking), shuffled: curve(shuffledRanking), ranking };
}

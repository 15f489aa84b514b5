/**
 * Candidate two-way splits of a view's points, each as a recipe that can be fitted on any rows (the
 * whole view or a bootstrap resample) and then labels every point of the view, so fits on different
 * resamples can be compared on the same points:
 * - two-way k-means (k-means++, restarts, lowest inertia): the largest-variance split;
 * - the project's own method (ours.ts): the most bimodal of the top two principal directions;
 * - the leading principal directions, each cut at its exact 1-D two-means threshold;
 * - k by silhouette (3 ≤ k ≤ 6, no cluster smaller than max(3, 5 % of the points)), each cluster
 *   against the rest;
 * - with measurements, the embedding's own direction for each one (guided.ts), cross-fitted.
 * Every rule here is linear or nearest-centroid, so extending a fit to all points is exact.
 */
import type { Kernel, PcaResult } from '../../kernel/types.ts';
import { silhouetteScore } from '../cluster.ts';
import { selectRows } from '../matrix.ts';
import { oursSplit, twoMeans1d } from '../ours.ts';
import { type Guide, guidedLabellings } from './guided.ts';

/** How a candidate was found. */
export type SplitMethod = 'k-means' | 'ours' | 'principal-direction' | 'cluster-vs-rest' | 'measure-direction';

/** A fitted recipe: 0/1 for every point of the view. For cluster-vs-rest, one labelling per cluster. */
export type Labelling = Int32Array[];

/** A way of splitting that can be refitted on resamples. */
export interface SplitRecipe {
  /** Stable id within one discovery, e.g. `pc-2`, `clusters-4-c1`. */
  id: string;
  method: SplitMethod;
  /** Words for the method, for people. */
  label: string;
  /** Fits on `rows` of the view and labels every point; null when the fit is impossible (too few rows). */
  fit(rows: Int32Array, seed: number): Labelling | null;
  /** Per labelling: its id suffix and words (several labellings); absent for one. */
  parts?: Array<{ id: string; label: string }>;
  /** True when labelling c of one fit answers the same question as labelling c of another (no relabelling). */
  aligned?: boolean;
}

/** Options of the candidate recipes. */
export interface CandidateOptions {
  /** k-means++ restarts. Default 10. */
  restarts?: number;
  /** Leading principal directions tried. Default 3. */
  principalDirections?: number;
  /** Largest k tried by silhouette. Default 6. */
  maxK?: number;
  /** Rows whose silhouette is averaged. Default 1000. */
  silhouetteSampleSize?: number;
  /** Also try the embedding's own direction for each measurement (guided.ts), when measurements are given. Default true. */
  guided?: boolean;
}

/** The smallest cluster k-by-silhouette may keep: max(3, 5 % of the points). */
export function minimumClusterSize(n: number): number {
  return Math.max(3, Math.ceil(0.05 * n));
}

function projectAll(data: Float32Array, d: number, mean: Float32Array, w: ArrayLike<number>): Float64Array {
  const n = data.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += ((data[i * d + j] as number) - (mean[j] as number)) * (w[j] as number);
    out[i] = s;
  }
  return out;
}

function threshold(values: Float64Array, t: number): Int32Array {
  return Int32Array.from(values, (v) => (v > t ? 1 : 0));
}

/** Two-way k-means; every point goes to the nearer fitted centroid. */
function kmeansRecipe(kernel: Kernel, data: Float32Array, d: number, restarts: number): SplitRecipe {
  return {
    id: 'k-means-2', method: 'k-means', label: 'two-way k-means',
    fit(rows, seed) {
      if (rows.length < 4) return null;
      const fitted = kernel.kmeans(selectRows(data, d, rows), d, { k: 2, seed, restarts });
      return [kernel.assignNearest(data, fitted.centroids, d).labels];
    },
  };
}

/** ours.ts on the rows; its direction in the original space is recovered from its projection (see below). */
function oursRecipe(kernel: Kernel, data: Float32Array, d: number): SplitRecipe {
  return {
    id: 'ours', method: 'ours', label: "the project's own split (most bimodal of the top two principal directions)",
    fit(rows) {
      if (rows.length < 4 || d < 2) return null;
      const x = selectRows(data, d, rows);
      const own = oursSplit(kernel, x, d);
      // ours' projection is a linear combination of the rows' top-2 principal scores (the same
      // deterministic PCA): regressing it on those scores gives the direction, exactly.
      const pca = kernel.pca(x, d, 2);
      const scores = kernel.projectPca(x, d, pca);
      const w = regressOnScores(scores, own.projection, pca);
      if (!w) return null;
      const all = projectAll(data, d, pca.mean, w.direction);
      return [threshold(all.map((v) => v + w.intercept), own.threshold)];
    },
  };
}

/** Least squares y ≈ a·s0 + b·s1 + c on the two score columns; the direction a·pc0 + b·pc1. */
function regressOnScores(scores: Float32Array, y: Float64Array, pca: PcaResult): { direction: Float64Array; intercept: number } | null {
  const n = y.length;
  const c = pca.components.length / pca.mean.length;
  const d = pca.mean.length;
  let s00 = 0, s01 = 0, s11 = 0, m0 = 0, m1 = 0, my = 0;
  for (let i = 0; i < n; i++) { m0 += scores[i * c] as number; m1 += (c > 1 ? scores[i * c + 1] : 0) as number; my += y[i] as number; }
  m0 /= n; m1 /= n; my /= n;
  let t0 = 0, t1 = 0;
  for (let i = 0; i < n; i++) {
    const a = (scores[i * c] as number) - m0;
    const b = (c > 1 ? (scores[i * c + 1] as number) : 0) - m1;
    const e = (y[i] as number) - my;
    s00 += a * a; s01 += a * b; s11 += b * b; t0 += a * e; t1 += b * e;
  }
  const det = s00 * s11 - s01 * s01;
  let a: number, b: number;
  if (Math.abs(det) > 1e-12 * Math.max(1e-30, s00 * s11)) {
    a = (t0 * s11 - t1 * s01) / det;
    b = (t1 * s00 - t0 * s01) / det;
  } else if (s00 > 0) {
    a = t0 / s00;
    b = 0;
  } else return null;
  const direction = new Float64Array(d);
  for (let j = 0; j < d; j++) direction[j] = a * (pca.components[j] as number) + (c > 1 ? b * (pca.components[d + j] as number) : 0);
  // Scores are centred on the PCA mean, so the fitted intercept restores y's own centre.
  return { direction, intercept: my - a * m0 - b * m1 };
}

/** The j-th principal direction of the rows, cut at its exact 1-D two-means threshold. */
function principalRecipe(kernel: Kernel, data: Float32Array, d: number, component: number): SplitRecipe {
  return {
    id: `pc-${component + 1}`, method: 'principal-direction', label: `principal direction ${component + 1}`,
    fit(rows) {
      if (rows.length < 4 || component >= d) return null;
      const x = selectRows(data, d, rows);
      const pca = kernel.pca(x, d, component + 1);
      const w = pca.components.subarray(component * d, component * d + d);
      const fitted = projectAll(x, d, pca.mean, w);
      const { threshold: t } = twoMeans1d(fitted);
      return [threshold(projectAll(data, d, pca.mean, w), t)];
    },
  };
}

/** The k chosen by silhouette among 3..maxK with no cluster under the minimum size, or null. */
export function chooseK(kernel: Kernel, data: Float32Array, d: number, options: { seed: number; restarts: number; maxK: number; sampleSize: number }): { k: number; silhouette: number } | null {
  const n = data.length / d;
  const minSize = minimumClusterSize(n);
  let best: { k: number; silhouette: number } | null = null;
  for (let k = 3; k <= Math.min(options.maxK, Math.floor(n / minSize)); k++) {
    const result = kernel.kmeans(data, d, { k, seed: options.seed, restarts: options.restarts });
    const sizes = new Int32Array(k);
    for (const l of result.labels) sizes[l] = (sizes[l] as number) + 1;
    if (Math.min(...sizes) < minSize) continue;
    const silhouette = silhouetteScore(kernel, data, d, result.labels, { seed: options.seed, sampleSize: options.sampleSize });
    if (!best || silhouette > best.silhouette) best = { k, silhouette };
  }
  return best;
}

/** k-means with k clusters; each cluster against the rest. */
function clustersRecipe(kernel: Kernel, data: Float32Array, d: number, k: number, restarts: number): SplitRecipe {
  return {
    id: `clusters-${k}`, method: 'cluster-vs-rest', label: `one of ${k} clusters (k by silhouette) against the rest`,
    fit(rows, seed) {
      if (rows.length < 2 * k) return null;
      const fitted = kernel.kmeans(selectRows(data, d, rows), d, { k, seed, restarts });
      const { labels } = kernel.assignNearest(data, fitted.centroids, d);
      return Array.from({ length: k }, (_, c) => Int32Array.from(labels, (l) => (l === c ? 1 : 0)));
    },
  };
}

/** One split per measurement: the embedding's own direction for it (guided.ts), labellings in guide order. */
function guidedRecipe(data: Float32Array, d: number, guides: readonly Guide[]): SplitRecipe {
  return {
    id: 'measure', method: 'measure-direction', label: "the embedding's own direction for a measurement",
    parts: guides.map((g) => ({ id: g.key, label: `the embedding's own direction for ${g.label}` })),
    aligned: true,
    fit(rows) {
      return guidedLabellings(data, d, rows, guides);
    },
  };
}

/**
 * The candidate recipes for one view's points.
 * @param seed seeds the choice of k (k-means seeds and the silhouette sample).
 */
export function candidateRecipes(kernel: Kernel, data: Float32Array, d: number, seed: number, options: CandidateOptions = {}, guides: readonly Guide[] = []): { recipes: SplitRecipe[]; k: number | null } {
  const restarts = options.restarts ?? 10;
  const n = data.length / d;
  const recipes: SplitRecipe[] = [kmeansRecipe(kernel, data, d, restarts), oursRecipe(kernel, data, d)];
  const pcs = Math.min(options.principalDirections ?? 3, d, Math.max(0, n - 1));
  for (let c = 0; c < pcs; c++) recipes.push(principalRecipe(kernel, data, d, c));
  const chosen = n >= 3 * minimumClusterSize(n)
    ? chooseK(kernel, data, d, { seed, restarts, maxK: options.maxK ?? 6, sampleSize: options.silhouetteSampleSize ?? 1000 })
    : null;
  if (chosen) recipes.push(clustersRecipe(kernel, data, d, chosen.k, restarts));
  if (guides.length && options.guided !== false) recipes.push(guidedRecipe(data, d, guides));
  return { recipes, k: chosen?.k ?? null };
}

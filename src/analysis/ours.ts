/**
 * The project's own unsupervised two-way split, reported beside (never instead of) the paper's
 * k-means figure. It uses no labels. Three steps, each with a reason:
 *
 * 1. Spectral projection: keep the top two principal components. For a mixture of k clusters the
 *    cluster means span (after centring) a (k − 1)-dimensional subspace that the top-k principal
 *    subspace captures when the clusters are separated enough (Vempala & Wang 2004; Kannan,
 *    Salmasian & Vempala 2005); projecting there drops the many low-variance directions whose
 *    noise k-means in 128-D also sums up. k = 2 fixes the subspace to two dimensions.
 * 2. Whitening in that plane, then the direction of minimum kurtosis. In whitened coordinates every
 *    direction has unit variance, so the fourth moment alone tells a bimodal direction (a balanced
 *    two-class mixture has kurtosis as low as 1) from a unimodal one (a Gaussian has 3, heavier tails
 *    more). This is FastICA's kurtosis criterion; in two dimensions it is a quartic in the angle,
 *    minimised exactly on a fine grid and refined, so there are no random starts.
 * 3. The split: the optimal 1-D two-means threshold on that projection (exact, by scanning the
 *    sorted values), rather than k-means in the plane, which would follow variance again.
 *
 * k-means on the full embedding splits along the largest variance; this method splits along the most
 * bimodal of the two largest-variance directions, which is where a balanced attribute shows up when
 * a continuous nuisance (pose, age spread, lighting) carries comparable variance.
 */
import { InvalidInputError } from '../errors.ts';
import type { Kernel } from '../kernel/types.ts';
import { checkMatrix } from './matrix.ts';

/** The name reported in results' `ours.method`. */
export const OURS_METHOD = 'top-2 PCs, whitened, minimum-kurtosis direction, exact 1-D two-means';

/** What {@link oursSplit} found, beside the labels. */
export interface OursSplit {
  /** 0/1 per row. */
  labels: Int32Array;
  /** Excess kurtosis of the chosen projection (−2 for two equal point masses, 0 for a Gaussian). */
  excessKurtosis: number;
  /** The projection of every row onto the chosen direction (whitened units). */
  projection: Float64Array;
  /** Threshold on `projection` between the two groups. */
  threshold: number;
}

/** Grid resolution over the half-turn of directions before refinement. */
const ANGLE_STEPS = 720;

/**
 * Splits rows in two without labels (see the module comment).
 * @param data n × d, n ≥ 2.
 * @throws InvalidInputError for a bad shape or fewer than 2 rows.
 */
export function oursSplit(kernel: Kernel, data: Float32Array, d: number): OursSplit {
  const n = checkMatrix(data, d, 'ours input', 2);
  const components = Math.min(2, d);
  const pca = kernel.pca(data, d, components);
  const projected = kernel.projectPca(data, d, pca);
  // Whiten the components that carry variance; a flat one (all rows on a line) is dropped.
  const kept: number[] = [];
  for (let c = 0; c < components; c++) if ((pca.variances[c] as number) > 1e-12 * Math.max(pca.totalVariance, 1e-30)) kept.push(c);
  const z = kept.map((c) => {
    const column = new Float64Array(n);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += projected[i * components + c] as number;
    mean /= n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += ((projected[i * components + c] as number) - mean) ** 2;
    const sd = Math.sqrt(variance / n);
    for (let i = 0; i < n; i++) column[i] = ((projected[i * components + c] as number) - mean) / sd;
    return column;
  });
  let projection: Float64Array;
  if (z.length === 0) {
    projection = new Float64Array(n); // every row identical: any split is as good
  } else if (z.length === 1) {
    projection = z[0] as Float64Array;
  } else {
    projection = minimumKurtosisProjection(z[0] as Float64Array, z[1] as Float64Array);
  }
  const { labels, threshold } = twoMeans1d(projection);
  return { labels, excessKurtosis: excessKurtosis(projection), projection, threshold };
}

/** {@link oursSplit}'s labels, with the protocol's call shape. */
export function oursClustering(kernel: Kernel, data: Float32Array, d: number): Int32Array {
  return oursSplit(kernel, data, d).labels;
}

/**
 * For whitened, uncorrelated columns a and b, the projection cos θ·a + sin θ·b with the smallest
 * fourth moment. Whitening makes the second moment 1 in every direction, so this is the
 * smallest kurtosis.
 */
function minimumKurtosisProjection(a: Float64Array, b: Float64Array): Float64Array {
  const n = a.length;
  // Fourth-order moments m_k = E[a^(4−k) b^k], k = 0..4; the sample correlation of a and b is zero
  // because they are principal-component scores, so no re-whitening is needed.
  const m = [0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    const x2 = x * x;
    const y2 = y * y;
    m[0] = (m[0] as number) + x2 * x2;
    m[1] = (m[1] as number) + x2 * x * y;
    m[2] = (m[2] as number) + x2 * y2;
    m[3] = (m[3] as number) + x * y2 * y;
    m[4] = (m[4] as number) + y2 * y2;
  }
  const binomial = [1, 4, 6, 4, 1];
  const fourth = (theta: number): number => {
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    let total = 0;
    for (let k = 0; k <= 4; k++) total += (binomial[k] as number) * c ** (4 - k) * s ** k * (m[k] as number);
    return total / n;
  };
  let best = 0;
  let bestValue = Infinity;
  const step = Math.PI / ANGLE_STEPS;
  for (let t = 0; t < ANGLE_STEPS; t++) {
    const value = fourth(t * step);
    if (value < bestValue) {
      bestValue = value;
      best = t * step;
    }
  }
  // Golden-section refinement inside the winning grid cell's neighbourhood (the quartic is smooth).
  let lo = best - step;
  let hi = best + step;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let iteration = 0; iteration < 40; iteration++) {
    const x1 = hi - ratio * (hi - lo);
    const x2 = lo + ratio * (hi - lo);
    if (fourth(x1) <= fourth(x2)) hi = x2;
    else lo = x1;
  }
  const theta = fourth((lo + hi) / 2) < bestValue ? (lo + hi) / 2 : best;
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  return Float64Array.from({ length: n }, (_, i) => c * (a[i] as number) + s * (b[i] as number));
}

/** Sample excess kurtosis (population moments): E[(x − μ)⁴] / σ⁴ − 3; 0 when σ = 0. */
export function excessKurtosis(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) throw new InvalidInputError('excess kurtosis of an empty list');
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] as number;
  mean /= n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const e = (values[i] as number) - mean;
    m2 += e * e;
    m4 += e ** 4;
  }
  m2 /= n;
  m4 /= n;
  return m2 > 0 ? m4 / (m2 * m2) - 3 : 0;
}

/**
 * The optimal two-means split of 1-D values (minimum within-group sum of squares), found exactly by
 * scanning every cut of the sorted values. Group 1 holds the larger values.
 * @returns labels (0/1 per value, all 0 when every value is equal) and the threshold (midpoint of the cut).
 */
export function twoMeans1d(values: ArrayLike<number>): { labels: Int32Array; threshold: number } {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => (values[p] as number) - (values[q] as number) || p - q);
  const sorted = order.map((i) => values[i] as number);
  const total = sorted.reduce((acc, v) => acc + v, 0);
  let bestCut = -1;
  let bestScore = -Infinity;
  let left = 0;
  // Minimising the within-group sum of squares = maximising nL·μL² + nR·μR².
  for (let cut = 1; cut < n; cut++) {
    left += sorted[cut - 1] as number;
    if ((sorted[cut] as number) === (sorted[cut - 1] as number)) continue; // equal values stay together
    const right = total - left;
    const score = (left * left) / cut + (right * right) / (n - cut);
    if (score > bestScore) {
      bestScore = score;
      bestCut = cut;
    }
  }
  const labels = new Int32Array(n);
  if (bestCut < 0) return { labels, threshold: sorted[0] ?? 0 };
  for (let r = bestCut; r < n; r++) labels[order[r] as number] = 1;
  return { labels, threshold: ((sorted[bestCut - 1] as number) + (sorted[bestCut] as number)) / 2 };
}

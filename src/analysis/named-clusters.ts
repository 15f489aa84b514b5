/**
 * Probing new faces with clusters the user has named (e.g. "glasses" / "no glasses"): each new face
 * is assigned two ways, each with a confidence in [0, 1]:
 * - nearest centroid, with the posterior of an equal-prior Gaussian model sharing one isotropic
 *   variance (the pooled within-group variance): p_k ∝ exp(−‖x − μ_k‖² / 2σ²);
 * - a linear probe trained on the named members (logistic regression, C = 1, on features
 *   standardised with the members' mean and variance; one-vs-rest when there are more than two names).
 * The trained assigner is plain data, so it can be stored or sent to a worker.
 */
import { InvalidInputError } from '../errors.ts';
import type { Kernel, MeanVariance } from '../kernel/types.ts';
import { fitLogistic, predictProbability, type LogisticModel } from './logistic.ts';
import { checkMatrix } from './matrix.ts';

/** A cluster the user has named, with its members' embeddings (m × d, row-major). */
export interface NamedGroup {
  name: string;
  vectors: Float32Array;
}

/** A trained assigner (plain, structured-cloneable data). */
export interface FaceAssigner {
  d: number;
  names: string[];
  /** names.length × d group means. */
  centroids: Float32Array;
  /** Pooled within-group variance per dimension (σ² of the centroid posterior). */
  variance: number;
  /** Standardisation fitted on all named members. */
  standardization: MeanVariance;
  /** Two names: one model, P(names[1]). More: one model per name, P(that name vs the rest). */
  probes: LogisticModel[];
}

/** One way of assigning a face. */
export interface Assignment {
  /** Index into `names` of the chosen group. */
  index: number;
  name: string;
  /** Probability of the chosen group, in [0, 1]. */
  confidence: number;
  /** Probability of each group (sums to 1). */
  probabilities: number[];
}

/** Both assignments of one face. */
export interface FaceAssignment {
  nearestCentroid: Assignment;
  probe: Assignment;
}

/**
 * Trains an assigner on named groups.
 * @param groups at least two, with distinct non-empty names and at least one member each.
 * @param options.c inverse regularisation of the probes (default 1).
 * @throws InvalidInputError for fewer than two groups, an empty or repeated name, an empty group,
 *   or vectors whose length is not a multiple of d.
 */
export function trainAssigner(kernel: Kernel, groups: readonly NamedGroup[], d: number, options: { c?: number } = {}): FaceAssigner {
  if (groups.length < 2) throw new InvalidInputError(`naming needs at least two groups, got ${groups.length}`);
  const names = groups.map((g) => g.name);
  names.forEach((name, i) => {
    if (name.trim() === '') throw new InvalidInputError(`group ${i} has an empty name`);
    if (names.indexOf(name) !== i) throw new InvalidInputError(`the name ${JSON.stringify(name)} is used by two groups`);
  });
  const sizes = groups.map((g) => checkMatrix(g.vectors, d, `group ${JSON.stringify(g.name)}`));
  const total = sizes.reduce((a, b) => a + b, 0);
  const all = new Float32Array(total * d);
  const owner: number[] = [];
  let offset = 0;
  groups.forEach((g, k) => {
    all.set(g.vectors, offset);
    offset += g.vectors.length;
    for (let i = 0; i < (sizes[k] as number); i++) owner.push(k);
  });
  const centroids = new Float32Array(groups.length * d);
  groups.forEach((g, k) => {
    const stats = kernel.meanVariance(g.vectors, d);
    centroids.set(stats.mean, k * d);
  });
  let within = 0;
  for (let i = 0; i < total; i++) {
    const k = owner[i] as number;
    for (let j = 0; j < d; j++) within += ((all[i * d + j] as number) - (centroids[k * d + j] as number)) ** 2;
  }
  let variance: number;
  if (total > groups.length) {
    variance = within / ((total - groups.length) * d);
  } else {
    // One member per group: no within-group spread to pool, so fall back on the spread of all
    // members around their common mean (wider, hence more modest confidences).
    const stats = kernel.meanVariance(all, d);
    variance = stats.variance.reduce((a, b) => a + b, 0) / d;
  }
  if (!(variance > 0)) variance = Number.MIN_VALUE;
  const standardization = kernel.meanVariance(all, d);
  const x = kernel.standardize(all, d, standardization);
  const c = options.c ?? 1;
  const probes = groups.length === 2
    ? [fitLogistic(x, d, owner, { c, kernel })]
    : groups.map((_, k) => fitLogistic(x, d, owner.map((o) => (o === k ? 1 : 0)), { c, kernel }));
  return {
    d,
    names,
    centroids,
    variance,
    standardization,
    probes: probes.map((p) => ({ weights: p.weights, intercept: p.intercept })),
  };
}

/** The assignment for one row of probabilities. */
function choose(names: readonly string[], probabilities: number[]): Assignment {
  let index = 0;
  probabilities.forEach((p, k) => { if (p > (probabilities[index] as number)) index = k; });
  return { index, name: names[index] as string, confidence: probabilities[index] as number, probabilities };
}

/**
 * Assigns new faces with a trained assigner.
 * @param data n × d embeddings (same model and normalisation as the named members).
 * @throws InvalidInputError when `data` does not have the assigner's d.
 */
export function assignFaces(kernel: Kernel, assigner: FaceAssigner, data: Float32Array): FaceAssignment[] {
  const d = assigner.d;
  const n = checkMatrix(data, d, 'faces to assign', 0);
  const k = assigner.names.length;
  const dist2 = kernel.l2sqPairwise(data, assigner.centroids, d);
  const probeInput = kernel.standardize(data, d, assigner.standardization);
  const probeOutputs = assigner.probes.map((model) => predictProbability(model, probeInput, d));
  const out: FaceAssignment[] = [];
  for (let i = 0; i < n; i++) {
    // Log-sum-exp keeps the posterior finite when distances are large relative to σ².
    const logits = Array.from({ length: k }, (_, c) => -(dist2[i * k + c] as number) / (2 * assigner.variance));
    const top = Math.max(...logits);
    const weights = logits.map((l) => Math.exp(l - top));
    const sum = weights.reduce((a, b) => a + b, 0);
    const centroidProbabilities = weights.map((w) => w / sum);
    let probeProbabilities: number[];
    if (k === 2) {
      const p = (probeOutputs[0] as Float64Array)[i] as number;
      probeProbabilities = [1 - p, p];
    } else {
      const raw = probeOutputs.map((o) => o[i] as number);
      const rawSum = raw.reduce((a, b) => a + b, 0);
      probeProbabilities = rawSum > 0 ? raw.map((p) => p / rawSum) : raw.map(() => 1 / k);
    }
    out.push({ nearestCentroid: choose(assigner.names, centroidProbabilities), probe: choose(assigner.names, probeProbabilities) });
  }
  return out;
}

/**
 * Binary L2-regularised logistic regression, the objective of scikit-learn's LogisticRegression
 * (penalty 'l2', intercept not penalised):
 *
 *   minimise ½‖w‖² + C · Σᵢ [ log(1 + e^{zᵢ}) − yᵢ zᵢ ],   zᵢ = w·xᵢ + b,  yᵢ ∈ {0, 1}
 *
 * solved by Newton's method with a backtracking line search. The objective is strictly convex
 * (the ½‖w‖² term, and Σ pᵢ(1 − pᵢ) > 0 for b), so this converges to the unique minimum
 * quadratically; with d ≤ a few hundred the (d+1)² Hessian is cheap to factor.
 */
import { InvalidInputError } from '../errors.ts';
import type { Kernel } from '../kernel/types.ts';
import { checkMatrix, cholesky, choleskySolve } from './matrix.ts';

/** A fitted model: P(class 1 | x) = σ(w·x + b). Plain data (structured-cloneable). */
export interface LogisticModel {
  /** Weights, length d. */
  weights: number[];
  intercept: number;
}

/** Options for {@link fitLogistic}. */
export interface LogisticOptions {
  /** Inverse regularisation strength, > 0. Default 1 (scikit-learn's default). */
  c?: number;
  /** Newton iteration cap. Default 50. */
  maxIterations?: number;
  /** Stop when the largest gradient entry is at most `tolerance × max(1, C·n)`. Default 1e-10. */
  tolerance?: number;
  /**
   * When given, the Hessian's Σ pᵢ(1 − pᵢ)·xᵢxᵢᵀ is computed with `kernel.dotPairwise` (WASM SIMD,
   * float32) instead of a float64 loop: 20–50× faster at d = 128. The Newton step is then inexact
   * in the last float32 bits, but convergence is still judged on the float64 gradient, so the
   * solution meets the same tolerance.
   */
  kernel?: Kernel;
}

/** A fitted model and how the solver ended. */
export interface LogisticFit extends LogisticModel {
  iterations: number;
  converged: boolean;
  /** Objective value at the solution. */
  objective: number;
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** σ(z) without overflow. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Fits the model on n rows of `x` (n × d, row-major) with labels `y` (0/1).
 * Both classes may be absent or present; with one class the intercept grows until the gradient
 * tolerance is met (as scikit-learn would refuse, callers should not ask for that).
 * @throws InvalidInputError for a bad shape, non-finite values, labels other than 0/1, or C ≤ 0.
 */
export function fitLogistic(x: Float32Array, d: number, y: ArrayLike<number>, options: LogisticOptions = {}): LogisticFit {
  const n = checkMatrix(x, d, 'logistic regression features');
  const c = options.c ?? 1;
  if (!(c > 0) || !Number.isFinite(c)) throw new InvalidInputError(`C must be a positive finite number, got ${c}`);
  if (y.length !== n) throw new InvalidInputError(`labels: length ${y.length}, expected ${n}`);
  const labels = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (v !== 0 && v !== 1) throw new InvalidInputError(`labels[${i}] is ${String(v)}; expected 0 or 1`);
    labels[i] = v;
  }
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = (options.tolerance ?? 1e-10) * Math.max(1, c * n);
  const m = d + 1; // weights then intercept
  let theta = new Float64Array(m);

  const margins = (t: Float64Array): Float64Array => {
    const z = new Float64Array(n);
    const b = t[d] as number;
    for (let i = 0; i < n; i++) {
      let s = b;
      const row = i * d;
      for (let j = 0; j < d; j++) s += (t[j] as number) * (x[row + j] as number);
      z[i] = s;
    }
    return z;
  };
  const objective = (t: Float64Array, z: Float64Array): number => {
    let reg = 0;
    for (let j = 0; j < d; j++) reg += (t[j] as number) ** 2;
    let loss = 0;
    for (let i = 0; i < n; i++) loss += softplus(z[i] as number) - (labels[i] as number) * (z[i] as number);
    return 0.5 * reg + c * loss;
  };

  let z = margins(theta);
  let f = objective(theta, z);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    const grad = new Float64Array(m);
    const hess = options.kernel ? new Float64Array(0) : new Float64Array(m * m);
    // Rows of √(c·p(1−p))·[x, 1] stored column-major (m × n) for the kernel's Gram product.
    const scaled = options.kernel ? new Float32Array(m * n) : undefined;
    const xi = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const p = sigmoid(z[i] as number);
      const r = c * (p - (labels[i] as number));
      const s = c * p * (1 - p);
      for (let a = 0; a < d; a++) xi[a] = x[i * d + a] as number;
      for (let a = 0; a < d; a++) grad[a] = (grad[a] as number) + r * (xi[a] as number);
      grad[d] = (grad[d] as number) + r;
      if (scaled) {
        const root = Math.sqrt(s);
        for (let a = 0; a < d; a++) scaled[a * n + i] = root * (xi[a] as number);
        scaled[d * n + i] = root;
        continue;
      }
      // Lower triangle of Σ s·x xᵀ only (the factorisation reads no more); the row is copied to
      // float64 once so the O(d²) loop reads one typed array.
      for (let a = 0; a < d; a++) {
        const sxa = s * (xi[a] as number);
        const base = a * m;
        for (let b = 0; b <= a; b++) hess[base + b] = (hess[base + b] as number) + sxa * (xi[b] as number);
        hess[d * m + a] = (hess[d * m + a] as number) + sxa;
      }
      hess[d * m + d] = (hess[d * m + d] as number) + s;
    }
    const hessian = scaled && options.kernel ? Float64Array.from(options.kernel.dotPairwise(scaled, scaled, n)) : hess;
    let gmax = 0;
    for (let j = 0; j < d; j++) {
      grad[j] = (grad[j] as number) + (theta[j] as number);
      hessian[j * m + j] = (hessian[j * m + j] as number) + 1;
    }
    for (let j = 0; j < m; j++) gmax = Math.max(gmax, Math.abs(grad[j] as number));
    if (gmax <= tolerance) {
      converged = true;
      break;
    }
    if (!cholesky(hessian, m)) throw new InvalidInputError('logistic regression: the Hessian is not positive definite (features overflow?)');
    const step = choleskySolve(hessian, m, grad);
    let decrement = 0;
    for (let j = 0; j < m; j++) decrement += (grad[j] as number) * (step[j] as number);
    // Backtracking (Armijo) line search: full Newton steps are taken near the optimum.
    let t = 1;
    let next = theta;
    let nextZ = z;
    let nextF = f;
    for (let halvings = 0; halvings < 40; halvings++) {
      const candidate = new Float64Array(m);
      for (let j = 0; j < m; j++) candidate[j] = (theta[j] as number) - t * (step[j] as number);
      const cz = margins(candidate);
      const cf = objective(candidate, cz);
      if (cf <= f - 0.25 * t * decrement) {
        next = candidate;
        nextZ = cz;
        nextF = cf;
        break;
      }
      t /= 2;
    }
    if (next === theta) {
      // No decrease is possible in float64: we are at the minimum to machine precision.
      converged = true;
      break;
    }
    theta = next;
    z = nextZ;
    f = nextF;
  }
  return { weights: Array.from(theta.subarray(0, d)), intercept: theta[d] as number, iterations, converged, objective: f };
}

/** w·x + b for every row of `x` (n × d). */
export function decisionFunction(model: LogisticModel, x: Float32Array, d: number): Float64Array {
  if (model.weights.length !== d) throw new InvalidInputError(`model has ${model.weights.length} weights, data has d = ${d}`);
  const n = checkMatrix(x, d, 'logistic regression input', 0);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = model.intercept;
    for (let j = 0; j < d; j++) s += (model.weights[j] as number) * (x[i * d + j] as number);
    out[i] = s;
  }
  return out;
}

/** P(class 1) for every row of `x`. */
export function predictProbability(model: LogisticModel, x: Float32Array, d: number): Float64Array {
  return decisionFunction(model, x, d).map(sigmoid);
}

/** Predicted class per row: 1 where w·x + b > 0 (ties go to 0, as scikit-learn). */
export function predictClass(model: LogisticModel, x: Float32Array, d: number): Uint8Array {
  const z = decisionFunction(model, x, d);
  return Uint8Array.from(z, (v) => (v > 0 ? 1 : 0));
}

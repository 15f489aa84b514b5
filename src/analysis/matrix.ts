/**
 * Small helpers on packed row-major float32 matrices (`n × d`, row i at `i * d`), shared by the
 * analyses: shape checks, row and column selection.
 */
import { InvalidInputError } from '../errors.ts';

/**
 * Checks that `data` is a finite n × d matrix and returns n.
 * @param what names the argument in error messages.
 * @throws InvalidInputError when d is not a positive integer, `data.length` is not a multiple of d,
 *   there are fewer than `minRows` rows, or an entry is NaN or infinite.
 */
export function checkMatrix(data: Float32Array, d: number, what = 'data', minRows = 1): number {
  if (!Number.isInteger(d) || d <= 0) throw new InvalidInputError(`${what}: dimension d must be a positive integer, got ${d}`);
  if (data.length % d !== 0) throw new InvalidInputError(`${what}: length ${data.length} is not a multiple of d = ${d}`);
  const n = data.length / d;
  if (n < minRows) throw new InvalidInputError(`${what}: needs at least ${minRows} row(s), got ${n}`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i] as number)) {
      throw new InvalidInputError(`${what}: entry ${i} (row ${Math.floor(i / d)}, column ${i % d}) is ${data[i]}; values must be finite`);
    }
  }
  return n;
}

/** Checks a label array of length n whose values are 0 or 1; returns the count of each class. */
export function checkBinaryClasses(classes: ArrayLike<number>, n: number, what = 'classes'): [number, number] {
  if (classes.length !== n) throw new InvalidInputError(`${what}: length ${classes.length}, expected one per row (${n})`);
  const counts: [number, number] = [0, 0];
  for (let i = 0; i < n; i++) {
    const c = classes[i];
    if (c !== 0 && c !== 1) throw new InvalidInputError(`${what}[${i}] is ${String(c)}; classes must be 0 or 1`);
    counts[c]++;
  }
  return counts;
}

/** The rows at `indices`, in that order, as a new packed matrix. */
export function selectRows(data: Float32Array, d: number, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * d);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r] as number;
    out.set(data.subarray(i * d, i * d + d), r * d);
  }
  return out;
}

/** The columns at `columns`, in that order, as a new n × columns.length matrix. */
export function selectColumns(data: Float32Array, d: number, columns: ArrayLike<number>): Float32Array {
  const n = data.length / d;
  const m = columns.length;
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) out[i * m + j] = data[i * d + (columns[j] as number)] as number;
  }
  return out;
}

/** Values at `indices` of an array-like, as a plain array. */
export function pick<T>(values: ArrayLike<T>, indices: ArrayLike<number>): T[] {
  return Array.from({ length: indices.length }, (_, r) => values[indices[r] as number] as T);
}

/** Mean and sample standard deviation (divisor n − 1; 0 for a single value). */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  if (values.length === 0) return { mean: Number.NaN, std: Number.NaN };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length === 1) return { mean, std: 0 };
  const ss = values.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, std: Math.sqrt(ss / (values.length - 1)) };
}

/** In-place Cholesky (lower) of an m × m SPD matrix; returns false when not positive definite. */
export function cholesky(a: Float64Array, m: number): boolean {
  for (let j = 0; j < m; j++) {
    let diag = a[j * m + j] as number;
    for (let k = 0; k < j; k++) diag -= (a[j * m + k] as number) ** 2;
    if (!(diag > 0)) return false;
    const ljj = Math.sqrt(diag);
    a[j * m + j] = ljj;
    for (let i = j + 1; i < m; i++) {
      let s = a[i * m + j] as number;
      for (let k = 0; k < j; k++) s -= (a[i * m + k] as number) * (a[j * m + k] as number);
      a[i * m + j] = s / ljj;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b for the factor from {@link cholesky}. */
export function choleskySolve(l: Float64Array, m: number, b: Float64Array): Float64Array {
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * m + k] as number) * (y[k] as number);
    y[i] = s / (l[i * m + i] as number);
  }
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < m; k++) s -= (l[k * m + i] as number) * (x[k] as number);
    x[i] = s / (l[i * m + i] as number);
  }
  return x;
}

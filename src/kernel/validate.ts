/**
 * Input checks shared by both kernel backends, so the WASM facade and the reference reject the same
 * inputs with the same InvalidInputError messages (each names the bad value and what is accepted).
 */
import { InvalidInputError } from '../errors.ts';

/** Describes a value's type for messages ("Array", "null", "number"). */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

/**
 * Checks that `value` is an integer in [min, max].
 * @throws InvalidInputError naming `name`, the value and the range.
 */
export function checkInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer with ${min} ≤ ${name} ≤ ${max}`;
    throw new InvalidInputError(`${name} = ${String(value)} is not accepted: ${name} must be ${range}`, {
      details: { name, value: typeof value === 'number' ? value : String(value) },
    });
  }
  return value;
}

/** Checks the row width `d` (an integer ≥ 1). @throws InvalidInputError */
export function checkDim(d: unknown): number {
  return checkInteger('d', d, 1);
}

/** Checks that `value` is a finite number ≥ 0. @throws InvalidInputError */
export function checkNonNegative(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidInputError(`${name} = ${String(value)} is not accepted: ${name} must be a finite number ≥ 0`, {
      details: { name, value: String(value) },
    });
  }
  return value;
}

/**
 * Checks a packed row-major matrix of width d and returns its row count n.
 * @throws InvalidInputError when `data` is not a Float32Array, has zero rows, or its length is not n × d.
 */
export function checkMatrix(name: string, data: unknown, d: number): number {
  if (!(data instanceof Float32Array)) {
    throw new InvalidInputError(`${name} must be a Float32Array (row-major n × d), got ${typeName(data)}`, {
      details: { name },
    });
  }
  if (data.length === 0) {
    throw new InvalidInputError(`${name} has zero rows: at least one row of d = ${d} values is required`, {
      details: { name, length: 0, d },
    });
  }
  if (data.length % d !== 0) {
    throw new InvalidInputError(
      `${name} has length ${data.length}, which is not n × d for d = ${d} (it must be a whole number of rows)`,
      { details: { name, length: data.length, d } },
    );
  }
  return data.length / d;
}

/** Checks a single d-vector. @throws InvalidInputError on a wrong type or a length other than d. */
export function checkVector(name: string, v: unknown, d: number): Float32Array {
  if (!(v instanceof Float32Array)) {
    throw new InvalidInputError(`${name} must be a Float32Array of length d = ${d}, got ${typeName(v)}`, {
      details: { name },
    });
  }
  if (v.length !== d) {
    throw new InvalidInputError(`${name} has length ${v.length} but d = ${d}: the dimensions must match`, {
      details: { name, length: v.length, d },
    });
  }
  return v;
}

/** The error for a NaN or infinite value at flat index `index` of a matrix of width d. */
export function nonFiniteError(name: string, index: number, value: number, d: number, rowOffset = 0): InvalidInputError {
  const row = Math.floor(index / d) + rowOffset;
  const col = index % d;
  return new InvalidInputError(
    `${name}[${index}] (row ${row}, column ${col}) is ${String(value)}: every value must be finite (no NaN or ±Infinity)`,
    { details: { name, index, row, column: col, value: String(value) } },
  );
}

/** Index of the first NaN/±Infinity in `data`, or −1. */
export function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    // x − x is 0 for finite x and NaN for NaN and ±Infinity; NaN fails every comparison.
    if (!(x - x === 0)) return i;
  }
  return -1;
}

/** Throws {@link nonFiniteError} for the first non-finite value of `data`, if any. */
export function checkFinite(name: string, data: Float32Array, d: number): void {
  const i = firstNonFinite(data);
  if (i >= 0) throw nonFiniteError(name, i, data[i]!, d);
}

/** Checks k against the number of rows: an integer with 1 ≤ k ≤ n. @throws InvalidInputError */
export function checkK(k: unknown, n: number): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > n) {
    throw new InvalidInputError(
      `k = ${String(k)} is not accepted: k must be an integer with 1 ≤ k ≤ n, and n = ${n} rows here`,
      { details: { name: 'k', value: typeof k === 'number' ? k : String(k), n } },
    );
  }
  return k;
}

/** Checks a seed: any safe integer (its low 32 bits select the stream). @throws InvalidInputError */
export function checkSeed(seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new InvalidInputError(`seed = ${String(seed)} is not accepted: seed must be an integer`, {
      details: { name: 'seed', value: String(seed) },
    });
  }
  return seed >>> 0;
}

/** Resolved k-means options (defaults applied, all validated). */
export interface ResolvedKMeansOptions {
  k: number;
  seed: number;
  maxIterations: number;
  tolerance: number;
  restarts: number;
}

/** Applies defaults to KMeansOptions and validates them against n rows. @throws InvalidInputError */
export function resolveKMeansOptions(
  options: { k: number; seed?: number; maxIterations?: number; tolerance?: number; restarts?: number },
  n: number,
): ResolvedKMeansOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError(`options must be an object with at least k, got ${typeName(options)}`);
  }
  return {
    k: checkK(options.k, n),
    seed: checkSeed(options.seed ?? 0),
    // Both travel to WASM as i32.
    maxIterations: checkInteger('maxIterations', options.maxIterations ?? 100, 0, 2 ** 31 - 1),
    tolerance: checkNonNegative('tolerance', options.tolerance ?? 1e-4),
    restarts: checkInteger('restarts', options.restarts ?? 1, 1, 2 ** 31 - 1),
  };
}

/** Checks standardisation statistics of width d (finite means, finite variances ≥ 0). */
export function checkStats(stats: { mean: unknown; variance: unknown }, d: number): void {
  if (typeof stats !== 'object' || stats === null) {
    throw new InvalidInputError(`stats must be { mean, variance } (Float32Array of length d = ${d}), got ${typeName(stats)}`);
  }
  const mean = checkVector('stats.mean', stats.mean, d);
  const variance = checkVector('stats.variance', stats.variance, d);
  checkFinite('stats.mean', mean, d);
  for (let t = 0; t < d; t++) {
    const v = variance[t]!;
    if (!(v >= 0) || v === Infinity) {
      throw new InvalidInputError(`stats.variance[${t}] = ${v} is not accepted: variances must be finite and ≥ 0`, {
        details: { name: 'stats.variance', index: t, value: String(v) },
      });
    }
  }
}

/**
 * Checks a PCA basis against width d and returns its component count c.
 * @throws InvalidInputError when mean is not a finite d-vector or components is not a non-empty c × d matrix.
 */
export function checkPcaBasis(pca: { mean: unknown; components: unknown }, d: number): number {
  if (typeof pca !== 'object' || pca === null) {
    throw new InvalidInputError(`pca must be a PcaResult ({ mean, components, ... }), got ${typeName(pca)}`);
  }
  const mean = checkVector('pca.mean', pca.mean, d);
  checkFinite('pca.mean', mean, d);
  const c = checkMatrix('pca.components', pca.components, d);
  checkFinite('pca.components', pca.components as Float32Array, d);
  return c;
}

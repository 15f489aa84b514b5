/**
 * Seeded randomness for the analyses: every random choice (balanced samples, label shuffles,
 * folds, splits, graph orderings) comes from a generator built here, so a run is a pure function
 * of its seed. The generator is the kernel's xoshiro128** (src/kernel/rng.ts, the same bits as the
 * WASM's), so one call that seeds k-means and samples for the silhouette draws from one family;
 * streams for different purposes are separated with {@link deriveSeed}.
 */
import { InvalidInputError } from '../errors.ts';
import { Rng as Xoshiro } from '../kernel/rng.ts';

/** A deterministic source of uniform numbers. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n); `n` must be a positive integer. */
  int(n: number): number;
}

/** Folds any safe integer into 32 bits, so 0, 1, 2, … and large seeds all give distinct states. */
function seedTo32(seed: number): number {
  if (!Number.isSafeInteger(seed)) {
    throw new InvalidInputError(`seed must be a safe integer, got ${String(seed)}`);
  }
  const low = seed >>> 0;
  const high = Math.floor(seed / 4294967296) >>> 0;
  return fmix32(low ^ fmix32(high + 0x9e3779b9));
}

/** MurmurHash3's finaliser: a bijective 32-bit mix with full avalanche. */
function fmix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * A seeded generator.
 * @param seed any safe integer (the protocol uses 0..9).
 * @throws InvalidInputError when `seed` is not a safe integer.
 */
export function createRng(seed: number): Rng {
  const generator = new Xoshiro(seedTo32(seed));
  const next = (): number => generator.nextFloat();
  return {
    next,
    int(n: number): number {
      if (!Number.isInteger(n) || n <= 0) throw new InvalidInputError(`rng.int needs a positive integer bound, got ${n}`);
      return Math.floor(next() * n);
    },
  };
}

/**
 * A seed for an independent stream, e.g. `deriveSeed(seed, 'balance')` and `deriveSeed(seed, 'kmeans')`,
 * so that changing how one stream is used never shifts another.
 * @returns a non-negative 32-bit integer.
 * @throws InvalidInputError when `seed` is not a safe integer.
 */
export function deriveSeed(seed: number, stream: string): number {
  let h = seedTo32(seed);
  for (let i = 0; i < stream.length; i++) h = fmix32(h ^ Math.imul(stream.charCodeAt(i) + 1, 0x27d4eb2d));
  return fmix32(h ^ stream.length);
}

/** Shuffles `values` in place (Fisher–Yates) and returns it. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(values: T, rng: Rng): T {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = values[i];
    values[i] = values[j];
    values[j] = tmp;
  }
  return values;
}

/**
 * `k` distinct indices drawn uniformly from [0, n), returned in increasing order.
 * @throws InvalidInputError unless 0 ≤ k ≤ n.
 */
export function sampleIndices(n: number, k: number, rng: Rng): number[] {
  if (!Number.isInteger(n) || !Number.isInteger(k) || k < 0 || k > n) {
    throw new InvalidInputError(`cannot draw ${k} of ${n} items: need integers with 0 ≤ k ≤ n`);
  }
  const pool = Array.from({ length: n }, (_, i) => i);
  // Partial Fisher–Yates: the first k slots end up a uniform k-subset.
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const tmp = pool[i] as number;
    pool[i] = pool[j] as number;
    pool[j] = tmp;
  }
  return pool.slice(0, k).sort((a, b) => a - b);
}

/**
 * Seeded draws for discovery on the kernel's generator (src/kernel/rng.ts, xoshiro128**): bootstrap
 * resamples, shuffles and per-purpose seeds. A discovery run is a pure function of its seed.
 */
import { Rng } from '../../kernel/rng.ts';

/** A seed for one purpose of one run: `seed` and `salt` mixed by a 32-bit hash (splitmix-style finaliser). */
export function mixSeed(seed: number, salt: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul((salt >>> 0) + 0x7f4a7c15, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng.nextFloat() * n);
}

/** n indices drawn from [0, n) with replacement. */
export function bootstrapIndices(n: number, rng: Rng): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = randomInt(rng, n);
  return out;
}

/** Fisher–Yates shuffle in place; returns the array. */
export function shuffle<T>(values: T[], rng: Rng): T[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const t = values[i] as T;
    values[i] = values[j] as T;
    values[j] = t;
  }
  return values;
}

export { Rng };

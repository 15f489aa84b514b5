// The seeded PRNG shared bit-for-bit with src/kernel/rng.ts: splitmix32 expands a 32-bit seed into
// the 128-bit state of xoshiro128** (Blackman & Vigna). 32-bit arithmetic only, so the TypeScript
// twin needs no BigInt and both produce the same stream for the same seed.

let s0: u32 = 0;
let s1: u32 = 0;
let s2: u32 = 0;
let s3: u32 = 0;

// @ts-ignore: decorator
@inline function splitmix32(state: u32): u32 {
  let z = state;
  z = (z ^ (z >>> 16)) * 0x85ebca6b;
  z = (z ^ (z >>> 13)) * 0xc2b2ae35;
  return z ^ (z >>> 16);
}

/** Resets the generator to the stream of `seed` (any u32). */
export function rng_seed(seed: u32): void {
  // Successive splitmix32 outputs of state seed + i·golden; never all zero in practice, and a zero
  // state is patched below because xoshiro would then emit zeros forever.
  s0 = splitmix32(seed + 0x9e3779b9);
  s1 = splitmix32(seed + 0x3c6ef372);
  s2 = splitmix32(seed + 0xdaa66d2b);
  s3 = splitmix32(seed + 0x78dde6e4);
  if ((s0 | s1 | s2 | s3) == 0) s0 = 1;
}

/** Next 32 random bits. */
export function rng_next_u32(): u32 {
  const result = rotl<u32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u32>(s3, 11);
  return result;
}

/** Uniform double in [0, 1) with 32 bits of randomness. */
export function rng_next_f64(): f64 {
  return <f64>rng_next_u32() * (1.0 / 4294967296.0);
}

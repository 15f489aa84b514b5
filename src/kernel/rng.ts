/**
 * The seeded PRNG shared bit-for-bit with assembly/rng.ts: splitmix32 expands a 32-bit seed into the
 * 128-bit state of xoshiro128** (Blackman & Vigna). All arithmetic is 32-bit (Math.imul, >>> 0), so
 * the WASM and TypeScript kernels draw the same numbers for the same seed.
 */

function splitmix32(state: number): number {
  let z = state >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * The four 32-bit words of the xoshiro128** state for `seed` (any number; its low 32 bits select the stream), for
 * kernels that carry the generator's state themselves (assembly/umap.ts).
 */
export function seedState(seed: number): Uint32Array {
  const s = seed >>> 0;
  const state = Uint32Array.of(
    splitmix32(s + 0x9e3779b9), splitmix32(s + 0x3c6ef372), splitmix32(s + 0xdaa66d2b), splitmix32(s + 0x78dde6e4));
  // xoshiro would emit zeros forever from an all-zero state.
  if ((state[0]! | state[1]! | state[2]! | state[3]!) === 0) state[0] = 1;
  return state;
}

/** A xoshiro128** generator. */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /** @param seed any number; only its low 32 bits (as `seed >>> 0`) select the stream. */
  constructor(seed: number) {
    const state = seedState(seed);
    this.s0 = state[0]!;
    this.s1 = state[1]!;
    this.s2 = state[2]!;
    this.s3 = state[3]!;
  }

  /** Next 32 random bits as an unsigned integer in [0, 2³²). */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform number in [0, 1) with 32 random bits. */
  nextFloat(): number {
    return this.nextU32() / 4294967296;
  }
}

/**
 * Seeded data and comparison helpers for the kernel tests (portable: no Node modules).
 */
import assert from 'node:assert/strict';
import { Rng } from '../../src/kernel/rng.ts';

/** n × d values uniform in [-1, 1) from `seed`. */
export function uniform(n: number, d: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(n * d);
  for (let i = 0; i < out.length; i++) out[i] = rng.nextFloat() * 2 - 1;
  return out;
}

/** A standard normal draw (Box–Muller). */
export function gaussian(rng: Rng): number {
  const u = 1 - rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
}

/**
 * `k` well-separated blobs in d dimensions: centres uniform in [-10, 10)^d kept at least
 * `minGap` apart, `perCluster` points each with N(0, noise²) noise, rows interleaved (row i in
 * blob i % k) so chunked sources see every blob early. Returns the data and the planted labels.
 */
export function blobs(k: number, perCluster: number, d: number, seed: number, noise = 0.05, minGap = 4): {
  data: Float32Array;
  truth: Int32Array;
  centres: Float32Array;
} {
  const rng = new Rng(seed);
  const centres = new Float32Array(k * d);
  for (let j = 0; j < k; j++) {
    for (;;) {
      for (let t = 0; t < d; t++) centres[j * d + t] = rng.nextFloat() * 20 - 10;
      let ok = true;
      for (let m = 0; m < j && ok; m++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += (centres[j * d + t]! - centres[m * d + t]!) ** 2;
        ok = Math.sqrt(s) >= minGap;
      }
      if (ok) break;
    }
  }
  const n = k * perCluster;
  const data = new Float32Array(n * d);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = i % k;
    truth[i] = j;
    for (let t = 0; t < d; t++) data[i * d + t] = centres[j * d + t]! + noise * gaussian(rng);
  }
  return { data, truth, centres };
}

/** Asserts that two labelings define the same partition (equal up to renaming the clusters). */
export function assertSamePartition(actual: Int32Array, expected: Int32Array, message = 'partition'): void {
  assert.equal(actual.length, expected.length, `${message}: lengths differ`);
  const forward = new Map<number, number>();
  const backward = new Map<number, number>();
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!forward.has(a)) forward.set(a, e);
    if (!backward.has(e)) backward.set(e, a);
    if (forward.get(a) !== e || backward.get(e) !== a) {
      assert.fail(`${message}: row ${i} is in cluster ${a} but the expected partition puts it with cluster ${e}`);
    }
  }
}

/**
 * Asserts |actual[i] − expected[i]| ≤ rel·scale[i] + abs for every i, naming the first offender.
 * `scale` defaults to |expected[i]|.
 */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: { rel?: number; abs?: number; scale?: ArrayLike<number> },
  message: string,
): void {
  assert.equal(actual.length, expected.length, `${message}: lengths ${actual.length} vs ${expected.length}`);
  const rel = tolerance.rel ?? 0;
  const abs = tolerance.abs ?? 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const scale = tolerance.scale ? tolerance.scale[i]! : Math.abs(e);
    if (!(Math.abs(a - e) <= rel * scale + abs)) {
      assert.fail(`${message}: element ${i} is ${a}, expected ${e} (tolerance ${rel} × ${scale} + ${abs})`);
    }
  }
}

/** Σ|q_t · x_t| for each row: the scale a float32 dot product's rounding error is relative to. */
export function absDotScale(query: Float32Array, data: Float32Array, d: number): Float64Array {
  const n = data.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += Math.abs(query[t]! * data[i * d + t]!);
    out[i] = s;
  }
  return out;
}

/** True when every value is finite. */
export function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return false;
  return true;
}

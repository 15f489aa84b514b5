/**
 * Shared pieces of the analysis tests: the kernel under test (WASM SIMD where it runs, else the
 * reference, exactly as the library gets it) and seeded synthetic embeddings.
 */
import { loadKernel, type Kernel } from '../../src/kernel/index.ts';
import { createRng, type Rng } from '../../src/analysis/rng.ts';

// FAP_KERNEL=js-reference runs the suite on the pure-TS kernel (the browser fallback) instead.
const kernel: Kernel = await loadKernel({ backend: process.env.FAP_KERNEL === 'js-reference' ? 'js-reference' : 'auto' });

/** The kernel every analysis test runs on. */
export function testKernel(): Kernel {
  return kernel;
}

/** A standard normal draw (Box–Muller). */
export function gaussian(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Scales every row to unit length. */
export function normalizeRows(data: Float32Array, d: number): Float32Array {
  for (let i = 0; i < data.length / d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += data[i * d + j]! ** 2;
    const norm = Math.sqrt(s) || 1;
    for (let j = 0; j < d; j++) data[i * d + j]! /= norm;
  }
  return data;
}

/**
 * k isotropic Gaussian clusters around random centres (unit centres when `unit`, rows then
 * normalised too): perCluster rows each, labels = cluster index, rows in cluster order.
 */
export function gaussianClusters(o: { k: number; perCluster: number; d: number; spread: number; seed: number; unit?: boolean }): { data: Float32Array; labels: number[] } {
  const rng = createRng(o.seed);
  const centres = Float32Array.from({ length: o.k * o.d }, () => gaussian(rng));
  if (o.unit) normalizeRows(centres, o.d);
  const data = new Float32Array(o.k * o.perCluster * o.d);
  const labels: number[] = [];
  for (let c = 0; c < o.k; c++) {
    for (let i = 0; i < o.perCluster; i++) {
      const row = (c * o.perCluster + i) * o.d;
      for (let j = 0; j < o.d; j++) data[row + j] = centres[c * o.d + j]! + o.spread * gaussian(rng);
      labels.push(c);
    }
  }
  if (o.unit) normalizeRows(data, o.d);
  return { data, labels };
}

/**
 * Synthetic L2-normalised "embeddings" with a planted binary attribute: isotropic noise of unit
 * variance per dimension, plus ±shift/2 along one fixed random direction by class (shift 0 = absent).
 * Classes are unbalanced (n1 of class 1, n0 of class 0) so the protocol must balance them.
 */
export function plantedAttribute(o: { n0: number; n1: number; d: number; shift: number; seed: number }): { data: Float32Array; classes: number[] } {
  const rng = createRng(o.seed);
  const direction = normalizeRows(Float32Array.from({ length: o.d }, () => gaussian(rng)), o.d);
  const n = o.n0 + o.n1;
  const data = new Float32Array(n * o.d);
  const classes: number[] = [];
  for (let i = 0; i < n; i++) {
    const cls = i < o.n1 ? 1 : 0;
    classes.push(cls);
    const offset = (cls === 1 ? 0.5 : -0.5) * o.shift;
    for (let j = 0; j < o.d; j++) data[i * o.d + j] = gaussian(rng) + offset * direction[j]!;
  }
  return { data: normalizeRows(data, o.d), classes };
}

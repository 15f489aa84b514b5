/**
 * The map's projection: UMAP (McInnes, Healy & Melville, 2018) on typed arrays, with the kernel's WebAssembly SIMD
 * doing the heavy loops (src/kernel/umap-kernel.ts: nearestNeighbours, umapLayout, on a WebAssembly module of their
 * own; the main kernel's k-means and PCA; the pure-TypeScript twins where SIMD is missing). Steps, as umap-learn
 * does them unless said otherwise:
 * 1. the 14 nearest other faces of every face (15 with itself, UMAP's n_neighbors), approximate through an
 *    inverted file of k-means lists (exact up to 4,096 faces);
 * 2. the fuzzy simplicial set: per face the distance to its nearest neighbour (rho) and the bandwidth (sigma, by
 *    binary search) that make its memberships sum to log2(15); memberships symmetrised as a + b − ab;
 * 3. the start: the first two principal components scaled to ±10 (umap-learn's `init="pca"`), which keeps the
 *    large-scale layout of the embedding, instead of a random start;
 * 4. the layout: stochastic gradient descent with negative sampling, a and b fitted to min_dist and spread 1,
 *    seeded, in batches of epochs with progress reports and AbortSignal checks between them.
 * Runs the same in Node and in a worker; the worker is projection-worker.ts. umap-js (the previous projection) is
 * the peer the benchmark (bench/map.ts) measures this one against.
 */
import { InvalidInputError, throwIfAborted } from '../../errors.ts';
import { loadKernel } from '../../kernel/index.ts';
import type { Kernel } from '../../kernel/types.ts';
import { loadUmapKernel, type LayoutGraph, type NearestNeighbours, type UmapKernel } from '../../kernel/umap-kernel.ts';
import { createRng } from '../rng.ts';
import type { ProjectionProgress } from './projection-method.ts';

/** Options for {@link projectUmap}. */
export interface ProjectionOptions {
  /** Seed of UMAP's random choices (default 0): the same faces in the same order give the same map. */
  seed?: number;
  /** Neighbours per point, the point itself included as in UMAP (default 15, fewer when there are fewer points). */
  nNeighbors?: number;
  /** Minimum distance between points on the map (default 0.1). */
  minDist?: number;
  /** Layout epochs (default: 500 up to 2,500 points, then 400, 300, and 200 above 7,500, as umap-js). */
  nEpochs?: number;
  /** The kernel for k-means and PCA (default: `loadKernel()`, the WASM SIMD core where it runs). */
  kernel?: Kernel;
  /** The kernel for the neighbours and the layout (default: `loadUmapKernel()`, WASM SIMD where it runs). */
  umapKernel?: UmapKernel;
  signal?: AbortSignal;
  onProgress?: (progress: ProjectionProgress) => void;
}

/** Lets the event loop run (progress, an abort) during a long synchronous computation. */
const yieldToEvents = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** umap-js's default epochs for n points. */
function defaultEpochs(n: number): number {
  return n <= 2500 ? 500 : n <= 5000 ? 400 : n <= 7500 ? 300 : 200;
}

/**
 * a and b of the map's membership curve 1 / (1 + a·x^(2b)), fitted by least squares (Levenberg–Marquardt) to 1
 * below `minDist` and exp(−(x − minDist) / spread) above, on 300 points of [0, 3·spread] (umap-learn's
 * find_ab_params): a ≈ 1.577, b ≈ 0.895 for min_dist 0.1, spread 1.
 */
export function fitCurve(minDist: number, spread = 1): { a: number; b: number } {
  const xs = Array.from({ length: 300 }, (_, i) => (i * 3 * spread) / 299);
  const ys = xs.map((x) => (x < minDist ? 1 : Math.exp(-(x - minDist) / spread)));
  const cost = (a: number, b: number): number => xs.reduce((s, x, i) => s + (1 / (1 + a * x ** (2 * b)) - (ys[i] as number)) ** 2, 0);
  let a = 1;
  let b = 1;
  let lambda = 1e-3;
  let current = cost(a, b);
  for (let iter = 0; iter < 200; iter++) {
    // Normal equations J^T J δ = −J^T r for the two parameters.
    let jaa = 0;
    let jab = 0;
    let jbb = 0;
    let ga = 0;
    let gb = 0;
    xs.forEach((x, i) => {
      if (x === 0) return;
      const u = x ** (2 * b);
      const f = 1 / (1 + a * u);
      const r = f - (ys[i] as number);
      const da = -u * f * f;
      const db = -a * u * 2 * Math.log(x) * f * f;
      jaa += da * da;
      jab += da * db;
      jbb += db * db;
      ga += da * r;
      gb += db * r;
    });
    const m00 = jaa * (1 + lambda);
    const m11 = jbb * (1 + lambda);
    const det = m00 * m11 - jab * jab;
    const stepA = -(m11 * ga - jab * gb) / det;
    const stepB = -(m00 * gb - jab * ga) / det;
    const next = cost(a + stepA, b + stepB);
    if (a + stepA > 0 && b + stepB > 0 && next < current) {
      const done = current - next < 1e-14;
      a += stepA;
      b += stepB;
      current = next;
      lambda /= 3;
      if (done) break;
    } else {
      lambda *= 4;
      if (lambda > 1e12) break;
    }
  }
  return { a, b };
}

/**
 * UMAP's fuzzy simplicial set of a k-nearest-neighbour graph (k others per point, squared distances), as a
 * layout graph: every undirected edge both ways, weights w = a + b − ab of the two directed memberships, edges
 * below max(w) / epochs dropped, epochs per sample max(w) / w.
 */
export function fuzzyGraph(knn: NearestNeighbours, n: number, nNeighbors: number, epochs: number): LayoutGraph {
  const { k, indices } = knn;
  const target = Math.log2(nNeighbors);
  const member = new Float32Array(n * k);
  const dist = new Float64Array(k);
  let globalMean = 0;
  for (let t = 0; t < n * k; t++) if (indices[t]! >= 0) globalMean += Math.sqrt(knn.distances[t]!) / (n * k);
  for (let i = 0; i < n; i++) {
    let rho = 0;
    let mean = 0;
    for (let q = 0; q < k; q++) {
      const v = indices[i * k + q]! >= 0 ? Math.sqrt(knn.distances[i * k + q]!) : Infinity;
      dist[q] = v;
      if (Number.isFinite(v)) mean += v / k;
      if (rho === 0 && v > 0 && Number.isFinite(v)) rho = v;
    }
    let lo = 0;
    let hi = Infinity;
    let sigma = 1;
    for (let iter = 0; iter < 64; iter++) {
      let sum = 0;
      for (let q = 0; q < k; q++) {
        const e = (dist[q] as number) - rho;
        sum += e > 0 ? Math.exp(-e / sigma) : 1;
      }
      if (Math.abs(sum - target) < 1e-5) break;
      if (sum > target) {
        hi = sigma;
        sigma = (lo + hi) / 2;
      } else {
        lo = sigma;
        sigma = hi === Infinity ? sigma * 2 : (lo + hi) / 2;
      }
    }
    sigma = Math.max(sigma, 1e-3 * (rho > 0 ? mean : globalMean));
    for (let q = 0; q < k; q++) {
      const e = (dist[q] as number) - rho;
      member[i * k + q] = !Number.isFinite(dist[q] as number) ? 0 : e <= 0 || sigma === 0 ? 1 : Math.exp(-e / sigma);
    }
  }
  // Symmetrise: the edge i–j once, from i when i < j or when j does not list i.
  const heads: number[] = [];
  const tails: number[] = [];
  const weights: number[] = [];
  let maxW = 0;
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < k; q++) {
      const j = indices[i * k + q]!;
      const a = member[i * k + q]!;
      if (j < 0 || a <= 0) continue;
      let b = 0;
      let listed = false;
      for (let r = 0; r < k; r++) {
        if (indices[j * k + r] === i) {
          b = member[j * k + r]!;
          listed = true;
          break;
        }
      }
      if (listed && j < i) continue;
      const w = a + b - a * b;
      heads.push(i);
      tails.push(j);
      weights.push(w);
      if (w > maxW) maxW = w;
    }
  }
  const keep = weights.map((w) => w >= maxW / epochs);
  const kept = keep.filter(Boolean).length;
  const head = new Int32Array(2 * kept);
  const tail = new Int32Array(2 * kept);
  const epochsPerSample = new Float32Array(2 * kept);
  let e = 0;
  weights.forEach((w, t) => {
    if (!keep[t]) return;
    const s = Math.max(1, maxW / w);
    head[e] = heads[t]!;
    tail[e] = tails[t]!;
    epochsPerSample[e++] = s;
    head[e] = tails[t]!;
    tail[e] = heads[t]!;
    epochsPerSample[e++] = s;
  });
  return { head, tail, epochsPerSample };
}

/** The first two principal components scaled to ±10, plus noise of 1e-4 (umap-learn's PCA start); random where flat. */
function pcaStart(kernel: Kernel, vectors: Float32Array, d: number, n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  let start: Float32Array;
  if (d >= 2) {
    start = kernel.projectPca(vectors, d, kernel.pca(vectors, d, 2));
  } else {
    start = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) start[i * 2] = vectors[i]!;
  }
  let max = 0;
  for (const v of start) max = Math.max(max, Math.abs(v));
  if (!(max > 0)) {
    for (let t = 0; t < start.length; t++) start[t] = rng.next() * 20 - 10;
    return start;
  }
  const scale = 10 / max;
  for (let t = 0; t < start.length; t++) start[t] = start[t]! * scale + 1e-4 * gauss();
  return start;
}

/**
 * Projects n vectors (n × d, row-major) onto 2-D with UMAP.
 * @returns n × 2 positions, row-major (arbitrary units; the map fits them to the view). Fewer than 4 points are
 *   laid on a line, since a neighbour graph needs more.
 * @throws InvalidInputError when `vectors.length` is not a multiple of `d` or holds NaN or ±Infinity; AbortError
 *   when `signal` aborts (checked before and after the neighbour search and between batches of epochs).
 */
export async function projectUmap(vectors: Float32Array, d: number, options: ProjectionOptions = {}): Promise<Float32Array> {
  if (!Number.isInteger(d) || d < 1 || vectors.length % d !== 0) {
    throw new InvalidInputError(`projectUmap: ${vectors.length} values are not rows of ${d} dimensions`);
  }
  const { signal, onProgress } = options;
  throwIfAborted(signal);
  const n = vectors.length / d;
  if (n < 4) {
    const out = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) out[i * 2] = i;
    return out;
  }
  const seed = options.seed ?? 0;
  const nNeighbors = Math.max(2, Math.min(options.nNeighbors ?? 15, n - 1));
  const epochs = options.nEpochs ?? defaultEpochs(n);
  const kernel = options.kernel ?? (await loadKernel());
  const umap = options.umapKernel ?? (await loadUmapKernel());
  onProgress?.({ phase: 'neighbours', done: 0, total: 1 });
  await yieldToEvents();
  throwIfAborted(signal);
  const knn = umap.nearestNeighbours(kernel, vectors, d, { k: nNeighbors - 1, seed });
  onProgress?.({ phase: 'neighbours', done: 1, total: 1 });
  await yieldToEvents();
  throwIfAborted(signal);
  const graph = fuzzyGraph(knn, n, nNeighbors, epochs);
  const start = pcaStart(kernel, vectors, d, n, seed);
  const { a, b } = fitCurve(options.minDist ?? 0.1);
  return umap.umapLayout(start, graph, {
    a, b, epochs, seed, signal,
    onProgress: (p) => onProgress?.({ phase: 'layout', done: p.epochs, total: p.total }),
  });
}

/**
 * The pure-TypeScript kernel: the test oracle for the WASM core and the fallback where WebAssembly
 * SIMD is unavailable. Same algorithms, same RNG and the same tie rules as assembly/, so seeded
 * results agree up to floating point: this file accumulates in float64 where the WASM core uses
 * float32 lanes, so distances differ in the last bits and a near-tie may resolve differently.
 *
 * Layouts: every matrix is float32, row-major, packed (row i at i·d).
 */
import type {
  ChunkSource, KMeansOptions, KMeansResult, MeanVariance, MiniBatchKMeansOptions, MiniBatchKMeansResult,
  PcaResult, ResidentKernel, ResidentMatrix,
} from './types.ts';
import { InvalidInputError } from '../errors.ts';
import { Rng } from './rng.ts';
import { pcaFromCovariance } from './eigen.ts';
import { runMiniBatch, type MiniBatchOps, type MiniBatchSession } from './minibatch-driver.ts';
import {
  checkDim, checkFinite, checkInteger, checkMatrix, checkPcaBasis, checkStats, checkVector, firstNonFinite,
  resolveKMeansOptions,
} from './validate.ts';

// The two inner loops below carry four partial sums: float64 keeps the result accurate either
// way, and four independent chains make this fallback about 1.7× faster than a single sum.

function l2sq(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const d4 = d & ~3;
  let t = 0;
  for (; t < d4; t += 4) {
    const e0 = a[ao + t]! - b[bo + t]!;
    const e1 = a[ao + t + 1]! - b[bo + t + 1]!;
    const e2 = a[ao + t + 2]! - b[bo + t + 2]!;
    const e3 = a[ao + t + 3]! - b[bo + t + 3]!;
    s0 += e0 * e0;
    s1 += e1 * e1;
    s2 += e2 * e2;
    s3 += e3 * e3;
  }
  for (; t < d; t++) {
    const e = a[ao + t]! - b[bo + t]!;
    s0 += e * e;
  }
  return s0 + s1 + (s2 + s3);
}

function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const d4 = d & ~3;
  let t = 0;
  for (; t < d4; t += 4) {
    s0 += a[ao + t]! * b[bo + t]!;
    s1 += a[ao + t + 1]! * b[bo + t + 1]!;
    s2 += a[ao + t + 2]! * b[bo + t + 2]!;
    s3 += a[ao + t + 3]! * b[bo + t + 3]!;
  }
  for (; t < d; t++) s0 += a[ao + t]! * b[bo + t]!;
  return s0 + s1 + (s2 + s3);
}

/** Cosine from a dot product and two squared norms: 0 when either norm is 0, clamped to [-1, 1]. */
function cosineOf(ab: number, aa: number, bb: number): number {
  if (aa === 0 || bb === 0) return 0;
  return Math.min(1, Math.max(-1, ab / Math.sqrt(aa * bb)));
}

/**
 * Nearest centroid for every row (lowest index wins ties): fills labels and dist, returns the
 * inertia and how many labels changed.
 */
function assign(
  data: Float32Array, n: number, d: number, cent: Float32Array, k: number, labels: Int32Array, dist: Float64Array,
): { inertia: number; changed: number } {
  let inertia = 0;
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const x = i * d;
    let best = Infinity;
    let arg = 0;
    for (let j = 0; j < k; j++) {
      const v = l2sq(data, x, cent, j * d, d);
      if (v < best) {
        best = v;
        arg = j;
      }
    }
    if (labels[i] !== arg) changed++;
    labels[i] = arg;
    dist[i] = best;
    inertia += best;
  }
  return { inertia, changed };
}

/** k-means++: k rows copied into cent, exactly k RNG draws; mind ends as each row's distance to its nearest seed. */
function kmeansPlusPlus(
  data: Float32Array, n: number, d: number, k: number, rng: Rng, cent: Float32Array, mind: Float64Array,
): void {
  let pick = Math.floor(rng.nextFloat() * n);
  cent.set(data.subarray(pick * d, pick * d + d), 0);
  for (let i = 0; i < n; i++) mind[i] = l2sq(data, i * d, cent, 0, d);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += mind[i]!;
    const u = rng.nextFloat();
    if (total > 0) {
      const target = u * total;
      let acc = 0;
      let lastPositive = 0;
      pick = -1;
      for (let i = 0; i < n; i++) {
        const m = mind[i]!;
        if (m > 0) {
          lastPositive = i;
          acc += m;
          if (acc > target) {
            pick = i;
            break;
          }
        }
      }
      // Rounding can leave acc ≤ target after the last row: take the last row that can be picked.
      if (pick < 0) pick = lastPositive;
    } else {
      // Every row coincides with a chosen centre (duplicates): any row is as good as another.
      pick = Math.floor(u * n);
    }
    cent.set(data.subarray(pick * d, pick * d + d), c * d);
    for (let i = 0; i < n; i++) {
      const v = l2sq(data, i * d, cent, c * d, d);
      if (v < mind[i]!) mind[i] = v;
    }
  }
}

/**
 * Gives each empty cluster (ascending j) the farthest row (lowest index on ties) among rows whose
 * cluster has more than one member; that row's distance becomes 0. With k ≤ n none stays empty.
 */
function fixEmpty(n: number, k: number, labels: Int32Array, dist: Float64Array, counts: Int32Array): void {
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[labels[i]!]!++;
  for (let j = 0; j < k; j++) {
    if (counts[j] !== 0) continue;
    let far = -1;
    let farDist = -1;
    for (let i = 0; i < n; i++) {
      if (dist[i]! > farDist && counts[labels[i]!]! > 1) {
        far = i;
        farDist = dist[i]!;
      }
    }
    if (far < 0) break;
    counts[labels[far]!]!--;
    labels[far] = j;
    dist[far] = 0;
    counts[j] = 1;
  }
}

/** Per-cluster float64 sums (k × d) and counts of the rows under labels. */
function clusterSums(
  data: Float32Array, n: number, d: number, labels: Int32Array, sums: Float64Array, counts: Int32Array,
): void {
  sums.fill(0);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const j = labels[i]!;
    counts[j]!++;
    const s = j * d;
    const x = i * d;
    for (let t = 0; t < d; t++) sums[s + t] = sums[s + t]! + data[x + t]!;
  }
}

/** Centroids to the means of their rows (empty clusters keep theirs); returns Σ‖new − old‖². */
function update(
  data: Float32Array, n: number, d: number, cent: Float32Array, k: number, labels: Int32Array,
  sums: Float64Array, counts: Int32Array,
): number {
  clusterSums(data, n, d, labels, sums, counts);
  let shift = 0;
  for (let j = 0; j < k; j++) {
    const count = counts[j]!;
    if (count === 0) continue;
    const inv = 1 / count;
    for (let t = 0; t < d; t++) {
      const old = cent[j * d + t]!;
      cent[j * d + t] = sums[j * d + t]! * inv;
      const e = cent[j * d + t]! - old;
      shift += e * e;
    }
  }
  return shift;
}

/** Column means and population variances in float64 (two passes). */
function columnMeanVar(data: Float32Array, n: number, d: number): { mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(d);
  const variance = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] = mean[t]! + data[i * d + t]!;
  for (let t = 0; t < d; t++) mean[t] = mean[t]! / n;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) {
      const e = data[i * d + t]! - mean[t]!;
      variance[t] = variance[t]! + e * e;
    }
  }
  for (let t = 0; t < d; t++) variance[t] = variance[t]! / n;
  return { mean, variance };
}

/** One query against n rows: 0 = squared L2, 1 = dot, 2 = cosine. Inputs already validated. */
function oneToMany(query: Float32Array, data: Float32Array, n: number, d: number, kind: 0 | 1 | 2): Float32Array {
  const out = new Float32Array(n);
  const qq = kind === 2 ? dot(query, 0, query, 0, d) : 0;
  for (let i = 0; i < n; i++) {
    if (kind === 0) out[i] = l2sq(query, 0, data, i * d, d);
    else if (kind === 1) out[i] = dot(query, 0, data, i * d, d);
    else out[i] = cosineOf(dot(query, 0, data, i * d, d), qq, dot(data, i * d, data, i * d, d));
  }
  return out;
}

class ReferenceResidentMatrix implements ResidentMatrix {
  private data: Float32Array | undefined;
  readonly n: number;

  constructor(data: Float32Array, readonly d: number) {
    this.n = data.length / d;
    this.data = data.slice();
  }

  private query(query: Float32Array, kind: 0 | 1 | 2): Float32Array {
    if (!this.data) throw new InvalidInputError('this resident matrix was disposed: create a new one with residentMatrix()');
    checkVector('query', query, this.d);
    checkFinite('query', query, this.d);
    return oneToMany(query, this.data, this.n, this.d, kind);
  }

  l2sqOneToMany(query: Float32Array): Float32Array {
    return this.query(query, 0);
  }

  dotOneToMany(query: Float32Array): Float32Array {
    return this.query(query, 1);
  }

  cosineOneToMany(query: Float32Array): Float32Array {
    return this.query(query, 2);
  }

  dispose(): void {
    this.data = undefined;
  }
}

class ReferenceMiniBatchSession implements MiniBatchSession {
  private batch: Float32Array = new Float32Array(0);
  private readonly counts: Float64Array;
  private readonly labels: Int32Array;
  private readonly dist: Float64Array;
  private readonly sums: Float64Array;
  private readonly bcounts: Int32Array;

  constructor(private readonly cent: Float32Array, private readonly d: number, private readonly k: number, batchSize: number) {
    this.counts = new Float64Array(k);
    this.labels = new Int32Array(batchSize);
    this.dist = new Float64Array(batchSize);
    this.sums = new Float64Array(k * d);
    this.bcounts = new Int32Array(k);
  }

  load(batch: Float32Array): number {
    this.batch = batch;
    return firstNonFinite(batch);
  }

  step(): void {
    const { d, k, cent } = this;
    const nb = this.batch.length / d;
    assign(this.batch, nb, d, cent, k, this.labels, this.dist);
    clusterSums(this.batch, nb, d, this.labels, this.sums, this.bcounts);
    for (let j = 0; j < k; j++) {
      const bc = this.bcounts[j]!;
      if (bc === 0) continue;
      this.counts[j] = this.counts[j]! + bc;
      const eta = bc / this.counts[j]!;
      const inv = 1 / bc;
      for (let t = 0; t < d; t++) {
        const old = cent[j * d + t]!;
        cent[j * d + t] = old + eta * (this.sums[j * d + t]! * inv - old);
      }
    }
  }

  assign(labels: Int32Array | undefined, offset: number): number {
    const nb = this.batch.length / this.d;
    const { inertia } = assign(this.batch, nb, this.d, this.cent, this.k, this.labels, this.dist);
    labels?.set(this.labels.subarray(0, nb), offset);
    return inertia;
  }

  centroids(): Float32Array {
    return this.cent.slice();
  }

  dispose(): void {
    this.batch = new Float32Array(0);
  }
}

const referenceMiniBatchOps: MiniBatchOps = {
  seed(sample, n, d, k, seed) {
    const cent = new Float32Array(k * d);
    kmeansPlusPlus(sample, n, d, k, new Rng(seed), cent, new Float64Array(n));
    return cent;
  },
  session(centroids, d, k, batchSize) {
    return new ReferenceMiniBatchSession(centroids.slice(), d, k, batchSize);
  },
};

/** The pure-TypeScript {@link Kernel}. See the interface for shapes; every method throws InvalidInputError on bad input. */
export class ReferenceKernel implements ResidentKernel {
  readonly backend = 'js-reference' as const;

  residentMatrix(data: Float32Array, d: number): ResidentMatrix {
    checkDim(d);
    checkMatrix('data', data, d);
    checkFinite('data', data, d);
    return new ReferenceResidentMatrix(data, d);
  }

  private oneToMany(query: Float32Array, data: Float32Array, d: number, kind: 0 | 1 | 2): Float32Array {
    checkDim(d);
    checkVector('query', query, d);
    const n = checkMatrix('data', data, d);
    checkFinite('query', query, d);
    checkFinite('data', data, d);
    return oneToMany(query, data, n, d, kind);
  }

  private pairwise(a: Float32Array, b: Float32Array, d: number, kind: 0 | 1 | 2): Float32Array {
    checkDim(d);
    const na = checkMatrix('a', a, d);
    const nb = checkMatrix('b', b, d);
    checkFinite('a', a, d);
    checkFinite('b', b, d);
    const out = new Float32Array(na * nb);
    const bn = new Float64Array(nb);
    if (kind === 2) for (let j = 0; j < nb; j++) bn[j] = dot(b, j * d, b, j * d, d);
    for (let i = 0; i < na; i++) {
      const an = kind === 2 ? dot(a, i * d, a, i * d, d) : 0;
      for (let j = 0; j < nb; j++) {
        if (kind === 0) out[i * nb + j] = l2sq(a, i * d, b, j * d, d);
        else if (kind === 1) out[i * nb + j] = dot(a, i * d, b, j * d, d);
        else out[i * nb + j] = cosineOf(dot(a, i * d, b, j * d, d), an, bn[j]!);
      }
    }
    return out;
  }

  l2sqOneToMany(query: Float32Array, data: Float32Array, d: number): Float32Array {
    return this.oneToMany(query, data, d, 0);
  }

  dotOneToMany(query: Float32Array, data: Float32Array, d: number): Float32Array {
    return this.oneToMany(query, data, d, 1);
  }

  cosineOneToMany(query: Float32Array, data: Float32Array, d: number): Float32Array {
    return this.oneToMany(query, data, d, 2);
  }

  l2sqPairwise(a: Float32Array, b: Float32Array, d: number): Float32Array {
    return this.pairwise(a, b, d, 0);
  }

  dotPairwise(a: Float32Array, b: Float32Array, d: number): Float32Array {
    return this.pairwise(a, b, d, 1);
  }

  cosinePairwise(a: Float32Array, b: Float32Array, d: number): Float32Array {
    return this.pairwise(a, b, d, 2);
  }

  assignNearest(data: Float32Array, centroids: Float32Array, d: number): { labels: Int32Array; distances: Float32Array } {
    checkDim(d);
    const n = checkMatrix('data', data, d);
    const k = checkMatrix('centroids', centroids, d);
    checkFinite('data', data, d);
    checkFinite('centroids', centroids, d);
    const labels = new Int32Array(n);
    const dist = new Float64Array(n);
    assign(data, n, d, centroids, k, labels, dist);
    return { labels, distances: Float32Array.from(dist) };
  }

  kmeans(data: Float32Array, d: number, options: KMeansOptions): KMeansResult {
    checkDim(d);
    const n = checkMatrix('data', data, d);
    const { k, seed, maxIterations, tolerance, restarts } = resolveKMeansOptions(options, n);
    checkFinite('data', data, d);
    const { variance } = columnMeanVar(data, n, d);
    let meanVar = 0;
    for (let t = 0; t < d; t++) meanVar += variance[t]!;
    const tolAbs = tolerance * (meanVar / d);

    const rng = new Rng(seed);
    const cent = new Float32Array(k * d);
    const labels = new Int32Array(n);
    const dist = new Float64Array(n);
    const sums = new Float64Array(k * d);
    const counts = new Int32Array(k);
    let best: KMeansResult | undefined;
    for (let r = 0; r < restarts; r++) {
      kmeansPlusPlus(data, n, d, k, rng, cent, dist);
      // -1 is never a label, so the first assignment counts every row as changed.
      labels.fill(-1);
      let { inertia } = assign(data, n, d, cent, k, labels, dist);
      let it = 0;
      while (it < maxIterations) {
        fixEmpty(n, k, labels, dist, counts);
        const shift = update(data, n, d, cent, k, labels, sums, counts);
        it++;
        const step = assign(data, n, d, cent, k, labels, dist);
        inertia = step.inertia;
        if (step.changed === 0 || shift <= tolAbs) break;
      }
      // r === 0 also covers an infinite inertia (float overflow on values beyond ~1e154).
      if (best === undefined || inertia < best.inertia) {
        best = { labels: labels.slice(), centroids: cent.slice(), inertia, iterations: it };
      }
    }
    return best!;
  }

  miniBatchKMeans(source: ChunkSource, d: number, options: MiniBatchKMeansOptions): Promise<MiniBatchKMeansResult> {
    return runMiniBatch(referenceMiniBatchOps, source, d, options);
  }

  meanVariance(data: Float32Array, d: number): MeanVariance {
    checkDim(d);
    const n = checkMatrix('data', data, d);
    checkFinite('data', data, d);
    const { mean, variance } = columnMeanVar(data, n, d);
    return { mean: Float32Array.from(mean), variance: Float32Array.from(variance) };
  }

  standardize(data: Float32Array, d: number, stats: MeanVariance): Float32Array {
    checkDim(d);
    const n = checkMatrix('data', data, d);
    checkStats(stats, d);
    checkFinite('data', data, d);
    const out = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < d; t++) {
        const v = stats.variance[t]!;
        out[i * d + t] = v > 0 ? (data[i * d + t]! - stats.mean[t]!) / Math.sqrt(v) : 0;
      }
    }
    return out;
  }

  pca(data: Float32Array, d: number, components: number): PcaResult {
    checkDim(d);
    const n = checkMatrix('data', data, d);
    checkInteger('components', components, 1, d);
    checkFinite('data', data, d);
    const { mean } = columnMeanVar(data, n, d);
    const cov = new Float64Array(d * d);
    const xc = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < d; t++) xc[t] = data[i * d + t]! - mean[t]!;
      for (let a = 0; a < d; a++) {
        const xa = xc[a]!;
        const row = a * d;
        for (let b = a; b < d; b++) cov[row + b] = cov[row + b]! + xa * xc[b]!;
      }
    }
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        const v = cov[a * d + b]! / n;
        cov[a * d + b] = v;
        cov[b * d + a] = v;
      }
    }
    return pcaFromCovariance(mean, cov, d, components);
  }

  projectPca(data: Float32Array, d: number, pca: PcaResult): Float32Array {
    checkDim(d);
    const n = checkMatrix('data', data, d);
    const c = checkPcaBasis(pca, d);
    checkFinite('data', data, d);
    const out = new Float32Array(n * c);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < c; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += (data[i * d + t]! - pca.mean[t]!) * pca.components[j * d + t]!;
        out[i * c + j] = s;
      }
    }
    return out;
  }
}

/** The shared pure-TypeScript kernel instance. */
export const referenceKernel: ResidentKernel = new ReferenceKernel();

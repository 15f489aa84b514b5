/**
 * The WASM SIMD kernel behind the {@link Kernel} interface: plain Float32Array in and out, with
 * this class owning the module's linear memory.
 *
 * Memory: assembly/ runs AssemblyScript's "minimal" runtime (a TLSF allocator, no automatic GC) and
 * creates no managed objects, so a block lives exactly until it is freed. Each call allocates its
 * inputs, outputs and scratch, copies the results out, and frees everything in `finally`; repeated
 * calls therefore reuse the same blocks and memory stops growing at the largest call's footprint
 * (wasm memory never shrinks). Growing memory detaches every JavaScript view of it, so views are
 * never kept: each is created from `memory.buffer` right before use.
 *
 * A trap (in practice: memory could not grow) leaves the allocator in an unknown state, so the
 * instance is dropped and the next call instantiates a fresh one from the compiled module.
 */
import { InvalidInputError, UnsupportedEnvironmentError } from '../errors.ts';
import type {
  ChunkSource, KMeansOptions, KMeansResult, MeanVariance, MiniBatchKMeansOptions, MiniBatchKMeansResult,
  PcaResult, ResidentKernel, ResidentMatrix,
} from './types.ts';
import { pcaFromCovariance } from './eigen.ts';
import { runMiniBatch, type MiniBatchOps, type MiniBatchSession } from './minibatch-driver.ts';
import { WasmBlocks } from './wasm-blocks.ts';
import { instantiateKernel, type KernelExports } from './wasm-module.ts';
import {
  checkDim, checkInteger, checkMatrix, checkPcaBasis, checkStats, checkVector, nonFiniteError,
  resolveKMeansOptions,
} from './validate.ts';

/** The allocations of one call, freed together; checks the floats it is handed on the kernel. */
class Scope extends WasmBlocks<KernelExports> {
  protected override readonly advice = ': split it into chunks';

  /** Throws nonFiniteError for the first NaN/±Infinity of the `length` floats at ptr (width d). */
  checkFinite(what: string, ptr: number, length: number, d: number): void {
    const i = this.x.first_nonfinite_f32(ptr, length);
    if (i >= 0) throw nonFiniteError(what, i, this.f32(ptr + 4 * i, 1)[0]!, d);
  }
}

class WasmResidentMatrix implements ResidentMatrix {
  constructor(
    private readonly kernel: WasmKernel,
    private holder: { x: KernelExports; ptr: number } | undefined,
    readonly n: number,
    readonly d: number,
  ) {}

  private query(query: Float32Array, kind: 'l2sq' | 'dot' | 'cosine'): Float32Array {
    const held = this.holder;
    if (!held) throw new InvalidInputError('this resident matrix was disposed: create a new one with residentMatrix()');
    checkVector('query', query, this.d);
    return this.kernel.withScope((s) => {
      if (s.x !== held.x) {
        throw new UnsupportedEnvironmentError('the WebAssembly kernel was reset after a failure, which freed this resident matrix');
      }
      const q = s.put('query', query);
      s.checkFinite('query', q, this.d, this.d);
      const out = s.alloc(this.n * 4, 'the output');
      s.x[`${kind}_f32_one_to_many`](q, held.ptr, this.n, this.d, out);
      return s.f32(out, this.n).slice();
    });
  }

  l2sqOneToMany(query: Float32Array): Float32Array {
    return this.query(query, 'l2sq');
  }

  dotOneToMany(query: Float32Array): Float32Array {
    return this.query(query, 'dot');
  }

  cosineOneToMany(query: Float32Array): Float32Array {
    return this.query(query, 'cosine');
  }

  dispose(): void {
    const held = this.holder;
    this.holder = undefined;
    if (held) this.kernel.freeResident(held, this);
  }
}

/** The {@link Kernel} on the SIMD WASM core. Construct through `loadKernel()` (src/kernel/index.ts). */
export class WasmKernel implements ResidentKernel {
  readonly backend = 'wasm-simd' as const;
  private instance: KernelExports | undefined;
  /** Frees the blocks of resident matrices that were dropped without dispose(). */
  private readonly leaked = new FinalizationRegistry<{ x: KernelExports; ptr: number }>((held) => this.freeResident(held));

  /** @param module the compiled build/kernel.wasm (see compileKernelModule). */
  constructor(private readonly module: WebAssembly.Module) {}

  /** The live instance's exports, instantiating one if there is none (first use, or after a trap). */
  private exports(): KernelExports {
    this.instance ??= instantiateKernel(this.module);
    return this.instance;
  }

  /** Bytes of linear memory the instance holds now (0 before first use). Grows, never shrinks. */
  get memoryBytes(): number {
    return this.instance?.memory.buffer.byteLength ?? 0;
  }

  /**
   * Runs `fn` with a fresh allocation scope, frees the scope afterwards, and turns a trap into an
   * UnsupportedEnvironmentError after dropping the instance.
   * @internal used by the resident matrices and mini-batch sessions of src/kernel/.
   */
  withScope<T>(fn: (scope: Scope) => T): T {
    const x = this.exports();
    const scope = new Scope(x);
    try {
      return fn(scope);
    } catch (error: unknown) {
      throw this.trapped(x, error);
    } finally {
      if (this.instance === x) scope.release();
    }
  }

  private trapped(x: KernelExports, error: unknown): unknown {
    if (!(error instanceof WebAssembly.RuntimeError)) return error;
    const bytes = x.memory.buffer.byteLength;
    if (this.instance === x) this.instance = undefined;
    return new UnsupportedEnvironmentError(
      `the WebAssembly kernel stopped (${error.message}) with ${bytes} bytes of memory; in practice its memory ` +
        'could not grow any further. The kernel was reset; smaller inputs (or chunks) will work',
      { cause: error, details: { memoryBytes: bytes } },
    );
  }

  /**
   * A scope that outlives one call (a mini-batch session holds one across awaits); allocate in it
   * inside withScope() so traps are handled, and release it with releaseScope().
   * @internal
   */
  openScope(): Scope {
    return new Scope(this.exports());
  }

  /** Frees a long-lived scope if its instance is still the live one. @internal */
  releaseScope(scope: Scope): void {
    if (this.instance === scope.x) scope.release();
  }

  /** Frees a resident block if its instance is still the live one. @internal */
  freeResident(held: { x: KernelExports; ptr: number }, owner?: object): void {
    if (owner) this.leaked.unregister(owner);
    if (this.instance === held.x && held.ptr !== 0) held.x.free(held.ptr);
    held.ptr = 0;
  }

  residentMatrix(data: Float32Array, d: number): ResidentMatrix {
    checkDim(d);
    const n = checkMatrix('data', data, d);
    const held = this.withScope((s) => {
      const ptr = s.put('data', data);
      s.checkFinite('data', ptr, n * d, d);
      // The block outlives the call: dispose() or the finalizer frees it.
      return { x: s.x, ptr: s.keep(ptr) };
    });
    const matrix = new WasmResidentMatrix(this, held, n, d);
    this.leaked.register(matrix, held, matrix);
    return matrix;
  }

  private oneToMany(query: Float32Array, data: Float32Array, d: number, kind: 'l2sq' | 'dot' | 'cosine'): Float32Array {
    checkDim(d);
    checkVector('query', query, d);
    const n = checkMatrix('data', data, d);
    return this.withScope((s) => {
      const q = s.put('query', query);
      const p = s.put('data', data);
      s.checkFinite('query', q, d, d);
      s.checkFinite('data', p, n * d, d);
      const out = s.alloc(n * 4, 'the output');
      s.x[`${kind}_f32_one_to_many`](q, p, n, d, out);
      return s.f32(out, n).slice();
    });
  }

  private pairwise(a: Float32Array, b: Float32Array, d: number, kind: 'l2sq' | 'dot' | 'cosine'): Float32Array {
    checkDim(d);
    const na = checkMatrix('a', a, d);
    const nb = checkMatrix('b', b, d);
    return this.withScope((s) => {
      const pa = s.put('a', a);
      const pb = s.put('b', b);
      s.checkFinite('a', pa, na * d, d);
      s.checkFinite('b', pb, nb * d, d);
      const out = s.alloc(na * nb * 4, `the ${na} × ${nb} output`);
      if (kind === 'cosine') s.x.cosine_f32_pairwise(pa, na, pb, nb, d, out, s.alloc((na + nb) * 4, 'norms'));
      else s.x[`${kind}_f32_pairwise`](pa, na, pb, nb, d, out);
      return s.f32(out, na * nb).slice();
    });
  }

  l2sqOneToMany(query: Float32Array, data: Float32Array, d: number): Float32Array {
    return this.oneToMany(query, data, d, 'l2sq');
  }

  dotOneToMany(query: Float32Array, data: Float32Array, d: number): Float32Array {
    return this.oneToMany(query, data, d, 'dot');
  }

  cosineOneToMany(query: Float32Array, data: Float32Array, d: number): Float32Array {
    return this.oneToMany(query, data, d, 'cosine');
  }

  l2sqPairwise(a: Float32Array, b: Float32Array, d: number): Float32Array {
    return this.pairwise(a, b, d, 'l2sq');
  }

  dotPairwise(a: Float32Array, b: Float32Array, d: number): Float32Array {
    return this.pairwise(a, b, d, 'dot');
  }

  cosinePairwise(a: Float32Array, b: Float32Array, d: number): Float32Array {
    return this.pairwise(a, b, d, 'cosine');
  }

  assignNearest(data: Float32Array, centroids: Float32Array, d: number): { labels: Int32Array; distances: Float32Array } {
    checkDim(d);
    const n = checkMatrix('data', data, d);
    const k = checkMatrix('centroids', centroids, d);
    return this.withScope((s) => {
      const p = s.put('data', data);
      const c = s.put('centroids', centroids);
      s.checkFinite('data', p, n * d, d);
      s.checkFinite('centroids', c, k * d, d);
      const labels = s.alloc(n * 4, 'labels');
      const dist = s.alloc(n * 4, 'distances');
      s.x.kmeans_assign_f32(p, n, d, c, k, labels, dist);
      return { labels: s.i32(labels, n).slice(), distances: s.f32(dist, n).slice() };
    });
  }

  kmeans(data: Float32Array, d: number, options: KMeansOptions): KMeansResult {
    checkDim(d);
    const n = checkMatrix('data', data, d);
    const { k, seed, maxIterations, tolerance, restarts } = resolveKMeansOptions(options, n);
    return this.withScope((s) => {
      const p = s.put('data', data);
      s.checkFinite('data', p, n * d, d);
      const cent = s.alloc(k * d * 4, 'centroids');
      const labels = s.alloc(n * 4, 'labels');
      const info = s.alloc(16, 'info');
      s.x.kmeans_f32(p, n, d, k, seed, maxIterations, tolerance, restarts, cent, labels, info);
      const [inertia, iterations] = s.f64(info, 2);
      return {
        labels: s.i32(labels, n).slice(),
        centroids: s.f32(cent, k * d).slice(),
        inertia: inertia!,
        iterations: iterations!,
      };
    });
  }

  miniBatchKMeans(source: ChunkSource, d: number, options: MiniBatchKMeansOptions): Promise<MiniBatchKMeansResult> {
    return runMiniBatch(this.miniBatchOps(), source, d, options);
  }

  private miniBatchOps(): MiniBatchOps {
    return {
      seed: (sample, n, d, k, seed) =>
        this.withScope((s) => {
          const p = s.put('the seeding sample', sample);
          const cent = s.alloc(k * d * 4, 'centroids');
          const mind = s.alloc(n * 4, 'seeding distances');
          s.x.rng_seed(seed);
          s.x.kmeanspp_f32(p, n, d, k, cent, mind);
          return s.f32(cent, k * d).slice();
        }),
      session: (centroids, d, k, batchSize) => new WasmMiniBatchSession(this, centroids, d, k, batchSize),
    };
  }

  meanVariance(data: Float32Array, d: number): MeanVariance {
    checkDim(d);
    const n = checkMatrix('data', data, d);
    return this.withScope((s) => {
      const p = s.put('data', data);
      s.checkFinite('data', p, n * d, d);
      const mean = s.alloc(d * 4, 'mean');
      const variance = s.alloc(d * 4, 'variance');
      s.x.mean_variance_f32(p, n, d, mean, variance);
      return { mean: s.f32(mean, d).slice(), variance: s.f32(variance, d).slice() };
    });
  }

  standardize(data: Float32Array, d: number, stats: MeanVariance): Float32Array {
    checkDim(d);
    const n = checkMatrix('data', data, d);
    checkStats(stats, d);
    return this.withScope((s) => {
      const p = s.put('data', data);
      s.checkFinite('data', p, n * d, d);
      const mean = s.put('stats.mean', stats.mean);
      const variance = s.put('stats.variance', stats.variance);
      // In place: the copy of data is ours, so the output needs no second n × d block.
      s.x.standardize_f32(p, n, d, mean, variance, p);
      return s.f32(p, n * d).slice();
    });
  }

  pca(data: Float32Array, d: number, components: number): PcaResult {
    checkDim(d);
    const n = checkMatrix('data', data, d);
    checkInteger('components', components, 1, d);
    const { mean, cov } = this.withScope((s) => {
      const p = s.put('data', data);
      s.checkFinite('data', p, n * d, d);
      const mean64 = s.alloc(d * 8, 'mean');
      const cov64 = s.alloc(d * d * 8, 'covariance');
      s.x.covariance_f32(p, n, d, mean64, cov64);
      return { mean: s.f64(mean64, d).slice(), cov: s.f64(cov64, d * d).slice() };
    });
    return pcaFromCovariance(mean, cov, d, components);
  }

  projectPca(data: Float32Array, d: number, pca: PcaResult): Float32Array {
    checkDim(d);
    const n = checkMatrix('data', data, d);
    const c = checkPcaBasis(pca, d);
    return this.withScope((s) => {
      const p = s.put('data', data);
      s.checkFinite('data', p, n * d, d);
      const mean = s.put('pca.mean', pca.mean);
      const comps = s.put('pca.components', pca.components);
      const out = s.alloc(n * c * 4, 'the projection');
      s.x.pca_project_f32(p, n, d, mean, comps, c, out);
      return s.f32(out, n * c).slice();
    });
  }
}

/**
 * Mini-batch state held in WASM memory across the awaits of a run: centroids, per-centroid counts
 * and one batch buffer (plus its labels and distances), so memory stays O(batchSize·d + k·d).
 */
class WasmMiniBatchSession implements MiniBatchSession {
  private readonly scope: Scope;
  private readonly cent: number;
  private readonly counts: number;
  private readonly batch: number;
  private readonly labels: number;
  private readonly dist: number;
  private rows = 0;

  constructor(
    private readonly kernel: WasmKernel,
    centroids: Float32Array,
    private readonly d: number,
    private readonly k: number,
    batchSize: number,
  ) {
    // The scope outlives this constructor: dispose() releases it.
    const scope = kernel.openScope();
    this.scope = scope;
    try {
      [this.cent, this.counts, this.batch, this.labels, this.dist] = kernel.withScope(() => [
        scope.put('centroids', centroids),
        scope.alloc(k * 8, 'counts'),
        scope.alloc(batchSize * d * 4, 'a batch'),
        scope.alloc(batchSize * 4, 'batch labels'),
        scope.alloc(batchSize * 4, 'batch distances'),
      ]);
    } catch (error: unknown) {
      kernel.releaseScope(scope);
      throw error;
    }
    scope.f64(this.counts, k).fill(0);
  }

  /** Runs fn on this session's instance, failing cleanly if the kernel was reset meanwhile. */
  private use<T>(fn: (x: KernelExports) => T): T {
    return this.kernel.withScope((s) => {
      if (s.x !== this.scope.x) {
        throw new UnsupportedEnvironmentError('the WebAssembly kernel was reset after a failure during this mini-batch run');
      }
      return fn(s.x);
    });
  }

  load(batch: Float32Array): number {
    this.rows = batch.length / this.d;
    return this.use((x) => {
      this.scope.f32(this.batch, batch.length).set(batch);
      return x.first_nonfinite_f32(this.batch, batch.length);
    });
  }

  step(): void {
    this.use((x) => x.minibatch_step_f32(this.batch, this.rows, this.d, this.cent, this.k, this.counts, this.labels, this.dist));
  }

  assign(labels: Int32Array | undefined, offset: number): number {
    return this.use((x) => {
      const inertia = x.kmeans_assign_f32(this.batch, this.rows, this.d, this.cent, this.k, this.labels, this.dist);
      labels?.set(this.scope.i32(this.labels, this.rows), offset);
      return inertia;
    });
  }

  centroids(): Float32Array {
    return this.use(() => this.scope.f32(this.cent, this.k * this.d).slice());
  }

  dispose(): void {
    this.kernel.releaseScope(this.scope);
  }
}

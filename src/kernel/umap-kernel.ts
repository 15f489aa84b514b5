/**
 * The map's kernels: approximate nearest neighbours through an inverted file, and UMAP's layout epochs, on their own
 * WebAssembly SIMD module (assembly/umap-module.ts → build/umap.wasm, embedded as base64 in the generated
 * umap-bytes.generated.ts) with the pure-TypeScript twins (umap-reference.ts) where SIMD is missing.
 *
 * Apart from the main kernel (index.ts) and not exported from it, so the page, which never computes a map, carries
 * none of it: only the map worker and Node code import this file. The neighbour search borrows the main kernel's
 * k-means for its lists.
 *
 * Memory: one instance per loader, its own linear memory. Each neighbour search allocates its inputs and outputs
 * and frees them when done; a layout holds its state (positions, edges, schedules) until it ends. Wasm memory never
 * shrinks, so the instance keeps the largest call's footprint (in a worker, until the worker ends).
 */
import { InvalidInputError, UnsupportedEnvironmentError } from '../errors.ts';
import { runLayout, type LayoutInput, type LayoutSession } from './layout-driver.ts';
import { nearestNeighboursWith, type NeighbourOps } from './neighbours-driver.ts';
import type { Kernel, KernelBackend } from './types.ts';
import { referenceLayoutOps, referenceNeighbourOps } from './umap-reference.ts';
import type { LayoutGraph, LayoutOptions, NearestNeighbourOptions, NearestNeighbours } from './umap-types.ts';
import { WasmBlocks } from './wasm-blocks.ts';
import { detectSimd } from './wasm-module.ts';

export type * from './umap-types.ts';

/** The map's kernels. */
export interface UmapKernel {
  readonly backend: KernelBackend;
  /**
   * The k nearest other rows of every row (squared L2), approximate through an inverted file of k-means lists
   * (computed with `kernel`'s k-means) mended by neighbour-of-neighbour refinement; exact with one list.
   * @throws InvalidInputError for a bad matrix, non-finite values, or an option out of range.
   */
  nearestNeighbours(kernel: Pick<Kernel, 'kmeans'>, data: Float32Array, d: number, options: NearestNeighbourOptions): NearestNeighbours;
  /**
   * UMAP's stochastic gradient descent of a 2-D layout: `embedding` (n × 2, the start; not modified) moved along
   * `graph` with negative sampling for `options.epochs` epochs; resolves to the layout (n × 2). Seeded: the same
   * inputs give the same layout. Rejects with AbortError when `options.signal` aborts (checked between batches),
   * InvalidInputError for a bad embedding, graph or option.
   */
  umapLayout(embedding: Float32Array, graph: LayoutGraph, options: LayoutOptions): Promise<Float32Array>;
}

/** The map's kernels in plain TypeScript. */
export const referenceUmapKernel: UmapKernel = {
  backend: 'js-reference',
  nearestNeighbours: (kernel, data, d, options) => nearestNeighboursWith(referenceNeighbourOps, kernel, data, d, options),
  umapLayout: (embedding, graph, options) => runLayout(referenceLayoutOps, embedding, graph, options),
};

/** The raw exports of build/umap.wasm (pointers are byte offsets into `memory`). */
interface UmapExports {
  readonly memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  nearest_lists_f32(data: number, n: number, d: number, cent: number, nc: number, m: number, out: number, scratch: number): void;
  knn_in_lists_f32(data: number, n: number, d: number, starts: number, probes: number, m: number, k: number, outIdx: number, outDist: number): void;
  knn_refine_f32(data: number, n: number, d: number, k: number, idx: number, dist: number): number;
  umap_epochs_f32(
    emb: number, nv: number, head: number, tail: number, eps: number, next: number, nextNeg: number, ne: number,
    a: number, b: number, negRate: number, e0: number, e1: number, nEpochs: number, rng: number,
  ): void;
}

/** Blocks of one call (or one layout), freed together. */
type Blocks = WasmBlocks<UmapExports>;

/** The map's kernels on build/umap.wasm. */
class WasmUmapKernel implements UmapKernel {
  readonly backend = 'wasm-simd' as const;
  private instance: UmapExports | undefined;

  constructor(private readonly module: WebAssembly.Module) {}

  private exports(): UmapExports {
    this.instance ??= new WebAssembly.Instance(this.module, {
      env: { abort: () => { throw new WebAssembly.RuntimeError('the map kernel aborted'); } },
    }).exports as unknown as UmapExports;
    return this.instance;
  }

  /** Runs fn on blocks of the live instance; a trap (memory could not grow) drops the instance. */
  use<T>(blocks: Blocks | undefined, fn: (b: Blocks) => T): T {
    const x = blocks?.x ?? this.exports();
    if (blocks && this.instance !== blocks.x) throw new UnsupportedEnvironmentError('the map kernel was reset after a failure during this layout');
    const own = blocks ?? new WasmBlocks(x);
    try {
      return fn(own);
    } catch (error: unknown) {
      if (!(error instanceof WebAssembly.RuntimeError)) throw error;
      const bytes = x.memory.buffer.byteLength;
      if (this.instance === x) this.instance = undefined;
      throw new UnsupportedEnvironmentError(
        `the map kernel stopped (${error.message}) with ${bytes} bytes of memory; in practice its memory could not grow any further`,
        { cause: error, details: { memoryBytes: bytes } },
      );
    } finally {
      if (!blocks && this.instance === x) own.release();
    }
  }

  /** A set of blocks that outlives one call (a layout's state); release it with {@link Blocks.release}. */
  open(): Blocks {
    return new WasmBlocks(this.exports());
  }

  private readonly ops: NeighbourOps = {
    nearestLists: (data, n, d, centroids, nc, m) => this.use(undefined, (b) => {
      const out = b.alloc(n * m * 4, 'nearest lists');
      b.x.nearest_lists_f32(b.put('data', data), n, d, b.put('centroids', centroids), nc, m, out, b.alloc(m * 4, 'scratch'));
      return b.i32(out, n * m).slice();
    }),
    searchLists: (sorted, n, d, starts, probes, m, k, rounds) => this.use(undefined, (b) => {
      const p = b.put('data', sorted);
      const idx = b.alloc(n * k * 4, 'neighbour indices');
      const dist = b.alloc(n * k * 4, 'neighbour distances');
      b.x.knn_in_lists_f32(p, n, d, b.put('list starts', starts), b.put('probed lists', probes), m, k, idx, dist);
      for (let r = 0; r < rounds; r++) b.x.knn_refine_f32(p, n, d, k, idx, dist);
      return { indices: b.i32(idx, n * k).slice(), distances: b.f32(dist, n * k).slice(), k };
    }),
  };

  nearestNeighbours(kernel: Pick<Kernel, 'kmeans'>, data: Float32Array, d: number, options: NearestNeighbourOptions): NearestNeighbours {
    return nearestNeighboursWith(this.ops, kernel, data, d, options);
  }

  umapLayout(embedding: Float32Array, graph: LayoutGraph, options: LayoutOptions): Promise<Float32Array> {
    return runLayout({ session: (input) => new WasmLayoutSession(this, input) }, embedding, graph, options);
  }
}

/** A layout's state held in WASM memory across the awaits of a run. */
class WasmLayoutSession implements LayoutSession {
  private readonly blocks: Blocks;
  private readonly ptrs: { emb: number; head: number; tail: number; eps: number; next: number; nextNeg: number; rng: number };

  constructor(private readonly kernel: WasmUmapKernel, private readonly input: LayoutInput) {
    const blocks = kernel.open();
    this.blocks = blocks;
    const { graph, embedding, negativeRate } = input;
    try {
      this.ptrs = kernel.use(blocks, (b) => ({
        emb: b.put('the embedding', embedding),
        head: b.put('edge heads', graph.head),
        tail: b.put('edge tails', graph.tail),
        eps: b.put('epochs per sample', graph.epochsPerSample),
        next: b.put('next samples', graph.epochsPerSample),
        nextNeg: b.put('next negative samples', graph.epochsPerSample.map((s) => s / negativeRate)),
        rng: b.put('the generator', input.rng),
      }));
    } catch (error: unknown) {
      blocks.release();
      throw error;
    }
  }

  run(from: number, to: number): void {
    const { n, graph, a, b, negativeRate, epochs } = this.input;
    const p = this.ptrs;
    this.kernel.use(this.blocks, (bl) => bl.x.umap_epochs_f32(p.emb, n, p.head, p.tail, p.eps, p.next, p.nextNeg, graph.head.length,
      a, b, negativeRate, from, to, epochs, p.rng));
  }

  embedding(): Float32Array {
    return this.kernel.use(this.blocks, (b) => b.f32(this.ptrs.emb, this.input.n * 2).slice());
  }

  dispose(): void {
    this.blocks.release();
  }
}

let wasmUmap: Promise<UmapKernel> | undefined;

async function compileUmap(): Promise<UmapKernel> {
  if (!detectSimd()) throw new UnsupportedEnvironmentError('WebAssembly SIMD (v128) is not available in this environment');
  let base64: string;
  try {
    ({ umapWasmBase64: base64 } = await import('./umap-bytes.generated.ts'));
  } catch (cause: unknown) {
    throw new UnsupportedEnvironmentError(
      'src/kernel/umap-bytes.generated.ts could not be loaded: build the kernel with `node scripts/build.mjs kernel`', { cause });
  }
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  try {
    return new WasmUmapKernel(await WebAssembly.compile(bytes));
  } catch (cause: unknown) {
    throw new UnsupportedEnvironmentError(`the map's SIMD module did not compile: ${String(cause)}`, { cause });
  }
}

/**
 * Loads the map's kernels (cached), as loadKernel() does the main kernel: 'auto' (default) gives the WASM SIMD
 * module where it runs and the reference elsewhere; 'wasm-simd' the module or an UnsupportedEnvironmentError;
 * 'js-reference' the reference.
 */
export async function loadUmapKernel(options: { backend?: 'auto' | KernelBackend } = {}): Promise<UmapKernel> {
  const backend = options.backend ?? 'auto';
  if (backend === 'js-reference') return referenceUmapKernel;
  if (backend !== 'auto' && backend !== 'wasm-simd') {
    throw new InvalidInputError(`backend = ${String(backend)} is not accepted: use 'auto', 'wasm-simd' or 'js-reference'`);
  }
  wasmUmap ??= compileUmap().catch((error: unknown) => {
    wasmUmap = undefined;
    throw error;
  });
  if (backend === 'wasm-simd') return wasmUmap;
  try {
    return await wasmUmap;
  } catch (error: unknown) {
    if (!(error instanceof UnsupportedEnvironmentError)) throw error;
    return referenceUmapKernel;
  }
}

/**
 * The map's projection: UMAP (McInnes et al., 2018) by umap-js, the plain-JavaScript implementation (MIT).
 * Chosen over embedding-atlas's WASM UMAP by measurement and cost (see bench/map.ts and the README): 29 KB gzip
 * instead of 358 KB, no wasm fetched from a data: URL (which the demo's `connect-src 'self'` forbids), and no
 * peer dependencies. Runs the same in Node and in a worker; the worker is projection-worker.ts.
 */
import { UMAP } from 'umap-js';
import { InvalidInputError, throwIfAborted } from '../../errors.ts';
import { createRng } from '../rng.ts';
import type { ProjectionProgress } from './projection-method.ts';

/** Options for {@link projectUmap}. */
export interface ProjectionOptions {
  /** Seed of UMAP's random choices (default 0): the same faces in the same order give the same map. */
  seed?: number;
  /** Neighbours per point (default 15, fewer when there are fewer points). */
  nNeighbors?: number;
  /** Minimum distance between points on the map (default 0.1). */
  minDist?: number;
  /** Layout epochs (default: umap-js's, 200 above 10,000 points and up to 500 below). */
  nEpochs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ProjectionProgress) => void;
}

/** Lets the event loop run (progress, an abort) during a long synchronous computation. */
const yieldToEvents = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Projects n vectors (n × d, row-major) onto 2-D with UMAP.
 * @returns n × 2 positions, row-major (arbitrary units; the map fits them to the view). Fewer than 4 points are
 *   laid on a line, since a neighbour graph needs more.
 * @throws InvalidInputError when `vectors.length` is not a multiple of `d`; AbortError when `signal` aborts
 *   (checked between batches of epochs; the neighbour graph itself cannot be interrupted).
 */
export async function projectUmap(vectors: Float32Array, d: number, options: ProjectionOptions = {}): Promise<Float32Array> {
  if (!Number.isInteger(d) || d < 1 || vectors.length % d !== 0) {
    throw new InvalidInputError(`projectUmap: ${vectors.length} values are not rows of ${d} dimensions`);
  }
  const { signal, onProgress } = options;
  throwIfAborted(signal);
  const n = vectors.length / d;
  const out = new Float32Array(n * 2);
  if (n < 4) {
    for (let i = 0; i < n; i++) out[i * 2] = i;
    return out;
  }
  const rng = createRng(options.seed ?? 0);
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.min(options.nNeighbors ?? 15, n - 1),
    minDist: options.minDist ?? 0.1,
    random: () => rng.next(),
    ...(options.nEpochs === undefined ? {} : { nEpochs: options.nEpochs }),
  });
  const rows: number[][] = new Array<number[]>(n);
  for (let i = 0; i < n; i++) rows[i] = Array.from(vectors.subarray(i * d, (i + 1) * d));
  onProgress?.({ phase: 'neighbours', done: 0, total: 1 });
  await yieldToEvents();
  throwIfAborted(signal);
  const epochs = umap.initializeFit(rows);
  for (let e = 0; e < epochs; e++) {
    umap.step();
    if (e % 10 === 9 || e === epochs - 1) {
      onProgress?.({ phase: 'layout', done: e + 1, total: epochs });
      await yieldToEvents();
      throwIfAborted(signal);
    }
  }
  const embedding = umap.getEmbedding();
  for (let i = 0; i < n; i++) {
    const p = embedding[i] as number[];
    out[i * 2] = p[0] as number;
    out[i * 2 + 1] = p[1] as number;
  }
  return out;
}

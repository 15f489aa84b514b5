/**
 * Discovery off the main thread: {@link discoverInWorker} starts the discovery worker
 * (discovery-worker.ts, bundled as its own module worker file), hands it the faces, relays progress and
 * cancels on an AbortSignal. The worker ends with the call, so a cancelled discovery costs nothing after.
 */
import { proxy, transfer, wrap } from 'comlink';
import type { AttributeDiscovery, DiscoveryProgress, MeasurableFace } from '../analysis/discovery/index.ts';
import { installErrorTransfer } from '../embedding/comlink-errors.ts';
import { UnsupportedEnvironmentError, abortError, throwIfAborted } from '../errors.ts';
import type { DiscoveryWorkerApi } from './discovery-worker-api.ts';
import { whenWorkerFails } from '../runtime/worker-failure.ts';

/** Faces to discover in, as the worker needs them. */
export interface WorkerDiscoveryInput {
  /** n × d embeddings; transferred (the caller's array is emptied). */
  vectors: Float32Array;
  d: number;
  persons: string[];
  faces: readonly MeasurableFace[];
}

/** Options of {@link discoverInWorker}. */
export interface DiscoverInWorkerOptions {
  /** URL of the bundled discovery worker (face-probe-discovery-worker.js beside the inference worker). */
  workerUrl: string | URL;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (progress: DiscoveryProgress) => void;
}

let nextJob = 1;

/** Only what describing a split reads, so thumbnails and landmarks are not copied to the worker. */
function measurable(face: MeasurableFace): MeasurableFace {
  return {
    box: { x: face.box.x, y: face.box.y, width: face.box.width, height: face.box.height },
    foundBy: face.foundBy,
    ...(face.attributes ? { attributes: face.attributes } : {}),
    ...(face.measures ? { measures: face.measures } : {}),
  };
}

/**
 * Runs discoverAttributes in a Web Worker of its own and resolves with its result.
 * @throws what discoverAttributes throws, with class and code intact; AbortError when `signal` aborts (the
 *   worker is stopped); UnsupportedEnvironmentError when the worker cannot start.
 */
export async function discoverInWorker(input: WorkerDiscoveryInput, options: DiscoverInWorkerOptions): Promise<AttributeDiscovery> {
  const { signal } = options;
  throwIfAborted(signal);
  if (typeof Worker === 'undefined') throw new UnsupportedEnvironmentError('Web Workers are not available here');
  installErrorTransfer();
  const worker = new Worker(options.workerUrl, { type: 'module', name: 'face-attribute-probe-discovery' });
  const remote = wrap<DiscoveryWorkerApi>(worker);
  const job = nextJob++;
  const died = whenWorkerFails(worker, 'the discovery worker', options.workerUrl);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      void remote.cancel(job).catch(() => undefined);
      reject(abortError(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    const request = { job, vectors: input.vectors, d: input.d, persons: input.persons, faces: input.faces.map(measurable), seed: options.seed ?? 0 };
    const progress = options.onProgress ? proxy(options.onProgress) : undefined;
    return await Promise.race([remote.discover(transfer(request, [input.vectors.buffer as ArrayBuffer]), progress), died, aborted]);
  } catch (error: unknown) {
    if (signal?.aborted) throw abortError(signal);
    throw error;
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    worker.terminate();
  }
}

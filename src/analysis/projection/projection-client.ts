/**
 * Running the map's projection in a Web Worker (projection-worker.ts, bundled as face-probe-map-worker.js):
 * one worker per call, terminated when the call ends or its AbortSignal aborts, so a long UMAP never blocks the
 * page and Cancel stops it at once.
 */
import { proxy, transfer, wrap } from 'comlink';
import { abortError, throwIfAborted } from '../../errors.ts';
import { whenWorkerFails } from '../../runtime/worker-failure.ts';
import type { ProjectionProgress } from './projection-method.ts';
import type { ProjectionWorkerApi } from './projection-worker-api.ts';

/** Computes maps and places new faces on them; {@link workerProjection} makes one (inline-projection.ts, for Node, another). */
export interface ProjectionRunner {
  /** n × d vectors → n × 2 positions. */
  project(vectors: Float32Array, d: number, options: { seed?: number; signal?: AbortSignal; onProgress?: (p: ProjectionProgress) => void }): Promise<Float32Array>;
  /** Positions of `added` (m × d) among `mapped` (n × d) at `points` (n × 2) → m × 2. */
  place(mapped: Float32Array, points: Float32Array, added: Float32Array, d: number, options: { signal?: AbortSignal }): Promise<Float32Array>;
}

/** Runs a call in a fresh worker; the worker ends with the call. */
async function inWorker<T>(workerUrl: string | URL, signal: AbortSignal | undefined, call: (remote: ReturnType<typeof wrap<ProjectionWorkerApi>>) => Promise<T>): Promise<T> {
  throwIfAborted(signal);
  const worker = new Worker(workerUrl, { type: 'module', name: 'face-attribute-probe-map' });
  const remote = wrap<ProjectionWorkerApi>(worker);
  const failed = whenWorkerFails(worker, 'the map worker', workerUrl);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortError(signal));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    return await Promise.race([call(remote), failed, aborted]);
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    worker.terminate();
  }
}

/**
 * A runner that computes in a module worker loaded from `workerUrl` (face-probe-map-worker.js).
 * Rejects with UnsupportedEnvironmentError when the worker cannot load, AbortError on abort.
 */
export function workerProjection(workerUrl: string | URL): ProjectionRunner {
  return {
    project: (vectors, d, options) => inWorker(workerUrl, options.signal, (remote) => {
      const copy = vectors.slice();
      const progress = options.onProgress ? proxy(options.onProgress) : undefined;
      return remote.project(transfer(copy, [copy.buffer]), d, options.seed ?? 0, progress);
    }),
    place: (mapped, points, added, d, options) => inWorker(workerUrl, options.signal, (remote) => remote.place(mapped, points, added, d)),
  };
}

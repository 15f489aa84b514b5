/**
 * The inference worker: owns `self` and comlink's `expose`, and runs the engine off the main thread.
 * Results go back with their Float32Array and thumbnail buffers transferred, not copied.
 */
import { expose, transfer } from 'comlink';
import { InvalidInputError } from '../errors.ts';
import { installErrorTransfer } from './comlink-errors.ts';
import { browserPlatform } from './browser-platform.ts';
import { FaceEngine } from './engine.ts';
import { loadFaceModels } from './models.ts';
import { prefetchRuntime, setWasmPaths } from '../runtime/ort.ts';
import { DownloadMeter } from '../runtime/downloads.ts';
import type { WorkerApi, WorkerInitOptions } from './worker-api.ts';
import type { BatchResult } from './types.ts';

installErrorTransfer();

let engine: Promise<FaceEngine> | undefined;
let loadedWith: string | undefined;
const jobs = new Map<number, AbortController>();

function transferables(result: BatchResult): Transferable[] {
  const list: Transferable[] = [];
  for (const outcome of result.outcomes) {
    if (!outcome.ok) continue;
    for (const face of outcome.faces) {
      list.push(face.embedding.buffer as ArrayBuffer, face.landmarks.buffer as ArrayBuffer);
      if (face.thumbnail) list.push(face.thumbnail.bytes.buffer as ArrayBuffer);
    }
  }
  return list;
}

/** The loaded engine. @throws InvalidInputError before init(). */
function loaded(method: string): Promise<FaceEngine> {
  if (!engine) throw new InvalidInputError(`call init() before ${method}()`);
  return engine;
}

/**
 * Runs one job that {@link WorkerApi.cancel} can stop by `jobId`. Progress calls travel on their own port; waiting
 * for them keeps them ahead of the result and catches a callback that throws on the other side.
 */
async function runJob<P, T>(
  jobId: number,
  onProgress: ((p: P) => unknown) | undefined,
  work: (signal: AbortSignal, report: ((p: P) => void) | undefined) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  jobs.set(jobId, controller);
  const reports: Promise<unknown>[] = [];
  try {
    const result = await work(controller.signal, onProgress ? (p) => void reports.push(Promise.resolve(onProgress(p))) : undefined);
    await Promise.allSettled(reports);
    return result;
  } finally {
    jobs.delete(jobId);
  }
}

const api: WorkerApi = {
  async init(options: WorkerInitOptions, onDownload) {
    const key = JSON.stringify(options);
    if (engine && loadedWith !== key) {
      throw new InvalidInputError('the worker engine is already loaded with other options; dispose it first');
    }
    if (!engine) {
      loadedWith = key;
      setWasmPaths(options.ortWasmBaseUrl);
      // Two parts download: the runtime (started first, so its bytes arrive beside the models') and the models.
      const download = onDownload ? new DownloadMeter(2, (p) => void onDownload(p)) : undefined;
      const runtime = download ? prefetchRuntime(options.backend ?? 'auto', download) : Promise.resolve();
      const loading = runtime.then(() => loadFaceModels({
        ...(download ? { download } : {}),
        base: options.modelsBaseUrl,
        ...(options.backend ? { backend: options.backend } : {}),
        ...(options.detector ? { detector: options.detector } : {}),
        ...(options.threads ? { threads: options.threads } : {}),
        ...(options.model ? { model: options.model } : {}),
        attributes: options.attributes ?? false,
      })).then((models) => new FaceEngine(models, browserPlatform, options.align ? { align: options.align } : {}));
      engine = loading;
      loading.catch(() => {
        // A failed load may be retried with another init call, unless a newer one has started meanwhile.
        if (engine === loading) {
          engine = undefined;
          loadedWith = undefined;
        }
      });
    }
    return (await engine).info;
  },

  async processBatch(inputs, options, onProgress) {
    const ready = await loaded('processBatch');
    return runJob(options.jobId, onProgress, async (signal, report) => {
      const result = await ready.processBatch(inputs, {
        signal,
        ...(report ? { onProgress: report } : {}),
        thumbnails: options.thumbnails ?? false,
        attributes: options.attributes ?? false,
        largestOnly: options.largestOnly ?? false,
      });
      return transfer(result, transferables(result));
    });
  },

  async attributesOf(requests, options, onProgress) {
    const ready = await loaded('attributesOf');
    return runJob(options.jobId, onProgress, (signal, report) =>
      ready.attributesOf(requests.map((r) => ({ source: r.input, boxes: r.boxes })), { signal, ...(report ? { onProgress: report } : {}) }));
  },

  cancel(jobId) {
    jobs.get(jobId)?.abort();
  },

  async dispose() {
    for (const controller of jobs.values()) controller.abort();
    const current = engine;
    engine = undefined;
    loadedWith = undefined;
    // A load that failed has nothing to release.
    const loaded = await current?.catch(() => undefined);
    await loaded?.dispose();
  },
};

expose(api);

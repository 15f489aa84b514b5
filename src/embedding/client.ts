/**
 * The main thread's handle on the inference worker. Reads dropped files lazily, sends them to the worker in
 * small batches with their buffers transferred, relays progress, and cancels on an AbortSignal: the worker
 * finishes the image in flight and the client returns every outcome that finished.
 */
import { type Remote, proxy, transfer, wrap } from 'comlink';
import { isAbortError } from '../errors.ts';
import { installErrorTransfer } from './comlink-errors.ts';
import type { BatchProgress, BatchResult, EngineInfo, ImageInput, ImageOutcome, ProcessOptions } from './types.ts';
import type { WorkerApi, WorkerInitOptions } from './worker-api.ts';

/** A file the user dropped (File/Blob with a name) or bytes already in memory. */
export type ImageSource = ImageInput | (Blob & { name: string });

/** What the component needs from an engine: the real worker client, or a fake in tests. */
export interface FaceEngineClient {
  readonly info: EngineInfo;
  /** Processes images in order; see {@link WorkerEngineClient.process}. */
  process(sources: readonly ImageSource[], options?: ProcessOptions): Promise<BatchResult>;
  dispose(): Promise<void>;
}

/** Images per worker call: bounds the memory of bytes in flight while keeping the worker busy. */
const BATCH = 4;

async function toInput(source: ImageSource): Promise<ImageInput> {
  if (source instanceof Blob) return { name: source.name, bytes: new Uint8Array(await source.arrayBuffer()) };
  // A copy: its buffer is transferred to the worker, and the caller's bytes must stay usable.
  return { name: source.name, bytes: source.bytes.slice() };
}

/** The engine running in a Web Worker, behind comlink. */
export class WorkerEngineClient implements FaceEngineClient {
  private nextJob = 1;

  private constructor(
    private readonly worker: Worker,
    private readonly remote: Remote<WorkerApi>,
    readonly info: EngineInfo,
  ) {}

  /**
   * Starts the worker and loads the models in it.
   * @param workerUrl URL of the bundled worker script (a module worker).
   * @throws ModelLoadError / UnsupportedEnvironmentError from the worker, with their class and code intact.
   */
  static async start(workerUrl: string | URL, options: WorkerInitOptions): Promise<WorkerEngineClient> {
    installErrorTransfer();
    const worker = new Worker(workerUrl, { type: 'module', name: 'face-attribute-probe-engine' });
    const remote = wrap<WorkerApi>(worker);
    try {
      const info = await remote.init(options);
      return new WorkerEngineClient(worker, remote, info);
    } catch (error: unknown) {
      worker.terminate();
      throw error;
    }
  }

  /**
   * Processes images in input order. Each failure is an outcome beside its name; the rest go on. On abort,
   * the image in flight finishes, and the result holds every finished outcome with `cancelled: true`.
   */
  async process(sources: readonly ImageSource[], options: ProcessOptions = {}): Promise<BatchResult> {
    const { signal, onProgress } = options;
    const outcomes: ImageOutcome[] = [];
    let faces = 0;
    let failed = 0;
    for (let start = 0; start < sources.length; start += BATCH) {
      if (signal?.aborted) return { outcomes, cancelled: true };
      const jobId = this.nextJob++;
      const inputs = await Promise.all(sources.slice(start, start + BATCH).map(toInput));
      const onAbort = () => void this.remote.cancel(jobId);
      signal?.addEventListener('abort', onAbort, { once: true });
      const base = { done: outcomes.length, faces, failed };
      const relay = onProgress
        ? proxy((p: BatchProgress) => onProgress({
          done: base.done + p.done,
          total: sources.length,
          faces: base.faces + p.faces,
          failed: base.failed + p.failed,
          name: p.name,
        }))
        : undefined;
      let result: BatchResult;
      try {
        result = await this.remote.processBatch(
          transfer(inputs, inputs.map((i) => i.bytes.buffer as ArrayBuffer)),
          {
            jobId,
            thumbnails: options.thumbnails ?? false,
            attributes: options.attributes ?? false,
            largestOnly: options.largestOnly ?? false,
          },
          relay,
        );
      } catch (error: unknown) {
        if (isAbortError(error)) return { outcomes, cancelled: true };
        throw error;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
      for (const o of result.outcomes) {
        outcomes.push(o);
        if (o.ok) faces += o.faces.length;
        else failed++;
      }
      if (result.cancelled) return { outcomes, cancelled: true };
    }
    return { outcomes, cancelled: false };
  }

  /** Releases the models and stops the worker. */
  async dispose(): Promise<void> {
    try {
      await this.remote.dispose();
    } finally {
      this.worker.terminate();
    }
  }
}

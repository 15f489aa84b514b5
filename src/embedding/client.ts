/**
 * The main thread's handle on the inference worker. Reads dropped files lazily, sends them to the worker in
 * small batches with their buffers transferred, relays progress, and cancels on an AbortSignal: the worker
 * finishes the image in flight and the client returns every outcome that finished.
 */
import { type Remote, proxy, transfer, wrap } from 'comlink';
import { UnsupportedEnvironmentError, isAbortError } from '../errors.ts';
import { installErrorTransfer } from './comlink-errors.ts';
import { isReadFailure, readSource } from './source.ts';
import type {
  AttributeOptions, AttributeOutcome, AttributeRequest, AttributeResult, BatchProgress, BatchResult, EngineInfo, FaceEngineClient, ImageInput, ImageOutcome,
  ImageSource, ProcessOptions,
} from './types.ts';
import type { WorkerApi, WorkerInitOptions } from './worker-api.ts';
import type { DownloadProgress } from '../runtime/downloads.ts';

/** Images per worker call: bounds the memory of bytes in flight while keeping the worker busy. */
const BATCH = 4;

/**
 * Photos per worker call when only the attribute heads run: more than {@link BATCH}, since the heads cost a tenth
 * of what finding and embedding faces does, and a call of 4 one-face photos would run them on batches of 4 instead
 * of the engine's FACES_PER_RUN (at a third more time a face, measured in onnxruntime-web's wasm).
 */
const ATTRIBUTE_BATCH = 16;

/** The engine running in a Web Worker, behind comlink. */
export class WorkerEngineClient implements FaceEngineClient {
  private nextJob = 1;
  /** Rejects when the worker dies or is disposed, so no call waits forever on a worker that will never answer. */
  private readonly gone: Promise<never>;
  private fail: (error: unknown) => void = () => {};

  private constructor(
    private readonly worker: Worker,
    private readonly remote: Remote<WorkerApi>,
    readonly info: EngineInfo,
  ) {
    this.gone = new Promise<never>((_, reject) => {
      this.fail = reject;
    });
    // Marked handled: it only matters while a call races it.
    this.gone.catch(() => undefined);
    worker.addEventListener('error', (event) => this.fail(workerFailure(event)));
  }

  /**
   * Starts the worker and loads the models in it.
   * @param workerUrl URL of the bundled worker script (a module worker).
   * @param onDownload hears the bytes of the models and the runtime as they download (see DownloadMeter).
   * @throws ModelLoadError / UnsupportedEnvironmentError from the worker, with their class and code intact;
   *   UnsupportedEnvironmentError when the worker script itself fails to load or run.
   */
  static async start(workerUrl: string | URL, options: WorkerInitOptions, onDownload?: (progress: DownloadProgress) => void): Promise<WorkerEngineClient> {
    installErrorTransfer();
    const worker = new Worker(workerUrl, { type: 'module', name: 'face-attribute-probe-engine' });
    const remote = wrap<WorkerApi>(worker);
    // comlink never settles a call to a worker that failed to start; its error event does fire.
    const failed = new Promise<never>((_, reject) => {
      worker.addEventListener('error', (event) => reject(workerFailure(event, String(workerUrl))), { once: true });
    });
    try {
      const info = await Promise.race([remote.init(options, onDownload ? proxy(onDownload) : undefined), failed]);
      return new WorkerEngineClient(worker, remote, info);
    } catch (error: unknown) {
      worker.terminate();
      throw error;
    }
  }

  /**
   * Processes images in input order. Each failure is an outcome beside its name; the rest go on. On abort,
   * the image in flight finishes, and the result holds every finished outcome with `cancelled: true`.
   * @throws UnsupportedEnvironmentError when the worker dies; an AbortError when the client is disposed meanwhile.
   */
  async process(sources: readonly ImageSource[], options: ProcessOptions = {}): Promise<BatchResult> {
    const { signal, onProgress } = options;
    const outcomes: ImageOutcome[] = [];
    let faces = 0;
    let failed = 0;
    const record = (o: ImageOutcome) => {
      outcomes.push(o);
      if (o.ok) faces += o.faces.length;
      else failed++;
    };
    for (let start = 0; start < sources.length; start += BATCH) {
      if (signal?.aborted) return { outcomes, cancelled: true };
      const read = await Promise.all(sources.slice(start, start + BATCH).map((s) => readSource(s, true)));
      if (signal?.aborted) return { outcomes, cancelled: true };
      const inputs = read.filter((x): x is ImageInput => !isReadFailure(x));
      let result: BatchResult = { outcomes: [], cancelled: false };
      if (inputs.length) {
        const jobId = this.nextJob++;
        const onAbort = () => void this.remote.cancel(jobId);
        signal?.addEventListener('abort', onAbort, { once: true });
        const base = { done: outcomes.length + read.length - inputs.length, faces, failed: failed + read.length - inputs.length };
        const relay = onProgress
          ? proxy((p: BatchProgress) => onProgress({
            done: base.done + p.done,
            total: sources.length,
            faces: base.faces + p.faces,
            failed: base.failed + p.failed,
            name: p.name,
          }))
          : undefined;
        try {
          result = await Promise.race([
            this.remote.processBatch(
              transfer(inputs, inputs.map((i) => i.bytes.buffer as ArrayBuffer)),
              {
                jobId,
                thumbnails: options.thumbnails ?? false,
                attributes: options.attributes ?? false,
                largestOnly: options.largestOnly ?? false,
              },
              relay,
            ),
            this.gone,
          ]);
        } catch (error: unknown) {
          if (isAbortError(error) && signal?.aborted) return { outcomes, cancelled: true };
          throw error;
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
      }
      // Merge the worker's outcomes with the unreadable files, keeping input order.
      let next = 0;
      for (const x of read) {
        if (isReadFailure(x)) record(x);
        else {
          const o = result.outcomes[next++];
          if (o) record(o);
        }
      }
      if (result.cancelled) return { outcomes, cancelled: true };
    }
    return { outcomes, cancelled: false };
  }

  /**
   * Runs the attribute heads in the worker on faces found earlier, sending their photos in small batches as
   * {@link process} does. A photo that can no longer be read is a failure beside its name; on abort, returns what
   * finished with `cancelled: true`.
   * @throws as {@link process}; InvalidInputError when the worker was started without the attribute heads.
   */
  async attributesOf(requests: readonly AttributeRequest[], options: AttributeOptions = {}): Promise<AttributeResult> {
    const { signal, onProgress } = options;
    const outcomes: AttributeOutcome[] = [];
    for (let start = 0; start < requests.length; start += ATTRIBUTE_BATCH) {
      if (signal?.aborted) return { outcomes, cancelled: true };
      const slice = requests.slice(start, start + ATTRIBUTE_BATCH);
      const read = await Promise.all(slice.map((r) => readSource(r.source, true)));
      if (signal?.aborted) return { outcomes, cancelled: true };
      const sent = read.flatMap((x, i) => (isReadFailure(x) ? [] : [{ input: x, boxes: slice[i]!.boxes }]));
      let result: AttributeResult = { outcomes: [], cancelled: false };
      if (sent.length) {
        const jobId = this.nextJob++;
        const onAbort = () => void this.remote.cancel(jobId);
        signal?.addEventListener('abort', onAbort, { once: true });
        const base = outcomes.length + read.length - sent.length;
        const relay = onProgress ? proxy((p: { done: number }) => onProgress({ done: base + p.done, total: requests.length })) : undefined;
        try {
          result = await Promise.race([
            this.remote.attributesOf(transfer(sent, sent.map((r) => r.input.bytes.buffer as ArrayBuffer)), { jobId }, relay),
            this.gone,
          ]);
        } catch (error: unknown) {
          if (isAbortError(error) && signal?.aborted) return { outcomes, cancelled: true };
          throw error;
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
      }
      let next = 0;
      for (const x of read) {
        if (isReadFailure(x)) outcomes.push(x);
        else {
          const o = result.outcomes[next++];
          if (o) outcomes.push(o);
        }
      }
      if (result.cancelled) return { outcomes, cancelled: true };
    }
    return { outcomes, cancelled: false };
  }

  /** Releases the models and stops the worker; a batch still running ends with an AbortError. */
  async dispose(): Promise<void> {
    this.fail(new DOMException('The engine was disposed.', 'AbortError'));
    try {
      await Promise.race([this.remote.dispose(), new Promise((resolve) => setTimeout(resolve, 2000))]);
    } finally {
      this.worker.terminate();
    }
  }
}

/** The error for a worker that failed to load or crashed. */
function workerFailure(event: Event, url?: string): UnsupportedEnvironmentError {
  const message = (event as ErrorEvent).message;
  return new UnsupportedEnvironmentError(
    `the engine worker ${url ? `(${url}) ` : ''}failed${message ? `: ${message}` : ' to load (is the worker script served, as a module, from this origin?)'}`,
  );
}

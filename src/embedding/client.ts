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
  AttributeOptions, AttributeOutcome, AttributeRequest, AttributeResult, BatchProgress, BatchResult, EngineInfo, FaceEngineClient, ImageFailure, ImageInput, ImageOutcome,
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
    const { onProgress } = options;
    let faces = 0;
    let failed = 0;
    const batch = { thumbnails: options.thumbnails ?? false, attributes: options.attributes ?? false, largestOnly: options.largestOnly ?? false };
    return this.inBatches<ImageSource, ImageOutcome>(sources, (s) => s, BATCH, options.signal, (o) => {
      if (o.ok) faces += o.faces.length;
      else failed++;
    }, (inputs, jobId, done) => {
      // The worker counts from 0 in each call: its counts are added to those of the calls before.
      const base = { done, faces, failed };
      const relay = onProgress
        ? proxy((p: BatchProgress) => onProgress({ done: base.done + p.done, total: sources.length, faces: base.faces + p.faces, failed: base.failed + p.failed, name: p.name }))
        : undefined;
      return this.remote.processBatch(transfer(inputs, inputs.map((i) => i.bytes.buffer as ArrayBuffer)), { jobId, ...batch }, relay);
    });
  }

  /**
   * Runs the attribute heads in the worker on faces found earlier, sending their photos in batches as
   * {@link process} does. A photo that can no longer be read is a failure beside its name; on abort, returns what
   * finished with `cancelled: true`.
   * @throws as {@link process}; InvalidInputError when the worker was started without the attribute heads.
   */
  async attributesOf(requests: readonly AttributeRequest[], options: AttributeOptions = {}): Promise<AttributeResult> {
    const { onProgress } = options;
    return this.inBatches<AttributeRequest, AttributeOutcome>(requests, (r) => r.source, ATTRIBUTE_BATCH, options.signal, () => {}, (inputs, jobId, done, items) => {
      const relay = onProgress ? proxy((p: { done: number }) => onProgress({ done: done + p.done, total: requests.length })) : undefined;
      const sent = inputs.map((input, i) => ({ input, boxes: items[i]!.boxes }));
      return this.remote.attributesOf(transfer(sent, inputs.map((i) => i.bytes.buffer as ArrayBuffer)), { jobId }, relay);
    });
  }

  /**
   * Sends `items` to the worker `size` at a time, each read (one at a time as a batch is sent, so a large drop never
   * holds every photo's bytes) and its buffer transferred; a file that cannot be read is a failure in its place. `call`
   * makes one worker call for the readable items of a batch (`done`: outcomes before it); aborting `signal` cancels
   * that call, and what finished comes back with `cancelled: true`.
   */
  private async inBatches<T, O extends { ok: boolean }>(
    items: readonly T[],
    sourceOf: (item: T) => ImageSource,
    size: number,
    signal: AbortSignal | undefined,
    record: (outcome: O | ImageFailure) => void,
    call: (inputs: ImageInput[], jobId: number, done: number, items: T[]) => Promise<{ outcomes: O[]; cancelled: boolean }>,
  ): Promise<{ outcomes: (O | ImageFailure)[]; cancelled: boolean }> {
    const outcomes: (O | ImageFailure)[] = [];
    for (let start = 0; start < items.length; start += size) {
      if (signal?.aborted) return { outcomes, cancelled: true };
      const slice = items.slice(start, start + size);
      const read = await Promise.all(slice.map((item) => readSource(sourceOf(item), true)));
      if (signal?.aborted) return { outcomes, cancelled: true };
      // Unreadable files are counted first (the worker's progress adds to them) and placed in input order below.
      read.filter(isReadFailure).forEach(record);
      const inputs = read.filter((x): x is ImageInput => !isReadFailure(x));
      let result: { outcomes: O[]; cancelled: boolean } = { outcomes: [], cancelled: false };
      if (inputs.length) {
        const jobId = this.nextJob++;
        const onAbort = () => void this.remote.cancel(jobId);
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          const done = outcomes.length + read.length - inputs.length;
          result = await Promise.race([call(inputs, jobId, done, slice.filter((_, i) => !isReadFailure(read[i]!))), this.gone]);
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
        if (isReadFailure(x)) outcomes.push(x);
        else {
          const o = result.outcomes[next++];
          if (o) {
            outcomes.push(o);
            record(o);
          }
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

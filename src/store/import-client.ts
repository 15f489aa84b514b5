/**
 * Importing an export file off the main thread: {@link importInWorker} starts the import worker
 * (import-worker.ts, bundled as its own module worker file), hands it the file without reading it here,
 * relays progress, and cancels on an AbortSignal (the worker's transaction rolls back).
 */
import { proxy, transfer, wrap } from 'comlink';
import { abortError, throwIfAborted } from '../errors.ts';
import { installErrorTransfer } from '../embedding/comlink-errors.ts';
import type { ImportWorkerApi } from './import-worker-api.ts';
import type { ImportProgress, ImportResult } from './transfer.ts';
import { whenWorkerFails } from '../runtime/worker-failure.ts';

/** Options for {@link importInWorker}. */
export interface ImportInWorkerOptions {
  /** URL of the bundled import worker (build/web/face-probe-import-worker.js in the demo). */
  workerUrl: string | URL;
  /** The database to import into: the page store's `name`. */
  dbName: string;
  /** Refuse a file for another model. */
  modelId?: string;
  /** Vectors per stored chunk: the page store's `chunkSize`. */
  chunkSize?: number;
  /** Aborting rolls the import back; the call rejects with an AbortError once the worker has stopped. */
  signal?: AbortSignal;
  /** Called as the import enters each phase (reading, checking, writing). */
  onProgress?: (progress: ImportProgress) => void;
}

let nextJob = 1;

/**
 * Imports an export file into the database `dbName` inside a Web Worker: decoding, checking and writing
 * all happen there, so the page stays responsive. A Blob/File is read by the worker; bytes are transferred
 * (the caller's array is emptied). The page's own FaceStore sees the imported records once this resolves.
 * An abort that comes after the import committed changes nothing: the call then resolves with its result.
 * @throws what FaceStore.importFromBytes throws (InvalidInputError with an ImportFailure reason, StorageError),
 *   with class and code intact; AbortError when `signal` aborts; UnsupportedEnvironmentError when the
 *   worker cannot start.
 */
export async function importInWorker(file: Blob | Uint8Array, options: ImportInWorkerOptions): Promise<ImportResult> {
  const { signal } = options;
  throwIfAborted(signal);
  installErrorTransfer();
  const worker = new Worker(options.workerUrl, { type: 'module', name: 'face-attribute-probe-import' });
  const remote = wrap<ImportWorkerApi>(worker);
  const job = nextJob++;
  const died = whenWorkerFails(worker, 'the import worker', options.workerUrl);
  const onAbort = (): void => {
    void remote.cancel(job).catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const request = {
      job,
      dbName: options.dbName,
      file,
      ...(options.modelId === undefined ? {} : { modelId: options.modelId }),
      ...(options.chunkSize === undefined ? {} : { chunkSize: options.chunkSize }),
    };
    const progress = options.onProgress ? proxy(options.onProgress) : undefined;
    const sent = file instanceof Uint8Array ? transfer(request, [file.buffer as ArrayBuffer]) : request;
    return await Promise.race([remote.importFile(sent, progress), died]);
  } catch (error: unknown) {
    if (signal?.aborted) throw abortError(signal);
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    worker.terminate();
  }
}

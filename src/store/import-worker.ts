/**
 * The import worker: owns `self` and comlink's `expose`, and reads, checks and writes an export file off the
 * main thread (IndexedDB works in workers), so a large or hostile file never blocks the page.
 */
import { expose } from 'comlink';
import { installErrorTransfer } from '../embedding/comlink-errors.ts';
import { FaceStore } from './face-store.ts';
import type { ImportWorkerApi, WorkerImportRequest } from './import-worker-api.ts';
import type { ImportProgress } from './transfer.ts';

installErrorTransfer();

const jobs = new Map<number, AbortController>();

const api: ImportWorkerApi = {
  async importFile(request: WorkerImportRequest, onProgress?: (progress: ImportProgress) => void) {
    const controller = new AbortController();
    jobs.set(request.job, controller);
    const { signal } = controller;
    const progress = (p: ImportProgress): void => {
      // Progress is a courtesy: a page that went away must not fail the import.
      void Promise.resolve(onProgress?.(p)).catch(() => undefined);
    };
    let store: FaceStore | undefined;
    try {
      store = await FaceStore.open(request.dbName, { signal, ...(request.chunkSize ? { chunkSize: request.chunkSize } : {}) });
      const options = { signal, onProgress: progress, ...(request.modelId === undefined ? {} : { modelId: request.modelId }) };
      return request.file instanceof Blob ? await store.importFromBlob(request.file, options) : await store.importFromBytes(request.file, options);
    } finally {
      jobs.delete(request.job);
      store?.close();
    }
  },
  cancel(job: number) {
    jobs.get(job)?.abort();
  },
};

expose(api);

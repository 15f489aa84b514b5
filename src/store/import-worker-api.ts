/**
 * The import worker's API, shared by the worker (import-worker.ts) and its client (import-client.ts), which
 * imports it with `import type` only. Only structured-cloneable data crosses: a Blob or bytes, options,
 * a progress callback (comlink proxy) and the result.
 */
import type { ImportProgress, ImportResult } from './transfer.ts';

/** What an import in the worker is told. */
export interface WorkerImportRequest {
  /** Names the job, so {@link ImportWorkerApi.cancel} can stop it. */
  job: number;
  /** The IndexedDB database to import into (the same one the page's FaceStore opened). */
  dbName: string;
  /** The export file: a Blob or File (read in the worker) or its bytes (transferred). */
  file: Blob | Uint8Array;
  /** Refuse a file for another model. */
  modelId?: string;
  /** Vectors per stored chunk (the page store's `chunkSize`). */
  chunkSize?: number;
}

/** The import worker's methods. */
export interface ImportWorkerApi {
  /** Reads, checks and imports the file in the worker; see FaceStore.importFromBytes for what it throws. */
  importFile(request: WorkerImportRequest, onProgress?: (progress: ImportProgress) => void): Promise<ImportResult>;
  /** Aborts job `job` (its transaction rolls back); unknown or finished jobs are ignored. */
  cancel(job: number): void;
}

/**
 * The on-device store: IndexedDB via idb. Public entry point of src/store/.
 */
export { DEFAULT_DB_NAME, FaceStore } from './face-store.ts';
export type { ReplaceRunOptions } from './records.ts';
export type { AddBatchOptions, FaceStoreOpenOptions, StorageEstimateResult } from './face-store.ts';
export type { AddBatchResult } from './batch.ts';
export { DEFAULT_CHUNK_SIZE } from './embeddings.ts';
export type { EmbeddingRows } from './embeddings.ts';
export { EXPORT_MAGIC, EXPORT_VERSION, ImportFailure } from './export-format.ts';
export type { ImportResult } from './transfer.ts';
export { hashBytes, isContentHash } from '../runtime/hash.ts';
export { DB_VERSION } from './schema.ts';
export { StorageFailure } from './store-errors.ts';
export type { ImportOptions, ImportProgress } from './transfer.ts';
export { importInWorker } from './import-client.ts';
export type { ImportInWorkerOptions } from './import-client.ts';
export * from './types.ts';
export * from './correction-record.ts';

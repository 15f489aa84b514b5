/**
 * face-attribute-probe's public entry for browsers (and anything else without Node built-ins): the engine
 * client, the store, the analysis library, the kernel and the workspace (the session a UI drives). Node
 * adds src/node.ts (file decoding with sharp, onnxruntime-node, the reproduction harness). Components import
 * only from here.
 */
export * from './errors.ts';
export * from './embedding/index.ts';
export {
  DEFAULT_DB_NAME,
  FaceStore,
  DEFAULT_CHUNK_SIZE,
  EXPORT_MAGIC,
  EXPORT_VERSION,
  ImportFailure,
  hashBytes,
  isContentHash,
  DB_VERSION,
  StorageFailure,
  faceId,
  importInWorker,
} from './store/index.ts';
export type {
  AddBatchOptions,
  AddBatchResult,
  FaceStoreOpenOptions,
  StorageEstimateResult,
  EmbeddingRows,
  ImportResult,
  ImportOptions,
  ImportProgress,
  ImportInWorkerOptions,
  ReplaceRunOptions,
} from './store/index.ts';
export type * from './store/types.ts';
export type { CorrectionKind, CorrectionRecord, PersonSnapshot } from './store/correction-record.ts';
export * from './analysis/index.ts';
export * from './workspace/index.ts';
export { loadKernel, kernelInfo, referenceKernel, detectSimd, type LoadKernelOptions, type KernelInfo } from './kernel/index.ts';
export type * from './kernel/types.ts';
export { FoundBy, findFaces, largestFace, type Detection, type Detector, type FindFacesOptions, type FoundFace } from './vision/find-faces.ts';
export { SUBJECTS, subjectFace, type Subject } from './vision/subject.ts';
export type { Box, Point, RgbImage } from './vision/image.ts';
export { CHIP_SIZE, alignFace, type AlignmentMethod } from './vision/align.ts';
export { decodeImageBrowser } from './vision/decode-browser.ts';
export { DecodeFailure, SUPPORTED_FORMATS, MAX_DECODED_SIDE } from './vision/decode.ts';
export { BUILTIN_MODELS } from './models/builtin.ts';
export {
  BUILTIN_EMBEDDING_MODELS,
  DEFAULT_EMBEDDING_MODEL,
  EMBEDDING_MODEL_LABELS,
  embeddingModelLabel,
  type EmbeddingModelLabel,
} from './models/embedding-models.ts';
export { loadModel, loadBuiltinModels, type LoadedModel, type LoadBuiltinOptions } from './models/load.ts';
export { DownloadMeter, type DownloadProgress, type PlannedFile } from './runtime/downloads.ts';
export type { ModelManifest } from './models/manifest.ts';

/**
 * The contract between the inference worker (worker.ts) and its client (client.ts): plain,
 * structured-cloneable data only. The main thread imports this file's types only.
 */
import type { AlignmentMethod } from '../vision/align.ts';
import type { OrtBackendRequest } from '../runtime/ort.ts';
import type { DownloadProgress } from '../runtime/downloads.ts';
import type { DetectorName } from './models.ts';
import type { Box } from '../vision/image.ts';
import type { AttributeResult, BatchProgress, BatchResult, EngineInfo, ImageInput } from './types.ts';

/** How the worker loads its engine. */
export interface WorkerInitOptions {
  /** Absolute URL of the folder with index.json and the .onnx models (ending in '/'). */
  modelsBaseUrl: string;
  /** Absolute URL of the folder with onnxruntime-web's .wasm/.mjs files (ending in '/'). */
  ortWasmBaseUrl: string;
  backend?: OrtBackendRequest;
  detector?: DetectorName;
  /** Load the age/gender and expression heads. */
  attributes?: boolean;
  threads?: number;
  /** How faces are aligned; default 'dlib-68'. */
  align?: AlignmentMethod;
  /** The built-in embedding model by manifest id; default the default model (see BUILTIN_EMBEDDING_MODELS). */
  model?: string;
}

/** Options of one batch in the worker. */
export interface WorkerBatchOptions {
  /** Identifies the batch for {@link WorkerApi.cancel}. */
  jobId: number;
  thumbnails?: boolean;
  attributes?: boolean;
  largestOnly?: boolean;
}

/** What the worker exposes through comlink. */
export interface WorkerApi {
  /**
   * Loads the models (once); resolves to what the engine runs on. `onDownload` hears the bytes of the models and
   * the runtime as they arrive (the first start of this worker only: later ones download nothing).
   */
  init(options: WorkerInitOptions, onDownload?: (progress: DownloadProgress) => void): Promise<EngineInfo>;
  /** Processes images (their buffers are transferred); progress after each image. */
  processBatch(inputs: ImageInput[], options: WorkerBatchOptions, onProgress?: (p: BatchProgress) => void): Promise<BatchResult>;
  /**
   * Runs the attribute heads on faces found earlier (the photos' buffers are transferred); progress after each
   * photo. Stopped by {@link WorkerApi.cancel} with the same `jobId`.
   */
  attributesOf(
    requests: { input: ImageInput; boxes: Box[] }[],
    options: { jobId: number },
    onProgress?: (p: { done: number; total: number }) => void,
  ): Promise<AttributeResult>;
  /** Stops a running batch: it returns what finished with `cancelled: true`. */
  cancel(jobId: number): void;
  /** Releases the models. */
  dispose(): Promise<void>;
}

/**
 * How the element gets its face engine: a factory it calls with the URLs and backend it was configured
 * with. The default starts the inference worker; tests inject a fake that returns prepared results.
 */
import type { AssetUrls } from './asset-urls.ts';
import { WorkerEngineClient, type DownloadProgress, type FaceEngineClient } from '../src/index.ts';

export type { FaceEngineClient };

/** Which inference backend to ask for: chosen automatically, or forced. */
export type BackendChoice = 'auto' | 'wasm' | 'webgpu';

/** The accepted {@link BackendChoice} values. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'wasm', 'webgpu'];

/** What the element passes to an {@link EngineFactory}: where its files are (every URL absolute), and how to run. */
export interface EngineRequest extends AssetUrls {
  backend: BackendChoice;
  /** Load the age/gender/expression heads (the probe shows them). */
  attributes: boolean;
  /** The built-in embedding model by manifest id (see BUILTIN_EMBEDDING_MODELS). */
  model: string;
  /** Hears the bytes of the models and the runtime as they download, for the first visit's progress bar. */
  onDownload?: (progress: DownloadProgress) => void;
}

/** Starts an engine. Rejects with the project's error classes (ModelLoadError, UnsupportedEnvironmentError…). */
export type EngineFactory = (request: EngineRequest) => Promise<FaceEngineClient>;

/** The default factory: the inference worker, with the models and onnxruntime files at the given URLs. */
export const workerEngineFactory: EngineFactory = (request) =>
  WorkerEngineClient.start(request.workerUrl, {
    modelsBaseUrl: request.modelsBaseUrl,
    ortWasmBaseUrl: request.ortWasmBaseUrl,
    backend: request.backend,
    attributes: request.attributes,
    model: request.model,
  }, request.onDownload);

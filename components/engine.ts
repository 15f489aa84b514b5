/**
 * How the element gets its face engine: a factory it calls with the URLs and backend it was configured
 * with. The default starts the inference worker; tests inject a fake that returns prepared results.
 */
import { WorkerEngineClient, type FaceEngineClient } from '../src/index.ts';

export type { FaceEngineClient };

/** Which inference backend to ask for: chosen automatically, or forced. */
export type BackendChoice = 'auto' | 'wasm' | 'webgpu';

/** The accepted {@link BackendChoice} values. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'wasm', 'webgpu'];

/** What the element passes to an {@link EngineFactory}; every URL is absolute. */
export interface EngineRequest {
  /** The bundled inference worker (a module worker script). */
  workerUrl: string;
  /** Folder with the models' index.json and .onnx files, ending in '/'. */
  modelsBaseUrl: string;
  /** Folder with onnxruntime-web's .wasm/.mjs files, ending in '/'. */
  ortWasmBaseUrl: string;
  backend: BackendChoice;
  /** Load the age/gender/expression heads (the probe shows them). */
  attributes: boolean;
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
  });

/**
 * The folder of the script that holds this code: the standalone build's face-attribute-probe.js, or the bundle a
 * page author's bundler wrote. Read through a variable so bundlers do not take it for an asset reference.
 */
const here: string = import.meta.url;

/** Where the element finds what it loads at run time; each URL is relative to the page. */
export interface AssetLocations {
  /** Folder holding face-probe-worker.js, ort/ and models/; default: the folder of the script (see above). */
  assetsUrl?: string | undefined;
  modelsUrl?: string | undefined;
  ortUrl?: string | undefined;
  workerUrl?: string | undefined;
}

/**
 * The worker, onnxruntime and models URLs, absolute: each one given is resolved against the page; the rest are
 * `face-probe-worker.js`, `ort/` and `models/` in the assets folder.
 */
export function assetUrls(at: AssetLocations, base = document.baseURI): Pick<EngineRequest, 'workerUrl' | 'modelsBaseUrl' | 'ortWasmBaseUrl'> {
  const assets = at.assetsUrl ? absoluteUrl(at.assetsUrl, true, base) : new URL('.', here).href;
  return {
    workerUrl: at.workerUrl ? absoluteUrl(at.workerUrl, false, base) : new URL('face-probe-worker.js', assets).href,
    modelsBaseUrl: at.modelsUrl ? absoluteUrl(at.modelsUrl, true, base) : new URL('models/', assets).href,
    ortWasmBaseUrl: at.ortUrl ? absoluteUrl(at.ortUrl, true, base) : new URL('ort/', assets).href,
  };
}

/**
 * How many CPU threads inference uses, in words a page author can act on: wasm runs one thread unless the page
 * is cross-origin isolated (COOP/COEP headers), because threads need SharedArrayBuffer. Empty for WebGPU.
 */
export function describeThreads(backend: string, threads: number | undefined, isolated = globalThis.crossOriginIsolated === true): string {
  if (threads === undefined || backend === 'webgpu') return '';
  if (threads > 1) return `${threads} threads`;
  return isolated || backend !== 'wasm' ? '1 thread' : '1 thread: the page is not cross-origin isolated';
}

/** `url` resolved against the document (or `base`), as an absolute URL; folders get a trailing '/'. */
export function absoluteUrl(url: string, folder: boolean, base = document.baseURI): string {
  const href = new URL(url, base).href;
  return folder && !href.endsWith('/') ? `${href}/` : href;
}

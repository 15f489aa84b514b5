/**
 * Where `<face-attribute-probe>` finds what it loads at run time (its inference worker, onnxruntime-web's wasm
 * files, the models), and how its header words the thread count. Kept apart from the engine factory so the
 * standalone build, a bundle and the demo resolve the same way.
 */

/**
 * The folder of the script that holds this code: the standalone build's face-attribute-probe.js, or the bundle a
 * page author's bundler wrote. Read through a variable so bundlers do not take it for an asset reference.
 */
const here: string = import.meta.url;

/** Where the page says the run-time files are; each URL is relative to the page, each one optional. */
export interface AssetLocations {
  /** Folder holding face-probe-worker.js, ort/ and models/; default: the folder of the script (see above). */
  assetsUrl?: string | undefined;
  modelsUrl?: string | undefined;
  ortUrl?: string | undefined;
  workerUrl?: string | undefined;
}

/** The absolute URLs the engine factory receives. */
export interface AssetUrls {
  /** The inference worker script (a module worker). */
  workerUrl: string;
  /** Folder with the models' index.json and .onnx files, ending in '/'. */
  modelsBaseUrl: string;
  /** Folder with onnxruntime-web's .wasm/.mjs files, ending in '/'. */
  ortWasmBaseUrl: string;
}

/** `url` resolved against `base`, absolute; folders get a trailing '/'. */
function resolveUrl(url: string, folder: boolean, base: string): string {
  const href = new URL(url, base).href;
  return folder && !href.endsWith('/') ? `${href}/` : href;
}

/**
 * The worker, onnxruntime and models URLs, absolute: each one given is resolved against the page (`base`); the
 * rest are `face-probe-worker.js`, `ort/` and `models/` in the assets folder.
 */
export function assetUrls(at: AssetLocations, base = document.baseURI): AssetUrls {
  const assets = at.assetsUrl ? resolveUrl(at.assetsUrl, true, base) : new URL('.', here).href;
  return {
    workerUrl: at.workerUrl ? resolveUrl(at.workerUrl, false, base) : new URL('face-probe-worker.js', assets).href,
    modelsBaseUrl: at.modelsUrl ? resolveUrl(at.modelsUrl, true, base) : new URL('models/', assets).href,
    ortWasmBaseUrl: at.ortUrl ? resolveUrl(at.ortUrl, true, base) : new URL('ort/', assets).href,
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

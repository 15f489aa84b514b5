/**
 * The one module that talks to onnxruntime. It picks a backend, loads the right onnxruntime flavour, and wraps
 * a session in a small interface that takes and returns plain Float32Array tensors, so no other module
 * imports onnxruntime or depends on which runtime runs the model.
 *
 * Backends:
 * - `node`: onnxruntime-node (native CPU, optional dependency), tried first by `auto` in Node.
 * - `wasm`: onnxruntime-web's WebAssembly backend. In Node this is onnxruntime-web's Node build
 *   (its wasm threads run on worker_threads); in the browser `onnxruntime-web/wasm`.
 * - `webgpu`: `onnxruntime-web/webgpu`, chosen by `auto` only when a hardware adapter exists (a fallback /
 *   software adapter such as SwiftShader runs ~90× slower than wasm, so `auto` uses wasm there).
 *
 * Node-only modules are imported through a computed specifier, so bundlers never pull onnxruntime-node or
 * onnxruntime-web's Node build into a browser bundle.
 */
import { InferenceError, InvalidInputError, isAbortError, ModelLoadError, UnsupportedEnvironmentError, throwIfAborted } from '../errors.ts';
import { importAtRuntime, isNode, readBytes, readCounting } from './read-bytes.ts';
import type { DownloadMeter } from './downloads.ts';

/** What a caller may ask for. */
export type OrtBackendRequest = 'auto' | 'webgpu' | 'wasm' | 'node';
/** The backend a session actually runs on. */
export type OrtBackend = 'webgpu' | 'wasm' | 'node';

/** Options for {@link createSession}. */
export interface OrtSessionOptions {
  /** Default 'auto': node → wasm in Node; hardware WebGPU → wasm in the browser. */
  backend?: OrtBackendRequest;
  /**
   * CPU threads. wasm: sets `ort.env.wasm.numThreads` before the runtime's first use (it cannot change later
   * in the same process or page); default min(4, cores) in Node, and in the browser min(4,
   * hardwareConcurrency) when crossOriginIsolated (threads need SharedArrayBuffer), else 1.
   * node: intra-op threads, default min(4, cores).
   */
  threads?: number;
  /** Cancels loading (checked between steps; onnxruntime cannot stop a session build midway). */
  signal?: AbortSignal;
}

/** A float32 tensor as plain data: row-major `data` of `dims`. */
export interface TensorData {
  data: Float32Array;
  dims: readonly number[];
}

/** Name, element type and shape of a model input or output (string dims are symbolic, e.g. 'batch'). */
export interface ValueInfo {
  name: string;
  type: string;
  shape: ReadonlyArray<number | string>;
}

/** A loaded model. */
export interface OrtSession {
  /** The backend the session runs on. */
  readonly backend: OrtBackend;
  /** CPU threads the runtime uses (1 for webgpu). */
  readonly threads: number;
  /** Why `auto` did not get its first choice, when it did not (e.g. onnxruntime-node failed to load). */
  readonly fallbackReason: string | undefined;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  /**
   * Runs the model on float32 inputs and returns every output as float32.
   * @throws InferenceError when the runtime fails (wrong shapes, out of memory, non-float outputs);
   *   an AbortError when `signal` is aborted before or after the run.
   */
  run(feeds: Record<string, TensorData>, signal?: AbortSignal): Promise<Record<string, TensorData>>;
  /** Frees the session. */
  dispose(): Promise<void>;
}

/** The subset of onnxruntime's API (common to onnxruntime-web and onnxruntime-node) this module uses. */
interface OrtModule {
  env: { wasm: { numThreads?: number; wasmPaths?: string | Record<string, string>; wasmBinary?: ArrayBufferLike | Uint8Array } };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
  InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtInferenceSession> };
}
interface OrtTensor {
  type: string;
  data: unknown;
  dims: readonly number[];
  dispose?: () => void;
}
interface OrtInferenceSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  inputMetadata?: ReadonlyArray<{ name: string; isTensor: boolean; type?: string; shape?: ReadonlyArray<number | string> }>;
  outputMetadata?: ReadonlyArray<{ name: string; isTensor: boolean; type?: string; shape?: ReadonlyArray<number | string> }>;
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

let wasmPathsOverride: string | Record<string, string> | undefined;
const webModules = new Map<'wasm' | 'webgpu', Promise<OrtModule>>();
let nodeModule: Promise<OrtModule> | undefined;
/** Threads each onnxruntime-web flavour was initialised with (each module instance has its own runtime). */
const webThreads = new Map<'wasm' | 'webgpu', number>();

/**
 * Sets where onnxruntime-web finds its .wasm/.mjs files (`ort.env.wasm.wasmPaths`): a URL prefix ending in '/'
 * or a map from file name to URL. Call before the first session; by default the browser resolves them next to
 * the bundle and Node from node_modules/onnxruntime-web/dist.
 */
export function setWasmPaths(paths: string | Record<string, string>): void {
  wasmPathsOverride = paths;
  for (const m of webModules.values()) void m.then((ort) => { ort.env.wasm.wasmPaths = paths; });
}

/** onnxruntime-web's WebAssembly file of each flavour: what `onnxruntime-web/wasm` and `/webgpu` fetch. */
export const RUNTIME_FILES = { wasm: 'ort-wasm-simd-threaded.wasm', webgpu: 'ort-wasm-simd-threaded.asyncify.wasm' } as const;
/** Runtime files downloaded ahead by {@link prefetchRuntime}, by flavour. */
const runtimeBinaries = new Map<'wasm' | 'webgpu', Promise<Uint8Array>>();

/**
 * Starts downloading the WebAssembly runtime that the first session of `request` will run on (in a browser, once
 * {@link setWasmPaths} named its folder), telling `download` its size and then its bytes as they arrive; that
 * session then uses these bytes instead of fetching the file again. Resolves once the size is known (the bytes go on
 * arriving). Where there is nothing to download (Node, a flavour already loaded) the plan is empty.
 * @throws ModelLoadError when the runtime file cannot be fetched.
 */
export async function prefetchRuntime(request: OrtBackendRequest, download: DownloadMeter): Promise<void> {
  const base = typeof wasmPathsOverride === 'string' ? wasmPathsOverride : undefined;
  let flavour: 'wasm' | 'webgpu' | undefined;
  if (!isNode() && base !== undefined) {
    try {
      const choice = await chooseBackend(request);
      flavour = choice.backend === 'webgpu' ? 'webgpu' : 'wasm';
    } catch (error: unknown) {
      // A backend that cannot run here is reported by the session that asks for it, with the same error.
      if (!(error instanceof UnsupportedEnvironmentError || error instanceof InvalidInputError)) throw error;
    }
  }
  if (flavour === undefined || base === undefined || runtimeBinaries.has(flavour) || webModules.has(flavour)) {
    download.plan([]);
    return;
  }
  const file = RUNTIME_FILES[flavour];
  const url = new URL(file, base).href;
  let response: Response;
  try {
    response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
  } catch (cause) {
    throw new ModelLoadError(`could not read ${url}: ${(cause as Error).message}`, { cause, details: { url } });
  }
  const size = Number(response.headers.get('content-length') ?? NaN);
  download.plan([{ name: file, bytes: Number.isFinite(size) && !response.headers.get('content-encoding') ? size : 0 }]);
  const bytes = readCounting(response, (loaded) => download.progress(file, loaded)).catch((cause: unknown) => {
    throw new ModelLoadError(`could not read ${url}: ${(cause as Error).message}`, { cause, details: { url } });
  });
  // Awaited by the first session of this flavour, which reports a failure; marked handled until then.
  bytes.catch(() => undefined);
  runtimeBinaries.set(flavour, bytes);
}

/** Environment facts {@link chooseBackend} decides on (injectable for tests). */
export interface BackendEnvironment {
  node: boolean;
  /** `navigator.gpu`, when present. */
  gpu?: { requestAdapter(): Promise<unknown> } | undefined;
}

/**
 * Resolves 'auto' (and checks explicit requests) without loading a runtime:
 * Node → 'node' (the caller falls back to wasm if onnxruntime-node fails to load);
 * browser → 'webgpu' when an adapter exists that is not a fallback adapter, else 'wasm'.
 * @throws UnsupportedEnvironmentError for 'node' outside Node, or 'webgpu' without an adapter.
 */
export async function chooseBackend(request: OrtBackendRequest, env: BackendEnvironment = currentEnvironment()): Promise<{
  backend: OrtBackend;
  reason?: string;
}> {
  if (!['auto', 'webgpu', 'wasm', 'node'].includes(request)) {
    throw new InvalidInputError(`backend must be 'auto', 'webgpu', 'wasm' or 'node'; got ${JSON.stringify(request)}`);
  }
  if (request === 'wasm') return { backend: 'wasm' };
  if (request === 'node') {
    if (!env.node) throw new UnsupportedEnvironmentError("backend 'node' (onnxruntime-node) is only available in Node; use 'wasm' or 'auto'");
    return { backend: 'node' };
  }
  if (env.node) {
    if (request === 'webgpu') throw new UnsupportedEnvironmentError("backend 'webgpu' is only available in a browser; use 'node', 'wasm' or 'auto'");
    return { backend: 'node' };
  }
  let adapter: unknown = null;
  let failure = '';
  try {
    adapter = env.gpu ? await env.gpu.requestAdapter() : null;
  } catch (error) {
    // A failing adapter request means "no WebGPU" for 'auto'; an explicit 'webgpu' request reports it below.
    failure = `: requestAdapter failed (${String(error)})`;
  }
  if (request === 'webgpu') {
    if (!adapter) throw new UnsupportedEnvironmentError(`backend 'webgpu' was requested but this browser exposes no WebGPU adapter${failure}; use 'wasm' or 'auto'`);
    return { backend: 'webgpu' };
  }
  if (!adapter) return { backend: 'wasm', reason: `no WebGPU adapter${failure}` };
  const a = adapter as { info?: { isFallbackAdapter?: boolean }; isFallbackAdapter?: boolean };
  if (a.info?.isFallbackAdapter ?? a.isFallbackAdapter) {
    return { backend: 'wasm', reason: 'the WebGPU adapter is a fallback (software) adapter' };
  }
  return { backend: 'webgpu' };
}

let adapterProbe: Promise<unknown> | undefined;

function currentEnvironment(): BackendEnvironment {
  const gpu = (globalThis as { navigator?: { gpu?: BackendEnvironment['gpu'] } }).navigator?.gpu;
  // One adapter request per page: the answer does not change, and each failed request logs a browser warning.
  const cached = gpu ? { requestAdapter: () => (adapterProbe ??= gpu.requestAdapter()) } : undefined;
  return { node: isNode(), gpu: cached };
}

/**
 * Loads an ONNX model.
 * @param model the model's bytes, or a URL / (in Node) a file path to read them from.
 * @throws ModelLoadError when the model cannot be read or does not open as ONNX;
 *   UnsupportedEnvironmentError when the requested backend is unavailable; an AbortError on abort.
 */
export async function createSession(model: Uint8Array | ArrayBuffer | string | URL, options: OrtSessionOptions = {}): Promise<OrtSession> {
  const { signal } = options;
  throwIfAborted(signal);
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) {
    throw new InvalidInputError(`threads must be a positive integer; got ${options.threads}`);
  }
  const bytes = await readBytes(model);
  throwIfAborted(signal);
  const choice = await chooseBackend(options.backend ?? 'auto');
  if (choice.backend === 'node') {
    try {
      return await nodeSession(bytes, options.threads);
    } catch (error) {
      if (options.backend === 'node' || error instanceof ModelLoadError) throw error;
      // 'auto': onnxruntime-node is optional; its absence (or a failed native load) means wasm, and the reason is kept.
      return webSession(bytes, 'wasm', options.threads, `onnxruntime-node unavailable: ${(error as Error).message}`, signal);
    }
  }
  if (choice.backend === 'webgpu') {
    try {
      return await webSession(bytes, 'webgpu', options.threads, choice.reason, signal);
    } catch (error) {
      // 'auto': WebGPU can fail where wasm works (an unsupported op, a lost device); wasm then decides, and its
      // own error (e.g. a model that does not open anywhere) is the one reported.
      if (options.backend === 'webgpu' || isAbortError(error)) throw error;
      return webSession(bytes, 'wasm', options.threads, `WebGPU session failed: ${(error as Error).message}`, signal);
    }
  }
  return webSession(bytes, 'wasm', options.threads, choice.reason, signal);
}

async function loadWebModule(flavour: 'wasm' | 'webgpu'): Promise<OrtModule> {
  let pending = webModules.get(flavour);
  if (!pending) {
    pending = (async () => {
      let ort: OrtModule;
      if (isNode()) {
        // onnxruntime-web's Node build (the "node" export condition): wasm threads on worker_threads.
        ort = (await importAtRuntime('onnxruntime-web')) as OrtModule;
        const resolve = (import.meta as { resolve?: (s: string) => string }).resolve;
        if (!wasmPathsOverride && resolve) ort.env.wasm.wasmPaths = new URL('.', resolve('onnxruntime-web')).href;
      } else {
        ort = (flavour === 'webgpu'
          ? await import('onnxruntime-web/webgpu')
          : await import('onnxruntime-web/wasm')) as unknown as OrtModule;
      }
      if (wasmPathsOverride) ort.env.wasm.wasmPaths = wasmPathsOverride;
      const binary = runtimeBinaries.get(flavour);
      if (binary) ort.env.wasm.wasmBinary = await binary;
      return ort;
    })();
    webModules.set(flavour, pending);
    // A runtime that failed to download may be tried again by a later start.
    pending.catch(() => {
      webModules.delete(flavour);
      runtimeBinaries.delete(flavour);
    });
  }
  return pending;
}

async function defaultThreads(): Promise<number> {
  if (isNode()) {
    const os = (await importAtRuntime('node:os')) as { availableParallelism?: () => number; cpus: () => unknown[] };
    return Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length));
  }
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  return g.crossOriginIsolated ? Math.max(1, Math.min(4, g.navigator?.hardwareConcurrency ?? 1)) : 1;
}

async function webSession(
  bytes: Uint8Array, backend: 'wasm' | 'webgpu', threads: number | undefined, fallbackReason: string | undefined, signal?: AbortSignal,
): Promise<OrtSession> {
  const ort = await loadWebModule(backend);
  let count = webThreads.get(backend);
  if (count === undefined) {
    // The wasm runtime reads numThreads once, when it initialises; later values are ignored.
    count = threads ?? (await defaultThreads());
    ort.env.wasm.numThreads = count;
    webThreads.set(backend, count);
  }
  throwIfAborted(signal);
  const session = await openSession(ort, bytes, { executionProviders: [backend], graphOptimizationLevel: 'all' });
  return wrap(ort, session, backend, backend === 'webgpu' ? 1 : count, fallbackReason);
}

/**
 * onnxruntime-node's Linux build starts Microsoft's telemetry with its first session: it reads /etc/machine-id and
 * the process's command line, writes /tmp/.ses and /tmp/mat-debug-<pid>.log, and prepares uploads to an outside
 * collector. Its regular expression over /proc/self/cmdline recurses once per character, so a command line over
 * about 29 kB (≈ 400 photo paths) overflows the stack: exit 139. Nothing of ours may leave the device, so it is
 * switched off before the runtime loads (ORT_DISABLE_TELEMETRY is read when the first session is created).
 */
function disableNativeTelemetry(): void {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (env) env.ORT_DISABLE_TELEMETRY = '1';
}

async function nodeSession(bytes: Uint8Array, threads: number | undefined): Promise<OrtSession> {
  disableNativeTelemetry();
  nodeModule ??= importAtRuntime('onnxruntime-node') as Promise<OrtModule>;
  let ort: OrtModule;
  try {
    ort = await nodeModule;
  } catch (error) {
    nodeModule = undefined;
    throw new UnsupportedEnvironmentError(`onnxruntime-node could not be loaded: ${(error as Error).message}`, { cause: error });
  }
  const intra = threads ?? (await defaultThreads());
  // No spinning: the engine runs several sessions in turn with JavaScript work between them, and idle pool
  // threads that spin for work steal the cores the next stage needs.
  const session = await openSession(ort, bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: intra,
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  return wrap(ort, session, 'node', intra, undefined);
}

async function openSession(ort: OrtModule, bytes: Uint8Array, options: Record<string, unknown>): Promise<OrtInferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, options);
  } catch (cause) {
    throw new ModelLoadError(`the model (${bytes.length} bytes) does not open as an ONNX model: ${(cause as Error).message ?? String(cause)}`, { cause });
  }
}

function wrap(ort: OrtModule, session: OrtInferenceSession, backend: OrtBackend, threads: number, fallbackReason: string | undefined): OrtSession {
  const info = (names: readonly string[], meta: OrtInferenceSession['inputMetadata']): ValueInfo[] =>
    names.map((name) => {
      const m = meta?.find((v) => v.name === name);
      return { name, type: m?.type ?? 'unknown', shape: m?.shape ?? [] };
    });
  const inputs = info(session.inputNames, session.inputMetadata);
  const outputs = info(session.outputNames, session.outputMetadata);
  let disposed = false;
  return {
    backend,
    threads,
    fallbackReason,
    inputs,
    outputs,
    async run(feeds, signal) {
      throwIfAborted(signal);
      if (disposed) throw new InferenceError('the session was disposed');
      const ortFeeds: Record<string, OrtTensor> = {};
      let results: Record<string, OrtTensor>;
      try {
        for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor('float32', t.data, t.dims);
        results = await session.run(ortFeeds);
      } catch (cause) {
        const shapes = Object.entries(feeds).map(([n, t]) => `${n} [${t.dims.join(', ')}]`).join(', ');
        throw new InferenceError(`${backend} inference failed for inputs ${shapes}: ${(cause as Error).message ?? String(cause)}`, { cause });
      } finally {
        for (const t of Object.values(ortFeeds)) t.dispose?.();
      }
      const out: Record<string, TensorData> = {};
      for (const [name, t] of Object.entries(results)) {
        if (!(t.data instanceof Float32Array)) throw new InferenceError(`output ${name} is ${t.type}; only float32 outputs are supported`);
        // Copy out of runtime-owned memory before the tensor is released.
        out[name] = { data: new Float32Array(t.data), dims: [...t.dims] };
        t.dispose?.();
      }
      throwIfAborted(signal);
      return out;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await session.release();
    },
  };
}

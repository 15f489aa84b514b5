/**
 * The demo's service worker: precaches the app, the models, onnxruntime's wasm runtime and the sample photos
 * at install (the list and its version come from scripts/bundle.mjs), then answers every same-origin GET
 * from the cache first, so a reload works with the network off. Other same-origin files (e.g. the WebGPU
 * runtime, fetched only on WebGPU machines) are cached the first time they are fetched. Cross-origin
 * requests are never made by the app and are left alone.
 */
export {};

// The project type-checks with the DOM library only (adding the webworker library would change globals for
// every file), so the few service-worker types used here are declared locally.
interface LifecycleEvent extends Event {
  waitUntil(work: Promise<unknown>): void;
}
interface FetchRequestEvent extends LifecycleEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerMessageEvent extends LifecycleEvent {
  readonly data: unknown;
  readonly ports: readonly MessagePort[];
}
interface ServiceWorkerScope {
  readonly location: Location;
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: LifecycleEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchRequestEvent) => void): void;
  addEventListener(type: 'message', listener: (event: WorkerMessageEvent) => void): void;
}
const sw = self as unknown as ServiceWorkerScope;
/** Paths relative to the service worker's folder. */
declare const __PRECACHE__: string[];
/** Changes whenever a precached file changes. */
declare const __VERSION__: string;

const PRECACHE = `fap-precache-${__VERSION__}`;
const RUNTIME = `fap-runtime-${__VERSION__}`;

sw.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(PRECACHE);
    await cache.addAll(__PRECACHE__.map((path) => new Request(new URL(path, sw.location.href), { cache: 'reload' })));
    await sw.skipWaiting();
  })());
});

sw.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('fap-') && key !== PRECACHE && key !== RUNTIME) await caches.delete(key);
    }
    await sw.clients.claim();
  })());
});

/** What {@link OFFLINE_STATUS} asks and answers: whether every precached file is in this worker's cache. */
const OFFLINE_STATUS = 'offline-status';

/** The precached files missing from the cache (none once install has finished). */
async function missingFromPrecache(): Promise<string[]> {
  const cache = await caches.open(PRECACHE);
  const missing: string[] = [];
  for (const path of __PRECACHE__) {
    if (!(await cache.match(new URL(path, sw.location.href).href))) missing.push(path);
  }
  return missing;
}

// The page asks through a MessageChannel once this worker is active; the answer is checked against the cache
// itself, so "ready" is said only when a reload without the network can be served.
sw.addEventListener('message', (event) => {
  const port = event.ports[0];
  if (!port || (event.data as { type?: unknown } | null)?.type !== OFFLINE_STATUS) return;
  event.waitUntil(missingFromPrecache().then(
    (missing) => port.postMessage({ type: OFFLINE_STATUS, ready: missing.length === 0, files: __PRECACHE__.length, missing }),
    (error: unknown) => port.postMessage({ type: OFFLINE_STATUS, ready: false, files: __PRECACHE__.length, missing: [], error: String(error) }),
  ));
});

/**
 * The cached answer to `request`, else the network's. A fetched same-origin file is cached in the background
 * (`keep` extends the worker's life until the write ends), so the page never waits on the cache write.
 */
async function respond(request: Request, keep: (work: Promise<unknown>) => void): Promise<Response> {
  const cached = await caches.match(request, { ignoreSearch: true });
  if (cached) return cached;
  if (request.mode === 'navigate') {
    // Any page of the demo is the one page.
    const page = await caches.match(new URL('./', sw.location.href).href);
    if (page) return page;
  }
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') {
    const copy = response.clone();
    keep(caches.open(RUNTIME).then((cache) => cache.put(request, copy)).catch((error: unknown) => {
      // A full quota or an evicted cache only means this file is fetched again next time.
      console.warn(`the service worker could not cache ${request.url}:`, error);
    }));
  }
  return response;
}

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== sw.location.origin) return;
  event.respondWith(respond(request, (work) => event.waitUntil(work)));
});

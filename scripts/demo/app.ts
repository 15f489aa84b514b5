/**
 * The demo page's script: defines <face-attribute-probe>, wires the "Try sample photos" button (the demo
 * images that @vladmandic/face-api ships, copied beside the page at build time), and registers the service
 * worker that precaches the app, the models and the wasm runtime so the page works offline after a visit,
 * saying on the page (#offline-status) the moment that holds.
 */
import '../../components/index.ts';

/** The sample photos' URLs, relative to the page (filled in by scripts/bundle.mjs). */
declare const __SAMPLES__: string[];

const probe = document.querySelector('face-attribute-probe');
const button = document.querySelector<HTMLButtonElement>('#samples');
const status = document.querySelector<HTMLElement>('#sample-status');

async function loadSamples(): Promise<File[]> {
  return Promise.all(__SAMPLES__.map(async (url) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const name = url.split('/').pop() ?? url;
    return new File([await response.blob()], name, { type: 'image/jpeg' });
  }));
}

/** The sample photos get a collection of their own, so they never mix with a person's own photos. */
const SAMPLE_DATABASE = 'face-attribute-probe-samples';
/** The person's own database while the samples are shown, else undefined. */
let ownDatabase: string | undefined;

if (button && probe) {
  if (__SAMPLES__.length === 0) button.hidden = true;
  button.addEventListener('click', async () => {
    if (ownDatabase !== undefined) {
      probe.database = ownDatabase;
      ownDatabase = undefined;
      button.textContent = 'Try sample photos';
      if (status) status.textContent = 'Back to your own photos.';
      return;
    }
    button.disabled = true;
    if (status) status.textContent = `Loading ${__SAMPLES__.length} sample photos…`;
    try {
      const files = await loadSamples();
      ownDatabase = probe.database;
      probe.database = SAMPLE_DATABASE;
      // The element opens the samples' store in its next update; add the photos once it has started to.
      await probe.updateComplete;
      button.textContent = 'Back to my photos';
      if (status) status.textContent = 'The sample photos are shown in a collection of their own: yours are left as they were.';
      await probe.addFiles(files);
    } catch (error: unknown) {
      if (status) status.textContent = `The sample photos could not be loaded: ${(error as Error).message}`;
    } finally {
      button.disabled = false;
    }
  });
}

/** The service worker's answer to 'offline-status' (see sw.ts). */
interface OfflineStatus {
  ready: boolean;
  files: number;
  missing: string[];
  error?: string;
}

const offline = document.querySelector<HTMLElement>('#offline-status');

/** Says where offline use stands; `data-state` is loading, ready or unavailable. */
function showOffline(state: 'loading' | 'ready' | 'unavailable', text: string): void {
  if (!offline) return;
  offline.dataset.state = state;
  offline.textContent = text;
}

/** Asks the active service worker whether every file the app needs is in its cache. */
function askOfflineStatus(worker: ServiceWorker): Promise<OfflineStatus> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event: MessageEvent<OfflineStatus>) => resolve(event.data);
    worker.postMessage({ type: 'offline-status' }, [channel.port2]);
  });
}

/**
 * Registers the service worker and says when the page works offline: once the worker is active (its install
 * stored every file) and confirms that every file is in its cache, a reload needs no network.
 */
async function enableOffline(): Promise<void> {
  showOffline('loading', 'Saving this page in the browser so it also works offline…');
  await navigator.serviceWorker.register('./sw.js');
  const registration = await navigator.serviceWorker.ready;
  const active = registration.active;
  if (!active) throw new Error('no active service worker');
  const status = await askOfflineStatus(active);
  if (status.ready) {
    showOffline('ready', `Ready: this page works offline from now on (${status.files} files saved in this browser).`);
  } else {
    throw new Error(status.error ?? `${status.missing.length} of ${status.files} files are missing from the cache`);
  }
}

if ('serviceWorker' in navigator) {
  enableOffline().catch((error: unknown) => {
    // The app works without it (only not offline); say so on the page and why in the console.
    showOffline('unavailable', 'This page could not be saved for offline use; it works while online.');
    console.warn(`The service worker could not be registered, so the demo will not work offline: ${String(error)}`);
  });
} else {
  showOffline('unavailable', 'This browser cannot save the page for offline use; it works while online.');
}

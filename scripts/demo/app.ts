/**
 * The demo page's script: defines <face-attribute-probe>, wires the "Try sample photos" button (the demo
 * images that @vladmandic/face-api ships, copied beside the page at build time), and registers the service
 * worker that precaches the app, the models and the wasm runtime so the page works offline after a visit.
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

if (button && probe) {
  if (__SAMPLES__.length === 0) button.hidden = true;
  button.addEventListener('click', async () => {
    button.disabled = true;
    if (status) status.textContent = `Loading ${__SAMPLES__.length} sample photos…`;
    try {
      const files = await loadSamples();
      if (status) status.textContent = '';
      await probe.addFiles(files);
    } catch (error: unknown) {
      if (status) status.textContent = `The sample photos could not be loaded: ${(error as Error).message}`;
    } finally {
      button.disabled = false;
    }
  });
}

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch((error: unknown) => {
    // The app works without it (only not offline); say why in the console for whoever runs the demo.
    console.warn(`The service worker could not be registered, so the demo will not work offline: ${String(error)}`);
  });
}

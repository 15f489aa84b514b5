/**
 * End to end, on the real built demo (build/web) in headless Chromium, with the real engine in its worker:
 * ../shared/datasets/smoke photos (read at test time) go in through the file input → faces are found →
 * clusters are shown (screenshot kept in test-results/) → a cluster is named → a reload shows it still
 * named → with the server stopped, a reload still shows the app, its data and a running engine (the service
 * worker's cache) → Erase all empties it. The page is served as `npm start` serves it (scripts/demo-server.mjs:
 * its Content-Security-Policy, no 'unsafe-eval', only 'wasm-unsafe-eval', is a header on every response, so it
 * governs the workers too); no request may leave the origin and no CSP violation may occur.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { startDemoServer } from '../../scripts/demo-server.mjs';
import { chromiumOrSkip, launchChromium } from '../helpers/chromium.ts';
import { datasetOrSkip, projectRoot } from '../helpers/datasets.ts';


const web = join(projectRoot, 'build', 'web');

// Playwright reports a service worker's own fetches (the precache) only with this switch; without it the
// origin check below would not see them. Read when the browser is launched.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

/** The element's `state` attribute. */
const stateOf = (page: Page) => page.evaluate(() => document.querySelector('face-attribute-probe')?.getAttribute('state'));

async function waitForState(page: Page, state: string, timeout: number): Promise<void> {
  try {
    await page.waitForFunction((s) => document.querySelector('face-attribute-probe')?.getAttribute('state') === s, state, { timeout });
  } catch (error) {
    const text = await page.evaluate(() => document.querySelector('face-attribute-probe')?.shadowRoot?.textContent?.replace(/\s+/g, ' ').slice(0, 600));
    throw new Error(`state stayed ${await stateOf(page)} (waiting for ${state}); the element says: ${text}`, { cause: error });
  }
}

/** Waits until the engine reports its backend in the element's header. */
async function waitForEngine(page: Page, timeout: number): Promise<string> {
  const backend = page.locator('face-attribute-probe [part="backend"] .backend-name');
  await backend.waitFor({ timeout });
  return (await backend.textContent()) ?? '';
}

/** Watches a browser context for requests off the origin and for errors anywhere (page, workers, CSP). */
function watch(context: import('playwright-core').BrowserContext, page: Page, origin: string) {
  const seen = { offOrigin: [] as string[], problems: [] as string[], workerScriptLoads: 0, pageLoads: 0 };
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:')) seen.offOrigin.push(url);
    if (url === `${origin}/face-probe-worker.js` && !request.serviceWorker()) seen.workerScriptLoads++;
  });
  context.on('serviceworker', (worker) => worker.on('console', (m) => { if (m.type() === 'error') seen.problems.push(`service worker: ${m.text()}`); }));
  page.on('load', () => seen.pageLoads++);
  page.on('pageerror', (e) => seen.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') seen.problems.push(`console: ${m.text()}`); });
  page.on('worker', (worker) => worker.on('console', (m) => { if (m.type() === 'error') seen.problems.push(`worker: ${m.text()}`); }));
  return seen;
}

/** Reports CSP violations as console errors, which {@link watch} collects. */
async function reportViolations(context: import('playwright-core').BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
}

/** Skips (or, under CI, fails) without Chromium; fails without a build. */
function preconditions(t: import('node:test').TestContext): boolean {
  if (!chromiumOrSkip(t, 'end-to-end test skipped')) return false;
  assert.ok(existsSync(join(web, 'index.html')), 'build/web/index.html is missing: run `npm run build` first');
  return true;
}

test('the demo end to end: add photos, cluster, name, reload, offline, erase', { timeout: 300_000 }, async (t) => {
  const smoke = datasetOrSkip(t, 'smoke');
  if (!smoke) return;
  if (!preconditions(t)) return;
  const photos = readdirSync(join(smoke, 'images')).filter((f) => f.endsWith('.jpg')).sort().map((f) => join(smoke, 'images', f));

  let server = await startDemoServer({ root: web });
  const origin = new URL(server.url).origin;
  const browser = await launchChromium();
  try {
    const { context } = browser;
    await reportViolations(context);
    const page = await context.newPage();
    const seen = watch(context, page, origin);

    await page.goto(server.url);
    await waitForState(page, 'empty', 30_000);
    const backend = await waitForEngine(page, 60_000);
    assert.equal(backend, 'wasm', 'headless Chromium has no hardware WebGPU adapter, so auto chooses wasm');
    assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'COOP/COEP make the page cross-origin isolated (wasm threads)');

    // Photos in through the file input, as a person picking files would.
    await page.locator('face-attribute-probe fap-drop-zone input[name="photos"]').setInputFiles(photos);
    await waitForState(page, 'clustered', 180_000);
    const storageText = (await page.locator('face-attribute-probe fap-storage-panel p').first().textContent())?.replace(/\s+/g, ' ') ?? '';
    const counts = /(\d+) photos and (\d+) faces/.exec(storageText);
    assert.ok(counts, `the storage panel counts photos and faces: ${storageText}`);
    assert.equal(Number(counts[1]), photos.length);
    const faces = Number(counts[2]);
    assert.ok(faces >= photos.length, `every photo has a face: ${faces} faces in ${photos.length} photos`);
    const galleries = page.locator('face-attribute-probe fap-cluster-gallery');
    assert.ok((await galleries.count()) >= 2, 'at least two clusters are shown');
    assert.equal(await page.locator('face-attribute-probe fap-pca-scatter .point').count(), faces, 'one point per face');
    assert.ok((await page.locator('face-attribute-probe fap-people button.person').count()) >= 2, 'people are shown (everyone + at least one person)');
    mkdirSync(join(projectRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(projectRoot, 'test-results', 'e2e-clustered.png'), fullPage: true });

    // A name, typed and committed with Enter.
    const nameField = galleries.first().locator('input[name="cluster-name"]');
    await nameField.fill('first group');
    await nameField.press('Enter');
    await waitForState(page, 'named', 30_000);

    // The service worker has taken control (it claims the page once it has precached everything).
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 120_000 });

    await page.reload();
    await waitForState(page, 'named', 60_000);
    assert.equal(await page.locator('face-attribute-probe fap-cluster-gallery').first().locator('input[name="cluster-name"]').inputValue(), 'first group');

    // Offline: the server is gone; the service worker's cache must serve the page, the app, the models and the wasm.
    await server.close();
    await context.setOffline(true);
    await page.reload();
    await waitForState(page, 'named', 60_000);
    assert.equal(await waitForEngine(page, 60_000), 'wasm', 'the engine starts offline from the cached models and runtime');
    assert.equal(await page.locator('face-attribute-probe fap-cluster-gallery').first().locator('input[name="cluster-name"]').inputValue(), 'first group');
    await context.setOffline(false);
    server = await startDemoServer({ root: web, port: Number(new URL(origin).port) });

    // Erase all, with its confirmation; a reload stays empty.
    await page.locator('face-attribute-probe button[name="erase"]').click();
    await page.locator('face-attribute-probe button[name="confirm-erase"]').click();
    await waitForState(page, 'empty', 30_000);
    await page.reload();
    await waitForState(page, 'empty', 30_000);
    const emptied = (await page.locator('face-attribute-probe fap-storage-panel p').first().textContent())?.replace(/\s+/g, ' ') ?? '';
    assert.match(emptied, /Nothing is kept yet/, `the emptied store says so: ${emptied}`);
    assert.doesNotMatch(emptied, /unknown/, 'no "unknown of unknown"');
    assert.equal(await page.locator('face-attribute-probe button[name="export"]').isDisabled(), true, 'nothing to export');
    assert.equal(await page.locator('face-attribute-probe button[name="erase"]').isDisabled(), true, 'nothing to erase');

    assert.deepEqual(seen.offOrigin, [], 'no request left the origin');
    // onnxruntime's thread workers load its own ort-wasm-simd-threaded.mjs, never the worker bundle again.
    assert.equal(seen.workerScriptLoads, seen.pageLoads, `the inference worker script loads once per page load (${seen.pageLoads} loads)`);
    assert.deepEqual(seen.problems, [], 'no page error, console error or CSP violation');
  } finally {
    await browser.close();
    await server.close();
  }
});

test('offline from the moment the page says so: the server stops, the page opened again starts the app and the engine', { timeout: 300_000 }, async (t) => {
  if (!preconditions(t)) return;
  const server = await startDemoServer({ root: web });
  const browser = await launchChromium();
  try {
    const { context } = browser;
    await reportViolations(context);
    const first = await context.newPage();
    // A first visit, and nothing else: no reload online, no wait for the engine.
    await first.goto(server.url);
    const status = first.locator('#offline-status');
    await first.locator('#offline-status[data-state="ready"]').waitFor({ timeout: 120_000 });
    assert.match((await status.textContent()) ?? '', /works offline/i, 'the page says it works offline');

    // At once: the tab closes (so the first visit's own engine, still loading, is not cut off mid-download and
    // does not report that), the server stops, the network goes, and the page is opened again.
    await first.close();
    await server.close();
    await context.setOffline(true);
    const page = await context.newPage();
    const seen = watch(context, page, new URL(server.url).origin);
    await page.goto(server.url);
    await waitForState(page, 'empty', 60_000);
    assert.equal(await waitForEngine(page, 60_000), 'wasm', 'the engine starts offline from the cached models and runtime');
    await page.locator('#offline-status[data-state="ready"]').waitFor({ timeout: 30_000 });
    assert.deepEqual(seen.problems, [], 'no page error, console error or CSP violation');
  } finally {
    await browser.close();
    await server.close();
  }
});

test('the demo\'s sample photos: cluster, name two groups, probe a face beside the attribute heads', { timeout: 300_000 }, async (t) => {
  if (!preconditions(t)) return;
  const sample = join(projectRoot, 'node_modules', '@vladmandic', 'face-api', 'demo', 'sample1.jpg');
  const server = await startDemoServer({ root: web });
  const browser = await launchChromium();
  try {
    const { context } = browser;
    await reportViolations(context);
    const page = await context.newPage();
    const seen = watch(context, page, new URL(server.url).origin);
    await page.goto(server.url);
    await waitForState(page, 'empty', 30_000);
    // A photo of the person's own first, which the samples must not join.
    await page.locator('face-attribute-probe fap-drop-zone input[name="photos"]').setInputFiles(sample);
    await page.waitForFunction(() => ['ready', 'clustered'].includes(document.querySelector('face-attribute-probe')?.getAttribute('state') ?? ''), null, { timeout: 120_000 });
    await page.getByRole('button', { name: 'Try sample photos' }).click();
    await page.getByRole('button', { name: 'Back to my photos' }).waitFor({ timeout: 30_000 });
    assert.equal(await page.evaluate(() => document.querySelector('face-attribute-probe')?.database), 'face-attribute-probe-samples',
      'the samples are shown in a collection of their own, with the way back offered');
    // Only the six samples in it: the person's own photo did not come along.
    await page.waitForFunction(() => {
      const el = document.querySelector('face-attribute-probe');
      const stored = el?.shadowRoot?.querySelector('fap-storage-panel')?.shadowRoot?.textContent ?? '';
      return el?.getAttribute('state') === 'clustered' && /\b6 photos and \d+ faces\s+kept/.test(stored);
    }, null, { timeout: 180_000 });
    const galleries = page.locator('face-attribute-probe fap-cluster-gallery');
    assert.ok((await galleries.count()) >= 2);
    for (const [i, name] of ['group one', 'group two'].entries()) {
      const field = galleries.nth(i).locator('input[name="cluster-name"]');
      await field.fill(name);
      await field.press('Enter');
    }
    const accuracy = page.locator('face-attribute-probe [part="named"] dd.accuracy');
    await accuracy.waitFor({ timeout: 30_000 });
    assert.match((await accuracy.textContent()) ?? '', /\d+\.\d %/);
    assert.ok((await page.locator('face-attribute-probe fap-fisher-chart rect.bar').count()) > 0, 'the Fisher chart is drawn');

    await page.locator('face-attribute-probe fap-probe-panel input[name="probe"]').setInputFiles(sample);
    await waitForState(page, 'probing', 120_000);
    const rows = page.locator('face-attribute-probe fap-probe-panel tbody tr');
    assert.ok((await rows.count()) >= 1, 'the probed photo\'s faces are listed');
    const cells = await rows.first().locator('td').allTextContents();
    assert.match(cells[1] ?? '', /^group (one|two) \d+\.\d %$/, `a named group with its confidence: ${cells[1]}`);
    assert.match(cells[2] ?? '', /^\d+$/, `an age from the attribute head: ${cells[2]}`);
    assert.match(cells[3] ?? '', /^(male|female) \d+\.\d %$/, `a gender from the attribute head: ${cells[3]}`);
    assert.match(cells[4] ?? '', /^[a-z]+ \d+\.\d %$/, `an expression from the attribute head: ${cells[4]}`);
    assert.ok(cells[5], 'a note says where a head disagrees (or a dash)');
    mkdirSync(join(projectRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(projectRoot, 'test-results', 'e2e-samples-probing.png'), fullPage: true });
    await page.getByRole('button', { name: 'Back to my photos' }).click();
    await page.waitForFunction(() => /\b1 photo and \d+ faces?\s+kept/.test(document.querySelector('face-attribute-probe')?.shadowRoot?.querySelector('fap-storage-panel')?.shadowRoot?.textContent ?? ''), null, { timeout: 30_000 });
    assert.deepEqual(seen.offOrigin, [], 'no request left the origin');
    assert.deepEqual(seen.problems, [], 'no page error, console error or CSP violation');
  } finally {
    await browser.close();
    await server.close();
  }
});

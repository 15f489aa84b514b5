/**
 * End to end on the real built demo (build/web) in headless Chromium with the real engine in its worker: a first
 * visit shows what it downloads (MB so far of the total, with a bar) and then folds the engine's details into the
 * footer; while 40 LFW photos of two people are added (read from ../shared at test time; two chunks), the counts
 * shown agree after every photo; and a face opens its photo, with its box drawn. Screenshots go to test-results/.
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
const results = join(projectRoot, 'test-results');
/** The last model the engine loads (loadFaceModels loads them in order): held back so the download can be seen. */
const LAST_MODEL = 'face-expression.onnx';

/** The counts the element shows, read in the page after it and its parts have drawn (see the page function). */
interface Counts {
  storage: { photos: number; faces: number };
  everyone: number | null;
  people: number | null;
  progress: { done: number; faces: number } | null;
}

/**
 * Page-side code, as text: the test runner compiles functions it names with a helper the page does not have.
 * `__find(selector)` finds an element through every shadow root; `__recordCounts()` reads the counts shown after
 * every probe-progress event, once the element and its parts have drawn (Lit draws in microtasks), into `__counts`.
 */
const PAGE_HELPERS = `
window.__all = function (root) {
  return Array.from(root.querySelectorAll('*')).flatMap(function (e) { return [e].concat(e.shadowRoot ? window.__all(e.shadowRoot) : []); });
};
window.__find = function (selector) {
  return window.__all(document).find(function (e) { return e.matches(selector); });
};
window.__recordCounts = function () {
  var el = document.querySelector('face-attribute-probe');
  window.__counts = [];
  el.addEventListener('probe-progress', async function () {
    await el.updateComplete;
    for (var part of window.__all(el.shadowRoot)) await part.updateComplete;
    var storage = /(\\d+) photos? and (\\d+) faces? kept/.exec((window.__find('fap-storage-panel')?.shadowRoot?.textContent ?? '').replace(/\\s+/g, ' '));
    var everyone = /Everyone \\((\\d+)\\)/.exec(window.__find('select[name="scope"] option[value="all"]')?.textContent ?? '');
    var panel = window.__find('fap-people');
    var progress = /(\\d+) of \\d+ photos(?: · (\\d+) faces?)?/.exec(window.__find('fap-progress')?.shadowRoot?.querySelector('.counts')?.textContent ?? '');
    window.__counts.push({
      storage: { photos: Number(storage?.[1] ?? 0), faces: Number(storage?.[2] ?? 0) },
      everyone: everyone ? Number(everyone[1]) : null,
      people: panel ? panel.people.reduce(function (n, p) { return n + p.group.faceIds.length; }, 0) + panel.alone.length : null,
      progress: progress ? { done: Number(progress[1]), faces: Number(progress[2] ?? 0) } : null,
    });
  });
};
`;

test('the demo: a first visit shows its download, counts agree while photos are added, a face opens its photo', { timeout: 420_000 }, async (t) => {
  const lfw = datasetOrSkip(t, 'lfw-attributes');
  if (!lfw) return;
  if (!chromiumOrSkip(t, 'end-to-end test skipped')) return;
  assert.ok(existsSync(join(web, 'index.html')), 'build/web/index.html is missing: run `npm run build` first');
  const people = ['Jiang_Zemin', 'Michael_Bloomberg'];
  const photos = people.flatMap((p) => readdirSync(join(lfw, 'images', p)).sort().map((f) => join(lfw, 'images', p, f)));
  assert.equal(photos.length, 40);
  mkdirSync(results, { recursive: true });

  const server = await startDemoServer({ root: web });
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1100, height: 900 });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });

    // The last model waits until the download has been seen, so the test needs no timing.
    let release: (() => void) | undefined;
    const released = new Promise<void>((ok) => { release = ok; });
    let hold: (() => void) | undefined;
    const held = new Promise<void>((ok) => { hold = ok; });
    await browser.context.route(`**/models/${LAST_MODEL}`, async (route) => {
      hold?.();
      await released;
      await route.continue();
    });
    await page.addInitScript(PAGE_HELPERS);
    await page.goto(server.url);
    const ready = page.locator('face-attribute-probe [part="backend"] .backend-name').waitFor({ timeout: 120_000 }).then(() => 'ready' as const);
    assert.equal(await Promise.race([held.then(() => 'held' as const), ready]), 'held', `${LAST_MODEL} is asked for, and held, before the engine runs`);
    const amount = page.locator('face-attribute-probe [part="download"] .amount');
    await page.waitForFunction(() => /MB of/.test(document.querySelector('face-attribute-probe')?.shadowRoot?.querySelector('[part="download"]')?.textContent ?? ''), null, { timeout: 120_000 });
    const shown = (await amount.textContent()) ?? '';
    const [, loaded, total] = /^(\d+\.\d) MB of (\d+\.\d) MB$/.exec(shown) ?? [];
    assert.ok(loaded && total, `the download is said in MB so far of the total: ${shown}`);
    assert.ok(Number(total) > 20 && Number(total) < 40, `the models and the runtime are ${total} MB`);
    await page.waitForFunction(() => {
      const bar = document.querySelector('face-attribute-probe')?.shadowRoot?.querySelector('[part="download"] progress') as HTMLProgressElement | null;
      return bar !== null && bar.value > 0 && bar.value < bar.max;
    }, null, { timeout: 60_000 });
    await page.screenshot({ path: join(results, 'e2e-first-visit.png') });
    release?.();
    await page.locator('face-attribute-probe [part="backend"] .backend-name').waitFor({ timeout: 120_000 });
    assert.equal(await page.locator('face-attribute-probe header').count(), 0, 'the engine is no longer spoken of at the top');
    assert.equal(await page.locator('face-attribute-probe footer details').getAttribute('open'), null, 'its details are folded in the footer');

    await page.waitForFunction(() => document.querySelector('face-attribute-probe')?.getAttribute('state') === 'empty', null, { timeout: 30_000 });
    await page.evaluate('window.__recordCounts()');
    await page.locator('face-attribute-probe fap-drop-zone input[name="photos"]').setInputFiles(photos);
    await page.waitForFunction(() => ['clustered', 'ready'].includes(document.querySelector('face-attribute-probe')?.getAttribute('state') ?? ''), null, { timeout: 300_000 });
    const counts = await page.evaluate(() => (window as unknown as { __counts: Counts[] }).__counts);
    assert.ok(counts.length >= 40, `the counts were read after each of the ${counts.length} progress reports`);
    counts.forEach((c, i) => {
      const at = `after report ${i + 1} (${JSON.stringify(c)})`;
      assert.ok(c.progress, `the progress line is shown ${at}`);
      assert.equal(c.progress.faces, c.storage.faces, `the progress line and storage agree ${at}`);
      if (c.storage.faces > 0) {
        assert.equal(c.everyone, c.storage.faces, `Everyone (N) and storage agree ${at}`);
        assert.equal(c.people, c.storage.faces, `people and storage agree ${at}`);
      }
    });
    const final = counts.at(-1) as Counts;
    assert.ok(counts.some((c) => c.storage.faces > 0 && c.storage.faces < final.storage.faces), 'faces were shown as the first chunk was kept, before the end');

    // A face of a gallery opens its photo, with its box.
    await page.locator('face-attribute-probe fap-cluster-gallery button.face').first().click();
    const img = page.locator('face-attribute-probe fap-face-view fap-photo-view img');
    await img.waitFor({ timeout: 30_000 });
    // Waits for the image's own load event when it has not loaded yet.
    await img.evaluate((i: HTMLImageElement) => (i.complete ? undefined : new Promise((ok) => i.addEventListener('load', ok, { once: true }))));
    assert.equal(await img.evaluate((i: HTMLImageElement) => i.naturalWidth), 250, 'an LFW photo (250 px) is kept at its own size');
    const box = await page.locator('face-attribute-probe fap-face-view fap-photo-view .box').boundingBox();
    const photo = await img.boundingBox();
    assert.ok(box && photo, 'the photo and the face box are drawn');
    assert.ok(box.x >= photo.x - 2 && box.y >= photo.y - 2 && box.x + box.width <= photo.x + photo.width + 2 && box.y + box.height <= photo.y + photo.height + 2,
      `the box ${JSON.stringify(box)} lies on the photo ${JSON.stringify(photo)}`);
    assert.ok(box.width > photo.width / 5 && box.width < photo.width, 'an LFW face takes a good part of its photo');
    assert.match((await page.locator('face-attribute-probe fap-face-view fap-photo-view figcaption').textContent()) ?? '', /(Jiang_Zemin|Michael_Bloomberg)_\d+\.jpg · 250 × 250 px/);
    await page.screenshot({ path: join(results, 'e2e-opened-photo.png') });
    assert.deepEqual(problems, [], 'no page error or console error');
  } finally {
    await browser.close();
    await server.close();
  }
});

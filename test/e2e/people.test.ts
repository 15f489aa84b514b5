/**
 * End to end, on the real built demo (build/web) in headless Chromium with the real engine in its worker, on
 * ../shared/datasets/smoke (10 photos of Alejandro Toledo, 10 people seen once, read at test time): a person
 * is named; "Not this person" takes one of his faces out, and it stays out when more photos are added (the
 * grouping runs again), after a reload and through an export and import; "Not a face" takes a face out of the
 * counts. A screenshot of the people view is kept in test-results/.
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
const NAME = 'Alejandro Toledo';

const waitForState = (page: Page, states: string[], timeout: number) =>
  page.waitForFunction((s) => s.includes(document.querySelector('face-attribute-probe')?.getAttribute('state') ?? ''), states, { timeout });

/** The person tiles' texts ("Alejandro Toledo · 9"). */
async function tiles(page: Page): Promise<string[]> {
  const texts = await page.locator('face-attribute-probe fap-people button.person').allTextContents();
  return texts.map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Waits until a person tile reads `text`. */
async function waitForTile(page: Page, text: string): Promise<void> {
  await page.waitForFunction((want) => {
    const people = document.querySelector('face-attribute-probe')?.shadowRoot?.querySelector('fap-people');
    return [...(people?.shadowRoot?.querySelectorAll('button.person') ?? [])].some((b) => b.textContent?.replace(/\s+/g, ' ').trim() === want);
  }, text, { timeout: 60_000 }).catch(async (error: unknown) => {
    throw new Error(`no person tile reads "${text}"; the tiles: ${(await tiles(page)).join(' | ')}`, { cause: error });
  });
}

/** The photo names of the faces of the person called `name` (empty when nobody is). */
function facesOf(page: Page, name: string): Promise<string[]> {
  return page.evaluate((n) => {
    const panel = document.querySelector('face-attribute-probe')?.shadowRoot?.querySelector('fap-people') as unknown as
      { people: { group: { name: string; faceIds: string[] } }[]; lookup: { label(id: string): string } } | null;
    const person = panel?.people.find((p) => p.group.name === n);
    return person ? person.group.faceIds.map((id) => panel!.lookup.label(id)).sort() : [];
  }, name);
}

/** "N photos and M faces" of the storage panel. */
async function counts(page: Page): Promise<{ photos: number; faces: number }> {
  const text = (await page.locator('face-attribute-probe fap-storage-panel p').first().textContent())?.replace(/\s+/g, ' ') ?? '';
  const found = /(\d+) photos? and (\d+) faces?/.exec(text);
  assert.ok(found, `the storage panel counts photos and faces: ${text}`);
  return { photos: Number(found[1]), faces: Number(found[2]) };
}

/** Opens the face whose thumbnail is labelled with photo `name`, in a gallery of the clustering. */
async function openFace(page: Page, name: string): Promise<void> {
  await page.locator(`face-attribute-probe fap-cluster-gallery button.face[aria-label^="${name},"]`).first().click();
  await page.locator('face-attribute-probe fap-face-view dialog[open]').waitFor({ timeout: 10_000 });
}

test('people end to end: a name and "not this person" survive more photos, a reload and an export/import; "not a face" leaves the counts', { timeout: 400_000 }, async (t) => {
  const smoke = datasetOrSkip(t, 'smoke');
  if (!smoke) return;
  if (!chromiumOrSkip(t, 'end-to-end test skipped')) return;
  assert.ok(existsSync(join(web, 'index.html')), 'build/web/index.html is missing: run `npm run build` first');
  const all = readdirSync(join(smoke, 'images')).filter((f) => f.endsWith('.jpg')).sort();
  const toledo = all.filter((f) => f.startsWith('lfw_Alejandro_Toledo'));
  const others = all.filter((f) => !f.startsWith('lfw_Alejandro_Toledo'));
  const first = [...toledo.slice(0, 8), ...others.slice(0, 5)].map((f) => join(smoke, 'images', f));
  const later = [...toledo.slice(8), ...others.slice(5)].map((f) => join(smoke, 'images', f));
  const server = await startDemoServer({ root: web });
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    await page.goto(server.url);
    await waitForState(page, ['empty'], 60_000);
    await page.locator('face-attribute-probe fap-drop-zone input[name="photos"]').setInputFiles(first);
    await waitForState(page, ['clustered'], 240_000);

    // Name the person with his eight photos.
    const his = (await tiles(page)).find((text) => / · (8|9)$/.test(text));
    assert.ok(his, `a person holds his eight photos: ${(await tiles(page)).join(' | ')}`);
    const size = Number(his.split(' · ')[1]);
    const tile = page.locator('face-attribute-probe fap-people li.tile').filter({ hasText: his });
    await tile.locator('button[name="rename"]').click();
    const field = page.locator('face-attribute-probe fap-people input[name="person-name"]');
    await field.fill(NAME);
    await field.press('Enter');
    await waitForTile(page, `${NAME} · ${size}`);

    // "Not this person" on one of his faces, from its dialog.
    await openFace(page, toledo[0]!);
    await page.locator('face-attribute-probe fap-face-corrections button[name="not-person"]').click();
    await waitForTile(page, `${NAME} · ${size - 1}`);
    assert.equal((await page.locator('face-attribute-probe fap-people-tools button[name="undo"]').textContent())?.trim(), `Undo: not ${NAME}`);
    await page.locator('face-attribute-probe fap-face-view button[name="close"]').click();

    // "Not a face" on a face seen once: it leaves the counts.
    const before = await counts(page);
    await openFace(page, others[0]!);
    await page.locator('face-attribute-probe fap-face-corrections button[name="not-face"]').click();
    await page.locator('face-attribute-probe fap-face-view dialog[open]').waitFor({ state: 'detached', timeout: 30_000 }).catch(() => undefined);
    await page.waitForFunction((n) => {
      const text = document.querySelector('face-attribute-probe')?.shadowRoot?.querySelector('fap-storage-panel')?.shadowRoot?.textContent ?? '';
      return new RegExp(`and ${n} faces?`).test(text.replace(/\s+/g, ' '));
    }, before.faces - 1, { timeout: 30_000 });
    assert.deepEqual(await counts(page), { photos: before.photos, faces: before.faces - 1 });
    assert.match((await page.locator('face-attribute-probe select[name="scope"] option[value="all"]').textContent()) ?? '', new RegExp(`Everyone \\(${before.faces - 1}\\)`));
    mkdirSync(join(projectRoot, 'test-results'), { recursive: true });
    await page.locator('face-attribute-probe [part="people"]').screenshot({ path: join(projectRoot, 'test-results', 'e2e-people-corrected.png') });

    const corrected = await facesOf(page, NAME);
    assert.equal(corrected.length, size - 1);
    assert.ok(!corrected.includes(toledo[0]!), 'the face is out of him');

    // More photos: everyone is grouped again; the name stays and the face stays out.
    await page.locator('face-attribute-probe fap-drop-zone input[name="photos"]').setInputFiles(later);
    await page.waitForFunction((n) => {
      const text = document.querySelector('face-attribute-probe')?.shadowRoot?.querySelector('fap-storage-panel')?.shadowRoot?.textContent ?? '';
      return new RegExp(`\\b${n} photos`).test(text) && document.querySelector('face-attribute-probe')?.getAttribute('state') === 'clustered';
    }, all.length, { timeout: 240_000 });
    const regrouped = await facesOf(page, NAME);
    for (const photo of toledo.slice(8)) assert.ok(regrouped.includes(photo), `${photo}, added later, joins ${NAME}: ${regrouped.join(', ')}`);
    assert.ok(!regrouped.includes(toledo[0]!), 'the face stays out after grouping again');
    const grown = await counts(page);
    assert.equal(grown.photos, all.length);
    assert.ok(grown.faces >= before.faces - 1 + later.length, `the photos added later have a face each: ${JSON.stringify({ before, grown })}`);

    // A reload.
    await page.reload();
    await waitForState(page, ['clustered'], 60_000);
    await waitForTile(page, `${NAME} · ${regrouped.length}`);
    assert.deepEqual(await facesOf(page, NAME), regrouped);
    assert.deepEqual(await counts(page), grown);
    assert.equal((await page.locator('face-attribute-probe fap-people-tools button[name="undo"]').textContent())?.trim(), 'Undo: not a face');

    // Export, erase, import: the same people, names and corrections.
    await page.evaluate(async () => {
      const el = document.querySelector('face-attribute-probe')!;
      const blob = await el.exportData();
      if (!blob) throw new Error('no export file');
      await el.eraseAll();
      await el.importData(blob);
    });
    await waitForState(page, ['clustered'], 60_000);
    await waitForTile(page, `${NAME} · ${regrouped.length}`);
    assert.deepEqual(await facesOf(page, NAME), regrouped);
    assert.deepEqual(await counts(page), grown);
    assert.equal((await page.locator('face-attribute-probe fap-people-tools button[name="undo"]').textContent())?.trim(), 'Undo: not a face');
    assert.deepEqual(problems, [], 'no page error or console error');
  } finally {
    await browser.close();
    await server.close();
  }
});

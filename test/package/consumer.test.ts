/**
 * The package as its users get it: `npm pack`, then `npm install <tarball>` (with sharp, an optional peer, for
 * the Node test) in a temporary folder outside the repository, and then, as consumers:
 * 1. a strict TypeScript project (`tsc --init`'s defaults: strict, no decorators) imports every public entry;
 * 2. Node imports the Node entry and embeds a smoke photo;
 * 3. a plain HTML page loads the standalone script straight from node_modules, served by a plain node:http
 *    static server without COOP/COEP (plain-static-server.ts), and runs the element end to end in Chromium;
 * 4. an esbuild app that imports the package runs the same flow, with its run-time files copied by
 *    `face-probe assets --out`, and a second copy of the element on the same page;
 * 5. publint and @arethetypeswrong/cli find no problems; the tarball ships dist/ and the bin only.
 * Photos come from ../shared/datasets/smoke at test time.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumOrSkip, launchChromium } from '../helpers/chromium.ts';
import { datasetsRoot, projectRoot } from '../helpers/datasets.ts';
import { type Consumer, ok, packAndInstall, repoVersion, run } from './packed.ts';
import { servePlain } from './plain-static-server.ts';

const bin = (name: string) => join(projectRoot, 'node_modules', '.bin', name);
const smoke = join(datasetsRoot, 'smoke', 'images');
/** The first-load budget: the page's JavaScript before the first photo, gzip level 9. */
const BUDGET = 150 * 1024;

let consumer: Consumer | undefined;
let setupError: unknown;

before(async () => {
  try {
    consumer = await packAndInstall([`sharp@${repoVersion('sharp')}`]);
  } catch (error) {
    setupError = error;
  }
}, { timeout: 300_000 });

after(async () => {
  await consumer?.remove();
});

/** The installed consumer, or the reason packing/installing failed (each test then fails with it). */
function installed(): Consumer {
  if (!consumer) throw new Error(`packing or installing the tarball failed: ${String((setupError as Error)?.message ?? setupError)}`);
  return consumer;
}

/** The smoke photos for the browser flows: five of one person (LFW) and five different people (UTKFace). */
function smokePhotos(t: { skip(message?: string): void }): string[] | undefined {
  if (!existsSync(smoke)) {
    const message = `data set smoke not found at ${smoke}: skipped (set FAP_DATASETS to its parent)`;
    if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
    t.skip(message);
    return undefined;
  }
  const files = readdirSync(smoke).filter((f) => f.endsWith('.jpg')).sort();
  return [...files.filter((f) => f.startsWith('lfw_')).slice(0, 5), ...files.filter((f) => f.startsWith('utk_')).slice(0, 5)]
    .map((f) => join(smoke, f));
}

test('a strict TypeScript project (tsc --init defaults, no decorators) imports every public entry with zero errors', { timeout: 120_000 }, async () => {
  const c = installed();
  const dir = join(c.dir, 'ts');
  await mkdir(dir, { recursive: true });
  ok(await run(process.execPath, [join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '--init'], { cwd: dir }), 'tsc --init');
  const config = readFileSync(join(dir, 'tsconfig.json'), 'utf8');
  assert.match(config, /"strict": true/);
  assert.doesNotMatch(config, /"experimentalDecorators": true/);
  await writeFile(join(dir, 'uses.ts'), `
import { FaceStore, InvalidInputError, loadKernel, type EngineInfo } from 'face-attribute-probe';
import { createNodeEngine, type NodeEngineOptions } from 'face-attribute-probe/node';
import { FaceAttributeProbe, workerEngineFactory, type ProbeClustersDetail, type ProbeReadyDetail } from 'face-attribute-probe/components';
import 'face-attribute-probe/standalone';
import manifest from 'face-attribute-probe/custom-elements.json' with { type: 'json' };

export async function inThePage(): Promise<number> {
  const element = document.createElement('face-attribute-probe');
  const probe: FaceAttributeProbe = element;
  probe.assetsUrl = '/face-probe/';
  probe.engineFactory = workerEngineFactory;
  probe.addEventListener('probe-ready', (event) => {
    const detail: ProbeReadyDetail = event.detail;
    console.log(detail.backend, detail.threads ?? 'threads unknown');
  });
  probe.addEventListener('probe-clusters', (event) => {
    const detail: ProbeClustersDetail = event.detail;
    console.log(detail.k, detail.silhouette ?? 'one cluster');
  });
  document.body.append(probe);
  const kernel = await loadKernel();
  console.log(kernel, FaceStore.name, new InvalidInputError('x').code, manifest.schemaVersion);
  return probe.k === 'auto' ? 0 : probe.k;
}

export async function inNode(options: NodeEngineOptions = {}): Promise<EngineInfo> {
  const engine = await createNodeEngine(options);
  try {
    return engine.info;
  } finally {
    await engine.dispose();
  }
}
`);
  const tsc = join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const extra of [[], ['--skipLibCheck', 'false']]) {
    const r = await run(process.execPath, [tsc, '-p', '.', '--noEmit', ...extra], { cwd: dir });
    assert.equal(r.code, 0, `tsc ${extra.join(' ')} reported errors:\n${r.stdout}${r.stderr}`);
  }
});

test('Node imports the Node entry and embeds a smoke photo', { timeout: 180_000 }, async (t) => {
  const c = installed();
  const photos = smokePhotos(t);
  if (!photos) return;
  await writeFile(join(c.dir, 'embed.mjs'), `
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createNodeEngine } from 'face-attribute-probe/node';
const engine = await createNodeEngine();
try {
  const photo = process.argv[2];
  const outcome = await engine.processImage({ name: basename(photo), bytes: new Uint8Array(readFileSync(photo)) });
  const face = outcome.ok ? outcome.faces[0] : undefined;
  console.log(JSON.stringify({ ok: outcome.ok, faces: outcome.ok ? outcome.faces.length : 0, backend: engine.info.backend,
    dimension: face?.embedding.length ?? 0, norm: face ? Math.hypot(...face.embedding) : 0 }));
} finally {
  await engine.dispose();
}
`);
  const r = ok(await run(process.execPath, ['embed.mjs', photos[0]!], { cwd: c.dir }), 'node embed.mjs');
  const result = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { ok: boolean; faces: number; backend: string; dimension: number; norm: number };
  t.diagnostic(`backend ${result.backend}, ${result.faces} face(s), ${result.dimension}-D`);
  assert.equal(result.ok, true);
  assert.equal(result.faces, 1, 'one face in an LFW photo');
  assert.equal(result.dimension, 128);
  assert.ok(Math.abs(result.norm - 1) < 1e-3, `the embedding is L2-normalised (norm ${result.norm})`);
  // The package's bin loads the compiled CLI with its dependencies.
  const help = ok(await run(process.execPath, [join(c.dir, 'node_modules', '.bin', 'face-probe'), '--help'], { cwd: c.dir }), 'face-probe --help');
  for (const command of ['embed', 'verify', 'reproduce', 'assets']) assert.match(help.stdout, new RegExp(`\\b${command}\\b`));
});

/** Watches a page for errors, warnings and requests that leave the origin. */
function watch(context: BrowserContext, page: Page, origin: string) {
  const seen = { offOrigin: [] as string[], errors: [] as string[], warnings: [] as string[] };
  context.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) seen.offOrigin.push(url);
  });
  context.on('response', (r) => {
    if (r.status() >= 400) seen.errors.push(`${r.status()} for ${r.url()}`);
  });
  page.on('pageerror', (e) => seen.errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') seen.errors.push(`console: ${m.text()}`);
    if (m.type() === 'warning') seen.warnings.push(m.text());
  });
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') seen.errors.push(`worker: ${m.text()}`); }));
  return seen;
}

async function waitForState(page: Page, state: string, timeout: number): Promise<void> {
  try {
    await page.waitForFunction((s) => document.querySelector('face-attribute-probe')?.getAttribute('state') === s, state, { timeout });
  } catch (error) {
    const text = await page.evaluate(() => document.querySelector('face-attribute-probe')?.shadowRoot?.textContent?.replace(/\s+/g, ' ').slice(0, 600));
    throw new Error(`the element never reached ${state}; it says: ${text}`, { cause: error });
  }
}

/**
 * The flow a visitor goes through: the engine starts (one thread: the page is not isolated), photos go in
 * through the file input, and faces, people and clusters are shown.
 */
async function runFlow(page: Page, photos: string[], whenEmpty?: () => Promise<void>): Promise<{ header: string; faces: number; people: number; clusters: number }> {
  await waitForState(page, 'empty', 60_000);
  await whenEmpty?.();
  await page.locator('face-attribute-probe [part="backend"] .backend-name').waitFor({ timeout: 120_000 });
  const header = (await page.locator('face-attribute-probe [part="backend"]').textContent())?.replace(/\s+/g, ' ') ?? '';
  await page.locator('face-attribute-probe fap-drop-zone input[name="photos"]').setInputFiles(photos);
  await waitForState(page, 'clustered', 240_000);
  const storage = (await page.locator('face-attribute-probe fap-storage-panel p').first().textContent())?.replace(/\s+/g, ' ') ?? '';
  const counts = /(\d+) photos and (\d+) faces/.exec(storage);
  assert.ok(counts, `the storage panel counts photos and faces: ${storage}`);
  assert.equal(Number(counts[1]), photos.length);
  return {
    header,
    faces: Number(counts[2]),
    people: await page.locator('face-attribute-probe fap-people button.person').count(),
    clusters: await page.locator('face-attribute-probe fap-cluster-gallery').count(),
  };
}

function assertFlow(result: Awaited<ReturnType<typeof runFlow>>, photos: string[]): void {
  assert.match(result.header, /wasm/, `auto chooses wasm in headless Chromium: ${result.header}`);
  assert.match(result.header, /1 thread: the page is not cross-origin isolated/, `the header says why one thread: ${result.header}`);
  assert.ok(result.faces >= photos.length, `every photo has a face: ${result.faces} faces in ${photos.length} photos`);
  assert.ok(result.people >= 2, `people are shown: ${result.people}`);
  assert.ok(result.clusters >= 2, `at least two clusters: ${result.clusters}`);
}

test('a plain HTML page runs the standalone script from node_modules on a static server without COOP/COEP', { timeout: 400_000 }, async (t) => {
  const c = installed();
  const photos = smokePhotos(t);
  if (!photos || !chromiumOrSkip(t, 'the browser consumers are skipped')) return;
  await writeFile(join(c.dir, 'index.html'), `<!doctype html>
<meta charset="utf-8"><link rel="icon" href="data:,"><title>standalone</title>
<script type="module" src="node_modules/face-attribute-probe/dist/standalone/face-attribute-probe.js"></script>
<style>face-attribute-probe::part(dropzone-button) { color: rgb(1, 2, 3); }</style>
<face-attribute-probe><p slot="intro">Drop your photos.</p><p slot="empty">Nothing here yet.</p></face-attribute-probe>
`);
  const server = await servePlain(c.dir);
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const seen = watch(browser.context, page, new URL(server.url).origin);
    await page.goto(server.url);
    assert.equal(await page.evaluate(() => crossOriginIsolated), false, 'no COOP/COEP: the page is not cross-origin isolated');
    const slotted = (name: string) => page.evaluate((n) => document.querySelector('face-attribute-probe')?.shadowRoot
      ?.querySelector<HTMLSlotElement>(`slot[name="${n}"]`)?.assignedElements().map((e) => e.textContent) ?? [], name);
    const result = await runFlow(page, photos, async () => {
      assert.deepEqual(await slotted('empty'), ['Nothing here yet.'], 'the page\'s empty-state text replaces the built-in one');
    });
    t.diagnostic(`${result.header}; ${result.faces} faces, ${result.people} people buttons, ${result.clusters} clusters`);
    assertFlow(result, photos);
    assert.deepEqual(await slotted('intro'), ['Drop your photos.'], 'the intro slot shows the page\'s text');
    assert.deepEqual(await slotted('empty'), [], 'the empty state is gone once photos are in');
    // ::part() reaches the drop zone's button inside the inner element's shadow root, through exportparts.
    const color = await page.evaluate(() => {
      const zone = document.querySelector('face-attribute-probe')?.shadowRoot?.querySelector('fap-drop-zone');
      const button = zone?.shadowRoot?.querySelector('button');
      return button ? getComputedStyle(button).color : 'no button';
    });
    assert.equal(color, 'rgb(1, 2, 3)', 'face-attribute-probe::part(dropzone-button) styles the inner button');
    assert.deepEqual(seen.offOrigin, [], 'nothing is fetched from another origin');
    assert.deepEqual(seen.errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

test('the same page served with COOP/COEP is cross-origin isolated and the element says it runs threads', { timeout: 180_000 }, async (t) => {
  const c = installed();
  if (!chromiumOrSkip(t, 'the browser consumers are skipped')) return;
  await writeFile(join(c.dir, 'isolated.html'), `<!doctype html>
<meta charset="utf-8"><link rel="icon" href="data:,"><title>isolated</title>
<script type="module" src="node_modules/face-attribute-probe/dist/standalone/face-attribute-probe.js"></script>
<face-attribute-probe database="isolated"></face-attribute-probe>
`);
  const server = await servePlain(c.dir, { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}isolated.html`);
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    await page.locator('face-attribute-probe [part="backend"] .backend-name').waitFor({ timeout: 120_000 });
    const header = (await page.locator('face-attribute-probe [part="backend"]').textContent())?.replace(/\s+/g, ' ') ?? '';
    t.diagnostic(header);
    // wasm takes min(4, cores) threads on an isolated page.
    const threads = Math.min(4, cores);
    assert.match(header, threads > 1 ? new RegExp(`\\b${threads} threads\\b`) : /1 thread(?!:)/, header);
  } finally {
    await browser.close();
    await server.close();
  }
});

test('an esbuild app that imports the package bundles and runs the same flow, beside a second copy of the element', { timeout: 400_000 }, async (t) => {
  const c = installed();
  const photos = smokePhotos(t);
  if (!photos || !chromiumOrSkip(t, 'the browser consumers are skipped')) return;
  const site = join(c.dir, 'site');
  await mkdir(join(c.dir, 'app'), { recursive: true });
  await writeFile(join(c.dir, 'app', 'main.js'), `
import { FaceAttributeProbe } from 'face-attribute-probe/components';
const probe = document.querySelector('face-attribute-probe');
if (!(probe instanceof FaceAttributeProbe)) throw new Error('<face-attribute-probe> is not this bundle\\'s element');
probe.addEventListener('probe-clusters', (event) => { document.title = 'clusters: ' + event.detail.k; });
`);
  const bundled = await build({
    entryPoints: { app: join(c.dir, 'app', 'main.js') },
    absWorkingDir: c.dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    outdir: site,
    metafile: true,
    logLevel: 'silent',
  });
  assert.deepEqual(bundled.errors, []);
  const inputs = Object.keys(bundled.metafile.inputs);
  for (const native of ['sharp', 'commander', 'cli-progress', 'onnxruntime-node']) {
    assert.ok(!inputs.some((i) => i.includes(`node_modules/${native}/`)), `${native} is not in the browser bundle`);
  }
  t.diagnostic(`the app bundle: ${(gzipSync(readFileSync(join(site, 'app.js')), { level: 9 }).length / 1024).toFixed(1)} KB gzip`);
  // The run-time files, by the package's own command, into the folder the page names with assets-url.
  ok(await run(process.execPath, [join(c.dir, 'node_modules', '.bin', 'face-probe'), 'assets', '--out', join(site, 'face-probe')], { cwd: c.dir }), 'face-probe assets');
  await writeFile(join(site, 'index.html'), `<!doctype html>
<meta charset="utf-8"><link rel="icon" href="data:,"><title>app</title>
<script type="module" src="app.js"></script>
<script type="module" src="face-probe/face-attribute-probe.js"></script>
<face-attribute-probe assets-url="face-probe/"></face-attribute-probe>
`);
  const server = await servePlain(site);
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const seen = watch(browser.context, page, new URL(server.url).origin);
    await page.goto(server.url);
    const result = await runFlow(page, photos);
    t.diagnostic(`${result.header}; ${result.faces} faces, ${result.people} people buttons, ${result.clusters} clusters`);
    assertFlow(result, photos);
    assert.match(await page.title(), /^clusters: \d+$/, 'the app heard probe-clusters');
    assert.ok(seen.warnings.some((w) => /<face-attribute-probe> is already defined/.test(w)),
      `the second copy warns instead of throwing: ${seen.warnings.join(' | ')}`);
    assert.deepEqual(seen.offOrigin, [], 'nothing is fetched from another origin');
    assert.deepEqual(seen.errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

test('publint and @arethetypeswrong/cli find no problems; the tarball ships dist/ and the bin only', { timeout: 180_000 }, async (t) => {
  const c = installed();
  const files = c.pack.files.map((f) => f.path);
  t.diagnostic(`tarball ${(c.pack.size / 1e6).toFixed(1)} MB, unpacked ${(c.pack.unpackedSize / 1e6).toFixed(1)} MB, ${files.length} files`);
  const outside = files.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE',
    'scripts/face-probe.mjs', 'scripts/face-probe-assets.mjs'].includes(f));
  assert.deepEqual(outside, [], 'nothing but dist/, the bin, package.json and the README');
  assert.ok(!files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')), 'no TypeScript sources');
  const manifest = JSON.parse(readFileSync(join(c.installed, 'package.json'), 'utf8')) as {
    customElements: string; dependencies: Record<string, string>; peerDependenciesMeta: Record<string, { optional?: boolean }>;
  };
  assert.ok(files.includes(manifest.customElements), `customElements (${manifest.customElements}) is shipped`);
  for (const native of ['sharp', 'onnxruntime-node']) {
    assert.ok(!(native in manifest.dependencies), `${native} is not a dependency`);
    assert.equal(manifest.peerDependenciesMeta[native]?.optional, true, `${native} is an optional peer`);
  }
  assert.ok(!existsSync(join(c.dir, 'node_modules', 'onnxruntime-node')), 'installing the package does not install onnxruntime-node');
  const publint = await run(bin('publint'), ['--strict', c.tarball], { cwd: c.dir });
  assert.equal(publint.code, 0, `publint:\n${publint.stdout}${publint.stderr}`);
  assert.match(publint.stdout, /All good/);
  // ESM only, on purpose: CommonJS resolutions (node10, node16 from require) are out of scope.
  const attw = await run(bin('attw'), [c.tarball, '--profile', 'esm-only', '--format', 'table-flipped'], { cwd: c.dir });
  assert.equal(attw.code, 0, `attw:\n${attw.stdout}${attw.stderr}`);
});

test('the page\'s JavaScript before the first photo stays within 150 KB gzip', (t) => {
  const c = installed();
  const standalone = join(c.installed, 'dist', 'standalone');
  const script = readFileSync(join(standalone, 'face-attribute-probe.js'));
  // One self-contained file: no static or dynamic import of another script.
  assert.doesNotMatch(script.toString('utf8'), /\bimport\s*\(\s*["'`]|\bfrom\s*["']\.\.?\//, 'the standalone script imports nothing else');
  const size = gzipSync(script, { level: 9 }).length;
  t.diagnostic(`standalone face-attribute-probe.js: ${script.length} bytes, ${(size / 1024).toFixed(1)} KB gzip (budget ${BUDGET / 1024} KB)`);
  // For the record, what loads right after it on the wasm backend: the worker, its shared and wasm chunks, ort's glue.
  const after = ['face-probe-worker.js', 'ort/ort-wasm-simd-threaded.mjs',
    ...readdirSync(join(standalone, 'chunks')).filter((f) => f.endsWith('.js') && !f.includes('webgpu')).map((f) => `chunks/${f}`)];
  const later = after.reduce((n, f) => n + gzipSync(readFileSync(join(standalone, f)), { level: 9 }).length, 0);
  t.diagnostic(`then ${after.join(', ')}: ${(later / 1024).toFixed(1)} KB gzip; all the JavaScript of a wasm start: ${((size + later) / 1024).toFixed(1)} KB`);
  assert.ok(size <= BUDGET, `the page's script is ${size} bytes gzip; the budget is ${BUDGET}`);
});

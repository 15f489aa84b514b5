/**
 * What the build ships in build/web: the JavaScript budget (≤ 150 KB gzip for the app, onnxruntime's wasm
 * runtime and the models excluded), the service worker's precache list, the sample photos (an installed
 * package's, never ../shared data), and the custom-elements manifest the analyzer generated.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { projectRoot } from '../helpers/datasets.ts';

const web = join(projectRoot, 'build', 'web');
/** The budget for the app's JavaScript, gzip level 9, in bytes. */
const BUDGET = 150 * 1024;
/** The import worker (decodes, checks and writes an export file off the page's thread), loaded on demand. */
const IMPORT_WORKER: string = 'face-probe-import-worker.js';
/** Its own budget, gzip level 9, in bytes. */
const IMPORT_WORKER_BUDGET = 25 * 1024;
/** The discovery worker (what the embedding separates, off the page's thread), loaded once faces are added. */
const DISCOVERY_WORKER: string = 'face-probe-discovery-worker.js';
/** Its own budget, gzip level 9, in bytes (the analysis code and the kernel's WebAssembly it embeds). */
const DISCOVERY_WORKER_BUDGET = 40 * 1024;
/** The map of every face (its chunk and its UMAP worker), loaded only when a person opens the map. */
const isMapFile = (f: string): boolean => f === 'face-probe-map-worker.js' || /^chunks\/map-section-[^/]*\.js$/.test(f);
/** The map's own budget, gzip level 9, in bytes. */
const MAP_BUDGET = 60 * 1024;

/**
 * The page's code that runs only after something a person does, each a chunk the page imports when it first runs:
 * export and import (transfer), the photo previews (with the first photos), the attributes read after the first
 * clustering (later-attributes), and the face dialog (face-view, once there are faces to open).
 */
const LATER_CHUNKS = ['transfer', 'photo-preview', 'later-attributes', 'face-view'];
const isLaterChunk = (f: string): boolean => LATER_CHUNKS.some((name) => new RegExp(`^chunks/${name}-[^/]*\\.js$`).test(f));
/** Their budget together, gzip level 9, in bytes. */
const LATER_BUDGET = 10 * 1024;

/** onnxruntime-web's two builds, chunks of the inference worker that it imports when it picks a backend. */
const isOrtFlavour = (f: string): boolean => /^chunks\/ort\.(wasm|webgpu)\.min-[^/]*\.js$/.test(f);

function files(): string[] {
  assert.ok(existsSync(join(web, 'index.html')), 'build/web/index.html is missing: run `npm run build` first');
  return readdirSync(web, { recursive: true })
    .map((f) => join(web, String(f)))
    .filter((f) => statSync(f).isFile())
    .map((f) => relative(web, f).split(sep).join('/'))
    .sort();
}

const gzipped = (file: string): number => gzipSync(readFileSync(join(web, file)), { level: 9 }).length;

test('the app\'s JavaScript stays within 150 KB gzip (onnxruntime\'s wasm runtime and the models excluded)', (t) => {
  const js = files().filter((f) => /\.(m?js)$/.test(f));
  // onnxruntime-web's emscripten runtime (ort/*.mjs) only loads its .wasm beside it: it is part of "onnxruntime's wasm".
  const runtime = js.filter((f) => f.startsWith('ort/'));
  // The import worker loads only when a person imports an export file, like the runtime only on demand: it has
  // a budget of its own below, so it cannot grow unseen.
  const onDemand = js.filter((f) => f === IMPORT_WORKER);
  // The discovery worker loads after the first photos, never on the first load: a budget of its own too.
  const afterPhotos = js.filter((f) => f === DISCOVERY_WORKER);
  const map = js.filter(isMapFile);
  const later = js.filter(isLaterChunk);
  // The inference worker imports one onnxruntime flavour, the WebGPU one or the wasm one, never both: the larger
  // of the two is counted.
  const flavours = js.filter(isOrtFlavour);
  const app = js.filter((f) => !runtime.includes(f) && !onDemand.includes(f) && !afterPhotos.includes(f) && !map.includes(f) && !later.includes(f) && !flavours.includes(f));
  const sizes = new Map(js.map((f) => [f, gzipped(f)]));
  const sum = (list: string[]): number => list.reduce((n, f) => n + (sizes.get(f) as number), 0);
  for (const f of js) t.diagnostic(`${f}: ${((sizes.get(f) as number) / 1024).toFixed(1)} KB gzip`);
  assert.equal(flavours.length, 2, 'the worker has a wasm and a WebGPU onnxruntime chunk');
  const firstLoad = sum(app) + Math.max(...flavours.map((f) => sizes.get(f) as number));
  t.diagnostic(`app JavaScript: ${(firstLoad / 1024).toFixed(1)} KB gzip of ${BUDGET / 1024} KB (with the larger onnxruntime flavour); with onnxruntime's runtime glue: ${(sum(js) / 1024).toFixed(1)} KB`);
  assert.ok(app.includes('app.js') && app.includes('face-probe-worker.js'), 'the page and the worker bundles are counted');
  assert.ok(firstLoad <= BUDGET, `app JavaScript is ${firstLoad} bytes gzip; the budget is ${BUDGET}`);
  assert.deepEqual(onDemand, [IMPORT_WORKER], 'the import worker is built');
  assert.ok(sum(onDemand) <= IMPORT_WORKER_BUDGET, `the import worker is ${sum(onDemand)} bytes gzip; its budget is ${IMPORT_WORKER_BUDGET}`);
  assert.deepEqual(afterPhotos, [DISCOVERY_WORKER], 'the discovery worker is built');
  assert.ok(sum(afterPhotos) <= DISCOVERY_WORKER_BUDGET, `the discovery worker is ${sum(afterPhotos)} bytes gzip; its budget is ${DISCOVERY_WORKER_BUDGET}`);
  assert.equal(map.length, 2, 'the map is a lazy chunk and a worker of its own');
  t.diagnostic(`the map (loaded when opened): ${(sum(map) / 1024).toFixed(1)} KB gzip of ${MAP_BUDGET / 1024} KB`);
  assert.ok(sum(map) <= MAP_BUDGET, `the map's chunk and worker are ${sum(map)} bytes gzip; their budget is ${MAP_BUDGET}`);
  assert.deepEqual(later.map((f) => f.replace(/^chunks\/|-[^-]*\.js$/g, '')).sort(), [...LATER_CHUNKS].sort(), 'each later chunk is built');
  t.diagnostic(`loaded later (${later.join(', ')}): ${(sum(later) / 1024).toFixed(1)} KB gzip of ${LATER_BUDGET / 1024} KB`);
  assert.ok(sum(later) <= LATER_BUDGET, `the chunks loaded later are ${sum(later)} bytes gzip; their budget is ${LATER_BUDGET}`);
  // Later means imported only by import(): a static import of one would load it with the page after all.
  for (const f of app) {
    const code = readFileSync(join(web, f), 'utf8');
    for (const chunk of later) {
      const name = chunk.slice('chunks/'.length);
      assert.ok(!new RegExp(`from\\s*"[^"]*${name.replace('.', '\\.')}"`).test(code), `${f} imports ${chunk} statically`);
    }
  }
  assert.ok(!files().some((f) => f.endsWith('.wasm') && !f.startsWith('ort/')), 'the only .wasm files are onnxruntime\'s (the kernel\'s WebAssembly is embedded in the JavaScript)');
});

test('the service worker precaches the page, the bundles, the models, the wasm runtime and the samples', () => {
  const sw = readFileSync(join(web, 'sw.js'), 'utf8');
  const list = /\["\.\/",[^\]]*\]/.exec(sw);
  assert.ok(list, 'sw.js carries its precache list');
  const precached = new Set(JSON.parse(list[0]) as string[]);
  const shipped = files();
  const needed = shipped.filter((f) => !f.endsWith('.map') && !f.endsWith('.LEGAL.txt') && f !== 'sw.js' && !f.includes('.asyncify.'));
  for (const f of needed) assert.ok(precached.has(f), `${f} is precached`);
  for (const f of precached) assert.ok(f === './' || shipped.includes(f), `${f} exists in build/web`);
  for (const f of ['index.html', 'app.js', 'face-probe-worker.js', 'models/index.json', 'models/face-recognition.onnx',
    'ort/ort-wasm-simd-threaded.wasm', 'ort/ort-wasm-simd-threaded.mjs', 'samples/sample1.jpg']) {
    assert.ok(precached.has(f), `${f} is precached`);
  }
});

test('the demo ships only an installed package\'s sample photos, never ../shared data', () => {
  const images = files().filter((f) => /\.(jpe?g|png|webp)$/i.test(f));
  assert.ok(images.length >= 1, 'sample photos are there');
  for (const f of images) {
    assert.match(f, /^samples\/sample\d+\.jpg$/, `${f} is one of @vladmandic/face-api's demo images`);
    const original = readFileSync(join(projectRoot, 'node_modules', '@vladmandic', 'face-api', 'demo', f.slice('samples/'.length)));
    assert.ok(original.equals(readFileSync(join(web, f))), `${f} is the package's file`);
  }
});

test('the custom-elements manifest describes <face-attribute-probe>', () => {
  const path = join(projectRoot, 'custom-elements.json');
  assert.ok(existsSync(path), 'custom-elements.json is generated by the build (scripts/bundle.mjs)');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as {
    modules: { declarations?: { tagName?: string; name: string; attributes?: { name: string }[]; events?: { name: string }[];
      cssParts?: { name: string }[]; cssProperties?: { name: string }[] }[] }[];
  };
  const element = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'face-attribute-probe');
  assert.ok(element, 'the element is declared');
  assert.equal(element.name, 'FaceAttributeProbe');
  const attributes = (element.attributes ?? []).map((a) => a.name);
  for (const a of ['models-url', 'k', 'database', 'backend']) assert.ok(attributes.includes(a), `attribute ${a}`);
  const events = (element.events ?? []).map((e) => e.name);
  for (const e of ['probe-progress', 'probe-faces', 'probe-clusters', 'probe-error']) assert.ok(events.includes(e), `event ${e}`);
  assert.ok((element.cssParts ?? []).length >= 10, 'CSS parts are documented');
  assert.ok((element.cssProperties ?? []).some((p) => p.name === '--fap-accent'), 'custom properties are documented');
});

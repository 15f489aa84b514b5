#!/usr/bin/env node
// esbuild bundles and the files the demo serves:
//   build/web/   the demo page (scripts/demo/): index.html, demo.css, app.js (the page + <face-attribute-probe>),
//                face-probe-worker.js (the inference worker, its own module worker file), face-probe-import-worker.js
//                (the export-file import, off the main thread), face-probe-discovery-worker.js (what the embedding
//                separates, off the main thread), shared and lazy chunks
//                in chunks/, onnxruntime-web's .wasm/.mjs in ort/, the models in models/, the sample photos
//                @vladmandic/face-api ships (MIT) in samples/, and sw.js, the service worker that precaches it all;
//   dist/standalone/   the element for pages without a bundler: face-attribute-probe.js (defines
//                <face-attribute-probe>), face-probe-worker.js and its chunks/, ort/ and models/ beside it; the element
//                finds them relative to its own URL;
//   build/node/cli.mjs   the `face-probe` CLI (node_modules stay external: onnxruntime-node, sharp …);
//   custom-elements.json   the components' manifest, from @custom-elements-manifest/analyzer.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'build', 'web');
const demo = join(root, 'scripts', 'demo');

rmSync(web, { recursive: true, force: true });
mkdirSync(web, { recursive: true });

// The face photos a newcomer can try at once: the demo images of an installed, MIT-licensed package.
const sampleDir = join(root, 'node_modules', '@vladmandic', 'face-api', 'demo');
const samples = existsSync(sampleDir) ? readdirSync(sampleDir).filter((f) => /^sample\d+\.jpg$/.test(f)).sort() : [];
if (samples.length) {
  mkdirSync(join(web, 'samples'), { recursive: true });
  for (const f of samples) cpSync(join(sampleDir, f), join(web, 'samples', f));
}

// onnxruntime-web's wasm runtimes: the plain one (the wasm backend) and the asyncify one (its WebGPU build).
// The bundles use the "extern wasm" builds, which import these .mjs files from ort/ at run time; the runtime's
// thread workers then re-load that same .mjs, never the app or worker bundle.
const ortDist = join(root, 'node_modules', 'onnxruntime-web', 'dist');
const ortFiles = ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm',
  'ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'];
mkdirSync(join(web, 'ort'), { recursive: true });
for (const f of ortFiles) cpSync(join(ortDist, f), join(web, 'ort', f));

const browser = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  // onnxruntime-web's builds that load their wasm runtime from ort/ instead of embedding it.
  conditions: ['onnxruntime-web-use-extern-wasm'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
};
// The page: its own build, so it loads none of the worker's code (a shared split would hand it whole modules).
// Split only for what it imports lazily: the map of every face (chunks/map-section-*.js) loads when opened.
await build({
  ...browser,
  entryPoints: { app: join(demo, 'app.ts') },
  outdir: web,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // The page never runs onnxruntime (the worker does): without this, splitting would still emit chunks for
  // runtime/ort.ts's dynamic imports, which the page's code does not reach.
  external: ['onnxruntime-web', 'onnxruntime-web/*'],
  define: { __SAMPLES__: JSON.stringify(samples.map((f) => `samples/${f}`)) },
});
// The map's worker: UMAP (src/analysis/projection/umap-projection.ts on the kernel) off the page's thread, loaded when the map is first computed.
const mapWorker = { 'face-probe-map-worker': join(root, 'src', 'analysis', 'projection', 'projection-worker.ts') };
await build({ ...browser, entryPoints: mapWorker, outdir: web });
// The inference worker: split, so each onnxruntime flavour (wasm, WebGPU) is a chunk loaded only when chosen.
await build({
  ...browser,
  entryPoints: { 'face-probe-worker': join(root, 'src', 'embedding', 'worker.ts') },
  outdir: web,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
// The import worker: reads, checks and writes an export file off the main thread (importInWorker).
await build({
  ...browser,
  entryPoints: { 'face-probe-import-worker': join(root, 'src', 'store', 'import-worker.ts') },
  outdir: web,
});
// The discovery worker: finds what the embedding separates off the main thread (discoverInWorker).
await build({
  ...browser,
  entryPoints: { 'face-probe-discovery-worker': join(root, 'src', 'workspace', 'discovery-worker.ts') },
  outdir: web,
});

// The standalone build: the same two bundles from the package's own entry instead of the demo page, without
// source maps (the package ships it), with everything the element loads at run time beside it.
const standalone = join(root, 'dist', 'standalone');
rmSync(standalone, { recursive: true, force: true });
await build({
  ...browser,
  sourcemap: false,
  entryPoints: { 'face-attribute-probe': join(root, 'components', 'index.ts') },
  outdir: standalone,
});
// The standalone script stays one file (the package promises it): the map's code is inside it, run only when the
// map is opened; its worker is beside it.
await build({ ...browser, sourcemap: false, entryPoints: mapWorker, outdir: standalone });
await build({
  ...browser,
  sourcemap: false,
  entryPoints: {
    'face-probe-worker': join(root, 'src', 'embedding', 'worker.ts'),
    'face-probe-import-worker': join(root, 'src', 'store', 'import-worker.ts'),
    'face-probe-discovery-worker': join(root, 'src', 'workspace', 'discovery-worker.ts'),
  },
  outdir: standalone,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
mkdirSync(join(standalone, 'ort'), { recursive: true });
for (const f of ortFiles) cpSync(join(ortDist, f), join(standalone, 'ort', f));
if (existsSync(join(root, 'build', 'models'))) cpSync(join(root, 'build', 'models'), join(standalone, 'models'), { recursive: true });

for (const file of readdirSync(demo)) {
  if (!file.endsWith('.ts')) cpSync(join(demo, file), join(web, file));
}

const models = join(root, 'build', 'models');
if (existsSync(models)) cpSync(models, join(web, 'models'), { recursive: true });

/** Files under `dir`, relative to `web`, with '/' separators. */
function listFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile())
    .map((f) => relative(web, f).split(sep).join('/'))
    .sort();
}

// Everything the app needs offline, except source maps, legal-comment files and the WebGPU runtime
// (28 MB, only for WebGPU machines: the service worker caches it the first time it is fetched).
const precache = listFiles(web).filter((f) => !f.endsWith('.map') && !f.endsWith('.LEGAL.txt') && !f.includes('.asyncify.'));
const version = createHash('sha256');
for (const f of precache) {
  version.update(f);
  version.update(readFileSync(join(web, f)));
}
await build({
  entryPoints: { sw: join(demo, 'sw.ts') },
  outdir: web,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  define: {
    __PRECACHE__: JSON.stringify(['./', ...precache]),
    __VERSION__: JSON.stringify(version.digest('hex').slice(0, 16)),
  },
  minify: true,
  logLevel: 'warning',
});

await build({
  entryPoints: { cli: join(root, 'src', 'cli', 'main.ts') },
  outdir: join(root, 'build', 'node'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});

// The custom-elements manifest, by the standard analyzer (its Lit plugin reads the decorators and TSDoc tags).
const cem = spawnSync(process.execPath, [join(root, 'node_modules', '@custom-elements-manifest', 'analyzer', 'cem.js'),
  'analyze', '--litelement', '--globs', 'components/**/*.ts', '--outdir', '.', '--quiet', '--config', 'scripts/cem.config.mjs'],
  { cwd: root, encoding: 'utf8' });
if (cem.status !== 0) {
  console.error(`bundle: the custom-elements manifest failed:\n${cem.stderr || cem.stdout}`);
  process.exit(1);
}

console.log(`bundle: wrote ${web} (${precache.length} files precached), ${standalone}, build/node/cli.mjs and custom-elements.json`);

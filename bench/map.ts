/**
 * The map benchmark: `npm run bench:map -- --json` prints one JSON object; without --json, a short report.
 *
 * - projection (Node, this thread): the map's projection (projectUmap: our UMAP on the kernel's WASM SIMD) of
 *   10,000 and 100,000 synthetic 128-D face-like vectors (people of 50 faces, people in 8 broad groups, unit
 *   length), against umap-js (the projection before it, now a devDependency) called directly with its defaults on
 *   the same 10,000 in the same run; trustworthiness and kNN recall (k = 15) at 10,000 on a seeded sample of
 *   `--queries` query points against all points; the recall of the kernel's approximate neighbour search (the
 *   projection's first step, k = 14) against exact neighbours on 200 rows, and its time; the process's peak
 *   resident memory.
 *   `--atlas <path to embedding-atlas/dist/umap.js>` adds embedding-atlas's WASM UMAP (not a dependency: pass
 *   the file of an unpacked `npm pack embedding-atlas@0.26.0`) on the same 10,000.
 * - frames (headless Chromium, WebGL2 on SwiftShader): `<fap-face-map>` with the 100,000-point map, panned
 *   and zoomed for `--frames` frames; the frame interval (requestAnimationFrame to requestAnimationFrame) and the
 *   draw alone (waited for with a 1-pixel read), p50/p95; the page's JS heap after mounting.
 * - `--screenshot <png>`: the 100,000-point map with a face hovered (LFW photos from ../shared as thumbnails).
 *
 * Options: --json, --n N (default 100000), --small N (10000), --queries N (2000), --frames N (240),
 * --section projection|frames, --points <file> (reuse a saved 100k map: Float32 x, y), --save-points <file>.
 * `--section frames` without --points draws n synthetic 2-D clusters (the JSON's frames_map says which).
 * `--section atlas --atlas <file>` runs only embedding-atlas's UMAP on the same 10,000 and 100,000.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { UMAP } from 'umap-js';
import { neighbourScores } from '../src/analysis/projection/neighbour-scores.ts';
import { projectUmap } from '../src/analysis/projection/umap-projection.ts';
import { loadKernel } from '../src/kernel/index.ts';
import { loadUmapKernel } from '../src/kernel/umap-kernel.ts';
import { createRng } from '../src/analysis/rng.ts';
import { startStaticServer } from '../scripts/static-server.mjs';
import { launchChromium } from '../test/helpers/chromium.ts';
import { datasetsRoot, projectRoot } from '../test/helpers/datasets.ts';
import { json, option } from './args.ts';

const n = Number(option('--n') ?? 100_000);
const small = Number(option('--small') ?? 10_000);
const queries = Number(option('--queries') ?? 2000);
const frames = Number(option('--frames') ?? 240);
const section = option('--section');
const D = 128;
const PER_PERSON = 50;
const GROUPS = 8;

const log = (line: string): void => {
  if (!json) console.log(line);
  else console.error(line);
};
const round = (x: number, digits = 4): number => Number(x.toPrecision(digits));
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] as number;
const peakRssMb = (): number => round(process.resourceUsage().maxRSS / 1024, 4);

/** n face-like unit vectors: people of 50 faces around their own centre, people in 8 groups; and each face's group. */
function synthetic(count: number, seed: number): { vectors: Float32Array; groups: number[] } {
  const rng = createRng(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const unit = (v: Float32Array): Float32Array => {
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  const groupCentres = Array.from({ length: GROUPS }, () => unit(Float32Array.from({ length: D }, gauss)));
  const people = Math.ceil(count / PER_PERSON);
  const personGroup = Array.from({ length: people }, () => rng.int(GROUPS));
  const personCentres = personGroup.map((g) => unit(Float32Array.from({ length: D }, (_, t) => 0.7 * (groupCentres[g]?.[t] as number) + (0.7 / Math.sqrt(D)) * gauss())));
  const vectors = new Float32Array(count * D);
  const groups: number[] = [];
  for (let i = 0; i < count; i++) {
    const p = i % people;
    const c = personCentres[p] as Float32Array;
    const v = unit(Float32Array.from({ length: D }, (_, t) => (c[t] as number) + (0.35 / Math.sqrt(D)) * gauss()));
    vectors.set(v, i * D);
    groups.push(personGroup[p] as number);
  }
  return { vectors, groups };
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = performance.now();
  const value = await run();
  return { value, seconds: round((performance.now() - start) / 1000) };
}

/** umap-js with its defaults, as a page would call it. */
async function umapJs(vectors: Float32Array, count: number): Promise<Float32Array> {
  const rows = Array.from({ length: count }, (_, i) => Array.from(vectors.subarray(i * D, (i + 1) * D)));
  const embedding = await new UMAP({ nComponents: 2 }).fitAsync(rows);
  return Float32Array.from(embedding.flat());
}

interface AtlasModule {
  createUMAP(count: number, dim: number, out: number, data: Float32Array, options?: { seed?: number }): Promise<{ run(): Promise<void>; embedding: Float32Array; epoch: number; destroy(): void }>;
}

/** embedding-atlas's WASM UMAP (its defaults), when --atlas names its dist/umap.js. */
async function atlasRun(vectors: Float32Array): Promise<{ value: { out: Float32Array; epochs: number }; seconds: number } | undefined> {
  const atlasPath = option('--atlas');
  if (!atlasPath) return undefined;
  const atlas = (await import(atlasPath)) as AtlasModule;
  return timed(async () => {
    const u = await atlas.createUMAP(vectors.length / D, D, 2, vectors, { seed: 0 });
    await u.run();
    const out = new Float32Array(u.embedding);
    const epochs = u.epoch;
    u.destroy();
    return { out, epochs };
  });
}

async function atlasSmall(result: Record<string, unknown>, vectors: Float32Array): Promise<void> {
  const run = await atlasRun(vectors);
  if (!run) return;
  const scores = neighbourScores(vectors, D, run.value.out, 2, { k: 15, queries, seed: 1 });
  Object.assign(result, { embedding_atlas_10k_s: run.seconds, embedding_atlas_epochs_10k: run.value.epochs, embedding_atlas_trustworthiness_10k: round(scores.trustworthiness), embedding_atlas_knn_recall_10k: round(scores.knnRecall) });
  log(`embedding-atlas WASM UMAP ${small}: ${run.seconds} s (${run.value.epochs} epochs), trustworthiness ${round(scores.trustworthiness)}`);
}

/** `--section atlas`: embedding-atlas alone on the same 10,000 and 100,000 (needs --atlas). */
async function atlasSection(result: Record<string, unknown>): Promise<void> {
  if (!option('--atlas')) throw new Error('bench:map --section atlas needs --atlas <path to embedding-atlas/dist/umap.js>');
  await atlasSmall(result, synthetic(small, 1).vectors);
  if (n <= 0) return;
  const run = await atlasRun(synthetic(n, 2).vectors);
  if (!run) return;
  Object.assign(result, { embedding_atlas_100k_s: run.seconds, embedding_atlas_epochs_100k: run.value.epochs, peak_rss_mb: peakRssMb() });
  log(`embedding-atlas WASM UMAP ${n}: ${run.seconds} s (${run.value.epochs} epochs); peak resident memory ${result.peak_rss_mb} MB`);
}

/** The kernel's approximate 14 nearest neighbours (projectUmap's defaults): seconds, and recall on 200 rows. */
async function neighbourSearch(vectors: Float32Array): Promise<{ seconds: number; recall: number }> {
  const kernel = await loadKernel();
  const umap = await loadUmapKernel();
  const count = vectors.length / D;
  const k = 14;
  const found = await timed(async () => umap.nearestNeighbours(kernel, vectors, D, { k }));
  let hit = 0;
  const rows = 200;
  for (let s = 0; s < rows; s++) {
    const i = Math.floor((s * count) / rows);
    const dist = kernel.l2sqOneToMany(vectors.subarray(i * D, i * D + D), vectors, D);
    dist[i] = Infinity;
    const kth = Float32Array.from(dist).sort()[k - 1] as number;
    const got = new Set(found.value.indices.subarray(i * k, i * k + k));
    for (let j = 0; j < count; j++) if ((dist[j] as number) <= kth && got.has(j)) hit++;
  }
  return { seconds: found.seconds, recall: round(hit / (rows * k)) };
}

async function projectionSection(result: Record<string, unknown>): Promise<Float32Array | undefined> {
  const ten = synthetic(small, 1);
  const search = await neighbourSearch(ten.vectors);
  Object.assign(result, { neighbour_search_10k_s: search.seconds, neighbour_search_recall_10k: search.recall });
  log(`neighbour search ${small}: ${search.seconds} s, recall ${search.recall} against exact (k = 14, 200 rows)`);
  const ours = await timed(() => projectUmap(ten.vectors, D, { seed: 0 }));
  result.projection_10k_s = ours.seconds;
  const scores = neighbourScores(ten.vectors, D, ours.value, 2, { k: 15, queries, seed: 1 });
  result.trustworthiness_10k = round(scores.trustworthiness);
  result.knn_recall_10k = round(scores.knnRecall);
  log(`projection ${small}: ${ours.seconds} s, trustworthiness ${round(scores.trustworthiness)}, kNN recall ${round(scores.knnRecall)} (k = 15, ${scores.queries} query points)`);
  const baseline = await timed(() => umapJs(ten.vectors, small));
  const baseScores = neighbourScores(ten.vectors, D, baseline.value, 2, { k: 15, queries, seed: 1 });
  result.umap_js_10k_s = baseline.seconds;
  result.umap_js_trustworthiness_10k = round(baseScores.trustworthiness);
  result.umap_js_knn_recall_10k = round(baseScores.knnRecall);
  log(`umap-js defaults ${small}: ${baseline.seconds} s, trustworthiness ${round(baseScores.trustworthiness)}, kNN recall ${round(baseScores.knnRecall)}`);
  await atlasSmall(result, ten.vectors);
  result.peak_rss_mb_after_10k = peakRssMb();
  if (n <= 0) return undefined;
  const big = synthetic(n, 2);
  const hundred = await timed(() => projectUmap(big.vectors, D, { seed: 0 }));
  result.projection_100k_s = hundred.seconds;
  result.peak_rss_mb = peakRssMb();
  log(`projection ${n}: ${hundred.seconds} s; peak resident memory ${result.peak_rss_mb} MB`);
  const bigSearch = await neighbourSearch(big.vectors);
  Object.assign(result, { neighbour_search_100k_s: bigSearch.seconds, neighbour_search_recall_100k: bigSearch.recall });
  log(`neighbour search ${n}: ${bigSearch.seconds} s, recall ${bigSearch.recall} against exact (k = 14, 200 rows)`);
  const save = option('--save-points');
  if (save) writeFileSync(save, Buffer.from(hundred.value.buffer));
  return hundred.value;
}

/** n positions in 2,000 round 2-D clusters of different sizes: the look of a UMAP map, without computing one. */
function blobs(count: number): Float32Array {
  const rng = createRng(3);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const centres = Array.from({ length: 2000 }, () => [gauss() * 6, gauss() * 6, 0.05 + rng.next() * 0.2] as const);
  const out = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    const [x, y, r] = centres[i % centres.length] as readonly [number, number, number];
    out[i * 2] = x + gauss() * r;
    out[i * 2 + 1] = y + gauss() * r;
  }
  return out;
}

/** LFW photos under ../shared, as URLs the page can load, for hover thumbnails. */
function thumbnails(): string[] {
  const lfw = join(datasetsRoot, 'lfw-attributes', 'images');
  if (!existsSync(lfw)) return [];
  return readdirSync(lfw).sort().slice(0, 40).flatMap((p) => readdirSync(join(lfw, p)).sort().slice(0, 3).map((f) => `/datasets/lfw-attributes/images/${p}/${f}`));
}

async function framesSection(result: Record<string, unknown>, mapPoints: Float32Array | undefined): Promise<void> {
  const saved = option('--points');
  const points = mapPoints ?? (saved ? new Float32Array(readFileSync(saved).buffer.slice(0)) : blobs(n));
  result.frames_map = mapPoints ? 'the 100k projection of this run' : saved ? `the map saved in ${saved}` : 'synthetic 2-D clusters (no projection in this run)';
  const count = points.length / 2;
  const { groups } = synthetic(count, 2);
  // The page fits positions into [-1, 1], as the map section does.
  const { fitToUnit } = await import('../components/map/point-index.ts');
  const fitted = Array.from(fitToUnit(points));
  const labels = groups.map((g) => `group ${g + 1}`);
  const dir = await mkdtemp(join(tmpdir(), 'fap-map-bench-'));
  try {
    await build({ entryPoints: { page: join(projectRoot, 'bench', 'map-page.ts') }, outdir: dir, bundle: true, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'error' });
    await writeFile(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>map bench</title><link rel="icon" href="data:,"><script type="module" src="page.js"></script>');
    const server = await startStaticServer({ mounts: { '/': dir, '/datasets/': datasetsRoot } });
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1000, height: 700 });
      await page.goto(`${server.url}index.html`);
      await page.waitForFunction(() => 'mapBench' in globalThis);
      const thumbs = thumbnails();
      const times = await page.evaluate(([p, l, t, f]) => (globalThis as unknown as { mapBench: { run(p: number[], l: string[], t: string[], f: number): Promise<{ intervals: number[]; draws: number[]; renderer: string }> } }).mapBench.run(p, l, t, f), [fitted, labels, thumbs, frames] as const);
      const cdp = await browser.context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const metrics = (await cdp.send('Performance.getMetrics')).metrics;
      const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
      Object.assign(result, {
        frame_ms_p95_100k: round(quantile(times.intervals, 0.95)),
        frame_ms_p50_100k: round(quantile(times.intervals, 0.5)),
        draw_ms_p95_100k: round(quantile(times.draws, 0.95)),
        draw_ms_p50_100k: round(quantile(times.draws, 0.5)),
        frames,
        points: count,
        renderer: times.renderer,
        page_js_heap_mb: round(heap / 1024 / 1024),
      });
      log(`frames (${count} points, ${frames} frames, ${times.renderer}): interval p50 ${result.frame_ms_p50_100k} ms, p95 ${result.frame_ms_p95_100k} ms; draw p50 ${result.draw_ms_p50_100k} ms, p95 ${result.draw_ms_p95_100k} ms; page JS heap ${result.page_js_heap_mb} MB`);
      const shot = option('--screenshot');
      if (shot) {
        const reload = await browser.context.newPage();
        await reload.setViewportSize({ width: 1000, height: 720 });
        await reload.goto(`${server.url}index.html`);
        await reload.waitForFunction(() => 'mapBench' in globalThis);
        const [hx, hy] = [fitted[0] as number, fitted[1] as number];
        await reload.evaluate(([p, l, t, x, y]) => (globalThis as unknown as { mapBench: { show(p: number[], l: string[], t: string[], x: number, y: number): Promise<void> } }).mapBench.show(p, l, t, x, y), [fitted, labels, thumbs, hx, hy] as const);
        await reload.waitForFunction(() => [...(document.querySelector('fap-face-map')?.shadowRoot?.querySelectorAll('img') ?? [])].every((i) => i.complete));
        await reload.screenshot({ path: shot, fullPage: true });
        log(`screenshot: ${shot}`);
      }
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const result: Record<string, unknown> = { cpus: cpus().length, load_average: round(loadavg()[0] as number, 3), d: D };
let map: Float32Array | undefined;
if (section === 'atlas') await atlasSection(result);
else {
  if (section !== 'frames') map = await projectionSection(result);
  if (section !== 'projection') await framesSection(result, map);
}
if (json) console.log(JSON.stringify(result, null, 2));

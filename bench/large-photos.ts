/**
 * What searching large photos in tiles costs and finds: `npm run bench:large-photos -- --json`.
 *
 * The same photos through two engines, one with tiling (the default) and one without (`find: { tiling: false }`),
 * alternating photo by photo so machine load falls on both alike; per set: faces found (and how, or the
 * photos' failure codes), detector runs, and mean ms per photo with and without tiles (decoded from bytes every time, after one warm-up photo). Sets:
 * - demo: face-api's six demo photos (1920 px group photos, shipped with the package);
 * - smoke: ../shared/datasets/smoke's twenty 200–250 px photos (too small to be tiled: no cost expected);
 * - portrait: five 3000 × 2000 generated photos, each with one large face (a smoke photo at 1000 px): the whole
 *   image finds the face, fewer than 2 faces, so the tiles run: the worst case for a normal large photo;
 * - small-face: ten 3000 × 2000 generated photos, each with one ~90 px face (a smoke photo at 120/200 px).
 * Options: --json.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultModelsDir } from '../src/embedding/node-engine.ts';
import { FaceEngine, type FaceModelSet } from '../src/embedding/engine.ts';
import { loadFaceModels } from '../src/embedding/models.ts';
import type { ImageInput } from '../src/embedding/types.ts';
import { decodeImageNode } from '../src/vision/decode-node.ts';
import { pastedFace } from '../test/vision/generated-images.ts';

const json = process.argv.includes('--json');
const root = fileURLToPath(new URL('..', import.meta.url));
const demoDir = join(dirname(createRequire(join(root, 'package.json')).resolve('@vladmandic/face-api/package.json')), 'demo');
const smokeDir = join(process.env.FAP_DATASETS ?? join(root, '..', 'shared', 'datasets'), 'smoke', 'images');

const read = (dir: string, pattern: RegExp): ImageInput[] =>
  readdirSync(dir).filter((f) => pattern.test(f)).sort().map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(dir, f))) }));

async function pasted(count: number, side: (name: string) => number): Promise<ImageInput[]> {
  const names = readdirSync(smokeDir).filter((f) => f.endsWith('.jpg')).sort();
  const out: ImageInput[] = [];
  for (let i = 0; i < count; i++) {
    const name = names[(i * 7) % names.length]!;
    const s = side(name);
    const left = Math.round(((i * 613) % (3000 - s - 100)) + 50);
    const top = Math.round(((i * 397) % (2000 - s - 100)) + 50);
    out.push({ name: `${name}@${s}`, bytes: await pastedFace(join(smokeDir, name), { width: 3000, height: 2000, side: s, left, top }) });
  }
  return out;
}

/**
 * An engine over shared models whose detector calls are counted (a call at a lower threshold on an image already
 * seen decodes the same network output again: it counts, though the network does not run).
 */
function countingEngine(models: FaceModelSet, find: { tiling?: false }) {
  const counter = { runs: 0 };
  const detect: FaceModelSet['detect'] = Object.assign(
    (image: Parameters<FaceModelSet['detect']>[0], options: Parameters<FaceModelSet['detect']>[1]) => { counter.runs++; return models.detect(image, options); },
    models.detect.inputSide ? { inputSide: models.detect.inputSide } : {},
  );
  const engine = new FaceEngine(
    { ...models, detect },
    { decode: decodeImageNode, encodeThumbnail: () => Promise.reject(new Error('no thumbnails in this benchmark')), now: () => performance.now() },
    { find },
  );
  return { engine, counter };
}

type Counted = ReturnType<typeof countingEngine>;

async function measure(tiledEngine: Counted, flatEngine: Counted, inputs: ImageInput[]) {
  const { engine: tiled } = tiledEngine;
  const { engine: flat } = flatEngine;
  const result = {
    photos: inputs.length, faces_tiled: 0, faces_flat: 0, detector_runs_tiled: 0, detector_runs_flat: 0,
    found_by_tiled: {} as Record<string, number>, found_by_flat: {} as Record<string, number>,
    ms_tiled: 0, ms_flat: 0, extra_ms_per_photo: 0,
  };
  await tiled.processImage(inputs[0]!);
  await flat.processImage(inputs[0]!);
  const runsBefore = [tiledEngine.counter.runs, flatEngine.counter.runs];
  for (const [i, input] of inputs.entries()) {
    // Alternate which engine goes first, so a burst of load does not always land on the same one.
    for (const engine of i % 2 ? [flat, tiled] : [tiled, flat]) {
      const start = performance.now();
      const outcome = await engine.processImage(input);
      const ms = performance.now() - start;
      const faces = outcome.ok ? outcome.faces.length : 0;
      const foundBy = engine === tiled ? result.found_by_tiled : result.found_by_flat;
      for (const f of outcome.ok ? outcome.faces : []) foundBy[f.foundBy] = (foundBy[f.foundBy] ?? 0) + 1;
      if (!outcome.ok) foundBy[outcome.error.code ?? 'failed'] = (foundBy[outcome.error.code ?? 'failed'] ?? 0) + 1;
      if (engine === tiled) { result.ms_tiled += ms; result.faces_tiled += faces; } else { result.ms_flat += ms; result.faces_flat += faces; }
    }
  }
  result.detector_runs_tiled = tiledEngine.counter.runs - runsBefore[0]!;
  result.detector_runs_flat = flatEngine.counter.runs - runsBefore[1]!;
  result.ms_tiled /= inputs.length;
  result.ms_flat /= inputs.length;
  result.extra_ms_per_photo = result.ms_tiled - result.ms_flat;
  return result;
}

const models = await loadFaceModels({ base: defaultModelsDir() });
const tiled = countingEngine(models, {});
const flat = countingEngine(models, { tiling: false });
try {
  const sets: Record<string, ImageInput[]> = {
    demo: read(demoDir, /^sample\d\.jpg$/),
    smoke: read(smokeDir, /\.jpg$/),
    portrait: await pasted(5, () => 1000),
    'small-face': await pasted(10, (name) => (name.startsWith('utk') ? 120 : 200)),
  };
  const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
  for (const [name, inputs] of Object.entries(sets)) results[name] = await measure(tiled, flat, inputs);
  const report = { backend: tiled.engine.info.backend, cpus: cpus().length, loadavg_1min: loadavg()[0] ?? 0, sets: results };
  if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    for (const [name, r] of Object.entries(results)) {
      process.stdout.write(`${name.padEnd(11)} ${String(r.photos).padStart(3)} photos  faces ${r.faces_flat} → ${r.faces_tiled}  ` +
        `detector runs ${r.detector_runs_flat} → ${r.detector_runs_tiled}  ${r.ms_flat.toFixed(0)} → ${r.ms_tiled.toFixed(0)} ms per photo (${r.extra_ms_per_photo >= 0 ? '+' : ''}${r.extra_ms_per_photo.toFixed(0)})\n`);
    }
    process.stdout.write(`${report.backend}, ${report.cpus} CPUs, load ${report.loadavg_1min.toFixed(1)}\n`);
  }
} finally {
  await models.dispose();
}

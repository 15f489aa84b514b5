/**
 * Embedding-model benchmark: `node --import tsx bench/embedding-models.ts [--json] [--passes N] [--backends node,wasm] [--browser]`.
 *
 * For each built-in embedding model (BUILTIN_EMBEDDING_MODELS), on each backend: the whole pipeline over the smoke
 * set's twenty photos (decoded from their bytes every time), reporting ms per image, and the embedding stage alone
 * per face (the engine's `embed` timing: chip tensor + the model run, all faces of an image in one batch), plus the
 * ONNX file's size. One warm-up pass, then --passes timed passes (default 3); the best pass is reported.
 * wasm runs on 1 thread (the machine's cores are shared). `--browser` adds each model in headless Chromium: the
 * inference worker on wasm (threads: the page is cross-origin isolated), ms per image and the embedding stage per face.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeEngine, defaultModelsDir } from '../src/embedding/node-engine.ts';
import type { ImageInput } from '../src/embedding/types.ts';
import { BUILTIN_EMBEDDING_MODELS } from '../src/models/embedding-models.ts';
import { parseModelIndex } from '../src/models/manifest.ts';
import { runEngineInChromium } from './embed-browser.ts';

const argv = process.argv.slice(2);
const option = (flag: string) => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};
const json = argv.includes('--json');
const passes = Math.max(1, Number(option('--passes') ?? 3));
const backends = (option('--backends') ?? 'node,wasm').split(',') as Array<'node' | 'wasm'>;
const root = fileURLToPath(new URL('..', import.meta.url));
const smoke = join(process.env.FAP_DATASETS ?? join(root, '..', 'shared', 'datasets'), 'smoke', 'images');
const inputs: ImageInput[] = readdirSync(smoke).filter((f) => f.endsWith('.jpg')).sort()
  .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(smoke, f))) }));
const index = parseModelIndex(JSON.parse(readFileSync(join(defaultModelsDir(), 'index.json'), 'utf8')));

interface Row {
  model: string;
  backend: string;
  dimension: number;
  alignment: string;
  onnx_bytes: number;
  faces: number;
  ms_per_image: number;
  embed_ms_per_face: number;
}

const rows: Row[] = [];
for (const [id, stem] of Object.entries(BUILTIN_EMBEDDING_MODELS)) {
  for (const backend of backends) {
    const engine = await createNodeEngine({ model: id, backend, ...(backend === 'wasm' ? { threads: 1 } : {}) });
    try {
      await engine.processBatch(inputs);
      let best: Row | undefined;
      for (let p = 0; p < passes; p++) {
        const started = performance.now();
        const { outcomes } = await engine.processBatch(inputs);
        const ms = performance.now() - started;
        let faces = 0;
        let embed = 0;
        for (const o of outcomes) {
          if (!o.ok) throw new Error(`${o.name}: ${o.error.message}`);
          faces += o.faces.length;
          embed += o.timings.embed;
        }
        const row: Row = {
          model: id,
          backend: engine.info.backend,
          dimension: engine.info.dimension,
          alignment: engine.info.alignment,
          onnx_bytes: index.models.find((m) => m.file === `${stem}.onnx`)!.bytes,
          faces,
          ms_per_image: ms / inputs.length,
          embed_ms_per_face: embed / faces,
        };
        if (!best || row.ms_per_image < best.ms_per_image) best = row;
      }
      rows.push(best!);
    } finally {
      await engine.dispose();
    }
  }
}

/** Chromium's figures per model (wasm in the inference worker), with `--browser`. */
const browser: Record<string, unknown> = {};
if (argv.includes('--browser')) {
  for (const id of Object.keys(BUILTIN_EMBEDDING_MODELS)) browser[id] = (await runEngineInChromium(inputs, passes, { model: id, webgpu: false })).wasm;
}

const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', loadavg_1min: loadavg()[0] ?? 0, images: inputs.length, passes };
if (json) {
  process.stdout.write(`${JSON.stringify({ machine, rows, ...(Object.keys(browser).length ? { browser } : {}) }, null, 2)}\n`);
} else {
  console.log(`${machine.images} smoke images, best of ${passes} passes, ${machine.cpus} × ${machine.cpu}, load ${machine.loadavg_1min.toFixed(2)}`);
  for (const r of rows) {
    console.log(`${r.model.padEnd(26)} ${r.backend.padEnd(5)} ${String(r.dimension).padStart(4)}-D ${r.alignment.padEnd(9)} `
      + `${(r.onnx_bytes / 1e6).toFixed(2)} MB  ${r.ms_per_image.toFixed(1)} ms/image  ${r.embed_ms_per_face.toFixed(2)} ms/face (embed)`);
  }
  for (const [id, figures] of Object.entries(browser)) {
    const f = figures as { ms_per_image: number; embed_ms_per_face: number; threads?: number };
    console.log(`${id.padEnd(26)} Chromium wasm (${f.threads ?? '?'} threads, in the worker)  ${f.ms_per_image.toFixed(1)} ms/image  ${f.embed_ms_per_face.toFixed(2)} ms/face (embed)`);
  }
}

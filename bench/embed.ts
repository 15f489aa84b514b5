/**
 * Pipeline benchmark: `npm run bench:embed -- --json` prints one JSON object; without --json, a table.
 *
 * In one run, on the same images (face-api's six demo photos and, when present, ../shared/datasets/smoke's
 * twenty), decoded from their file bytes every time:
 * - our pipeline in Node on each backend (onnxruntime-node, onnxruntime-web's wasm): ms per image, faces/s and
 *   mean ms per stage (decode, detect, landmarks, align, embed), with the default detector ('auto'), and once more
 *   with SSD on every image on the best backend (`ours_ssd_only`);
 * - the peer: face-api's own TF.js pipeline (SSD MobileNet v1 → 68 landmarks → descriptors) on
 *   @tensorflow/tfjs-backend-wasm, images decoded with sharp;
 * - speedup_vs_peer: the peer's ms per image over the best backend's (per image, not per face: our fallbacks find
 *   more faces, which the faces/s ratio `speedup_vs_peer_faces_per_s` would count in our favour);
 * - the browser: the same images through the Web Worker engine in headless Chromium (wasm, and webgpu when the
 *   browser has an adapter; a software adapter is reported, not used).
 * Each configuration runs a warm-up pass, then --passes timed passes (default 2); the best pass is reported.
 * Options: --json, --passes N, --no-browser, --no-peer.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createNodeEngine } from '../src/embedding/node-engine.ts';
import type { ImageInput, StageTimings } from '../src/embedding/types.ts';
import type { DetectorName } from '../src/embedding/models.ts';
import { runEngineInChromium } from './embed-browser.ts';

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const passesArg = argv.indexOf('--passes');
const passes = Math.max(1, passesArg >= 0 ? Number(argv[passesArg + 1]) : 2);
const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(root, 'package.json'));
const faceApiDir = dirname(require.resolve('@vladmandic/face-api/package.json'));

function images(): ImageInput[] {
  const demo = join(faceApiDir, 'demo');
  const list = readdirSync(demo).filter((f) => /^sample\d\.jpg$/.test(f)).sort().map((f) => join(demo, f));
  const smoke = join(process.env.FAP_DATASETS ?? join(root, '..', 'shared', 'datasets'), 'smoke', 'images');
  if (existsSync(smoke)) list.push(...readdirSync(smoke).filter((f) => f.endsWith('.jpg')).sort().map((f) => join(smoke, f)));
  return list.map((path) => ({ name: path.slice(path.lastIndexOf('/') + 1), bytes: new Uint8Array(readFileSync(path)) }));
}

interface RunFigures {
  ms_per_image: number;
  images_per_s: number;
  faces_per_s: number;
  faces: number;
  stages_ms?: StageTimings;
}

async function ours(inputs: ImageInput[], backend: 'node' | 'wasm', detector: DetectorName = 'auto'): Promise<RunFigures & { backend: string; threads_note: string; detector: string }> {
  const engine = await createNodeEngine({ backend, detector });
  try {
    await engine.processBatch(inputs);
    let best: RunFigures | undefined;
    for (let p = 0; p < passes; p++) {
      const started = performance.now();
      const { outcomes } = await engine.processBatch(inputs);
      const ms = performance.now() - started;
      const stages: StageTimings = { decode: 0, detect: 0, landmarks: 0, align: 0, embed: 0, attributes: 0 };
      let faces = 0;
      for (const o of outcomes) {
        if (!o.ok) throw new Error(`${o.name}: ${o.error.message}`);
        faces += o.faces.length;
        for (const k of Object.keys(stages) as (keyof StageTimings)[]) stages[k] += o.timings[k] / inputs.length;
      }
      const figures = { ms_per_image: ms / inputs.length, images_per_s: (inputs.length * 1000) / ms, faces_per_s: (faces * 1000) / ms, faces, stages_ms: stages };
      if (!best || figures.ms_per_image < best.ms_per_image) best = figures;
    }
    return { ...best!, backend: engine.info.backend, threads_note: engine.info.backendReason, detector: engine.info.detector };
  } finally {
    await engine.dispose();
  }
}

interface FaceApiLike {
  tf: { setBackend(n: string): Promise<boolean>; ready(): Promise<void>; tensor3d(v: Uint8Array, s: number[], d: string): { dispose(): void } };
  nets: Record<string, { loadFromDisk(dir: string): Promise<void> }>;
  detectAllFaces(input: unknown, options: unknown): { withFaceLandmarks(): { withFaceDescriptors(): Promise<unknown[]> } };
  SsdMobilenetv1Options: new (o: { minConfidence: number }) => unknown;
}

async function peer(inputs: ImageInput[]): Promise<RunFigures> {
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(p: string): void };
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiLike;
  wasm.setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
  await faceapi.tf.setBackend('wasm');
  await faceapi.tf.ready();
  const dir = join(faceApiDir, 'model');
  for (const net of ['ssdMobilenetv1', 'faceLandmark68Net', 'faceRecognitionNet']) await faceapi.nets[net]!.loadFromDisk(dir);
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 });
  const once = async () => {
    let faces = 0;
    for (const input of inputs) {
      const { data, info } = await sharp(input.bytes).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      const tensor = faceapi.tf.tensor3d(new Uint8Array(data), [info.height, info.width, 3], 'int32');
      faces += (await faceapi.detectAllFaces(tensor, options).withFaceLandmarks().withFaceDescriptors()).length;
      tensor.dispose();
    }
    return faces;
  };
  await once();
  let best: RunFigures | undefined;
  for (let p = 0; p < passes; p++) {
    const started = performance.now();
    const faces = await once();
    const ms = performance.now() - started;
    const figures = { ms_per_image: ms / inputs.length, images_per_s: (inputs.length * 1000) / ms, faces_per_s: (faces * 1000) / ms, faces };
    if (!best || figures.ms_per_image < best.ms_per_image) best = figures;
  }
  return best!;
}

const inputs = images();
const result: Record<string, unknown> = {
  images: inputs.length,
  machine: { cpus: cpus().length, loadavg_1m_at_start: loadavg()[0] },
};
const node = await ours(inputs, 'node');
const web = await ours(inputs, 'wasm');
result.ours = { [node.backend]: node, wasm: web };
const best = node.ms_per_image <= web.ms_per_image ? node : web;
result.stages_ms = best.stages_ms;
// The same pipeline with SSD on every image (the detector the peer uses), on the best backend, for reference.
const ssdOnly = await ours(inputs, best.backend === 'node' ? 'node' : 'wasm', 'ssd');
result.ours_ssd_only = ssdOnly;
if (!argv.includes('--no-peer')) {
  const p = await peer(inputs);
  result.peer = { name: 'face-api 1.7.15 (tfjs 4.22 wasm backend, SSD MobileNet v1 + 68 landmarks + descriptors)', ...p };
  result.speedup_vs_peer = p.ms_per_image / best.ms_per_image;
  result.speedup_vs_peer_backend = best.backend;
  result.speedup_vs_peer_faces_per_s = best.faces_per_s / p.faces_per_s;
  result.speedup_vs_peer_ssd_only = p.ms_per_image / ssdOnly.ms_per_image;
}
if (!argv.includes('--no-browser')) result.browser = await runEngineInChromium(inputs, passes);
result.loadavg_1m_at_end = loadavg()[0];

if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
else {
  const row = (name: string, f: RunFigures) => `${name.padEnd(34)} ${f.ms_per_image.toFixed(1).padStart(8)} ms/image ${f.faces_per_s.toFixed(1).padStart(8)} faces/s`;
  console.log(`${inputs.length} images, ${node.faces} faces`);
  console.log(row(`ours (${node.backend})`, node));
  console.log(row('ours (onnxruntime-web wasm, Node)', web));
  console.log(row(`ours, SSD on every image (${ssdOnly.backend})`, ssdOnly));
  if (result.peer) console.log(row('peer (face-api tfjs wasm)', result.peer as RunFigures));
  if (result.speedup_vs_peer) console.log(`speedup vs peer: ${(result.speedup_vs_peer as number).toFixed(2)}× (${best.backend})`);
  console.log('stages (ms/image):', Object.entries(best.stages_ms ?? {}).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', '));
  if (result.browser) console.log('browser:', JSON.stringify(result.browser));
}
process.exit(0);

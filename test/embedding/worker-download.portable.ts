// A first start of the inference worker in real Chromium reports what it downloads: the models and onnxruntime's
// WebAssembly runtime, as bytes so far of a total known from the first report on, up to the whole; and the
// engine then runs on the runtime it downloaded. Served by test/helpers/browser-suite.ts (worker at /worker.js,
// models at /build/models/, onnxruntime-web's files at /ort/).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerEngineClient } from '../../src/embedding/client.ts';
import type { DownloadProgress } from '../../src/runtime/downloads.ts';

const origin = globalThis.location?.origin ?? '';
/** The files a start with the attribute heads and the automatic detector loads (see loadFaceModels). */
const MODEL_FILES = ['ssd-mobilenetv1.onnx', 'tiny-face-detector.onnx', 'face-landmark-68.onnx', 'face-recognition.onnx', 'age-gender.onnx', 'face-expression.onnx'];

/** The size the server gives for a file. */
async function sizeOf(url: string): Promise<number> {
  const response = await fetch(url, { method: 'HEAD' });
  assert.ok(response.ok, `HEAD ${url}: ${response.status}`);
  return Number(response.headers.get('content-length'));
}

describe('the inference worker\'s first start', () => {
  it('reports the models\' and the runtime\'s bytes as they arrive, of a total that does not move, up to the whole', async () => {
    const index = await (await fetch(`${origin}/build/models/index.json`)).json() as { models: { file: string; bytes: number }[] };
    const models = MODEL_FILES.map((file) => index.models.find((m) => m.file === file)?.bytes ?? NaN).reduce((a, b) => a + b, 0);
    const runtime = await sizeOf(`${origin}/ort/ort-wasm-simd-threaded.wasm`);
    assert.ok(runtime > 1_000_000, `the runtime file is ${runtime} bytes`);
    const reports: DownloadProgress[] = [];
    const engine = await WorkerEngineClient.start(`${origin}/worker.js`, {
      modelsBaseUrl: `${origin}/build/models/`,
      ortWasmBaseUrl: `${origin}/ort/`,
      backend: 'wasm',
      attributes: true,
    }, (p) => reports.push(p));
    try {
      assert.ok(reports.length >= 10, `${reports.length} reports`);
      assert.deepEqual(new Set(reports.map((r) => r.total)), new Set([models + runtime]), 'every report has the same total: the models and the runtime');
      reports.forEach((r, i) => {
        assert.ok(r.loaded <= r.total, `report ${i}: ${r.loaded} of ${r.total}`);
        if (i > 0) assert.ok(r.loaded >= (reports[i - 1] as DownloadProgress).loaded, `report ${i} does not go back`);
      });
      assert.ok((reports[0] as DownloadProgress).loaded < models + runtime, 'the first report comes before the end');
      assert.equal(reports.at(-1)?.loaded, models + runtime, 'the last report has everything');
      // The runtime it downloaded runs: a blank image goes through the detector and finds no face.
      const canvas = new OffscreenCanvas(64, 64);
      (canvas.getContext('2d') as OffscreenCanvasRenderingContext2D).fillRect(0, 0, 64, 64);
      const png = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      const result = await engine.process([{ name: 'blank.png', bytes: png }]);
      const outcome = result.outcomes[0];
      assert.ok(outcome && !outcome.ok, 'the blank image has no face');
      assert.equal(outcome.error.code, 'no-face', outcome.error.message);
    } finally {
      await engine.dispose();
    }
  });
});

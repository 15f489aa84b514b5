// The engine in a Web Worker behind comlink, in real Chromium: images in, embeddings out, typed errors
// across the boundary, progress, and cancellation. Served by test/helpers/browser-suite.ts with the worker
// bundled as /worker.js, the models at /build/models/ and onnxruntime-web's files at /ort/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerEngineClient } from '../../src/embedding/client.ts';
import { ModelLoadError, UnsupportedEnvironmentError } from '../../src/errors.ts';
import type { BatchProgress, ImageResult } from '../../src/embedding/types.ts';

const origin = globalThis.location?.origin ?? '';
const smoke = ['lfw_Alejandro_Toledo_0004.jpg', 'lfw_Alejandro_Toledo_0007.jpg', 'utk_female_black_27.jpg'];

async function fetchImage(name: string) {
  const response = await fetch(`/datasets/smoke/images/${name}`);
  assert.ok(response.ok, `fetch ${name}: ${response.status}`);
  return { name, bytes: new Uint8Array(await response.arrayBuffer()) };
}

function distance(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

describe('the inference worker', () => {
  let engine: WorkerEngineClient;

  before(async () => {
    engine = await WorkerEngineClient.start(`${origin}/worker.js`, {
      modelsBaseUrl: `${origin}/build/models/`,
      ortWasmBaseUrl: `${origin}/ort/`,
      backend: 'wasm',
    });
  });

  after(async () => {
    await engine?.dispose();
  });

  it('reports the wasm backend and the default model', () => {
    assert.equal(engine.info.backend, 'wasm');
    assert.equal(engine.info.modelId, 'face-api-face-recognition');
    assert.equal(engine.info.dimension, 128);
  });

  it('embeds real faces, keeps failures per file, and reports progress', async () => {
    const inputs = await Promise.all(smoke.map(fetchImage));
    inputs.splice(1, 0, { name: 'notes.jpg', bytes: new TextEncoder().encode('not a photo') });
    const progress: BatchProgress[] = [];
    const result = await engine.process(inputs, { thumbnails: true, onProgress: (p) => progress.push(p) });
    assert.equal(result.cancelled, false);
    assert.deepEqual(result.outcomes.map((o) => o.ok), [true, false, true, true]);
    const failure = result.outcomes[1]!;
    assert.ok(!failure.ok);
    assert.equal(failure.error.code, 'decode');
    assert.equal(failure.name, 'notes.jpg');
    const ok = result.outcomes.filter((o): o is ImageResult => o.ok);
    for (const o of ok) {
      assert.ok(o.faces.length >= 1, `${o.name} has a face`);
      const face = o.faces[0]!;
      assert.ok(face.embedding instanceof Float32Array && face.embedding.length === 128);
      const norm = Math.hypot(...face.embedding);
      assert.ok(Math.abs(norm - 1) < 1e-5, `L2-normalised: ${norm}`);
      assert.equal(face.thumbnail?.type, 'image/jpeg');
      assert.ok((face.thumbnail?.bytes.length ?? 0) > 1000);
    }
    // Same person closer than different people.
    const [toledoA, toledoB, other] = ok.map((o) => o.faces[0]!.embedding);
    assert.ok(distance(toledoA!, toledoB!) < distance(toledoA!, other!), 'the same person is closer');
    assert.deepEqual(progress.map((p) => p.done), [1, 2, 3, 4]);
    assert.equal(progress.at(-1)?.failed, 1);
  });

  it('gives a photo with no face no face, and says so in words the element shows', async () => {
    const canvas = new OffscreenCanvas(480, 320);
    const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    const gradient = context.createLinearGradient(0, 0, 480, 320);
    gradient.addColorStop(0, '#3070c0');
    gradient.addColorStop(1, '#e0c070');
    context.fillStyle = gradient;
    context.fillRect(0, 0, 480, 320);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 })).arrayBuffer());
    const [faceless, photo] = (await engine.process([{ name: 'gradient.jpg', bytes }, await fetchImage(smoke[0]!)])).outcomes;
    assert.ok(faceless && !faceless.ok, 'no face, not the whole image taken as one');
    assert.equal(faceless.error.code, 'no-face');
    assert.match(faceless.error.message, /^no face found in this photo/);
    assert.ok(photo?.ok && photo.faces.length >= 1 && photo.faces[0]!.foundBy !== 'whole-image', 'a real photo still has its face');
  });

  it('takes the first frame of a GIF, and refuses HEIC with how to convert it', async () => {
    const response = await fetch('/generated/toledo-animated.gif');
    assert.ok(response.ok, `fetch the generated GIF: ${response.status}`);
    const gif = { name: 'toledo-animated.gif', bytes: new Uint8Array(await response.arrayBuffer()) };
    const heicStart = new Uint8Array([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypheic\0\0\0\0mif1heic'), ...new Uint8Array(64)]);
    const [fromGif, heic] = (await engine.process([gif, { name: 'IMG_0001.HEIC', bytes: heicStart }])).outcomes;
    assert.ok(fromGif?.ok, `the GIF is read: ${fromGif && !fromGif.ok ? fromGif.error.message : ''}`);
    assert.equal(fromGif.format, 'gif');
    assert.equal(fromGif.faces.length, 1, 'the face of the first frame');
    assert.equal(fromGif.faces[0]!.foundBy, 'detected');
    const jpeg = (await engine.process([await fetchImage(smoke[0]!)])).outcomes[0] as ImageResult;
    assert.ok(distance(jpeg.faces[0]!.embedding, fromGif.faces[0]!.embedding) < 0.25, 'the same face as the JPEG it was made from');
    assert.ok(heic && !heic.ok);
    assert.equal(heic.error.code, 'decode');
    assert.match(heic.error.message, /HEIC photos \(iPhone\) cannot be read here yet: .*JPEG.*Most Compatible/);
  });

  it('finds a small face in a large photo (searched in tiles)', async () => {
    const response = await fetch('/generated/small-face.jpg');
    assert.ok(response.ok, `fetch the generated photo: ${response.status}`);
    const [o] = (await engine.process([{ name: 'small-face.jpg', bytes: new Uint8Array(await response.arrayBuffer()) }])).outcomes;
    assert.ok(o?.ok, `a face is found: ${o && !o.ok ? o.error.message : ''}`);
    assert.deepEqual([o.width, o.height, o.faces.length], [3000, 2000, 1]);
    const { box, foundBy } = o.faces[0]!;
    assert.equal(foundBy, 'detected');
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    assert.ok(cx > 2150 && cx < 2270 && cy > 1350 && cy < 1470 && box.width < 130, `the pasted 120 px photo's face: ${JSON.stringify(box)}`);
  });

  it('gives the same embedding for the same photo', async () => {
    const input = await fetchImage(smoke[0]!);
    const a = await engine.process([input]);
    const b = await engine.process([input]);
    const ea = (a.outcomes[0] as ImageResult).faces[0]!.embedding;
    const eb = (b.outcomes[0] as ImageResult).faces[0]!.embedding;
    assert.ok(distance(ea, eb) < 1e-6);
  });

  it('stops on abort and returns what finished', async () => {
    const inputs = await Promise.all([...smoke, ...smoke, ...smoke].map(fetchImage));
    const controller = new AbortController();
    const result = await engine.process(inputs, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 1) controller.abort();
      },
    });
    assert.equal(result.cancelled, true);
    assert.ok(result.outcomes.length >= 1 && result.outcomes.length < inputs.length, `${result.outcomes.length} finished`);
  });

  it('starts with MobileFaceNet when the element asks for it: 192 numbers per face, ArcFace-aligned', async () => {
    const mobile = await WorkerEngineClient.start(`${origin}/worker.js`, {
      modelsBaseUrl: `${origin}/build/models/`, ortWasmBaseUrl: `${origin}/ort/`, backend: 'wasm', model: 'mobilefacenet',
    });
    try {
      assert.equal(mobile.info.modelId, 'mobilefacenet');
      assert.equal(mobile.info.dimension, 192);
      assert.equal(mobile.info.alignment, 'arcface-5');
      const result = await mobile.process([await fetchImage(smoke[0]!)]);
      const face = (result.outcomes[0] as ImageResult).faces[0]!;
      assert.equal(face.modelId, 'mobilefacenet');
      assert.equal(face.embedding.length, 192);
    } finally {
      await mobile.dispose();
    }
  });

  it('rebuilds a model-loading failure in the worker as a ModelLoadError on this side', async () => {
    await assert.rejects(
      WorkerEngineClient.start(`${origin}/worker.js`, { modelsBaseUrl: `${origin}/no-such-models/`, ortWasmBaseUrl: `${origin}/ort/`, backend: 'wasm' }),
      (error: unknown) => {
        assert.ok(error instanceof ModelLoadError, `a ModelLoadError, got ${String(error)}`);
        assert.equal(error.code, 'model-load');
        assert.match(error.message, /no-such-models\/index\.json/);
        return true;
      },
    );
  });

  it('fails with a clear error, instead of waiting forever, when the worker script does not load', async () => {
    await assert.rejects(
      WorkerEngineClient.start(`${origin}/no-such-worker.js`, { modelsBaseUrl: `${origin}/build/models/`, ortWasmBaseUrl: `${origin}/ort/` }),
      (error: unknown) => error instanceof UnsupportedEnvironmentError && /no-such-worker\.js/.test(error.message),
    );
  });
});

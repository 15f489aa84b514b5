/**
 * src/runtime/ort.ts: backend choice (with injected environments), session errors, and agreement of
 * onnxruntime-node with onnxruntime-web's wasm backend on every converted model, fed real photos.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chooseBackend, createSession } from '../../src/runtime/ort.ts';
import { InferenceError, InvalidInputError, isAbortError, ModelLoadError, UnsupportedEnvironmentError } from '../../src/errors.ts';
import type { LoadedModel } from '../../src/models/load.ts';
import { loadBuiltinModels } from '../../src/models/load.ts';
import { inputSide } from '../../src/models/manifest.ts';
import { batchTensor } from '../../src/vision/resize.ts';
import { datasetOrSkip, projectRoot } from '../helpers/datasets.ts';
import { type NamedImage, loadTestImages } from './face-api-reference.ts';

const modelsDir = join(projectRoot, 'build', 'models');
const gpuWith = (adapter: unknown) => ({ requestAdapter: async () => adapter });

describe('chooseBackend', () => {
  it("'auto' in Node picks onnxruntime-node; 'webgpu' is refused there", async () => {
    assert.deepEqual(await chooseBackend('auto', { node: true }), { backend: 'node' });
    await assert.rejects(chooseBackend('webgpu', { node: true }), UnsupportedEnvironmentError);
  });

  it("'auto' in a browser uses WebGPU only with a hardware adapter", async () => {
    assert.equal((await chooseBackend('auto', { node: false, gpu: gpuWith({ info: { isFallbackAdapter: false } }) })).backend, 'webgpu');
    assert.equal((await chooseBackend('auto', { node: false, gpu: gpuWith({ info: { isFallbackAdapter: true } }) })).backend, 'wasm');
    // Older Chromium put the flag on the adapter itself.
    assert.equal((await chooseBackend('auto', { node: false, gpu: gpuWith({ isFallbackAdapter: true }) })).backend, 'wasm');
    assert.equal((await chooseBackend('auto', { node: false, gpu: gpuWith(null) })).backend, 'wasm');
    assert.equal((await chooseBackend('auto', { node: false })).backend, 'wasm');
    const failing = { requestAdapter: async () => { throw new Error('GPU process crashed'); } };
    assert.match((await chooseBackend('auto', { node: false, gpu: failing })).reason ?? '', /requestAdapter failed .*GPU process crashed/);
    await assert.rejects(chooseBackend('webgpu', { node: false, gpu: failing }), /requestAdapter failed/);
  });

  it('explicit requests are honoured or refused with the reason', async () => {
    assert.equal((await chooseBackend('webgpu', { node: false, gpu: gpuWith({ info: { isFallbackAdapter: true } }) })).backend, 'webgpu');
    await assert.rejects(chooseBackend('webgpu', { node: false, gpu: gpuWith(null) }), /no WebGPU adapter/);
    await assert.rejects(chooseBackend('node', { node: false }), UnsupportedEnvironmentError);
    assert.equal((await chooseBackend('wasm', { node: true })).backend, 'wasm');
    await assert.rejects(chooseBackend('cuda' as 'wasm', { node: true }), InvalidInputError);
  });
});

describe('createSession', () => {
  const bytes = () => new Uint8Array(readFileSync(join(modelsDir, 'face-landmark-68-tiny.onnx')));
  const input = { data: new Float32Array(3 * 112 * 112), dims: [1, 3, 112, 112] };

  it('runs a model on wasm and reports the backend and threads it got', async () => {
    const session = await createSession(bytes(), { backend: 'wasm', threads: 1 });
    try {
      assert.equal(session.backend, 'wasm');
      assert.ok(session.threads >= 1);
      assert.deepEqual(session.inputs, [{ name: 'input', type: 'float32', shape: ['batch', 3, 112, 112] }]);
      const out = await session.run({ input });
      assert.deepEqual(out.landmarks!.dims, [1, 136]);
      assert.ok(out.landmarks!.data.every(Number.isFinite));
    } finally {
      await session.dispose();
    }
  });

  it('fails with typed errors: bad bytes, bad threads, wrong input shape, aborted, disposed', async () => {
    await assert.rejects(createSession(new Uint8Array([1, 2, 3]), { backend: 'wasm' }), ModelLoadError);
    await assert.rejects(createSession(join(modelsDir, 'no-such-model.onnx'), { backend: 'wasm' }), /could not read .*no-such-model\.onnx/);
    await assert.rejects(createSession(bytes(), { backend: 'wasm', threads: 0 }), InvalidInputError);
    const session = await createSession(bytes(), { backend: 'wasm' });
    await assert.rejects(session.run({ input: { data: new Float32Array(3 * 64 * 64), dims: [1, 3, 64, 64] } }), InferenceError);
    await assert.rejects(session.run({ input }, AbortSignal.abort()), (e: unknown) => isAbortError(e));
    await session.dispose();
    await assert.rejects(session.run({ input }), /disposed/);
  });
});

describe("'auto' in Node", () => {
  it('uses onnxruntime-node when it loads', async (t) => {
    const session = await createSession(join(modelsDir, 'face-landmark-68-tiny.onnx'));
    try {
      if (session.backend !== 'node') {
        if (process.env.CI === 'true') throw new Error(`CI=true and onnxruntime-node did not load: ${session.fallbackReason}`);
        t.skip(`onnxruntime-node unavailable: ${session.fallbackReason}`);
        return;
      }
      assert.equal(session.fallbackReason, undefined);
    } finally {
      await session.dispose();
    }
  });

  it('falls back to onnxruntime-web (wasm) when onnxruntime-node cannot load, and says why', () => {
    // A child process whose module resolver refuses onnxruntime-node, as on a machine where it is not installed.
    const dir = mkdtempSync(join(tmpdir(), 'fap-ort-fallback-'));
    try {
      const hook = join(dir, 'hook.mjs');
      writeFileSync(hook, `export async function resolve(specifier, context, next) {
  if (specifier === 'onnxruntime-node') throw new Error('onnxruntime-node is blocked by the test');
  return next(specifier, context);
}\n`);
      writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`);
      const script = join(dir, 'main.mts');
      writeFileSync(script, `import { createSession } from ${JSON.stringify(join(projectRoot, 'src/runtime/ort.ts'))};
const s = await createSession(${JSON.stringify(join(modelsDir, 'face-landmark-68-tiny.onnx'))}, { threads: 1 });
const out = await s.run({ input: { data: new Float32Array(3 * 112 * 112), dims: [1, 3, 112, 112] } });
console.log(JSON.stringify({ backend: s.backend, reason: s.fallbackReason, n: out.landmarks.data.length }));
await s.dispose();\n`);
      const r = spawnSync(process.execPath, ['--import', join(dir, 'register.mjs'), '--import', 'tsx', script], { cwd: projectRoot, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const result = JSON.parse(r.stdout.trim().split('\n').pop()!) as { backend: string; reason: string; n: number };
      assert.equal(result.backend, 'wasm');
      assert.match(result.reason, /onnxruntime-node unavailable: .*blocked by the test/);
      assert.equal(result.n, 136);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('onnxruntime-node agrees with onnxruntime-web (wasm) on every model', () => {
  let images: NamedImage[] = [];
  let node: Map<string, LoadedModel> | undefined;
  let web: Map<string, LoadedModel> | undefined;
  let unavailable: string | undefined;

  before(async () => {
    const smoke = datasetOrSkip({ skip: () => {} }, 'smoke');
    // Four photos: two group photos and (when the data set is present) an LFW image and a UTKFace chip.
    images = (await loadTestImages(smoke)).filter((im) => /sample[15]|_0013|female_white/.test(im.name));
    web = await loadBuiltinModels(modelsDir, undefined, { backend: 'wasm', threads: 1 });
    try {
      node = await loadBuiltinModels(modelsDir, undefined, { backend: 'node', threads: 1 });
    } catch (error) {
      if (!(error instanceof UnsupportedEnvironmentError)) throw error;
      unavailable = error.message;
    }
  });

  after(async () => {
    for (const m of [...(node?.values() ?? []), ...(web?.values() ?? [])]) await m.session.dispose();
  });

  it('raw outputs differ by at most 1e-4 × max(1, |value|)', async (t) => {
    if (unavailable) {
      if (process.env.CI === 'true') throw new Error(`CI=true and ${unavailable}`);
      t.skip(unavailable);
      return;
    }
    assert.ok(node && web && images.length >= 2);
    for (const [name, n] of node) {
      const w: LoadedModel = web.get(name)!;
      assert.equal(n.session.backend, 'node');
      assert.equal(w.session.backend, 'wasm');
      let worst = 0;
      for (const image of images) {
        const feed = { [n.manifest.input.name]: batchTensor(n.manifest.input, [image], inputSide(n.manifest) ?? 416) };
        const [a, b] = [await n.session.run(feed), await w.session.run(feed)];
        assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
        for (const key of Object.keys(a)) {
          const x = a[key]!.data;
          const y = b[key]!.data;
          assert.equal(x.length, y.length);
          for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / Math.max(1, Math.abs(x[i]!)));
        }
      }
      t.diagnostic(`${name}: max |node − wasm| / max(1, |value|) = ${worst.toExponential(2)}`);
      assert.ok(worst <= 1e-4, `${name}: onnxruntime-node and -web differ by ${worst}`);
    }
  });
});

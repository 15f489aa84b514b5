/**
 * predictAttributesBatch (both attribute heads on one input tensor) against the two heads run one after the other
 * (each building its own tensor), on real faces: the same numbers exactly.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadBuiltinModels } from '../../src/models/load.ts';
import { predictAgeGenderBatch, predictAttributesBatch, predictExpressionsBatch } from '../../src/vision/attributes.ts';
import { decodeImageNode } from '../../src/vision/decode-node.ts';
import { cropImage } from '../../src/vision/resize.ts';
import { datasetOrSkip, projectRoot } from '../helpers/datasets.ts';

describe('predictAttributesBatch', () => {
  it('gives what the age-gender and expression heads give run apart, building their input once', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    const models = await loadBuiltinModels(join(projectRoot, 'build', 'models'), ['age-gender', 'face-expression']);
    try {
      const ageGender = models.get('age-gender')!;
      const expression = models.get('face-expression')!;
      const names = readdirSync(join(smoke, 'images')).sort().slice(0, 5);
      const crops = [];
      for (const name of names) {
        const { image } = await decodeImageNode(new Uint8Array(readFileSync(join(smoke, 'images', name))), name);
        // The middle of the photo (the face, in these aligned and cropped sets), and an off-centre, non-square box.
        crops.push(cropImage(image, { x: image.width / 4, y: image.height / 4, width: image.width / 2, height: image.height / 2 }).image);
        crops.push(cropImage(image, { x: 3, y: 10, width: image.width / 3, height: image.height / 2 }).image);
      }
      const together = await predictAttributesBatch(ageGender, expression, crops);
      assert.deepEqual(together.ageGender, await predictAgeGenderBatch(ageGender, crops));
      assert.deepEqual(together.expressions, await predictExpressionsBatch(expression, crops));
      assert.equal(together.ageGender.length, crops.length);
      await assert.rejects(predictAttributesBatch(expression, ageGender, crops), /age-gender|predictAgeGender/);
    } finally {
      for (const m of models.values()) await m.session.dispose();
    }
  });
});

// Coarse first: small photos are searched at the coarse input first, the fine detector only where that finds
// nothing; larger photos as before. Fakes count the runs; the real models show the same faces on real crops.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadFaceModels } from '../../src/embedding/models.ts';
import { COARSE_MAX_SIDE, coarseFirstDetector } from '../../src/vision/coarse-first.ts';
import { decodeImageNode } from '../../src/vision/decode-node.ts';
import { type Detection, type Detector, findFaces } from '../../src/vision/find-faces.ts';
import type { RgbImage } from '../../src/vision/image.ts';
import { datasetOrSkip, projectRoot } from '../helpers/datasets.ts';

const grey = (side: number): RgbImage => ({ width: side, height: side, data: new Uint8Array(side * side * 3).fill(90) });
const face = (score: number): Detection => ({ box: { x: 10, y: 10, width: 50, height: 50 }, score });

/** A fake detector that finds `found(threshold)` and counts its calls. */
function fake(found: (minConfidence: number) => Detection[], inputSide?: number) {
  const calls: number[] = [];
  const detect: Detector = async (_image, { minConfidence }) => {
    calls.push(minConfidence);
    return found(minConfidence);
  };
  if (inputSide !== undefined) detect.inputSide = () => inputSide;
  return { detect, calls };
}

describe('coarseFirstDetector', () => {
  it('takes the coarse detector\'s faces on a small photo without asking the fine one', async () => {
    const coarse = fake(() => [face(0.9)]);
    const fine = fake(() => [face(0.8), face(0.7)]);
    const detect = coarseFirstDetector(coarse.detect, fine.detect, (w, h) => Math.max(w, h) <= COARSE_MAX_SIDE);
    assert.deepEqual((await detect(grey(200), { minConfidence: 0.5 })).map((d) => d.score), [0.9]);
    assert.deepEqual([coarse.calls, fine.calls], [[0.5], []]);
  });

  it('asks the fine detector where the coarse one finds nothing at that threshold', async () => {
    const coarse = fake((t) => (t < 0.4 ? [face(0.35)] : []));
    const fine = fake((t) => (t < 0.2 ? [face(0.18)] : []));
    const detect = coarseFirstDetector(coarse.detect, fine.detect, () => true);
    assert.deepEqual(await detect(grey(200), { minConfidence: 0.5 }), []);
    assert.deepEqual((await detect(grey(200), { minConfidence: 0.3 })).map((d) => d.score), [0.35]);
    assert.deepEqual([coarse.calls, fine.calls], [[0.5, 0.3], [0.5]]);
  });

  it('sends larger photos to the fine detector alone, and builds the padded canvas at its side', async () => {
    const coarse = fake(() => [face(0.9)]);
    const fine = fake(() => [face(0.6)], 416);
    const detect = coarseFirstDetector(coarse.detect, fine.detect, (w, h) => Math.max(w, h) <= COARSE_MAX_SIDE);
    assert.deepEqual((await detect(grey(COARSE_MAX_SIDE + 1), { minConfidence: 0.5 })).map((d) => d.score), [0.6]);
    assert.deepEqual(coarse.calls, []);
    assert.equal(detect.inputSide?.(400, 300), 416);
  });

  it('with the real models finds the face of nearly every small crop of the smoke set at the first try', async (t) => {
    const dir = datasetOrSkip(t, 'smoke');
    if (!dir) return;
    const images = join(dir, 'images');
    const models = await loadFaceModels({ base: join(projectRoot, 'build', 'models'), backend: 'node' });
    try {
      const how: string[] = [];
      for (const name of readdirSync(images).filter((f) => /^utk_.*\.jpg$/.test(f))) {
        const { image } = await decodeImageNode(readFileSync(join(images, name)), name);
        assert.ok(Math.max(image.width, image.height) <= COARSE_MAX_SIDE, `${name} is a small crop`);
        const found = await findFaces(image, models.detect);
        assert.equal(found.length, 1, name);
        how.push(found[0]!.foundBy);
      }
      // The 224 px input alone found 3 of these 10 at the first try; the others needed the padded canvas or a lower threshold.
      assert.equal(how.length, 10);
      assert.ok(how.filter((h) => h === 'detected').length >= 8, how.join(', '));
    } finally {
      await models.dispose();
    }
  });
});

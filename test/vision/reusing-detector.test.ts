// One network run per image however many thresholds findFaces tries: with fakes (runs counted), and with the real
// detectors (decoding one output at each threshold gives what a fresh run at that threshold gives).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FaceModelSet } from '../../src/embedding/engine.ts';
import { loadFaceModels } from '../../src/embedding/models.ts';
import { decodeImageNode } from '../../src/vision/decode-node.ts';
import { padImage, type Detection } from '../../src/vision/find-faces.ts';
import type { RgbImage } from '../../src/vision/image.ts';
import { reusingDetector } from '../../src/vision/reusing-detector.ts';
import { datasetOrSkip, projectRoot } from '../helpers/datasets.ts';

const grey = (side: number): RgbImage => ({ width: side, height: side, data: new Uint8Array(side * side * 3).fill(90) });

/** A fake network: its "output" is every candidate score; decoding keeps those above the threshold. */
function fakeNetwork(fail = 0) {
  let runs = 0;
  let failures = fail;
  const run = async (image: RgbImage): Promise<number[]> => {
    runs++;
    if (failures > 0) {
      failures--;
      throw new Error('runtime failed');
    }
    return [0.9, 0.4, 0.2].map((s) => s * (image.width / 100));
  };
  const decode = (scores: number[], minConfidence: number): Detection[] =>
    scores.filter((s) => s > minConfidence).map((score) => ({ box: { x: 0, y: 0, width: 10, height: 10 }, score }));
  return { run, decode, runs: () => runs };
}

describe('reusingDetector', () => {
  it('runs the network once for an image asked at three thresholds, and decodes each', async () => {
    const net = fakeNetwork();
    const detect = reusingDetector(net.run, net.decode);
    const image = grey(100);
    const found = [];
    for (const minConfidence of [0.5, 0.3, 0.15]) found.push((await detect(image, { minConfidence })).map((d) => d.score));
    assert.deepEqual(found, [[0.9], [0.9, 0.4], [0.9, 0.4, 0.2]]);
    assert.equal(net.runs(), 1);
  });

  it('runs again for another image, even one with the same pixels', async () => {
    const net = fakeNetwork();
    const detect = reusingDetector(net.run, net.decode);
    await detect(grey(100), { minConfidence: 0.5 });
    await detect(grey(100), { minConfidence: 0.5 });
    assert.equal(net.runs(), 2);
  });

  it('does not keep a failed run: the next call runs again', async () => {
    const net = fakeNetwork(1);
    const detect = reusingDetector(net.run, net.decode);
    const image = grey(100);
    await assert.rejects(detect(image, { minConfidence: 0.5 }), /runtime failed/);
    assert.equal((await detect(image, { minConfidence: 0.5 })).length, 1);
    assert.equal(net.runs(), 2);
  });
});

describe('the engine detectors, one run decoded at each threshold', () => {
  let models: FaceModelSet;
  before(async () => {
    models = await loadFaceModels({ base: join(projectRoot, 'build', 'models'), detector: 'auto' });
  });
  after(async () => {
    await models?.dispose();
  });

  // The UTKFace chip is small (tiny detector); its padded canvas of 400 px too; a 600 px canvas goes to SSD.
  for (const [label, pad] of [['tiny detector', 0.5], ['SSD', 1]] as const) {
    it(`finds what a fresh run finds at 0.5, 0.3 and 0.15 (${label})`, async (t) => {
      const smoke = datasetOrSkip(t, 'smoke');
      if (!smoke) return;
      const decoded = await decodeImageNode(readFileSync(join(smoke, 'images', 'utk_male_white_35.jpg')));
      const image = padImage(decoded.image, pad).image;
      const copy = (): RgbImage => ({ ...image, data: image.data.slice() });
      for (const minConfidence of [0.5, 0.3, 0.15]) {
        const reused = await models.detect(image, { minConfidence });
        const fresh = await models.detect(copy(), { minConfidence });
        assert.deepEqual(reused, fresh, `at ${minConfidence}`);
        t.diagnostic(`${label} at ${minConfidence}: ${reused.length} faces`);
      }
    });
  }
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Detection, type Detector, findFaces, largestFace, padImage } from '../../src/vision/find-faces.ts';
import { NoFaceError } from '../../src/errors.ts';
import type { RgbImage } from '../../src/vision/image.ts';

const image: RgbImage = { width: 200, height: 100, data: new Uint8Array(200 * 100 * 3).fill(60) };

/** A fake detector that answers from a table keyed by (padded?, threshold) and records its calls. */
function fakeDetector(answer: (padded: boolean, threshold: number) => Detection[]) {
  const calls: { padded: boolean; threshold: number }[] = [];
  const detect: Detector = async (img, { minConfidence }) => {
    const padded = img.width !== image.width;
    calls.push({ padded, threshold: minConfidence });
    return answer(padded, minConfidence);
  };
  return { detect, calls };
}

const face = (x: number, y: number, score = 0.9): Detection => ({ box: { x, y, width: 40, height: 40 }, score });

describe('findFaces', () => {
  it('returns every direct detection, tagged detected, with one detector call', async () => {
    const { detect, calls } = fakeDetector(() => [face(10, 10), face(100, 20)]);
    const faces = await findFaces(image, detect);
    assert.equal(faces.length, 2);
    assert.ok(faces.every((f) => f.foundBy === 'detected'));
    assert.equal(calls.length, 1);
  });

  it('retries on a padded canvas and maps boxes back into the image', async () => {
    // The padded canvas adds 0.5 × 200 = 100 px on each side.
    const { detect } = fakeDetector((padded) => (padded ? [face(150, 130), face(10, 10)] : []));
    const faces = await findFaces(image, detect);
    assert.equal(faces.length, 1, 'the box centred in the padding is dropped');
    assert.deepEqual(faces[0], { box: { x: 50, y: 30, width: 40, height: 40 }, score: 0.9, foundBy: 'padded' });
  });

  it('builds the padded copy at the detector\'s input side for the photo and maps boxes back', async () => {
    // 200 × 100 padded by 100 px a side would be 400 × 300; a detector taking 100 px gets it at 1/4: the photo
    // shrunk to 50 × 25 at offset 25 on a 100 × 75 canvas.
    const seen: [number, number][] = [];
    const detect: Detector = Object.assign(
      async (img: RgbImage) => {
        seen.push([img.width, img.height]);
        return img.width === image.width ? [] : [{ box: { x: 30, y: 27, width: 20, height: 20 }, score: 0.9 }, { box: { x: 0, y: 0, width: 10, height: 10 }, score: 0.8 }];
      },
      { inputSide: () => 100 },
    );
    const faces = await findFaces(image, detect);
    assert.deepEqual(seen, [[200, 100], [100, 75]]);
    assert.equal(faces.length, 1, 'the box centred in the padding is dropped');
    assert.deepEqual(faces[0], { box: { x: 20, y: 8, width: 80, height: 80 }, score: 0.9, foundBy: 'padded' });
  });

  it('lowers the threshold in steps before giving up', async () => {
    const { detect, calls } = fakeDetector((_padded, t) => (t <= 0.15 ? [face(5, 5, 0.2)] : []));
    const faces = await findFaces(image, detect);
    assert.equal(faces[0]?.foundBy, 'lower-threshold');
    assert.deepEqual(calls.map((c) => c.threshold), [0.5, 0.5, 0.3, 0.3, 0.15]);
  });

  it('by default finds no face where the detector finds none, and says so', async () => {
    const { detect, calls } = fakeDetector(() => []);
    await assert.rejects(findFaces(image, detect), (error: unknown) => {
      assert.ok(error instanceof NoFaceError);
      assert.equal(error.code, 'no-face');
      assert.match(error.message, /^no face found/);
      return true;
    });
    assert.equal(calls.length, 6, 'every fallback was tried first: 3 thresholds, with and without padding');
  });

  it('takes the whole image as the face as the last resort only when asked (reproduce on pre-cropped sets)', async () => {
    const { detect } = fakeDetector(() => []);
    const faces = await findFaces(image, detect, { wholeImageFallback: true });
    assert.deepEqual(faces, [{ box: { x: 0, y: 0, width: 200, height: 100 }, score: 0, foundBy: 'whole-image' }]);
  });

  it('throws NoFaceError when the whole-image fallback is off', async () => {
    const { detect } = fakeDetector(() => []);
    await assert.rejects(findFaces(image, detect, { wholeImageFallback: false }), NoFaceError);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const { detect } = fakeDetector(() => {
      controller.abort();
      return [];
    });
    await assert.rejects(findFaces(image, detect, { signal: controller.signal }), { name: 'AbortError' });
  });
});

describe('padImage and largestFace', () => {
  it('centres the image on a mean-coloured canvas', () => {
    const data = new Uint8Array(4 * 2 * 3);
    data.fill(200, 0, 12);
    const { image: padded, offset } = padImage({ width: 4, height: 2, data }, 0.5);
    assert.deepEqual([padded.width, padded.height, offset.x, offset.y], [8, 6, 2, 2]);
    assert.equal(padded.data[0], 100, 'the fill is the mean colour');
    assert.equal(padded.data[(2 * 8 + 2) * 3], 200, 'the image starts at the offset');
  });

  it('makes a canvas that would pass maxSide at that side, the image shrunk by area averaging', () => {
    const data = new Uint8Array(4 * 2 * 3);
    data.fill(200, 0, 12);
    data.fill(0, 12);
    // 4 × 2 padded by 2 a side is 8 × 6; at most 4: half size, the image 2 × 1 at offset 1.
    const { image: padded, offset, scale } = padImage({ width: 4, height: 2, data }, 0.5, 4);
    assert.deepEqual([padded.width, padded.height, offset.x, offset.y, scale.x, scale.y], [4, 3, 1, 1, 0.5, 0.5]);
    assert.deepEqual([...padded.data.subarray((1 * 4 + 1) * 3, (1 * 4 + 3) * 3)], [100, 100, 100, 100, 100, 100], 'each pixel the mean of the 2 × 2 it covers');
    assert.equal(padImage({ width: 4, height: 2, data }, 0.5, 8).image.width, 8, 'a canvas within maxSide is made at full size');
  });

  it('picks the largest box', () => {
    const small = { box: { x: 0, y: 0, width: 10, height: 10 } };
    const big = { box: { x: 0, y: 0, width: 30, height: 5 } };
    assert.equal(largestFace([small, big]), big);
    assert.equal(largestFace([]), undefined);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from '../../src/errors.ts';
import { downscaleImage } from '../../src/vision/downscale.ts';
import type { RgbImage } from '../../src/vision/image.ts';

/** A one-channel-looking image: every pixel (v, v, v) with v from `values`, row-major. */
const grey = (width: number, height: number, values: number[]): RgbImage => ({
  width,
  height,
  data: Uint8Array.from(values.flatMap((v) => [v, v, v])),
});
const firstChannel = (image: RgbImage): number[] => Array.from({ length: image.width * image.height }, (_, i) => image.data[i * 3]!);

describe('downscaleImage', () => {
  it('averages the pixels each output pixel covers (a whole factor)', () => {
    const out = downscaleImage(grey(4, 2, [0, 100, 200, 40, 100, 0, 40, 200]), 2, 1);
    assert.deepEqual(firstChannel(out), [50, 120]);
  });

  it('weights partly covered pixels by the part covered (3 → 2: each output covers 1.5 pixels)', () => {
    const out = downscaleImage(grey(3, 1, [0, 90, 180]), 2, 1);
    // (0 × 1 + 90 × 0.5) / 1.5 = 30; (90 × 0.5 + 180 × 1) / 1.5 = 150.
    assert.deepEqual(firstChannel(out), [30, 150]);
  });

  it('keeps a uniform image uniform and keeps the channels apart', () => {
    const image: RgbImage = { width: 7, height: 5, data: new Uint8Array(7 * 5 * 3).map((_, i) => [10, 120, 250][i % 3]!) };
    const out = downscaleImage(image, 3, 2);
    assert.deepEqual([...out.data], Array.from({ length: 3 * 2 * 3 }, (_, i) => [10, 120, 250][i % 3]!));
  });

  it('returns the image itself at its own size and refuses growing or empty sizes', () => {
    const image = grey(2, 2, [1, 2, 3, 4]);
    assert.equal(downscaleImage(image, 2, 2), image);
    assert.throws(() => downscaleImage(image, 3, 2), InvalidInputError);
    assert.throws(() => downscaleImage(image, 0, 1), InvalidInputError);
    assert.throws(() => downscaleImage(image, 1.5, 1), InvalidInputError);
  });
});

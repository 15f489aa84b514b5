/**
 * src/vision/resize.ts against face-api's own preprocessing (padToSquare + tf.image.resizeBilinear on the tfjs
 * wasm backend), bit for bit, on seeded random images of awkward sizes; plus cropping and face-api's NMS rules.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../src/errors.ts';
import { nmsSsd, nmsTiny, reshapedDimensions } from '../../src/vision/detection.ts';
import type { RgbImage } from '../../src/vision/image.ts';
import { batchTensor, clipBox, cropImage, squarePadding, toSquareTensor } from '../../src/vision/resize.ts';
import { loadFaceApi } from './face-api-reference.ts';

function randomImage(width: number, height: number, seed: number): RgbImage {
  let s = seed >>> 0;
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s >>> 24;
  }
  return { width, height, data };
}

interface TfLike {
  tidy<T>(fn: () => T): T;
  tensor3d(v: Uint8Array, s: number[], d: string): TensorLike;
  tensor1d(v: number[]): TensorLike;
  image: { resizeBilinear(x: TensorLike, size: [number, number], alignCorners: boolean, halfPixelCenters: boolean): TensorLike };
}
interface TensorLike {
  shape: number[];
  expandDims(axis: number): TensorLike;
  toFloat(): TensorLike;
  sub(x: TensorLike): TensorLike;
  div(x: number): TensorLike;
  transpose(perm: number[]): TensorLike;
  dataSync(): Float32Array;
}

/** face-api's NetInput.toBatchTensor for one tensor input, then its normalize(x, mean).div(divisor), as NCHW. */
async function faceApiTensor(image: RgbImage, size: number, center: boolean, mean: number[], divisor: number): Promise<Float32Array> {
  const api = (await loadFaceApi()) as unknown as { tf: TfLike; padToSquare(x: TensorLike, center: boolean): TensorLike };
  const { tf } = api;
  return tf.tidy(() => {
    let x = api.padToSquare(tf.tensor3d(image.data as Uint8Array, [image.height, image.width, 3], 'int32').expandDims(0).toFloat(), center);
    if (x.shape[1] !== size || x.shape[2] !== size) x = tf.image.resizeBilinear(x, [size, size], false, false);
    return x.sub(tf.tensor1d(mean)).div(divisor).transpose([0, 3, 1, 2]).dataSync();
  });
}

const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('toSquareTensor', () => {
  const mean: [number, number, number] = [122.782, 117.001, 104.298];
  const cases: Array<[number, number, number]> = [
    [1, 1, 150], [3, 5, 112], [5, 3, 112], [7, 4, 416], [150, 150, 150], [20, 30, 112], [300, 200, 150], [513, 100, 512], [250, 250, 224],
    // Upscaled and padded on both axes' far sides, and a square needing no resampling but padding.
    [100, 80, 150], [80, 100, 150], [112, 90, 112], [90, 112, 112],
  ];

  it("equals face-api's padToSquare + resizeBilinear + normalise bit for bit", async () => {
    for (const [i, [w, h, size]] of cases.entries()) {
      for (const center of [true, false]) {
        const image = randomImage(w, h, i + 1);
        for (const divisor of [255, 256]) {
          const ours = toSquareTensor(image, { size, center, normalization: { mean, divisor }, layout: 'NCHW' });
          const ref = await faceApiTensor(image, size, center, mean, divisor);
          assert.ok(bits(ours).equals(bits(ref)), `${w}×${h} → ${size} (center ${center}, divisor ${divisor}) differs`);
        }
      }
    }
  });

  it('writes NHWC and BGR as permutations of NCHW RGB, resampled or not', () => {
    for (const image of [randomImage(9, 6, 7), randomImage(8, 5, 8)]) {
      const normalization = { mean: [10, 20, 30] as [number, number, number], divisor: 2 };
      const nchw = toSquareTensor(image, { size: 8, center: true, normalization, layout: 'NCHW' });
      const nhwc = toSquareTensor(image, { size: 8, center: true, normalization, layout: 'NHWC' });
      const bgrNormalization = { mean: [30, 20, 10] as [number, number, number], divisor: 2 };
      const bgr = toSquareTensor(image, { size: 8, center: true, normalization: bgrNormalization, layout: 'NCHW', channelOrder: 'BGR' });
      for (let c = 0; c < 3; c++) {
        for (let p = 0; p < 64; p++) {
          assert.equal(nhwc[p * 3 + c], nchw[c * 64 + p]);
          assert.equal(bgr[(2 - c) * 64 + p], nchw[c * 64 + p]);
        }
      }
    }
  });

  it('pads as face-api: centred puts round(diff / 2) after and the rest before', () => {
    assert.deepEqual(squarePadding(10, 5, true), { side: 10, left: 0, top: 2 });
    assert.deepEqual(squarePadding(5, 10, true), { side: 10, left: 2, top: 0 });
    assert.deepEqual(squarePadding(5, 10, false), { side: 10, left: 0, top: 0 });
    assert.deepEqual(squarePadding(4, 4, true), { side: 4, left: 0, top: 0 });
    assert.deepEqual(reshapedDimensions(1920, 1280, 512), { width: 512, height: 341 });
  });

  it('batches images and rejects bad input', () => {
    const input = { layout: 'NCHW' as const, channelOrder: 'RGB' as const, normalization: { mean: [0, 0, 0] as [number, number, number], divisor: 1 }, resize: 'pad-center' as const };
    const a = randomImage(4, 4, 1);
    const b = randomImage(3, 5, 2);
    const batch = batchTensor(input, [a, b], 4);
    assert.deepEqual(batch.dims, [2, 3, 4, 4]);
    assert.deepEqual(Array.from(batch.data.subarray(48)), Array.from(toSquareTensor(b, { size: 4, center: true, normalization: input.normalization, layout: 'NCHW' })));
    assert.throws(() => batchTensor(input, [], 4), InvalidInputError);
    assert.throws(() => toSquareTensor({ width: 2, height: 2, data: new Uint8Array(11) }, { size: 4, center: true, normalization: input.normalization, layout: 'NCHW' }), InvalidInputError);
    assert.throws(() => toSquareTensor(a, { size: 0, center: true, normalization: input.normalization, layout: 'NCHW' }), InvalidInputError);
  });
});

describe('cropImage', () => {
  it("clips and floors boxes like face-api's clipAtImageBorders, and copies the pixels", () => {
    const image = randomImage(10, 8, 3);
    assert.deepEqual(clipBox({ x: -2.5, y: 1.7, width: 6, height: 20 }, 10, 8), { x: 0, y: 1, width: 3, height: 6 });
    const { image: crop, box } = cropImage(image, { x: 2.9, y: 3.2, width: 4.5, height: 3.9 });
    // face-api floors the corner and the size separately: 2.9 → 2 and 4.5 → 4 (not the 5 covering both edges).
    assert.deepEqual(box, { x: 2, y: 3, width: 4, height: 3 });
    assert.equal(crop.width, 4);
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 4; x++) {
        for (let c = 0; c < 3; c++) assert.equal(crop.data[(y * 4 + x) * 3 + c], image.data[((y + 3) * 10 + x + 2) * 3 + c]);
      }
    }
    assert.throws(() => cropImage(image, { x: 20, y: 0, width: 5, height: 5 }), /has no pixels inside the 10×8 image/);
  });
});

describe("face-api's non-maximum suppression", () => {
  it('SSD variant: threshold, IoU > 0.5 suppresses, best first, capped at maxOutputSize', () => {
    // Boxes as (ymin, xmin, ymax, xmax).
    const boxes = Float32Array.from([0, 0, 1, 1, 0, 0.1, 1, 1.1, 0, 0.6, 1, 1.6, 2, 2, 3, 3, 5, 5, 6, 6]);
    const scores = Float32Array.from([0.9, 0.95, 0.8, 0.4, 0.2]);
    // Box 0 overlaps box 1 with IoU 0.82 → suppressed; box 2 overlaps box 1 by 0.33 → kept; box 4 is below 0.3.
    assert.deepEqual(nmsSsd(boxes, scores, 100, 0.5, 0.3), [1, 2, 3]);
    assert.deepEqual(nmsSsd(boxes, scores, 2, 0.5, 0.3), [1, 2]);
    assert.deepEqual(nmsSsd(boxes, scores, 100, 0.5, 0.85), [1]);
  });

  it('tiny variant: highest score first, equal scores resolved to the later index, IoU > threshold dropped', () => {
    const box = (x: number, w = 1) => ({ x, y: 0, width: w, height: 1 });
    assert.deepEqual(nmsTiny([box(0), box(0.1), box(3)], [0.6, 0.7, 0.5], 0.4), [1, 2]);
    assert.deepEqual(nmsTiny([box(0), box(5)], [0.5, 0.5], 0.4), [1, 0]);
    assert.deepEqual(nmsTiny([box(0), box(0.5)], [0.9, 0.8], 0.4), [0, 1]);
  });
});

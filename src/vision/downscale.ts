/**
 * Shrinking an image by area averaging: each output pixel is the mean of the source pixels it covers (partly
 * covered pixels count by the part covered), so nothing is skipped and no aliasing is added, unlike sampling.
 */
import { InvalidInputError } from '../errors.ts';
import { assertRgbImage, type RgbImage } from './image.ts';

/** For one axis: each output cell's first source index and the weights of the source cells it covers. */
function coverage(from: number, to: number): { first: Int32Array; weights: Float32Array[] } {
  const step = from / to;
  const first = new Int32Array(to);
  const weights: Float32Array[] = [];
  for (let o = 0; o < to; o++) {
    const start = o * step;
    const end = Math.min(from, (o + 1) * step);
    const i0 = Math.floor(start);
    const i1 = Math.min(from, Math.ceil(end));
    const w = new Float32Array(i1 - i0);
    for (let i = i0; i < i1; i++) w[i - i0] = (Math.min(end, i + 1) - Math.max(start, i)) / step;
    first[o] = i0;
    weights.push(w);
  }
  return { first, weights };
}

/**
 * `image` shrunk to `width` × `height` (each no larger than the image's) by area averaging.
 * @throws InvalidInputError for a malformed image or a target size that is not a positive integer no larger
 *   than the image.
 */
export function downscaleImage(image: RgbImage, width: number, height: number): RgbImage {
  assertRgbImage(image);
  for (const [name, value, limit] of [['width', width, image.width], ['height', height, image.height]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > limit) {
      throw new InvalidInputError(`downscale ${name} must be an integer from 1 to ${limit}; got ${value}`);
    }
  }
  if (width === image.width && height === image.height) return image;
  const cols = coverage(image.width, width);
  const rows = coverage(image.height, height);
  const src = image.data;
  // Columns first, into a float buffer of image.height × width, then rows.
  const wide = new Float32Array(image.height * width * 3);
  for (let y = 0; y < image.height; y++) {
    const row = y * image.width;
    for (let o = 0; o < width; o++) {
      const w = cols.weights[o]!;
      const i0 = cols.first[o]!;
      let r = 0, g = 0, b = 0;
      for (let k = 0; k < w.length; k++) {
        const at = (row + i0 + k) * 3;
        r += src[at]! * w[k]!;
        g += src[at + 1]! * w[k]!;
        b += src[at + 2]! * w[k]!;
      }
      const to = (y * width + o) * 3;
      wide[to] = r;
      wide[to + 1] = g;
      wide[to + 2] = b;
    }
  }
  const data = new Uint8Array(width * height * 3);
  for (let o = 0; o < height; o++) {
    const w = rows.weights[o]!;
    const i0 = rows.first[o]!;
    for (let x = 0; x < width * 3; x++) {
      let sum = 0;
      for (let k = 0; k < w.length; k++) sum += wide[(i0 + k) * width * 3 + x]! * w[k]!;
      data[o * width * 3 + x] = Math.min(255, Math.max(0, Math.round(sum)));
    }
  }
  return { width, height, data };
}

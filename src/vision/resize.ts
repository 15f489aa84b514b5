/**
 * Image preprocessing shared by the model runners: crop, pad to a square, bilinear resize and normalise into
 * a float tensor, reproducing face-api's `NetInput.toBatchTensor` (padToSquare with zeros, then
 * tf.image.resizeBilinear with alignCorners = false and halfPixelCenters = false).
 *
 * The bilinear arithmetic is done in float32 in the order XNNPACK's TensorFlow-legacy kernel uses (the kernel
 * behind tfjs-backend-wasm): source = float(dst) × float(in / out), floor, clamp the far neighbour, lerp rows
 * then columns.
 */
import { InvalidInputError } from '../errors.ts';
import { assertRgbImage, type Box, type RgbImage } from './image.ts';

/** How pixel values become model inputs: value = (pixel − mean[channel]) / divisor, channels in RGB order. */
export interface Normalization {
  /** Per-channel means in 0..255 units, RGB order. */
  mean: readonly [number, number, number];
  /** Divisor applied after subtracting the mean. */
  divisor: number;
}

/** Memory layout of an image tensor. */
export type TensorLayout = 'NCHW' | 'NHWC';

/** Options for {@link toSquareTensor}. */
export interface SquareTensorOptions {
  /** Side of the square output in pixels. */
  size: number;
  /** Pad both sides of the shorter axis (face-api's `isCenterImage`) instead of only the bottom/right. */
  center: boolean;
  normalization: Normalization;
  layout: TensorLayout;
  /** Channel order of the tensor (default RGB); `normalization.mean` is given in this order. */
  channelOrder?: 'RGB' | 'BGR';
}

/** Where an image sits inside its zero-padded square. */
export interface SquarePadding {
  /** Side of the padded square (the longer image side). */
  side: number;
  /** Zero columns added on the left. */
  left: number;
  /** Zero rows added on top. */
  top: number;
}

/**
 * The padding face-api's padToSquare adds: all of it after the image, or (centred) round(diff / 2) after and the
 * rest before.
 */
export function squarePadding(width: number, height: number, center: boolean): SquarePadding {
  const side = Math.max(width, height);
  const diff = side - Math.min(width, height);
  const before = center ? diff - Math.round(diff * 0.5) : 0;
  return { side, left: height > width ? before : 0, top: width > height ? before : 0 };
}

const f = Math.fround;

/**
 * Pads `image` to a square, resizes it to `options.size` and normalises it, writing one image of a batch.
 * @param out destination (a new array when omitted); `offset` is where this image's 3 × size × size floats start.
 * @returns `out`.
 * @throws InvalidInputError for a malformed image, a non-positive size, or an `out` that is too short.
 */
export function toSquareTensor(image: RgbImage, options: SquareTensorOptions, out?: Float32Array, offset = 0): Float32Array {
  assertRgbImage(image);
  const { size, center, normalization, layout } = options;
  const bgr = options.channelOrder === 'BGR';
  if (!Number.isInteger(size) || size < 1) throw new InvalidInputError(`size must be a positive integer; got ${size}`);
  const plane = size * size;
  const target = out ?? new Float32Array(3 * plane);
  if (target.length < offset + 3 * plane) {
    throw new InvalidInputError(`output tensor holds ${target.length} floats; ${offset + 3 * plane} needed`);
  }
  const { width, height, data } = image;
  const pad = squarePadding(width, height, center);
  const divisor = f(normalization.divisor);
  // Where each channel goes: NCHW planes or NHWC interleaved; `c` is the RGB source channel, `t` its tensor slot.
  const nchw = layout === 'NCHW';
  const slot = (c: number): number => (bgr ? 2 - c : c);
  const channelBase = [0, 1, 2].map((c) => offset + (nchw ? slot(c) * plane : slot(c)));
  const pixelStep = nchw ? 1 : 3;
  const means = [0, 1, 2].map((c) => f(normalization.mean[slot(c)]!));
  // Source pixel index (times 3) of each output column and row, or -1 where it falls in the zero padding
  // (padToSquare's zero fill). Written per channel with the arithmetic inlined: this runs for every pixel of every
  // network input, so closures per pixel cost more than the networks' own small layers (measured in bench:component).
  if (pad.side === size) {
    // No resampling: value = (pixel − mean) / divisor, the same for every pixel of a channel value (a table).
    const table = new Float32Array(3 * 256);
    for (let c = 0; c < 3; c++) for (let v = 0; v < 256; v++) table[c * 256 + v] = f(f(v - means[c]!) / divisor);
    for (let c = 0; c < 3; c++) {
      const base = channelBase[c]!;
      const lut = c * 256;
      const zero = table[lut]!;
      for (let y = 0; y < size; y++) {
        const iy = y - pad.top;
        const rowOut = base + y * size * pixelStep;
        if (iy < 0 || iy >= height) {
          for (let x = 0; x < size; x++) target[rowOut + x * pixelStep] = zero;
          continue;
        }
        const rowIn = iy * width;
        for (let x = 0; x < size; x++) {
          const ix = x - pad.left;
          target[rowOut + x * pixelStep] = ix < 0 || ix >= width ? zero : table[lut + data[(rowIn + ix) * 3 + c]!]!;
        }
      }
    }
    return target;
  }
  const xs = axisSamples(pad.side, size);
  const ys = axisSamples(pad.side, size);
  const column = (i: number): number => (i < 0 || i >= width ? -1 : i * 3);
  const row = (i: number): number => (i < 0 || i >= height ? -1 : i * width * 3);
  const x0s = Int32Array.from(xs.lo, (x) => column(x - pad.left));
  const x1s = Int32Array.from(xs.hi, (x) => column(x - pad.left));
  for (let y = 0; y < size; y++) {
    const r0 = row(ys.lo[y]! - pad.top);
    const r1 = row(ys.hi[y]! - pad.top);
    const ay = ys.alpha[y]!;
    for (let c = 0; c < 3; c++) {
      const mean = means[c]!;
      const rowOut = channelBase[c]! + y * size * pixelStep;
      for (let x = 0; x < size; x++) {
        const c0 = x0s[x]!;
        const c1 = x1s[x]!;
        const ax = xs.alpha[x]!;
        const tl = r0 < 0 || c0 < 0 ? 0 : data[r0 + c0 + c]!;
        const tr = r0 < 0 || c1 < 0 ? 0 : data[r0 + c1 + c]!;
        const bl = r1 < 0 || c0 < 0 ? 0 : data[r1 + c0 + c]!;
        const br = r1 < 0 || c1 < 0 ? 0 : data[r1 + c1 + c]!;
        const top = f(tl + f(f(tr - tl) * ax));
        const bottom = f(bl + f(f(br - bl) * ax));
        const v = f(top + f(f(bottom - top) * ay));
        target[rowOut + x * pixelStep] = f(f(v - mean) / divisor);
      }
    }
  }
  return target;
}

/** Source indices and weights along one axis for resizing `inSize` → `outSize` (TF legacy, no align corners). */
function axisSamples(inSize: number, outSize: number): { lo: Int32Array; hi: Int32Array; alpha: Float32Array } {
  const scale = f(inSize / outSize);
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const alpha = new Float32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const src = f(i * scale);
    const floor = Math.floor(src);
    lo[i] = floor;
    hi[i] = Math.min(floor + 1, inSize - 1);
    alpha[i] = f(src - floor);
  }
  return { lo, hi, alpha };
}

/**
 * Builds a batch tensor [N, 3, S, S] (or [N, S, S, 3]) for a model from its manifest's input spec.
 * @param size the square side S (the manifest's, or the caller's for models with a symbolic size).
 * @throws InvalidInputError when `images` is empty or an image is malformed.
 */
export function batchTensor(
  input: { layout: TensorLayout; channelOrder: 'RGB' | 'BGR'; normalization: Normalization; resize: 'pad-center' | 'pad-end' },
  images: readonly RgbImage[],
  size: number,
): { data: Float32Array; dims: number[] } {
  if (images.length === 0) throw new InvalidInputError('at least one image is needed');
  const per = 3 * size * size;
  const data = new Float32Array(images.length * per);
  const options: SquareTensorOptions = {
    size, center: input.resize === 'pad-center', normalization: input.normalization, layout: input.layout, channelOrder: input.channelOrder,
  };
  images.forEach((image, i) => toSquareTensor(image, options, data, i * per));
  return { data, dims: input.layout === 'NCHW' ? [images.length, 3, size, size] : [images.length, size, size, 3] };
}

/**
 * Copies the pixels of `box` (clipped to the image and floored to whole pixels, as face-api's
 * `Box.clipAtImageBorders`) into a new image.
 * @returns the crop and the integer box it came from.
 * @throws InvalidInputError when the clipped box is empty.
 */
export function cropImage(image: RgbImage, box: Box): { image: RgbImage; box: Box } {
  assertRgbImage(image);
  const clipped = clipBox(box, image.width, image.height);
  if (clipped.width < 1 || clipped.height < 1) {
    throw new InvalidInputError(
      `box {x: ${box.x}, y: ${box.y}, width: ${box.width}, height: ${box.height}} has no pixels inside the ${image.width}×${image.height} image`);
  }
  const { x, y, width, height } = clipped;
  const data = new Uint8Array(width * height * 3);
  for (let row = 0; row < height; row++) {
    const from = ((y + row) * image.width + x) * 3;
    data.set(image.data.subarray(from, from + width * 3), row * width * 3);
  }
  return { image: { width, height, data }, box: clipped };
}

/** face-api's `Box.clipAtImageBorders`: clip the top-left at 0, the extent at the image, then floor. */
export function clipBox(box: Box, imageWidth: number, imageHeight: number): Box {
  const x = Math.max(box.x, 0);
  const y = Math.max(box.y, 0);
  const width = Math.min(box.x + box.width - x, imageWidth - x);
  const height = Math.min(box.y + box.height - y, imageHeight - y);
  return { x: Math.floor(x), y: Math.floor(y), width: Math.floor(width), height: Math.floor(height) };
}

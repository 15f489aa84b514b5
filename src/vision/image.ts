/**
 * The engine's in-memory image: packed 8-bit RGB, row-major, 3 bytes per pixel, no padding.
 * Every decoder produces it and every vision stage consumes it, in the browser and in Node alike.
 */
import { InvalidInputError } from '../errors.ts';

/** Packed RGB pixels: `data.length === width * height * 3`; pixel (x, y) starts at `(y * width + x) * 3`. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
}

/** An axis-aligned box in pixels of the image it was found in; (x, y) is the top-left corner. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A 2-D point in pixels. */
export interface Point {
  x: number;
  y: number;
}

/**
 * Checks an RgbImage's shape.
 * @throws InvalidInputError when width/height are not positive integers or `data` has the wrong length.
 */
export function assertRgbImage(image: RgbImage, what = 'image'): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InvalidInputError(`${what} must have positive integer width and height; got ${width}×${height}`);
  }
  if (data.length !== width * height * 3) {
    throw new InvalidInputError(
      `${what} data must hold width × height × 3 = ${width * height * 3} bytes (packed RGB); got ${data.length}`,
    );
  }
}

/** Converts RGBA pixels (e.g. canvas ImageData) to packed RGB, dropping alpha. */
export function rgbaToRgb(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): RgbImage {
  if (rgba.length !== width * height * 4) {
    throw new InvalidInputError(`RGBA data must hold width × height × 4 = ${width * height * 4} bytes; got ${rgba.length}`);
  }
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    data[j] = rgba[i]!;
    data[j + 1] = rgba[i + 1]!;
    data[j + 2] = rgba[i + 2]!;
  }
  return { width, height, data };
}

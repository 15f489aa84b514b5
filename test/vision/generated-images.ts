/**
 * Photos generated at test time with sharp (nothing is stored in the repository): faceless images (seeded noise,
 * a smooth gradient, a blocky "landscape"), and a real face pasted small into a large generated background.
 */
import sharp from 'sharp';
import { createRng } from '../../src/analysis/rng.ts';

/** Packed RGB pixels of seeded uniform noise. */
export function noisePixels(width: number, height: number, seed = 1): Uint8Array {
  const rng = createRng(seed);
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = rng.int(256);
  return data;
}

/** Packed RGB pixels of a diagonal colour gradient. */
export function gradientPixels(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = Math.round((255 * x) / Math.max(1, width - 1));
      data[i + 1] = Math.round((255 * y) / Math.max(1, height - 1));
      data[i + 2] = Math.round(255 - (127 * (x + y)) / Math.max(1, width + height - 2));
    }
  }
  return data;
}

/** Packed RGB pixels of a faceless scene: sky, hills and a field with mild seeded texture. */
export function landscapePixels(width: number, height: number, seed = 2): Uint8Array {
  const rng = createRng(seed);
  const data = new Uint8Array(width * height * 3);
  const horizon = (x: number) => height * (0.45 + 0.08 * Math.sin((x / width) * Math.PI * 3));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const jitter = rng.int(17) - 8;
      const colour = y < horizon(x) ? [110 + (y * 80) / height, 160 + (y * 60) / height, 230] : y < height * 0.7 ? [70, 120, 60] : [150, 140, 70];
      for (let c = 0; c < 3; c++) data[i + c] = Math.max(0, Math.min(255, Math.round(colour[c]! + jitter)));
    }
  }
  return data;
}

/** Encodes packed RGB pixels as a JPEG (quality 90). */
export async function jpegOf(data: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  return new Uint8Array(await sharp(data, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
}

/**
 * A large generated landscape with a real face pasted into it: the photo at `facePath` resized to `side` px
 * (square) and placed with its top-left corner at (`left`, `top`). Encoded as JPEG.
 */
export async function pastedFace(
  facePath: string,
  options: { width: number; height: number; side: number; left: number; top: number },
): Promise<Uint8Array> {
  const { width, height, side, left, top } = options;
  const face = await sharp(facePath).resize(side, side).toBuffer();
  return new Uint8Array(
    await sharp(landscapePixels(width, height), { raw: { width, height, channels: 3 } })
      .composite([{ input: face, left, top }])
      .jpeg({ quality: 90 })
      .toBuffer(),
  );
}

/**
 * Platform services for the engine in a browser or worker: the platform's decoders and a JPEG thumbnail
 * encoder on OffscreenCanvas.
 */
import { UnsupportedEnvironmentError } from '../errors.ts';
import type { Thumbnail } from './types.ts';
import { decodeImageBrowser } from '../vision/decode-browser.ts';
import type { RgbImage } from '../vision/image.ts';
import type { EnginePlatform } from './engine.ts';

/** Encodes an RGB chip as a JPEG (quality 0.85) with OffscreenCanvas. */
export async function encodeThumbnailBrowser(chip: RgbImage): Promise<Thumbnail> {
  if (typeof OffscreenCanvas !== 'function') throw new UnsupportedEnvironmentError('thumbnails need OffscreenCanvas');
  const canvas = new OffscreenCanvas(chip.width, chip.height);
  const context = canvas.getContext('2d');
  if (!context) throw new UnsupportedEnvironmentError('OffscreenCanvas 2D context is unavailable');
  const rgba = new Uint8ClampedArray(chip.width * chip.height * 4);
  for (let i = 0, j = 0; j < chip.data.length; i += 4, j += 3) {
    rgba[i] = chip.data[j]!;
    rgba[i + 1] = chip.data[j + 1]!;
    rgba[i + 2] = chip.data[j + 2]!;
    rgba[i + 3] = 255;
  }
  context.putImageData(new ImageData(rgba, chip.width, chip.height), 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
  return { type: 'image/jpeg', bytes: new Uint8Array(await blob.arrayBuffer()), width: chip.width, height: chip.height };
}

/** The engine's platform in a browser or worker. */
export const browserPlatform: EnginePlatform = {
  decode: decodeImageBrowser,
  encodeThumbnail: encodeThumbnailBrowser,
  now: () => performance.now(),
};

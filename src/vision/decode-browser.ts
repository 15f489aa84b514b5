/**
 * Decoding in the browser (main thread or worker) with the platform: createImageBitmap (EXIF orientation
 * from the image) and an OffscreenCanvas, flattened onto white, downscaled to {@link MAX_DECODED_SIDE}; of a GIF,
 * the first frame (what createImageBitmap gives).
 */
import { type DecodedImage, DecodeFailure, checkDimensions, decodeError, decodedSize, sniffFormat } from './decode.ts';
import { rgbaToRgb } from './image.ts';
import { FaceProbeError, UnsupportedEnvironmentError } from '../errors.ts';

const mime = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif' } as const;

/**
 * Decodes image bytes to packed RGB with the browser's decoders.
 * @throws DecodeError (see decode.ts's DecodeFailure) or UnsupportedEnvironmentError without OffscreenCanvas.
 */
export async function decodeImageBrowser(bytes: Uint8Array, name?: string): Promise<DecodedImage> {
  const format = sniffFormat(bytes, name);
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') {
    throw new UnsupportedEnvironmentError('decoding needs createImageBitmap and OffscreenCanvas, which this browser lacks');
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime[format] }), {
      imageOrientation: 'from-image',
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'default',
    });
  } catch (error: unknown) {
    throw decodeError(DecodeFailure.Corrupt, `the ${format} file could not be decoded (it may be truncated or damaged)`, name, error);
  }
  try {
    checkDimensions(bitmap.width, bitmap.height, name);
    const target = decodedSize(bitmap.width, bitmap.height);
    const canvas = new OffscreenCanvas(target.width, target.height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new UnsupportedEnvironmentError('OffscreenCanvas 2D context is unavailable');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, target.width, target.height);
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, target.width, target.height);
    const pixels = context.getImageData(0, 0, target.width, target.height).data;
    return {
      image: rgbaToRgb(pixels, target.width, target.height),
      format,
      sourceWidth: bitmap.width,
      sourceHeight: bitmap.height,
      scale: target.width / bitmap.width,
    };
  } catch (error: unknown) {
    if (error instanceof FaceProbeError) throw error;
    throw decodeError(DecodeFailure.Corrupt, `the ${format} file could not be read back (${String(error)})`, name, error);
  } finally {
    bitmap.close();
  }
}

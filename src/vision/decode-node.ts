/**
 * Decoding in Node with sharp (libvips): JPEG (incl. CMYK), PNG (16-bit, palette, alpha), WebP and GIF (its first
 * frame: sharp reads one page unless asked for more), EXIF orientation applied, transparency flattened onto white,
 * downscaled to {@link MAX_DECODED_SIDE}.
 */
import sharp from 'sharp';
import {
  type DecodedImage,
  DecodeFailure,
  MAX_INPUT_PIXELS,
  checkDimensions,
  decodeError,
  decodedSize,
  sniffFormat,
} from './decode.ts';
import { FaceProbeError } from '../errors.ts';

/**
 * Decodes image bytes to packed RGB.
 * @param name the file name, used in error messages.
 * @throws DecodeError with `details.reason` (empty, not-an-image, unsupported-format, truncated, corrupt,
 *   too-large, zero-size).
 */
export async function decodeImageNode(bytes: Uint8Array, name?: string): Promise<DecodedImage> {
  const format = sniffFormat(bytes, name);
  try {
    const input = sharp(bytes, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS, sequentialRead: true });
    const meta = await input.metadata();
    // EXIF orientations 5–8 swap width and height.
    const swap = (meta.orientation ?? 1) >= 5;
    const sourceWidth = (swap ? meta.height : meta.width) ?? 0;
    const sourceHeight = (swap ? meta.width : meta.height) ?? 0;
    checkDimensions(sourceWidth, sourceHeight, name);
    const target = decodedSize(sourceWidth, sourceHeight);
    let pipeline = input.rotate().flatten({ background: '#ffffff' }).toColourspace('srgb');
    if (target.scale !== 1) pipeline = pipeline.resize(target.width, target.height, { fit: 'fill', kernel: 'lanczos3' });
    const { data, info } = await pipeline.removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw decodeError(DecodeFailure.Corrupt, `decoded to ${info.channels} channels, expected 3`, name);
    return {
      image: { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) },
      format,
      sourceWidth,
      sourceHeight,
      scale: info.width / sourceWidth,
    };
  } catch (error: unknown) {
    if (error instanceof FaceProbeError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (/premature end|truncated|unexpected end/i.test(message)) {
      throw decodeError(DecodeFailure.Truncated, `the ${format} file is truncated (${message.trim()})`, name, error);
    }
    if (/pixel limit/i.test(message)) {
      throw decodeError(DecodeFailure.TooLarge, `the image exceeds ${MAX_INPUT_PIXELS / 1e6} megapixels`, name, error);
    }
    throw decodeError(DecodeFailure.Corrupt, `the ${format} file could not be decoded (${message.trim()})`, name, error);
  }
}

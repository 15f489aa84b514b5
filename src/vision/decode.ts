/**
 * What every decoder shares: format sniffing from magic bytes, size limits, and typed failures.
 * Platform decoders (decode-node.ts with sharp, decode-browser.ts with createImageBitmap) build on it.
 */
import { DecodeError } from '../errors.ts';
import type { RgbImage } from './image.ts';

/** Image formats the pipeline accepts (of a GIF, its first frame). */
export const SUPPORTED_FORMATS = ['jpeg', 'png', 'webp', 'gif'] as const;
/** One of {@link SUPPORTED_FORMATS}. */
export type ImageFormat = (typeof SUPPORTED_FORMATS)[number];

/** Images above this many source pixels are refused (a decompression bomb guard): 100 megapixels. */
export const MAX_INPUT_PIXELS = 100_000_000;
/**
 * Decoded images are downscaled so the longer side is at most this many pixels. Detection runs at
 * ≤ 512 px anyway and the recognition chip is 150 px, so nothing the pipeline needs is lost.
 */
export const MAX_DECODED_SIDE = 2048;

/** Why a decode failed, in `DecodeError.details.reason`. */
export const DecodeFailure = {
  Empty: 'empty',
  NotAnImage: 'not-an-image',
  Unsupported: 'unsupported-format',
  Truncated: 'truncated',
  Corrupt: 'corrupt',
  TooLarge: 'too-large',
  ZeroSize: 'zero-size',
  /** The file could not be read at all (moved, deleted, permissions). */
  Unreadable: 'unreadable',
} as const;
/** One of {@link DecodeFailure}'s values. */
export type DecodeFailure = (typeof DecodeFailure)[keyof typeof DecodeFailure];

/** A decoded image plus what the decoder learnt about the file. */
export interface DecodedImage {
  image: RgbImage;
  format: ImageFormat;
  /** Size of the source before any downscaling, after EXIF orientation. */
  sourceWidth: number;
  sourceHeight: number;
  /** `image.width / sourceWidth` (1 unless the image was downscaled). */
  scale: number;
}

/** A DecodeError with `details.reason` set, naming the file when one is given. */
export function decodeError(reason: DecodeFailure, message: string, name?: string, cause?: unknown): DecodeError {
  return new DecodeError(name ? `${name}: ${message}` : message, { details: { reason }, cause });
}

/** True when the bytes read as UTF-8 text without control characters (a note or a web page, not pixels). */
function looksLikeText(bytes: Uint8Array): boolean {
  // Drop up to 3 trailing bytes so a multi-byte character cut by the window does not fail the strict decode.
  const window = bytes.subarray(0, Math.max(1, Math.min(bytes.length, 512) - (bytes.length > 512 ? 3 : 0)));
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(window);
    return !/[\x00-\x08\x0e-\x1f\x7f]/.test(text);
  } catch {
    // Not valid UTF-8: binary data of some other kind.
    return false;
  }
}

/** ISO-BMFF brands of HEIC (HEVC-coded HEIF: what iPhones save), and of AVIF. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

/**
 * The message for a HEIC photo. Decoding HEIC needs an HEVC decoder: sharp's prebuilt libvips has none, and
 * libheif-js (LGPL-3.0, HEVC via libde265) would add 1.42 MB of wasm (469 kB gzipped) plus 91 kB of script to
 * the worker; a clear way to convert the photo costs nothing.
 */
export const HEIC_MESSAGE = 'HEIC photos (iPhone) cannot be read here yet: export them as JPEG (in Photos: Share → Options → '
  + 'Most Compatible; or set Settings → Camera → Formats → Most Compatible before taking them) and add them again';

/** The brands of an ISO-BMFF 'ftyp' box at the start of the bytes (major brand first), or [] for none. */
function ftypBrands(bytes: Uint8Array): string[] {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length < 12 || ascii(4, 8) !== 'ftyp') return [];
  const size = Math.min(bytes.length, 256, ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0);
  const brands = [ascii(8, 12)];
  for (let at = 16; at + 4 <= size; at += 4) brands.push(ascii(at, at + 4));
  return brands;
}

/**
 * Identifies the format from the first bytes.
 * @throws DecodeError `empty` for no bytes, `not-an-image` for text, `unsupported-format` for other images (for
 *   HEIC, {@link HEIC_MESSAGE}: how to convert it).
 */
export function sniffFormat(bytes: Uint8Array, name?: string): ImageFormat {
  if (bytes.length === 0) throw decodeError(DecodeFailure.Empty, 'the file is empty (0 bytes)', name);
  const b = (i: number) => bytes[i] ?? -1;
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'jpeg';
  if (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return 'png';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(0, 4) === 'GIF8') return 'gif';
  const brands = ftypBrands(bytes);
  const avif = brands.some((b) => AVIF_BRANDS.has(b));
  if (!avif && brands.some((b) => HEIC_BRANDS.has(b))) throw decodeError(DecodeFailure.Unsupported, HEIC_MESSAGE, name);
  const other = ascii(0, 2) === 'BM' ? 'BMP'
    : avif ? 'AVIF'
    : ascii(4, 8) === 'ftyp' ? 'HEIF/AVIF'
    : ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*' ? 'TIFF'
    : undefined;
  const accepted = `accepted: ${SUPPORTED_FORMATS.join(', ')}`;
  if (other) throw decodeError(DecodeFailure.Unsupported, `${other} images are not supported (${accepted})`, name);
  if (looksLikeText(bytes)) {
    throw decodeError(DecodeFailure.NotAnImage, `the file is text, not an image (${accepted})`, name);
  }
  throw decodeError(DecodeFailure.NotAnImage, `the file is not a recognised image (${accepted})`, name);
}

/** Target size for a decoded image: the source size scaled so the longer side is ≤ {@link MAX_DECODED_SIDE}. */
export function decodedSize(width: number, height: number, maxSide = MAX_DECODED_SIDE): { width: number; height: number; scale: number } {
  const longer = Math.max(width, height);
  if (longer <= maxSide) return { width, height, scale: 1 };
  const scale = maxSide / longer;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), scale };
}

/** Checks source dimensions against the limits. @throws DecodeError `zero-size` or `too-large`. */
export function checkDimensions(width: number, height: number, name?: string): void {
  if (!(width > 0 && height > 0)) throw decodeError(DecodeFailure.ZeroSize, `the image has zero size (${width}×${height})`, name);
  if (width * height > MAX_INPUT_PIXELS) {
    throw decodeError(
      DecodeFailure.TooLarge,
      `the image is ${width}×${height} = ${(width * height / 1e6).toFixed(0)} megapixels; the limit is ${MAX_INPUT_PIXELS / 1e6}`,
      name,
    );
  }
}

/**
 * A photo that is already small enough to be its own preview: its bytes are kept as they are instead of being
 * decoded and encoded again. Re-encoding such a photo gains nothing (it is no smaller than PREVIEW_MAX_SIDE, it
 * is already a JPEG or PNG) and costs the most of anything done with a small photo after its faces are found:
 * measured in headless Chromium on 200 utkface-balanced photos (200 × 200 JPEGs, 9.6 KB on average), decoding took
 * 1.5 ms a photo and decoding plus a WebP encode 6.1 to 7.5 ms; bench:component went from 66.4 to 54.4 ms a
 * photo with no previews at all.
 *
 * Only files whose bytes say nothing a re-encode would have dropped are kept as they are, read from their headers:
 * - no metadata: a JPEG with EXIF or XMP (APP1), Photoshop/IPTC (APP13), a comment or any other application
 *   segment than JFIF (APP0), an ICC colour profile (APP2) or Adobe's colour transform (APP14); a PNG with any
 *   chunk outside the image and colour chunks (text, time, EXIF…). EXIF can hold where a photo was taken, and a
 *   preview is kept in the store and in its exports: a re-encoded preview never carries it.
 * - no EXIF orientation to apply (it lives in APP1, so this follows from the first rule);
 * - no transparency: a re-encoded preview is flattened onto white, as the engine saw the photo; a PNG with an
 *   alpha channel or a tRNS chunk is re-encoded;
 * - one image: an animated PNG (acTL) is re-encoded (the engine reads its first frame);
 * - at most `maxSide` px on the longer side and `maxBytes` long.
 */
import type { Thumbnail } from '../embedding/types.ts';

/** The longest a photo may be, in bytes, and still be kept as its own preview. */
export const PREVIEW_AS_IS_MAX_BYTES = 256 * 1024;

/** What a photo's header says: its type and size, when it may be kept as its own preview. */
interface Keepable {
  type: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
}

/**
 * The photo as its own preview (the same bytes), or undefined when it must be decoded and encoded (see the module
 * comment for when).
 */
export function previewAsIs(bytes: Uint8Array, maxSide: number, maxBytes = PREVIEW_AS_IS_MAX_BYTES): Thumbnail | undefined {
  if (bytes.length > maxBytes) return undefined;
  const found = readJpeg(bytes) ?? readPng(bytes);
  if (!found || found.width < 1 || found.height < 1 || Math.max(found.width, found.height) > maxSide) return undefined;
  return { type: found.type, bytes, width: found.width, height: found.height };
}

/** Segments a kept JPEG may hold before its scan: JFIF, ICC profile, Adobe, tables, restart interval, frame. */
const JPEG_KEPT = new Set([0xe0, 0xe2, 0xee, 0xdb, 0xc4, 0xcc, 0xdd]);
/** Start-of-frame markers (C0–CF less DHT C4, JPG C8 and DAC CC). */
const isFrame = (m: number): boolean => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** A JPEG's size when it has no metadata and one or three colour components; undefined otherwise. */
function readJpeg(b: Uint8Array): Keepable | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let frame: Keepable | undefined;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined;
    let m = b[i + 1]!;
    // Fill bytes: any number of 0xFF before a marker.
    while (m === 0xff && i + 2 < b.length) m = b[++i + 1]!;
    if (m === 0xda) return frame;
    const length = (b[i + 2]! << 8) | b[i + 3]!;
    if (length < 2 || i + 2 + length > b.length) return undefined;
    if (isFrame(m)) {
      if (frame || length < 8) return undefined;
      const height = (b[i + 5]! << 8) | b[i + 6]!;
      const width = (b[i + 7]! << 8) | b[i + 8]!;
      const components = b[i + 9]!;
      if (components !== 1 && components !== 3) return undefined;
      frame = { type: 'image/jpeg', width, height };
    } else if (!JPEG_KEPT.has(m)) {
      return undefined;
    }
    i += 2 + length;
  }
  return undefined;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Chunks a kept PNG may hold: the image, its palette and its colour description. */
const PNG_KEPT = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'pHYs', 'bKGD']);

/** A PNG's size when it has no metadata, no transparency and one frame; undefined otherwise. */
function readPng(b: Uint8Array): Keepable | undefined {
  if (b.length < 33 || PNG_SIGNATURE.some((v, k) => b[k] !== v)) return undefined;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const type = (at: number): string => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
  if (type(12) !== 'IHDR') return undefined;
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const colourType = b[25]!;
  // 4: grey with alpha, 6: RGB with alpha.
  if (colourType === 4 || colourType === 6) return undefined;
  let i = 8;
  while (i + 12 <= b.length) {
    const length = view.getUint32(i);
    const name = type(i + 4);
    if (!PNG_KEPT.has(name)) return undefined;
    if (name === 'IEND') return { type: 'image/png', width, height };
    i += 12 + length;
  }
  return undefined;
}

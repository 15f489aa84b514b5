/**
 * A photo's preview: a small copy of it (longer side at most {@link PREVIEW_MAX_SIDE} px, WebP where the browser
 * encodes WebP, else JPEG), made with the browser's own decoder and an OffscreenCanvas and kept with the photo, so
 * a face can be shown in its photo with its box drawn. Node has neither, so there photos are kept without one.
 */
import { UnsupportedEnvironmentError } from '../errors.ts';
import { THUMBNAIL_TYPES, type ImageSource, type Thumbnail } from '../embedding/types.ts';
import { PREVIEW_AS_IS_MAX_BYTES, previewAsIs } from './preview-as-is.ts';

/** The longest side of a preview, in px: enough for a dialog on a large screen, a few hundred KB at most. */
export const PREVIEW_MAX_SIDE = 1024;

/** Encoder quality of a preview, in [0, 1]. */
export const PREVIEW_QUALITY = 0.8;

/** True where previews can be made (browsers and their workers: createImageBitmap and OffscreenCanvas). */
export function canMakePreviews(): boolean {
  return typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function';
}

/** The size of the preview of a `width` × `height` photo: the same when its longer side fits, else scaled down. */
export function previewSize(width: number, height: number, maxSide = PREVIEW_MAX_SIDE): { width: number; height: number } {
  const longer = Math.max(width, height);
  if (longer <= maxSide) return { width, height };
  const scale = maxSide / longer;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Makes the preview of a photo (EXIF orientation applied, as the engine reads it). A small JPEG or PNG with no
 * metadata and no transparency is its own preview: its bytes are kept as they are (see preview-as-is.ts).
 * @throws UnsupportedEnvironmentError without createImageBitmap and OffscreenCanvas (see {@link canMakePreviews});
 *   the browser's error when it cannot decode the file.
 */
export async function makePhotoPreview(source: ImageSource, maxSide = PREVIEW_MAX_SIDE): Promise<Thumbnail> {
  if (!canMakePreviews()) throw new UnsupportedEnvironmentError('making a photo preview needs createImageBitmap and OffscreenCanvas');
  const small = source instanceof Blob ? source.size <= PREVIEW_AS_IS_MAX_BYTES : source.bytes.length <= PREVIEW_AS_IS_MAX_BYTES;
  if (small) {
    // A copy: the caller's bytes may be handed on (transferred to a worker) after this.
    const bytes = source instanceof Blob ? new Uint8Array(await source.arrayBuffer()) : source.bytes.slice();
    const kept = previewAsIs(bytes, maxSide);
    if (kept) return kept;
  }
  const blob = source instanceof Blob ? source : new Blob([source.bytes as Uint8Array<ArrayBuffer>]);
  const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  try {
    const size = previewSize(bitmap.width, bitmap.height, maxSide);
    const canvas = new OffscreenCanvas(size.width, size.height);
    const context = canvas.getContext('2d');
    if (!context) throw new UnsupportedEnvironmentError('OffscreenCanvas 2D context is unavailable');
    // Transparent parts show as white, as the engine saw them.
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, size.width, size.height);
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, size.width, size.height);
    // A browser without a WebP encoder (Safari) hands back a PNG instead: JPEG is then far smaller.
    let encoded = await canvas.convertToBlob({ type: 'image/webp', quality: PREVIEW_QUALITY });
    if (encoded.type !== 'image/webp') encoded = await canvas.convertToBlob({ type: 'image/jpeg', quality: PREVIEW_QUALITY });
    const type = THUMBNAIL_TYPES.find((t) => t === encoded.type) ?? 'image/png';
    return { type, bytes: new Uint8Array(await encoded.arrayBuffer()), ...size };
  } finally {
    bitmap.close();
  }
}

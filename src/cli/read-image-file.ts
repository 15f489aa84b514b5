/**
 * Reading a photo from disk for the CLI. The file's first bytes and its size are checked before it is read
 * whole, so a gigabyte of junk named .jpg is refused at once instead of being read and hashed first.
 */
import { open } from 'node:fs/promises';
import { DecodeError } from '../errors.ts';
import { decodeError, DecodeFailure, sniffFormat } from '../vision/decode.ts';

/**
 * Files above this size are refused before they are read: 256 MiB. A photo within the decoder's 100-megapixel
 * limit is far smaller (a 100-megapixel JPEG is some tens of MiB).
 */
export const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;

/** Bytes read first to recognise the format (the decoder's own text check looks at 512). */
const SNIFF_BYTES = 512;

const mib = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MiB`;

/**
 * Reads an image file after checking its first bytes (a supported image signature) and its size.
 * @returns the whole file.
 * @throws DecodeError with `details.reason`: `unreadable` (missing, a folder, no permission), `empty`,
 *   `not-an-image` or `unsupported-format` (from the first bytes, as the decoder names them), `too-large`
 *   (above {@link MAX_IMAGE_FILE_BYTES}).
 */
export async function readImageFile(path: string): Promise<Uint8Array> {
  const unreadable = (error: unknown) =>
    new DecodeError(`${path}: cannot read the file (${(error as Error).message})`, { details: { reason: DecodeFailure.Unreadable }, cause: error });
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error: unknown) {
    throw unreadable(error);
  }
  try {
    let size: number;
    let head: Uint8Array;
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new Error('not a regular file');
      size = info.size;
      head = new Uint8Array(Math.min(size, SNIFF_BYTES));
      head = head.subarray(0, (await handle.read(head, 0, head.length, 0)).bytesRead);
    } catch (error: unknown) {
      throw unreadable(error);
    }
    sniffFormat(head, path);
    if (size > MAX_IMAGE_FILE_BYTES) {
      throw decodeError(DecodeFailure.TooLarge, `the file is ${mib(size)}; files up to ${mib(MAX_IMAGE_FILE_BYTES)} are read`, path);
    }
    const bytes = new Uint8Array(size);
    let filled = 0;
    try {
      while (filled < size) {
        const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
        // The file shrank while it was read: what is there is what the decoder gets.
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
    } catch (error: unknown) {
      throw unreadable(error);
    }
    return bytes.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

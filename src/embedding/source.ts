/**
 * Reading an image source (a dropped File or Blob with a name, or bytes already in memory) into bytes: shared by the worker client and the in-process engine, so both treat an
 * unreadable file the same way (a failure of that file, not of the batch).
 */
import { serializeError } from '../errors.ts';
import { DecodeFailure, decodeError } from '../vision/decode.ts';
import type { ImageFailure, ImageInput, ImageSource } from './types.ts';

/**
 * Reads a source's bytes. Bytes in memory are copied when `copy` is set (the worker client transfers
 * the buffer and the caller's bytes must stay usable). A file that can no longer be read (moved, deleted,
 * revoked) comes back as that file's failure.
 */
export async function readSource(source: ImageSource, copy: boolean): Promise<ImageInput | ImageFailure> {
  if (!(source instanceof Blob)) {
    return copy ? { name: source.name, bytes: source.bytes.slice(), ...(source.hash ? { hash: source.hash } : {}) } : source;
  }
  try {
    return { name: source.name, bytes: new Uint8Array(await source.arrayBuffer()) };
  } catch (error: unknown) {
    const reason = decodeError(DecodeFailure.Unreadable, `the file can no longer be read (${String((error as Error)?.message ?? error)})`, source.name, error);
    return { ok: false, name: source.name, size: source.size, error: serializeError(reason) };
  }
}

/** True for a source that could not be read. */
export const isReadFailure = (x: ImageInput | ImageFailure): x is ImageFailure => 'ok' in x;

/** Content hashing for photo keys. */
import { UnsupportedEnvironmentError } from '../errors.ts';

/**
 * SHA-256 of `bytes` as 64 lowercase hex digits: the key of a photo record, so the same file added
 * twice maps to one record. Uses crypto.subtle (browsers in secure contexts, Node ≥ 20).
 * @throws UnsupportedEnvironmentError when crypto.subtle is missing (e.g. a page served over plain http
 *   from a non-localhost address).
 */
export async function hashBytes(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (!subtle) {
    throw new UnsupportedEnvironmentError(
      'crypto.subtle is unavailable (the page is not a secure context: serve it over https or from localhost), ' +
        'so photos cannot be hashed',
    );
  }
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes as BufferSource));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** True for a string that looks like {@link hashBytes}' output. */
export function isContentHash(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}

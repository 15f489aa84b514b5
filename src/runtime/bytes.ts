/**
 * Byte arrays: the one place that joins them.
 */

/**
 * Joins byte arrays into one, in order. A single part is returned as it is, not copied (callers that join
 * shards of a large file skip a copy), so the result may share memory with `parts[0]`.
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

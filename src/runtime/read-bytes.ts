/**
 * Reads a file's bytes from a URL (fetch) or, in Node, from a path or file: URL, without naming Node modules
 * in a way bundlers would follow.
 */
import { ModelLoadError } from '../errors.ts';

/** Imports a module by a computed name: bundlers leave it alone, so Node-only modules stay out of web bundles. */
export const importAtRuntime = (specifier: string): Promise<unknown> => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);

/** True in Node (not in a browser or worker, even one with a `process` polyfill). */
export function isNode(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } }; window?: unknown; WorkerGlobalScope?: unknown };
  return typeof g.process?.versions?.node === 'string' && g.window === undefined && g.WorkerGlobalScope === undefined;
}

/**
 * The bytes of `source`: returned as is for bytes; in Node read from disk for paths and file: URLs and fetched
 * for other URLs; in browsers fetched (relative URLs resolve against the page).
 * @param onProgress called as a fetched file's bytes arrive, with the bytes received so far and the size the
 *   server gave (undefined when it gave none); bytes in memory and files on disk are not reported.
 * @throws ModelLoadError naming the location when it cannot be read.
 */
export async function readBytes(
  source: Uint8Array | ArrayBuffer | string | URL, onProgress?: (loaded: number, total: number | undefined) => void,
): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  const where = String(source);
  const isUrl = source instanceof URL || /^[a-z][a-z0-9+.-]*:/i.test(where);
  try {
    // In Node a string without a scheme is a file path; in a browser it is a URL relative to the page.
    if (isNode() && (!isUrl || where.startsWith('file:'))) {
      const fs = (await importAtRuntime('node:fs/promises')) as { readFile(p: string | URL): Promise<Uint8Array> };
      return new Uint8Array(await fs.readFile(where.startsWith('file:') ? new URL(where) : where));
    }
    const response = await fetch(where);
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    return onProgress ? await readCounting(response, onProgress) : new Uint8Array(await response.arrayBuffer());
  } catch (cause) {
    throw new ModelLoadError(`could not read ${where}: ${(cause as Error).message}`, { cause, details: { url: where } });
  }
}

/**
 * A response's body read chunk by chunk, reporting the bytes received so far.
 * @param onProgress see {@link readBytes}.
 */
export async function readCounting(response: Response, onProgress: (loaded: number, total: number | undefined) => void): Promise<Uint8Array> {
  const header = Number(response.headers.get('content-length') ?? NaN);
  // A compressed response's Content-Length counts the compressed bytes, not those the body yields.
  const total = Number.isFinite(header) && header > 0 && !response.headers.get('content-encoding') ? header : undefined;
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress(bytes.length, total);
    return bytes;
  }
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    loaded += value.length;
    onProgress(loaded, total);
  }
  if (parts.length === 1) return parts[0] as Uint8Array;
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

/**
 * Writing text to streams and files piece by piece, waiting when the destination is full (backpressure).
 */
import { once } from 'node:events';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { InvalidInputError } from '../errors.ts';

/** A destination for text. `write` resolves when more may be written. */
export interface TextSink {
  write(text: string): Promise<void>;
}

/** A sink over a Node stream (stdout, a socket): waits for 'drain' when the stream's buffer is full. */
export function streamSink(stream: Writable): TextSink {
  let failure: unknown;
  // Recorded here, thrown by the next write: an unheard 'error' event would end the process.
  stream.on('error', (error) => {
    failure ??= error;
  });
  return {
    async write(text) {
      if (failure) throw failure;
      if (!stream.write(text)) await once(stream, 'drain');
    },
  };
}

/** `"key": value` at `depth` as JSON.stringify(…, null, indent) lays it out, or undefined for an omitted value. */
function member(key: string, value: unknown, indent: number, depth: number): string | undefined {
  const json = JSON.stringify(value, null, indent);
  if (json === undefined) return undefined;
  if (!indent) return `${JSON.stringify(key)}:${json}`;
  const pad = ' '.repeat(indent * depth);
  return `${pad}${JSON.stringify(key)}: ${json.replaceAll('\n', `\n${pad}`)}`;
}

/**
 * Writes `{...head, [key]: [...items], ...tail()}` plus a newline, byte for byte as
 * `JSON.stringify(object, null, indent)` would, but one item at a time: the whole text never exists at once,
 * and each write waits until every sink can take more. `tail` is called after the last item.
 * @throws what a sink's write throws (e.g. EPIPE when stdout's reader went away), or what iterating throws.
 */
export async function writeJsonWithStreamedArray(
  sinks: readonly TextSink[],
  head: Record<string, unknown>,
  key: string,
  items: AsyncIterable<unknown>,
  tail: () => Record<string, unknown>,
  indent: 0 | 2,
): Promise<void> {
  const write = async (text: string) => {
    for (const sink of sinks) await sink.write(text);
  };
  const nl = indent ? '\n' : '';
  const members = (object: Record<string, unknown>) =>
    Object.entries(object).flatMap(([k, v]) => member(k, v, indent, 1) ?? []);
  const itemPad = ' '.repeat(indent * 2);
  let text = `{${nl}${members(head).map((m) => `${m},${nl}`).join('')}${indent ? ' '.repeat(indent) : ''}${JSON.stringify(key)}:${indent ? ' ' : ''}[`;
  let count = 0;
  for await (const item of items) {
    // Like JSON.stringify, an item with no JSON form (undefined, a function) is written as null.
    const json = JSON.stringify(item, null, indent) ?? 'null';
    text += `${count ? ',' : ''}${nl}${itemPad}${indent ? json.replaceAll('\n', `\n${itemPad}`) : json}`;
    count++;
    await write(text);
    text = '';
  }
  if (count && indent) text += `\n${' '.repeat(indent)}`;
  text += ']';
  for (const m of members(tail())) text += `,${nl}${m}`;
  await write(`${text}${nl}}\n`);
}

/** A file written through a `.partial` name beside it, so a run that fails leaves no half-written document. */
export interface PartialFileSink extends TextSink {
  /** Closes the file and renames it to its final name. */
  commit(): Promise<void>;
  /** Closes and removes the partial file, unless it was committed (safe to call after `commit`). */
  discard(): Promise<void>;
}

/**
 * Opens `${path}.partial` for writing.
 * @throws InvalidInputError naming `path` when it cannot be created (a missing folder, no permission).
 */
export async function partialFileSink(path: string): Promise<PartialFileSink> {
  const partial = `${path}.partial`;
  let handle: FileHandle;
  try {
    handle = await open(partial, 'w');
  } catch (error: unknown) {
    throw new InvalidInputError(`${path}: cannot write the output file (${(error as Error).message})`, { cause: error });
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  let committed = false;
  return {
    async write(text) {
      await handle.write(text);
    },
    async commit() {
      await close();
      await rename(partial, path);
      committed = true;
    },
    async discard() {
      if (committed) return;
      await close();
      await rm(partial, { force: true });
    },
  };
}

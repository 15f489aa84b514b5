/**
 * Embedding chunks: many vectors per IndexedDB record, because one record per vector is ~10× slower to
 * write and read. A chunk (schema v5, {@link EmbeddingChunk}) holds its face ids packed into one string
 * and its vectors' bytes (count × dimension float32, row-major) in one Blob:
 * - Chromium stores every value over 64 KiB as a blob file anyway (after trying Snappy on it, which
 *   random-looking floats never pass), so a Blob value costs no extra file; it skips the structured
 *   clone of the bytes and the compression attempt on writes, and on reads the bytes come back as one
 *   ArrayBuffer without deserialising. Atomicity is the same as for any value: the blob files are
 *   written before the transaction commits and dropped when it aborts (Chromium's backing store
 *   journals them in its commit phase one), so FaceStore.addBatch stays all or nothing.
 * - One string of ids clones ~5× faster than an array of thousands of strings (0.18 vs 0.95 ms per 1,000).
 * Measured on the shared 2-core machine (Chromium 150, load averages 5 to 13, so wall times swing 2×): Chromium's
 * CPU time to write and read 100,000 × 128-D vectors fell from ~1.0 s and ~0.55 s (v4: chunks of 1,000, a
 * Float32Array and an array of ids) to ~0.5 s and ~0.15 s (Blob chunks of 10,000–20,000); the 'relaxed' durability
 * hint changed nothing measurable, as Chromium has made it the default since version 121. `npm run bench:store --
 * --json --section io`, v4 then v5 back to back at load ~8.2: v4 wrote 112,200 and read 254,100 vectors/s
 * (20.5× and 9.5× the one-record-per-vector way in the same run), v5 212,000 and 740,900 (34.5× and 21×). The
 * stream section's k-means over 1,000,000 streamed vectors took 8.3 s instead of 21.9 s, renderer RSS peak 267 MB
 * instead of 306 MB.
 * Writes top up the model's last partial chunk (its Blob extended by composition, its bytes never read
 * back), so repeated small batches still end up in full chunks. Reads page through chunks in key order
 * ([modelId, seq]) with short read-only transactions, so a consumer may take as long as it likes
 * between chunks and memory stays at a few chunks.
 */
import { unwrap } from 'idb';
import { InvalidInputError, throwIfAborted } from '../errors.ts';
import type { FaceDb, WriteTx } from './schema.ts';
import { StorageFailure, storageError, toStorageError } from './store-errors.ts';
import type { EmbeddingChunk, ModelRecord } from './types.ts';

/**
 * Default vectors per stored chunk (5 MB of 128-D vectors). Larger Blob chunks mean fewer Blobs to fetch: in
 * bench:store, chunks of 8,192 to 20,000 read with about half the CPU time of 4,096 or fewer. 10,000 rather than
 * 8,192: a batch of 10,000 (bench:store's transactions) then fills whole chunks, where with 8,192 each one also
 * rewrote the previous batch's partial chunk; paired runs at load ~9–10 wrote 141,000–147,000 vectors/s against
 * 92,000–107,000 and read 407,000–715,000 against 317,000–393,000. Every small batch rewrites the last partial
 * chunk (2.5 MB on average at this size, about what a drop of 24 photos' previews takes), so the size stops here.
 */
export const DEFAULT_CHUNK_SIZE = 10_000;

/**
 * Vectors fetched per read transaction while streaming (16 MiB of 128-D vectors: 3 chunks of 10,000, whose Blobs
 * are read at once, with the next page fetched while the consumer works). Pages are counted in chunks, sized from
 * the chunks just read, so memory stays at two pages whatever chunk size a store was written with (up to 100,000
 * vectors a chunk).
 */
const READ_PAGE_ROWS = 32_768;

/** At most this many chunks per read transaction (so many small chunks still make one page). */
const READ_PAGE_MAX_CHUNKS = 8;

/**
 * Chunks per read transaction when the stored chunks hold up to `chunkRows` vectors each: about
 * 32,768 vectors' worth, at least 1 and at most 8 chunks.
 */
export function readPageChunks(chunkRows: number): number {
  return Math.min(READ_PAGE_MAX_CHUNKS, Math.max(1, Math.round(READ_PAGE_ROWS / Math.max(1, chunkRows))));
}

/** The face ids of a stored chunk, row by row. */
export function chunkFaceIds(chunk: Pick<EmbeddingChunk, 'faceIdText' | 'faceIdEnds'>): string[] {
  const { faceIdText: text, faceIdEnds: ends } = chunk;
  const ids = new Array<string>(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i] as number;
    ids[i] = text.slice(start, end);
    start = end;
  }
  return ids;
}

/** Face ids packed as a stored chunk holds them (see {@link EmbeddingChunk}). */
export function packFaceIds(ids: readonly string[]): { faceIdText: string; faceIdEnds: Uint32Array } {
  const faceIdEnds = new Uint32Array(ids.length);
  let end = 0;
  ids.forEach((id, i) => {
    end += id.length;
    faceIdEnds[i] = end;
  });
  return { faceIdText: ids.join(''), faceIdEnds };
}

/**
 * The vectors of a stored chunk (`count × dimension`), read out of its Blob.
 * @throws StorageError ('failed') when the Blob does not hold `count × dimension` floats (a damaged record).
 */
export async function readChunkVectors(chunk: Pick<EmbeddingChunk, 'vectors' | 'modelId' | 'seq' | 'count' | 'dimension'>): Promise<Float32Array> {
  const expected = chunk.count * chunk.dimension * Float32Array.BYTES_PER_ELEMENT;
  if (chunk.vectors.size !== expected) {
    throw storageError(
      StorageFailure.Failed,
      `The stored embedding chunk ${chunk.seq} of model '${chunk.modelId}' holds ${chunk.vectors.size} bytes of vectors; ${chunk.count} vectors of dimension ${chunk.dimension} take ${expected} (the record is damaged).`,
      { details: { modelId: chunk.modelId, seq: chunk.seq, bytes: chunk.vectors.size, expected } },
    );
  }
  return new Float32Array(await chunk.vectors.arrayBuffer());
}

/** A stored chunk's Blob of `vectors` (copied: later changes to `vectors` do not reach it). */
export function vectorsBlob(vectors: Float32Array): Blob {
  return new Blob([vectors as Float32Array<ArrayBuffer>]);
}

/** Rows handed out while streaming: `count × dimension` floats, row i belonging to `faceIds[i]`. */
export interface EmbeddingRows {
  modelId: string;
  dimension: number;
  count: number;
  faceIds: string[];
  /** `count × dimension`, row-major. May be a view into a larger buffer: copy it before transferring it. */
  vectors: Float32Array;
}

/**
 * Appends `faceIds.length` vectors for `modelId` inside `tx` (which must include 'embeddings' and 'models').
 * Writes are queued without awaiting each one; their failure aborts `tx`, which the caller awaits.
 * @param onRecord called after each chunk is queued (for progress; it may throw to abort the batch).
 * @throws InvalidInputError (details.reason 'wrong-dimension') when the model already has another dimension.
 */
export async function appendEmbeddings(
  tx: WriteTx,
  modelId: string,
  dimension: number,
  faceIds: readonly string[],
  vectors: Float32Array,
  chunkSize: number,
  onRecord: (rows: number) => void = () => {},
): Promise<ModelRecord> {
  const models = tx.objectStore('models');
  const chunks = tx.objectStore('embeddings');
  // All of the batch's bytes in one Blob made before the first await, so the browser takes them in while the
  // reads below are answered; each chunk stores a slice of it (a slice copies nothing).
  const rowBytes = dimension * Float32Array.BYTES_PER_ELEMENT;
  const bytes = vectorsBlob(vectors.subarray(0, faceIds.length * dimension));
  // The model and its last chunk in one round trip (cheap: a chunk record holds ids and a Blob handle).
  const [found, lastCursor] = await Promise.all([
    models.get(modelId),
    chunks.openCursor(IDBKeyRange.bound([modelId, -Infinity], [modelId, Infinity]), 'prev'),
  ]);
  if (found && found.dimension !== dimension) {
    throw new InvalidInputError(
      `embeddings for model '${modelId}' have dimension ${dimension}, but the store holds ${found.dimension}-D vectors for that model`,
      { details: { reason: 'wrong-dimension', modelId, expected: found.dimension, got: dimension } },
    );
  }
  const model: ModelRecord = found ? { ...found } : { modelId, dimension, count: 0, nextSeq: 0 };
  const rawChunks = unwrap(chunks);
  const n = faceIds.length;
  let row = 0;
  if (n > 0 && lastCursor) {
    const last = lastCursor.value;
    if (last.count < chunkSize) {
      const take = Math.min(chunkSize - last.count, n);
      const added = packFaceIds(faceIds.slice(0, take));
      const ends = new Uint32Array(last.count + take);
      ends.set(last.faceIdEnds);
      const offset = last.faceIdText.length;
      added.faceIdEnds.forEach((end, i) => (ends[last.count + i] = offset + end));
      rawChunks.put({
        ...last,
        count: last.count + take,
        faceIdText: last.faceIdText + added.faceIdText,
        faceIdEnds: ends,
        // Composed, not read: the old bytes stay in the browser's storage until the commit copies them.
        vectors: new Blob([last.vectors, bytes.slice(0, take * rowBytes)]),
      });
      row = take;
      onRecord(take);
    }
  }
  while (row < n) {
    const take = Math.min(chunkSize, n - row);
    const chunk: EmbeddingChunk = {
      modelId,
      seq: model.nextSeq++,
      dimension,
      count: take,
      ...packFaceIds(faceIds.slice(row, row + take)),
      vectors: bytes.slice(row * rowBytes, (row + take) * rowBytes),
    };
    rawChunks.put(chunk);
    row += take;
    onRecord(take);
  }
  model.count += n;
  unwrap(models).put(model);
  return model;
}

/** A stored chunk unpacked: its face ids and its vectors. */
interface ReadChunk {
  seq: number;
  dimension: number;
  count: number;
  faceIds: string[];
  vectors: Float32Array;
}

/**
 * Reads up to `chunks` chunks of `modelId` with seq ≥ `fromSeq`, in one read-only transaction, then their
 * vectors (all the page's Blobs read at once).
 */
async function readPage(db: FaceDb, modelId: string, fromSeq: number, chunks: number): Promise<ReadChunk[]> {
  try {
    const records = await db.getAll('embeddings', IDBKeyRange.bound([modelId, fromSeq], [modelId, Infinity]), chunks);
    const vectors = await Promise.all(records.map(readChunkVectors));
    return records.map((c, i) => ({ seq: c.seq, dimension: c.dimension, count: c.count, faceIds: chunkFaceIds(c), vectors: vectors[i] as Float32Array }));
  } catch (error) {
    throw toStorageError(error, `read embeddings of model '${modelId}'`);
  }
}

/** Yields the stored chunks of `modelId` in order, fetching the next page while the consumer works. */
async function* storedChunks(db: FaceDb, modelId: string, signal?: AbortSignal): AsyncGenerator<ReadChunk> {
  throwIfAborted(signal);
  // The first page assumes chunks of the size this store writes; what it finds sizes the following pages.
  let pageChunks = readPageChunks(DEFAULT_CHUNK_SIZE);
  let next = readPage(db, modelId, 0, pageChunks);
  for (;;) {
    const page = await next;
    throwIfAborted(signal);
    const last = page[page.length - 1];
    if (!last) return;
    const asked = pageChunks;
    pageChunks = readPageChunks(Math.max(...page.map((c) => c.count)));
    next = page.length < asked ? Promise.resolve([]) : readPage(db, modelId, last.seq + 1, pageChunks);
    // If the consumer stops early, nobody awaits the prefetch: mark it handled so its failure is not
    // reported as unhandled (a consumer that continues still awaits it and sees the error).
    next.catch(() => undefined);
    for (const chunk of page) {
      yield chunk;
      throwIfAborted(signal);
    }
  }
}

/**
 * Streams the embeddings of `modelId`: stored chunks as they are, or re-packed into `chunkSize` rows
 * (the last one shorter). Each page of chunks is read in its own transaction, so vectors written
 * while streaming may or may not be seen.
 */
export async function* streamChunks(
  db: FaceDb,
  modelId: string,
  options: { chunkSize?: number; signal?: AbortSignal } = {},
): AsyncGenerator<EmbeddingRows> {
  const size = options.chunkSize;
  if (size !== undefined && !(Number.isInteger(size) && size >= 1)) {
    throw new InvalidInputError(`chunkSize is ${size}; expected an integer ≥ 1`);
  }
  let buffer: Float32Array | undefined;
  let ids: string[] = [];
  let filled = 0;
  let dimension = 0;
  for await (const chunk of storedChunks(db, modelId, options.signal)) {
    const rows = { modelId, dimension: chunk.dimension, count: chunk.count, faceIds: chunk.faceIds, vectors: chunk.vectors };
    if (size === undefined) {
      yield rows;
      continue;
    }
    const d = (dimension = chunk.dimension);
    let r = 0;
    while (r < chunk.count) {
      if (filled === 0 && chunk.count - r >= size) {
        // Whole output chunks straight out of the stored one: views, no copy.
        yield { ...rows, count: size, faceIds: chunk.faceIds.slice(r, r + size), vectors: chunk.vectors.subarray(r * d, (r + size) * d) };
        r += size;
        continue;
      }
      buffer ??= new Float32Array(size * d);
      const take = Math.min(size - filled, chunk.count - r);
      buffer.set(chunk.vectors.subarray(r * d, (r + take) * d), filled * d);
      for (let i = 0; i < take; i++) ids.push(chunk.faceIds[r + i] as string);
      filled += take;
      r += take;
      if (filled === size) {
        yield { modelId, dimension: d, count: size, faceIds: ids, vectors: buffer };
        buffer = undefined;
        ids = [];
        filled = 0;
      }
    }
  }
  if (filled > 0 && buffer) yield { modelId, dimension, count: filled, faceIds: ids, vectors: buffer.slice(0, filled * dimension) };
}

/**
 * Removes the vectors of `faceIds` from every model's chunks inside `tx`, rewriting (or deleting)
 * the chunks that held them and updating each model's count.
 * @returns how many vectors were removed.
 */
export async function removeEmbeddings(tx: WriteTx, faceIds: ReadonlySet<string>): Promise<number> {
  if (faceIds.size === 0) return 0;
  const removedPerModel = new Map<string, number>();
  let cursor = await tx.objectStore('embeddings').openCursor();
  while (cursor) {
    const chunk = cursor.value;
    const ids = chunkFaceIds(chunk);
    const keep: number[] = [];
    ids.forEach((id, i) => {
      if (!faceIds.has(id)) keep.push(i);
    });
    if (keep.length < chunk.count) {
      removedPerModel.set(chunk.modelId, (removedPerModel.get(chunk.modelId) ?? 0) + chunk.count - keep.length);
      if (keep.length === 0) {
        await cursor.delete();
      } else {
        // The kept rows' bytes, as slices of the stored Blob (one per run of kept rows): nothing is read,
        // so the transaction stays active (awaiting a Blob read would let it commit).
        const rowBytes = chunk.dimension * Float32Array.BYTES_PER_ELEMENT;
        const parts: Blob[] = [];
        for (let i = 0; i < keep.length; ) {
          let j = i + 1;
          while (j < keep.length && (keep[j] as number) === (keep[j - 1] as number) + 1) j++;
          parts.push(chunk.vectors.slice((keep[i] as number) * rowBytes, ((keep[j - 1] as number) + 1) * rowBytes));
          i = j;
        }
        await cursor.update({ ...chunk, count: keep.length, ...packFaceIds(keep.map((i) => ids[i] as string)), vectors: new Blob(parts) });
      }
    }
    cursor = await cursor.continue();
  }
  let removed = 0;
  const models = tx.objectStore('models');
  for (const [modelId, count] of removedPerModel) {
    const model = await models.get(modelId);
    if (model) await models.put({ ...model, count: model.count - count });
    removed += count;
  }
  return removed;
}

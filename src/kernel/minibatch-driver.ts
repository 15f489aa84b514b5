/**
 * The mini-batch k-means procedure shared by both backends: it walks the ChunkSource, gathers the
 * seeding sample, cuts chunks into batches, reports progress and honours the AbortSignal. Each
 * backend supplies the arithmetic ({@link MiniBatchOps}); only one batch (plus the seeding sample)
 * is ever held by the backend, so a source far larger than memory can be clustered.
 *
 * Procedure (Sculley 2010, "Web-scale k-means clustering"):
 * 1. sample: the first `initSize` rows of the source (fewer if it is shorter);
 * 2. seed: k-means++ on the sample with the seeded RNG (exactly k draws);
 * 3. `epochs` passes: each chunk is cut into batches of ≤ batchSize rows (batches never straddle
 *    chunks); each batch is assigned to the nearest centroids, then centroid j moves toward the
 *    batch mean of its rows with rate nb_j / (rows j has absorbed so far);
 * 4. a final pass assigns every row to the final centroids for the inertia (and labels).
 */
import { InvalidInputError, throwIfAborted } from '../errors.ts';
import type { ChunkSource, MiniBatchKMeansOptions, MiniBatchKMeansResult } from './types.ts';
import { checkInteger, checkK, checkSeed, nonFiniteError } from './validate.ts';

/** The state of one mini-batch run inside a backend. */
export interface MiniBatchSession {
  /** Takes a batch (rows × d, a view the caller may reuse afterwards); returns the index of its first non-finite value or −1. */
  load(batch: Float32Array): number;
  /** Assigns the loaded batch and moves the centroids (step 3). */
  step(): void;
  /** Assigns the loaded batch to the current centroids; writes labels from `offset` when given; returns Σ squared distances. */
  assign(labels: Int32Array | undefined, offset: number): number;
  /** The current k × d centroids (a copy). */
  centroids(): Float32Array;
  /** Releases the session's memory. */
  dispose(): void;
}

/** What a backend provides to {@link runMiniBatch}. */
export interface MiniBatchOps {
  /** k-means++ centroids (k × d) of `sample` (n × d) drawn from the seeded RNG. */
  seed(sample: Float32Array, n: number, d: number, k: number, seed: number): Float32Array;
  /** A session starting from `centroids` (k × d), for batches of at most `batchSize` rows. */
  session(centroids: Float32Array, d: number, k: number, batchSize: number): MiniBatchSession;
}

function checkChunk(chunk: unknown, d: number, pass: string): Float32Array {
  if (!(chunk instanceof Float32Array)) {
    throw new InvalidInputError(`a chunk from the source (${pass}) is not a Float32Array`, { details: { pass } });
  }
  if (chunk.length % d !== 0) {
    throw new InvalidInputError(
      `a chunk from the source (${pass}) has length ${chunk.length}, which is not a whole number of rows of d = ${d}`,
      { details: { pass, length: chunk.length, d } },
    );
  }
  return chunk;
}

function iterate(source: ChunkSource): AsyncIterable<unknown> | Iterable<unknown> {
  const it: unknown = source();
  if (it === null || typeof it !== 'object' || (!(Symbol.asyncIterator in it) && !(Symbol.iterator in it))) {
    throw new InvalidInputError('source() must return an Iterable or AsyncIterable of Float32Array chunks');
  }
  return it as AsyncIterable<unknown> | Iterable<unknown>;
}

/**
 * Runs mini-batch k-means over `source` with the arithmetic of `ops`.
 * @throws InvalidInputError for bad options, a malformed chunk, a NaN/±Infinity value, fewer than k
 *   rows, or a source whose passes disagree in length; the AbortError of `options.signal`.
 */
export async function runMiniBatch(
  ops: MiniBatchOps,
  source: ChunkSource,
  d: number,
  options: MiniBatchKMeansOptions,
): Promise<MiniBatchKMeansResult> {
  if (typeof source !== 'function') {
    throw new InvalidInputError('source must be a function returning an Iterable or AsyncIterable of Float32Array chunks');
  }
  checkInteger('d', d, 1);
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('options must be an object with at least k');
  const k = checkInteger('k', options.k, 1);
  const seed = checkSeed(options.seed ?? 0);
  const epochs = checkInteger('epochs', options.epochs ?? 3, 1);
  const batchSize = checkInteger('batchSize', options.batchSize ?? 1024, 1);
  const initSize = checkInteger('initSize', options.initSize ?? Math.max(10 * k, 1024), k);
  const { signal, onProgress } = options;
  throwIfAborted(signal);

  // 1. The seeding sample: the first initSize rows.
  const sample = new Float32Array(initSize * d);
  let sampled = 0;
  for await (const raw of iterate(source)) {
    const chunk = checkChunk(raw, d, 'seeding sample');
    const take = Math.min(chunk.length / d, initSize - sampled);
    const part = chunk.subarray(0, take * d);
    for (let i = 0; i < part.length; i++) {
      const x = part[i]!;
      if (!(x - x === 0)) throw nonFiniteError('source', sampled * d + i, x, d);
    }
    sample.set(part, sampled * d);
    sampled += take;
    throwIfAborted(signal);
    if (sampled === initSize) break;
  }
  if (sampled === 0) {
    throw new InvalidInputError(`the source yielded zero rows: at least k = ${k} rows of d = ${d} values are required`);
  }
  checkK(k, sampled);

  // 2. Seeding, 3. the update passes, 4. the final assignment pass.
  const session = ops.session(ops.seed(sample.subarray(0, sampled * d), sampled, d, k, seed), d, k, batchSize);
  try {
    let total = -1;
    const pass = async (epoch: number, visit: (rowOffset: number) => void): Promise<number> => {
      let rows = 0;
      const name = epoch < epochs ? `epoch ${epoch}` : 'final assignment pass';
      for await (const raw of iterate(source)) {
        const chunk = checkChunk(raw, d, name);
        const chunkRows = chunk.length / d;
        for (let r = 0; r < chunkRows; r += batchSize) {
          const batch = chunk.subarray(r * d, Math.min(chunkRows, r + batchSize) * d);
          const bad = session.load(batch);
          if (bad >= 0) throw nonFiniteError('source', (rows + r) * d + bad, batch[bad]!, d);
          visit(rows + r);
        }
        rows += chunkRows;
        onProgress?.({ epoch, rows });
        throwIfAborted(signal);
      }
      if (total >= 0 && rows !== total) {
        throw new InvalidInputError(
          `the source yielded ${rows} rows in the ${name} but ${total} in epoch 0: every call of source() must yield the same rows`,
          { details: { rows, expected: total } },
        );
      }
      return rows;
    };
    for (let epoch = 0; epoch < epochs; epoch++) {
      const rows = await pass(epoch, () => session.step());
      if (epoch === 0) total = rows;
    }
    const labels = options.labels ? new Int32Array(total) : undefined;
    let inertia = 0;
    await pass(epochs, (offset) => {
      inertia += session.assign(labels, offset);
    });
    return { centroids: session.centroids(), inertia, rows: total, ...(labels ? { labels } : {}) };
  } finally {
    session.dispose();
  }
}

/**
 * The in-page half of bench/store.ts (bundled for Chromium). Exposes `globalThis.storeBench`, whose
 * methods each run one measurement in this page's real IndexedDB and return plain numbers.
 *
 * - chunked: the store's own code — appendEmbeddings (what addBatch runs for vectors) in read-write
 *   transactions of `perTx` vectors, and streamChunks (what streamEmbeddings runs) to read back.
 * - naive: the same vectors, one record per vector ({modelId, seq, faceId, vector}), written in
 *   transactions of `perTx` records and read back with getAll pages of as many records as the chunked
 *   reader's pages hold vectors (the same bytes per read transaction).
 * - floor: what this browser's IndexedDB allows without the store's code: one Blob record of `perTx` vectors per
 *   transaction (the fewest requests a transaction of that size can make), and all n vectors in one transaction.
 * - stream: 1,000,000 vectors written chunk by chunk, then streamed out of the store into the kernel's
 *   mini-batch k-means (never one array).
 */
import { openDB, unwrap, type IDBPDatabase } from 'idb';
import { loadKernel } from '../src/kernel/index.ts';
import { appendEmbeddings, readPageChunks, streamChunks } from '../src/store/embeddings.ts';
import { openFaceDb } from '../src/store/open.ts';
import { runWrite } from '../src/store/transaction.ts';

/** Seeded xorshift32 floats in [-1, 1): cheap enough not to dominate the write timings. */
function fill(out: Float32Array, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) / 2147483648 - 1;
  }
  return out;
}

/** Rows drawn around 16 seeded centres, so k-means has structure to find. */
function mixture(out: Float32Array, d: number, centres: Float32Array, seed: number): Float32Array {
  fill(out, seed);
  const rows = out.length / d;
  for (let r = 0; r < rows; r++) {
    const c = (r * 2654435761) % 16 >>> 0;
    for (let j = 0; j < d; j++) out[r * d + j] = 0.3 * (out[r * d + j] as number) + (centres[c * d + j] as number);
  }
  return out;
}

function deleteDb(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

const faceId = (i: number): string => `${i.toString(16).padStart(64, '0')}:0`;

/** One chunked write + read of n × d vectors; returns seconds. */
async function chunked(n: number, d: number, perTx: number, chunkSize: number): Promise<{ write_s: number; read_s: number; checksum: number }> {
  const name = `bench-chunked-${chunkSize}`;
  await deleteDb(name);
  const data = fill(new Float32Array(n * d), 1);
  const ids = Array.from({ length: n }, (_, i) => faceId(i));
  const db = await openFaceDb(name);
  try {
    let t = performance.now();
    for (let start = 0; start < n; start += perTx) {
      const end = Math.min(n, start + perTx);
      await runWrite(db, ['embeddings', 'models'], 'bench write', undefined, (tx) =>
        appendEmbeddings(tx, 'bench', d, ids.slice(start, end), data.subarray(start * d, end * d), chunkSize),
      );
    }
    const write_s = (performance.now() - t) / 1000;
    t = performance.now();
    let rows = 0;
    let checksum = 0;
    for await (const chunk of streamChunks(db, 'bench')) {
      rows += chunk.count;
      checksum += chunk.vectors[0] as number;
    }
    const read_s = (performance.now() - t) / 1000;
    if (rows !== n) throw new Error(`chunked read ${rows} rows, expected ${n}`);
    return { write_s, read_s, checksum };
  } finally {
    db.close();
    await deleteDb(name);
  }
}

interface NaiveSchema {
  vectors: { key: [string, number]; value: { modelId: string; seq: number; faceId: string; vector: Float32Array } };
}

/** One naive (one record per vector) write + read of n × d vectors; returns seconds. */
async function naive(n: number, d: number, perTx: number, chunkSize: number): Promise<{ write_s: number; read_s: number; checksum: number }> {
  const name = 'bench-naive';
  const pageRecords = readPageChunks(chunkSize) * chunkSize;
  await deleteDb(name);
  const data = fill(new Float32Array(n * d), 1);
  const ids = Array.from({ length: n }, (_, i) => faceId(i));
  const db: IDBPDatabase<NaiveSchema> = await openDB<NaiveSchema>(name, 1, {
    upgrade: (upgrading) => upgrading.createObjectStore('vectors', { keyPath: ['modelId', 'seq'] }),
  });
  try {
    let t = performance.now();
    for (let start = 0; start < n; start += perTx) {
      const tx = db.transaction('vectors', 'readwrite');
      const end = Math.min(n, start + perTx);
      // Plain requests (no promise per put): the fastest way to write one record per vector.
      const store = unwrap(tx.store);
      for (let i = start; i < end; i++) {
        store.put({ modelId: 'bench', seq: i, faceId: ids[i], vector: data.slice(i * d, (i + 1) * d) });
      }
      await tx.done;
    }
    const write_s = (performance.now() - t) / 1000;
    t = performance.now();
    let rows = 0;
    let checksum = 0;
    let from = 0;
    for (;;) {
      const page = await db.getAll('vectors', IDBKeyRange.bound(['bench', from], ['bench', Infinity]), pageRecords);
      if (page.length === 0) break;
      for (const record of page) checksum += record.vector[0] as number;
      rows += page.length;
      from = (page[page.length - 1] as { seq: number }).seq + 1;
    }
    const read_s = (performance.now() - t) / 1000;
    if (rows !== n) throw new Error(`naive read ${rows} rows, expected ${n}`);
    return { write_s, read_s, checksum };
  } finally {
    db.close();
    await deleteDb(name);
  }
}

/**
 * The platform's floor for writing n × d vectors: plain IndexedDB, one record ({vectors: Blob}) of `perRecord` vectors
 * each, `perTx` vectors per transaction, transactions one after another. Returns seconds.
 */
async function floor(n: number, d: number, perTx: number, perRecord: number): Promise<{ write_s: number }> {
  const name = 'bench-floor';
  await deleteDb(name);
  const data = fill(new Float32Array(n * d), 1);
  const db = await openDB(name, 1, { upgrade: (upgrading) => upgrading.createObjectStore('chunks') });
  try {
    const t = performance.now();
    let key = 0;
    for (let start = 0; start < n; start += perTx) {
      const tx = db.transaction('chunks', 'readwrite');
      const store = unwrap(tx.store);
      for (let r = start; r < Math.min(n, start + perTx); r += perRecord) {
        const end = Math.min(n, r + perRecord, start + perTx);
        store.put({ vectors: new Blob([data.subarray(r * d, end * d) as Float32Array<ArrayBuffer>]) }, key++);
      }
      await tx.done;
    }
    return { write_s: (performance.now() - t) / 1000 };
  } finally {
    db.close();
    await deleteDb(name);
  }
}

/** Writes n mixture vectors chunk by chunk (bounded memory); returns seconds. */
async function writeMillion(n: number, d: number, perTx: number, chunkSize: number): Promise<{ write_s: number }> {
  const name = 'bench-stream';
  await deleteDb(name);
  const centres = fill(new Float32Array(16 * d), 99);
  const db = await openFaceDb(name);
  try {
    const t = performance.now();
    for (let start = 0; start < n; start += perTx) {
      const end = Math.min(n, start + perTx);
      const vectors = mixture(new Float32Array((end - start) * d), d, centres, start + 1);
      const ids = Array.from({ length: end - start }, (_, i) => faceId(start + i));
      await runWrite(db, ['embeddings', 'models'], 'bench write', undefined, (tx) => appendEmbeddings(tx, 'bench', d, ids, vectors, chunkSize));
    }
    return { write_s: (performance.now() - t) / 1000 };
  } finally {
    db.close();
  }
}

/** Streams the stored vectors into mini-batch k-means; returns timings and the kernel's result summary. */
async function streamKMeans(d: number, k: number, epochs: number): Promise<Record<string, number | string>> {
  const name = 'bench-stream';
  const db = await openFaceDb(name);
  try {
    const kernel = await loadKernel();
    let chunks = 0;
    const source = async function* (): AsyncGenerator<Float32Array> {
      for await (const rows of streamChunks(db, 'bench')) {
        chunks++;
        yield rows.vectors;
      }
    };
    const t = performance.now();
    const result = await kernel.miniBatchKMeans(source, d, { k, epochs, seed: 7, batchSize: 1000 });
    const seconds = (performance.now() - t) / 1000;
    return { seconds, rows: result.rows, inertia: result.inertia, chunks_read: chunks, backend: kernel.backend };
  } finally {
    db.close();
    await deleteDb(name);
  }
}

/** Reads the store once without clustering (the streaming rate alone). */
async function streamOnly(): Promise<{ seconds: number; rows: number }> {
  const db = await openFaceDb('bench-stream');
  try {
    const t = performance.now();
    let rows = 0;
    for await (const chunk of streamChunks(db, 'bench')) rows += chunk.count;
    return { seconds: (performance.now() - t) / 1000, rows };
  } finally {
    db.close();
  }
}

Object.assign(globalThis, { storeBench: { chunked, naive, floor, writeMillion, streamKMeans, streamOnly } });

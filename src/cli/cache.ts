/**
 * The CLI's embedding cache: finished images keyed by file content hash, per embedding model and
 * pipeline version, so repeated runs skip work already done. One append-only NDJSON file per key;
 * a line cut short by a crash is ignored on load, and the next record starts on a new line after it.
 * Embeddings are stored as base64 float32 (exact).
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { FaceResult, ImageResult } from '../embedding/types.ts';

function warn(message: string): void {
  process.stderr.write(`face-probe: warning: ${message}\n`);
}

/** The default cache folder: $FACE_PROBE_CACHE, else $XDG_CACHE_HOME/face-attribute-probe, else ~/.cache/…. */
export function defaultCacheDir(): string {
  if (process.env.FACE_PROBE_CACHE) return process.env.FACE_PROBE_CACHE;
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'face-attribute-probe');
}

type StoredFace = Omit<FaceResult, 'landmarks' | 'embedding' | 'thumbnail'> & { landmarks: string; embedding: string };
type StoredImage = Omit<ImageResult, 'faces' | 'name'> & { faces: StoredFace[] };

const toBase64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const fromBase64 = (s: string) => {
  const bytes = Buffer.from(s, 'base64');
  const out = new Float32Array(bytes.length / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
};

/** Finished image results by content hash, backed by a file. */
export class EmbeddingCache {
  private readonly entries = new Map<string, StoredImage>();
  /** The file ends in a line cut short: the next record must start on a new line, or it is lost with it. */
  private torn = false;
  private constructor(private file: string | undefined) {}

  /**
   * Opens (or starts) the cache for one model and pipeline version. `dir` undefined gives a memory-only cache.
   * @param key identifies everything that changes results: model id, detector, pipeline version.
   */
  static async open(dir: string | undefined, key: string): Promise<EmbeddingCache> {
    if (!dir) return new EmbeddingCache(undefined);
    try {
      await mkdir(dir, { recursive: true });
    } catch (error: unknown) {
      warn(`cannot create the cache folder ${dir} (${(error as Error).message}); results are not cached`);
      return new EmbeddingCache(undefined);
    }
    const file = join(dir, `${key.replace(/[^a-zA-Z0-9._-]+/g, '_')}.ndjson`);
    const cache = new EmbeddingCache(file);
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    cache.torn = text.length > 0 && !text.endsWith('\n');
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const entry = JSON.parse(line) as StoredImage;
        cache.entries.set(entry.hash, entry);
      } catch {
        // A line cut short by an interrupted run: that image is simply embedded again.
      }
    }
    return cache;
  }

  /** Images cached. */
  get size(): number {
    return this.entries.size;
  }

  /** The cached result for this content hash, under the caller's file name, or undefined. */
  get(hash: string, name: string): ImageResult | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    return {
      ...entry,
      name,
      faces: entry.faces.map((f) => ({ ...f, landmarks: fromBase64(f.landmarks), embedding: fromBase64(f.embedding) })),
    };
  }

  /** Records a finished image (thumbnails are not cached). */
  async put(result: ImageResult): Promise<void> {
    const { name: _name, faces, ...rest } = result;
    const entry: StoredImage = {
      ...rest,
      faces: faces.map(({ thumbnail: _t, landmarks, embedding, ...f }) => ({
        ...f,
        landmarks: toBase64(landmarks),
        embedding: toBase64(embedding),
      })),
    };
    this.entries.set(entry.hash, entry);
    if (!this.file) return;
    try {
      await appendFile(this.file, `${this.torn ? '\n' : ''}${JSON.stringify(entry)}\n`);
      this.torn = false;
    } catch (error: unknown) {
      // A full disk or a read-only cache must not cost the run its results: go on without the file.
      warn(`cannot write the cache file ${this.file} (${(error as Error).message}); results are no longer cached`);
      this.file = undefined;
    }
  }
}

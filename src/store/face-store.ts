/**
 * `FaceStore`: the app's data kept on the device in IndexedDB — photos, faces, embeddings in chunks,
 * and analyses — with all-or-nothing batches, streaming reads, export/import and erase.
 */
import { unwrap } from 'idb';
import { InvalidInputError, throwIfAborted } from '../errors.ts';
import { concatBytes } from '../runtime/bytes.ts';
import type { ChunkSource } from '../kernel/types.ts';
import { DEFAULT_CHUNK_SIZE, appendEmbeddings, removeEmbeddings, streamChunks, type EmbeddingRows } from './embeddings.ts';
import { deleteFaceDb, openFaceDb, resolveFactory } from './open.ts';
import type { FaceDb } from './schema.ts';
import { StorageFailure, storageError } from './store-errors.ts';
import { runRead, runWrite } from './transaction.ts';
import { exportParts, importBytes, type ImportResult } from './transfer.ts';
import type {
  ClusterRun,
  FaceBatch,
  FaceRecord,
  IdentityGroup,
  ModelRecord,
  PhotoRecord,
  ProbeRecord,
} from './types.ts';
import { validateBatch, validateIdentityGroup, validateModelId, validateProbe, validateRun } from './validate.ts';

/** The database name used when none is given. */
export const DEFAULT_DB_NAME = 'face-attribute-probe';

/** Options for {@link FaceStore.open}. */
export interface FaceStoreOpenOptions {
  signal?: AbortSignal;
  /** The IndexedDB factory (default: the global `indexedDB`), e.g. fake-indexeddb's in Node. */
  factory?: IDBFactory;
  /** Vectors per stored chunk, 1 … 100,000. Default 1,000. */
  chunkSize?: number;
  /** Called when an upgrade waits for another tab to close its connection (tell the user). */
  onBlocked?: () => void;
  /** How long an upgrade may wait for other tabs before failing with StorageError 'blocked'. Default 5,000 ms. */
  blockedTimeoutMs?: number;
}

/** Options for {@link FaceStore.addBatch}. */
export interface AddBatchOptions {
  /** Aborting rolls the whole batch back. */
  signal?: AbortSignal;
  /** Keep photos' `original` bytes (dropped by default, to save space). */
  keepOriginals?: boolean;
  /** Called as records are queued: `done` of `total` items (photos + faces + vectors). Throwing aborts the batch. */
  onProgress?: (progress: { done: number; total: number }) => void;
}

/** What a batch wrote. Photos already stored (same content hash) are skipped with their faces and vectors. */
export interface BatchResult {
  addedPhotos: string[];
  skippedPhotos: string[];
  faces: number;
  embeddings: number;
}

/** Storage usage as the browser reports it; fields are undefined where the API is missing. */
export interface StorageEstimateResult {
  /** Bytes used by this origin. */
  usage: number | undefined;
  /** Bytes this origin may use. */
  quota: number | undefined;
  /** Whether storage is persistent (not evicted under pressure). */
  persisted: boolean | undefined;
}

const byString = <T>(key: (value: T) => string | number) => (a: T, b: T): number => {
  const x = key(a);
  const y = key(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** The on-device store. Open with {@link FaceStore.open}; every method throws StorageError for IndexedDB failures. */
export class FaceStore {
  private closedBecause: string | undefined;

  private constructor(
    /** The database name. */
    readonly name: string,
    private readonly db: FaceDb,
    private readonly factory: IDBFactory,
    /** Vectors per stored chunk. */
    readonly chunkSize: number,
  ) {
    const raw = unwrap(db);
    // Another tab wants to upgrade or delete the database: step aside instead of blocking it.
    raw.addEventListener('versionchange', () => this.shut('another tab upgraded or deleted the database'));
    raw.addEventListener('close', () => {
      this.closedBecause ??= 'the browser closed the connection (storage cleared or an I/O error)';
    });
  }

  /**
   * Opens (creating or upgrading) the store's database.
   * @throws StorageError reason 'unavailable' | 'newer-version' (left untouched) | 'blocked' (an old
   *   tab kept the database open for `blockedTimeoutMs`) | 'failed' (e.g. a migration rolled back).
   * @throws InvalidInputError for a bad chunkSize; AbortError when `signal` aborts.
   */
  static async open(name: string = DEFAULT_DB_NAME, options: FaceStoreOpenOptions = {}): Promise<FaceStore> {
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 100_000) {
      throw new InvalidInputError(`chunkSize is ${chunkSize}; expected an integer from 1 to 100000`);
    }
    const factory = resolveFactory(options.factory);
    const db = await openFaceDb(name, { ...options, factory });
    return new FaceStore(name, db, factory, chunkSize);
  }

  private shut(reason: string): void {
    if (this.closedBecause !== undefined) return;
    this.closedBecause = reason;
    this.db.close();
  }

  private conn(): FaceDb {
    if (this.closedBecause !== undefined) {
      throw storageError(StorageFailure.Closed, `The face store '${this.name}' is closed: ${this.closedBecause}.`);
    }
    return this.db;
  }

  /** True once closed (by {@link close}, {@link erase}, another tab's upgrade, or the browser). */
  get closed(): boolean {
    return this.closedBecause !== undefined;
  }

  /** Closes the connection; later calls throw StorageError 'closed'. */
  close(): void {
    this.shut('close() was called');
  }

  // ── Batches ─────────────────────────────────────────────────────────────────────────────────────

  /**
   * Adds one drop of photos with their faces and embeddings in ONE transaction: all of it or none
   * (on a thrown error, an abort, a full quota, or a closed tab). Everything is validated first.
   * @throws InvalidInputError for bad records or a dimension that differs from the model's stored one.
   * @throws StorageError ('quota-exceeded', 'closed', 'failed'); AbortError when `signal` aborts first.
   */
  async addBatch(batch: FaceBatch, options: AddBatchOptions = {}): Promise<BatchResult> {
    throwIfAborted(options.signal);
    validateBatch(batch);
    const photos = [...new Map(batch.photos.map((p) => [p.hash, p])).values()];
    return runWrite(this.conn(), ['photos', 'faces', 'embeddings', 'models'], 'add the batch', options.signal, async (tx) => {
      const photoStore = tx.objectStore('photos');
      const existing = await Promise.all(photos.map((p) => photoStore.getKey(p.hash)));
      const fresh = photos.filter((_, i) => existing[i] === undefined);
      const freshHashes = new Set(fresh.map((p) => p.hash));
      const faces = (batch.faces ?? []).filter((f) => freshHashes.has(f.photoHash));
      const freshFaces = new Set(faces.map((f) => f.id));
      const embeddings = (batch.embeddings ?? []).map((e) => keepRows(e, freshFaces)).filter((e) => e.faceIds.length > 0);
      const total = fresh.length + faces.length + embeddings.reduce((n, e) => n + e.faceIds.length, 0);
      let done = 0;
      const progress = (items: number): void => {
        done += items;
        options.onProgress?.({ done, total });
      };
      const rawPhotos = unwrap(photoStore);
      for (const photo of fresh) {
        rawPhotos.put(options.keepOriginals ? photo : withoutOriginal(photo));
        progress(1);
      }
      const rawFaces = unwrap(tx.objectStore('faces'));
      for (const face of faces) {
        rawFaces.put(face);
        progress(1);
      }
      for (const e of embeddings) {
        await appendEmbeddings(tx, e.modelId, e.dimension, e.faceIds, e.vectors, this.chunkSize, progress);
      }
      return {
        addedPhotos: fresh.map((p) => p.hash),
        skippedPhotos: photos.filter((_, i) => existing[i] !== undefined).map((p) => p.hash),
        faces: faces.length,
        embeddings: embeddings.reduce((n, e) => n + e.faceIds.length, 0),
      };
    });
  }

  /**
   * Deletes photos with their faces and those faces' vectors (chunks are rewritten), in one transaction.
   * Analyses that mention the faces are kept (they record what was clustered at the time).
   */
  async deletePhotos(hashes: readonly string[], options: { signal?: AbortSignal } = {}): Promise<{ photos: number; faces: number; embeddings: number }> {
    return runWrite(this.conn(), ['photos', 'faces', 'embeddings', 'models'], 'delete photos', options.signal, async (tx) => {
      const faceIds = new Set<string>();
      let photos = 0;
      for (const hash of hashes) {
        if ((await tx.objectStore('photos').getKey(hash)) === undefined) continue;
        photos++;
        await tx.objectStore('photos').delete(hash);
        for (const id of await tx.objectStore('faces').index('byPhoto').getAllKeys(hash)) {
          faceIds.add(id);
          await tx.objectStore('faces').delete(id);
        }
      }
      const embeddings = await removeEmbeddings(tx, faceIds);
      return { photos, faces: faceIds.size, embeddings };
    });
  }

  // ── Photos and faces ────────────────────────────────────────────────────────────────────────────

  /** The photo with this content hash, or undefined. */
  getPhoto(hash: string): Promise<PhotoRecord | undefined> {
    return runRead('read a photo', () => this.conn().get('photos', hash));
  }

  /** Photos in the order they were added (oldest first), `offset` skipped, at most `limit`. */
  listPhotos(options: { offset?: number; limit?: number } = {}): Promise<PhotoRecord[]> {
    const { offset = 0, limit = Infinity } = options;
    return runRead('list photos', async () => {
      const out: PhotoRecord[] = [];
      const tx = this.conn().transaction('photos');
      // A failure surfaces through the cursor request that failed; `done` would only repeat it.
      tx.done.catch(() => undefined);
      let cursor = await tx.store.index('byAddedAt').openCursor();
      if (cursor && offset > 0) cursor = await cursor.advance(offset);
      while (cursor && out.length < limit) {
        out.push(cursor.value);
        cursor = await cursor.continue();
      }
      return out;
    });
  }

  /** Number of photos. */
  countPhotos(): Promise<number> {
    return runRead('count photos', () => this.conn().count('photos'));
  }

  /** The face with this id (`${photoHash}:${index}`), or undefined. */
  getFace(id: string): Promise<FaceRecord | undefined> {
    return runRead('read a face', () => this.conn().get('faces', id));
  }

  /** The faces of one photo, by index. */
  async facesOfPhoto(hash: string): Promise<FaceRecord[]> {
    const faces = await runRead('read faces', () => this.conn().getAllFromIndex('faces', 'byPhoto', hash));
    return faces.sort((a, b) => a.index - b.index);
  }

  /** All faces, or those of one model, in id order. */
  async listFaces(options: { modelId?: string } = {}): Promise<FaceRecord[]> {
    const faces = await runRead('list faces', () =>
      options.modelId === undefined ? this.conn().getAll('faces') : this.conn().getAllFromIndex('faces', 'byModel', options.modelId),
    );
    return faces.sort(byString((f) => f.id));
  }

  /** Number of faces, or of one model's faces. */
  countFaces(options: { modelId?: string } = {}): Promise<number> {
    return runRead('count faces', () =>
      options.modelId === undefined ? this.conn().count('faces') : this.conn().countFromIndex('faces', 'byModel', options.modelId),
    );
  }

  // ── Embeddings ──────────────────────────────────────────────────────────────────────────────────

  /** The models that have vectors here, with their dimension and count. */
  models(): Promise<ModelRecord[]> {
    return runRead('list models', () => this.conn().getAll('models'));
  }

  /** Vectors stored for `modelId` (0 when none). */
  async countEmbeddings(modelId: string): Promise<number> {
    return (await runRead('count embeddings', () => this.conn().get('models', modelId)))?.count ?? 0;
  }

  /**
   * Streams `modelId`'s vectors in chunks of `chunkSize` rows (default: as stored, up to the store's
   * chunk size), never as one array. Each page of chunks is read in its own short transaction.
   */
  streamEmbeddings(modelId: string, options: { chunkSize?: number; signal?: AbortSignal } = {}): AsyncGenerator<EmbeddingRows> {
    return streamChunks(this.conn(), modelId, options);
  }

  /** A re-iterable source of `modelId`'s vectors (row-major Float32Arrays) for the kernel's miniBatchKMeans. */
  embeddingSource(modelId: string, options: { chunkSize?: number; signal?: AbortSignal } = {}): ChunkSource {
    const store = this;
    return async function* () {
      for await (const rows of store.streamEmbeddings(modelId, options)) yield rows.vectors;
    };
  }

  /** The vectors of the given faces (a scan over the model's chunks), by face id; missing ids are absent. */
  async getEmbeddings(modelId: string, faceIds: readonly string[]): Promise<Map<string, Float32Array>> {
    const wanted = new Set(faceIds);
    const out = new Map<string, Float32Array>();
    for await (const rows of this.streamEmbeddings(modelId)) {
      rows.faceIds.forEach((id, i) => {
        if (wanted.has(id)) out.set(id, rows.vectors.slice(i * rows.dimension, (i + 1) * rows.dimension));
      });
      if (out.size === wanted.size) break;
    }
    return out;
  }

  // ── Analyses ────────────────────────────────────────────────────────────────────────────────────

  /** Saves (or replaces) a cluster run. @throws InvalidInputError for a malformed run. */
  async saveRun(run: ClusterRun): Promise<void> {
    validateRun(run);
    await runWrite(this.conn(), ['runs'], 'save a cluster run', undefined, async (tx) => {
      unwrap(tx.objectStore('runs')).put(run);
    });
  }

  /** The run with this id, or undefined. */
  getRun(id: string): Promise<ClusterRun | undefined> {
    return runRead('read a cluster run', () => this.conn().get('runs', id));
  }

  /** Runs (of one model, if given), oldest first. */
  async listRuns(options: { modelId?: string } = {}): Promise<ClusterRun[]> {
    const runs = await runRead('list cluster runs', () =>
      options.modelId === undefined ? this.conn().getAll('runs') : this.conn().getAllFromIndex('runs', 'byModel', options.modelId),
    );
    return runs.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Deletes a run and the names given to its clusters. */
  async deleteRun(id: string): Promise<void> {
    await runWrite(this.conn(), ['runs', 'clusterNames'], 'delete a cluster run', undefined, async (tx) => {
      const names = await tx.objectStore('clusterNames').index('byRun').getAllKeys(id);
      for (const key of names) unwrap(tx.objectStore('clusterNames')).delete(key);
      unwrap(tx.objectStore('runs')).delete(id);
    });
  }

  /**
   * Names cluster `cluster` of run `runId`; `null` or '' removes the name.
   * @throws InvalidInputError when the run does not exist or `cluster` is not in [0, k).
   */
  async nameCluster(runId: string, cluster: number, name: string | null): Promise<void> {
    await runWrite(this.conn(), ['runs', 'clusterNames'], 'name a cluster', undefined, async (tx) => {
      const run = await tx.objectStore('runs').get(runId);
      if (!run) throw new InvalidInputError(`nameCluster: there is no cluster run '${runId}'`);
      if (!Number.isInteger(cluster) || cluster < 0 || cluster >= run.k) {
        throw new InvalidInputError(`nameCluster: cluster is ${cluster}; run '${runId}' has clusters 0 to ${run.k - 1}`);
      }
      const names = unwrap(tx.objectStore('clusterNames'));
      if (name === null || name === '') names.delete([runId, cluster]);
      else names.put({ runId, cluster, name });
    });
  }

  /** The names of a run's clusters: cluster index → name. */
  async clusterNames(runId: string): Promise<Map<number, string>> {
    const names = await runRead('read cluster names', () => this.conn().getAllFromIndex('clusterNames', 'byRun', runId));
    return new Map(names.map((n) => [n.cluster, n.name]));
  }

  /** Saves (or replaces) a probe. @throws InvalidInputError for a malformed probe. */
  async saveProbe(probe: ProbeRecord): Promise<void> {
    validateProbe(probe);
    await runWrite(this.conn(), ['probes'], 'save a probe', undefined, async (tx) => {
      unwrap(tx.objectStore('probes')).put(probe);
    });
  }

  /** The probe with this id, or undefined. */
  getProbe(id: string): Promise<ProbeRecord | undefined> {
    return runRead('read a probe', () => this.conn().get('probes', id));
  }

  /** Probes (of one model, if given), oldest first. */
  async listProbes(options: { modelId?: string } = {}): Promise<ProbeRecord[]> {
    const probes = await runRead('list probes', () =>
      options.modelId === undefined ? this.conn().getAll('probes') : this.conn().getAllFromIndex('probes', 'byModel', options.modelId),
    );
    return probes.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Deletes a probe. */
  async deleteProbe(id: string): Promise<void> {
    await runWrite(this.conn(), ['probes'], 'delete a probe', undefined, async (tx) => {
      unwrap(tx.objectStore('probes')).delete(id);
    });
  }

  /** Saves (or replaces) an identity group (a person). @throws InvalidInputError for a malformed group. */
  async saveIdentityGroup(group: IdentityGroup): Promise<void> {
    validateIdentityGroup(group);
    await runWrite(this.conn(), ['identityGroups'], 'save an identity group', undefined, async (tx) => {
      unwrap(tx.objectStore('identityGroups')).put(group);
    });
  }

  /** The identity group with this id, or undefined. */
  getIdentityGroup(id: string): Promise<IdentityGroup | undefined> {
    return runRead('read an identity group', () => this.conn().get('identityGroups', id));
  }

  /** Identity groups (of one model, if given), oldest first. */
  async listIdentityGroups(options: { modelId?: string } = {}): Promise<IdentityGroup[]> {
    const groups = await runRead('list identity groups', () =>
      options.modelId === undefined
        ? this.conn().getAll('identityGroups')
        : this.conn().getAllFromIndex('identityGroups', 'byModel', options.modelId),
    );
    return groups.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Deletes an identity group. */
  async deleteIdentityGroup(id: string): Promise<void> {
    await runWrite(this.conn(), ['identityGroups'], 'delete an identity group', undefined, async (tx) => {
      unwrap(tx.objectStore('identityGroups')).delete(id);
    });
  }

  // ── Storage, export, import, erase ──────────────────────────────────────────────────────────────

  /** Usage and quota from navigator.storage (undefined fields where the API is missing, e.g. in Node). */
  async estimate(): Promise<StorageEstimateResult> {
    const storage = (globalThis as { navigator?: { storage?: Partial<StorageManager> } }).navigator?.storage;
    const estimate = storage?.estimate ? await storage.estimate() : undefined;
    const persisted = storage?.persisted ? await storage.persisted() : undefined;
    return { usage: estimate?.usage, quota: estimate?.quota, persisted };
  }

  /**
   * Asks the browser to keep this origin's data under storage pressure.
   * @returns true when storage is (now) persistent; false when refused or unsupported.
   */
  async requestPersistence(): Promise<boolean> {
    const storage = (globalThis as { navigator?: { storage?: Partial<StorageManager> } }).navigator?.storage;
    return storage?.persist ? storage.persist() : false;
  }

  /**
   * The export file (see export-format.ts) for one model: all photos; that model's faces, vectors
   * and analyses. `modelId` defaults to the store's only model.
   * @throws InvalidInputError when no model is given and the store has none or several.
   */
  async exportToBytes(options: { modelId?: string; signal?: AbortSignal } = {}): Promise<Uint8Array> {
    return concatBytes(await exportParts(this.conn(), this.modelOption(options)));
  }

  /** {@link exportToBytes} as a Blob built from parts (no single contiguous copy in this process). */
  async exportToBlob(options: { modelId?: string; signal?: AbortSignal } = {}): Promise<Blob> {
    const parts = await exportParts(this.conn(), this.modelOption(options));
    return new Blob(parts as BlobPart[], { type: 'application/octet-stream' });
  }

  /**
   * Imports an export file. The whole file is validated before anything is written, then written in
   * one transaction; records already here (same key) are kept. On any error the store is unchanged.
   * @param options.modelId refuse a file for another model.
   * @throws InvalidInputError with details.reason 'truncated' | 'bad-magic' | 'unsupported-version' |
   *   'absurd-count' | 'checksum-mismatch' | 'different-model' | 'wrong-dimension' | 'non-finite' |
   *   'malformed' | 'invalid-record'; StorageError for IndexedDB failures (e.g. 'quota-exceeded').
   */
  async importFromBytes(bytes: Uint8Array | ArrayBuffer, options: { modelId?: string; signal?: AbortSignal } = {}): Promise<ImportResult> {
    if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer)) {
      throw new InvalidInputError('importFromBytes: expected a Uint8Array or an ArrayBuffer');
    }
    return importBytes(this.conn(), bytes, { ...this.modelOption(options), chunkSize: this.chunkSize });
  }

  /** {@link importFromBytes} for a Blob or File. */
  async importFromBlob(blob: Blob, options: { modelId?: string; signal?: AbortSignal } = {}): Promise<ImportResult> {
    return this.importFromBytes(new Uint8Array(await blob.arrayBuffer()), options);
  }

  private modelOption(options: { modelId?: string; signal?: AbortSignal }): { modelId?: string; signal?: AbortSignal } {
    if (options.modelId !== undefined) validateModelId(options.modelId, 'options.modelId');
    return options;
  }

  /**
   * Deletes the whole database (every photo, face, vector and analysis) and closes this store;
   * resolves once it is gone. Other tabs running this store close their connections on request; an
   * old tab that does not keeps the deletion waiting, and `onBlocked` is called (tell the user to close it).
   * @throws DOMException AbortError when `signal` aborts that wait (the deletion still happens later).
   */
  async erase(options: { signal?: AbortSignal; onBlocked?: () => void } = {}): Promise<void> {
    this.shut('erase() deleted the database');
    await deleteFaceDb(this.name, { factory: this.factory, ...options });
  }
}

function withoutOriginal(photo: PhotoRecord): PhotoRecord {
  if (photo.original === undefined) return photo;
  const { original: _dropped, ...rest } = photo;
  return rest;
}

/** The rows of an embedding batch whose faces are in `keep` (the batch itself when all are). */
function keepRows(e: NonNullable<FaceBatch['embeddings']>[number], keep: ReadonlySet<string>): NonNullable<FaceBatch['embeddings']>[number] {
  const rows = e.faceIds.flatMap((id, i) => (keep.has(id) ? [i] : []));
  if (rows.length === e.faceIds.length) return e;
  const d = e.dimension;
  const vectors = new Float32Array(rows.length * d);
  rows.forEach((src, dst) => vectors.set(e.vectors.subarray(src * d, (src + 1) * d), dst * d));
  return { ...e, faceIds: rows.map((i) => e.faceIds[i] as string), vectors };
}

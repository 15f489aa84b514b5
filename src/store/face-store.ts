/**
 * `FaceStore`: the app's data kept on the device in IndexedDB — photos, faces, embeddings in chunks,
 * and analyses — with all-or-nothing batches, streaming reads, export/import and erase.
 */
import { unwrap } from 'idb';
import { InvalidInputError, throwIfAborted } from '../errors.ts';
import { concatBytes } from '../runtime/bytes.ts';
import type { ChunkSource } from '../kernel/types.ts';
import { BATCH_STORES, deletePhotosIn, writeBatch, type AddBatchResult } from './batch.ts';
import { DEFAULT_CHUNK_SIZE, streamChunks, type EmbeddingRows } from './embeddings.ts';
import { deleteFaceDb, openFaceDb, resolveFactory } from './open.ts';
import type { FaceDb } from './schema.ts';
import { StorageFailure, storageError } from './store-errors.ts';
import type { CorrectionRecord } from './correction-record.ts';
import { AnalysisTable, replaceIdentityGroups, replaceRun, type ReplaceRunOptions } from './records.ts';
import { runRead, runWrite } from './transaction.ts';
import type { ImportOptions, ImportResult } from './transfer.ts';
import type {
  ClusterRun,
  FaceAttributes,
  FaceBatch,
  FaceRecord,
  IdentityGroup,
  ModelRecord,
  PhotoRecord,
  ProbeRecord,
} from './types.ts';
import { validateBatch, validateCorrection, validateFace, validateIdentityGroup, validateModelId, validateProbe, validateRun } from './validate.ts';

/** The database name used when none is given. */
export const DEFAULT_DB_NAME = 'face-attribute-probe';

/** Options for {@link FaceStore.open}. */
export interface FaceStoreOpenOptions {
  signal?: AbortSignal;
  /** The IndexedDB factory (default: the global `indexedDB`), e.g. fake-indexeddb's in Node. */
  factory?: IDBFactory;
  /** Vectors per stored chunk, 1 … 100,000. Default {@link DEFAULT_CHUNK_SIZE} (10,000). */
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
  /**
   * Stored photos this batch replaces (e.g. failure records of photos tried again): deleted with their
   * faces and vectors in the batch's own transaction, before it adds its photos.
   */
  replacing?: readonly string[];
}

/** Storage usage as the browser reports it; fields are undefined where the API is missing. */
export interface StorageEstimateResult {
  /** Bytes used by this origin. */
  usage: number | undefined;
  /** Bytes this origin may use. */
  quota: number | undefined;
  /**
   * Bytes of `usage` held by IndexedDB (this store and any other database of the origin), where the
   * browser breaks usage down (Chromium's usageDetails); the rest is e.g. the app's offline cache.
   */
  databaseUsage?: number | undefined;
  /** Whether storage is persistent (not evicted under pressure). */
  persisted: boolean | undefined;
}

const byString = <T>(key: (value: T) => string | number) => (a: T, b: T): number => {
  const x = key(a);
  const y = key(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * navigator.storage where there is one. Typed here rather than as StorageManager: a worker's StorageManager
 * has no persist(), and this file is also compiled for the import worker.
 */
function storageManager():
  | { estimate?: () => Promise<{ usage?: number; quota?: number }>; persisted?: () => Promise<boolean>; persist?: () => Promise<boolean> }
  | undefined {
  return (globalThis as { navigator?: { storage?: ReturnType<typeof storageManager> } }).navigator?.storage;
}

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
   * `options.replacing` photos are deleted in that same transaction first (see {@link AddBatchOptions}).
   * @throws InvalidInputError for bad records or a dimension that differs from the model's stored one.
   * @throws StorageError ('quota-exceeded', 'closed', 'failed'); AbortError when `signal` aborts first.
   */
  async addBatch(batch: FaceBatch, options: AddBatchOptions = {}): Promise<AddBatchResult> {
    throwIfAborted(options.signal);
    validateBatch(batch);
    const photos = [...new Map(batch.photos.map((p) => [p.hash, p])).values()];
    const replacing = options.replacing ?? [];
    return runWrite(this.conn(), [...BATCH_STORES], 'add the batch', options.signal, async (tx) => {
      if (replacing.length > 0) await deletePhotosIn(tx, replacing);
      return writeBatch(tx, batch, photos, { chunkSize: this.chunkSize, ...options });
    });
  }

  /**
   * Deletes photos with their faces and those faces' vectors (chunks are rewritten), in one transaction.
   * Analyses that mention the faces are kept (they record what was clustered at the time).
   */
  async deletePhotos(hashes: readonly string[], options: { signal?: AbortSignal } = {}): Promise<{ photos: number; faces: number; embeddings: number }> {
    return runWrite(this.conn(), [...BATCH_STORES], 'delete photos', options.signal, (tx) => deletePhotosIn(tx, hashes));
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

  /**
   * Gives stored faces their age, gender and expression, found after the faces were stored (see
   * FaceEngineClient.attributesOf), in one transaction: all of them or none. A face that is no longer stored (its
   * photo deleted meanwhile) is passed over.
   * @returns how many faces were updated.
   * @throws InvalidInputError when an entry's attributes are malformed (nothing is written).
   */
  async setFaceAttributes(attributes: ReadonlyMap<string, FaceAttributes>, options: { signal?: AbortSignal } = {}): Promise<number> {
    if (attributes.size === 0) return 0;
    return runWrite(this.conn(), ['faces'], 'store the faces\' attributes', options.signal, async (tx) => {
      const faces = tx.objectStore('faces');
      const found = await Promise.all([...attributes.keys()].map((id) => faces.get(id)));
      let updated = 0;
      for (const face of found) {
        if (!face) continue;
        const next = validateFace({ ...face, attributes: attributes.get(face.id) }, `face ${face.id}`);
        unwrap(faces).put(next);
        updated++;
      }
      return updated;
    });
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

  private readonly runs = new AnalysisTable(() => this.conn(), 'runs', validateRun);
  private readonly probes = new AnalysisTable(() => this.conn(), 'probes', validateProbe);
  private readonly groups = new AnalysisTable(() => this.conn(), 'identityGroups', validateIdentityGroup);
  private readonly corrections = new AnalysisTable(() => this.conn(), 'corrections', validateCorrection);

  /** Saves (or replaces) a cluster run. @throws InvalidInputError for a malformed run. */
  saveRun(run: ClusterRun): Promise<void> {
    return this.runs.save(run);
  }

  /** The run with this id, or undefined. */
  getRun(id: string): Promise<ClusterRun | undefined> {
    return this.runs.get(id);
  }

  /** Runs (of one model, if given), oldest first. */
  listRuns(options: { modelId?: string } = {}): Promise<ClusterRun[]> {
    return this.runs.list(options.modelId);
  }

  /** Deletes a run and the names given to its clusters. */
  deleteRun(id: string): Promise<void> {
    return this.runs.delete(id);
  }

  /**
   * Saves `run` with its cluster names (`options.names`, replacing any it had) and deletes the runs it
   * replaces (`options.replaces`) with their names and the probes trained on them, in ONE transaction:
   * all of it or nothing (e.g. a merge: the merged run replaces the one it came from).
   * @throws InvalidInputError for a malformed run, a name for a cluster outside [0, k) or an empty one,
   *   or `replaces` naming the run itself; StorageError; AbortError when `options.signal` aborts first.
   */
  replaceRun(run: ClusterRun, options: ReplaceRunOptions = {}): Promise<void> {
    return replaceRun(this.conn(), run, options);
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
  saveProbe(probe: ProbeRecord): Promise<void> {
    return this.probes.save(probe);
  }

  /** The probe with this id, or undefined. */
  getProbe(id: string): Promise<ProbeRecord | undefined> {
    return this.probes.get(id);
  }

  /** Probes (of one model, if given), oldest first. */
  listProbes(options: { modelId?: string } = {}): Promise<ProbeRecord[]> {
    return this.probes.list(options.modelId);
  }

  /** Deletes a probe. */
  deleteProbe(id: string): Promise<void> {
    return this.probes.delete(id);
  }

  /** Saves (or replaces) an identity group (a person). @throws InvalidInputError for a malformed group. */
  saveIdentityGroup(group: IdentityGroup): Promise<void> {
    return this.groups.save(group);
  }

  /** The identity group with this id, or undefined. */
  getIdentityGroup(id: string): Promise<IdentityGroup | undefined> {
    return this.groups.get(id);
  }

  /** Identity groups (of one model, if given), oldest first. */
  listIdentityGroups(options: { modelId?: string } = {}): Promise<IdentityGroup[]> {
    return this.groups.list(options.modelId);
  }

  /** Deletes an identity group. */
  deleteIdentityGroup(id: string): Promise<void> {
    return this.groups.delete(id);
  }

  /**
   * Replaces all identity groups of `modelId` with `groups` in ONE transaction (all or nothing).
   * @throws InvalidInputError for a malformed group, one of another model, or a repeated id; StorageError;
   *   AbortError when `options.signal` aborts first.
   */
  replaceIdentityGroups(modelId: string, groups: readonly IdentityGroup[], options: { signal?: AbortSignal } = {}): Promise<void> {
    return replaceIdentityGroups(this.conn(), modelId, groups, options.signal);
  }

  /** Saves a correction of the grouping by person. @throws InvalidInputError for a malformed one. */
  saveCorrection(correction: CorrectionRecord): Promise<void> {
    return this.corrections.save(correction);
  }

  /** Corrections (of one model, if given), oldest first: the order they apply in. */
  listCorrections(options: { modelId?: string } = {}): Promise<CorrectionRecord[]> {
    return this.corrections.list(options.modelId);
  }

  /** Deletes a correction (undo). */
  deleteCorrection(id: string): Promise<void> {
    return this.corrections.delete(id);
  }

  // ── Storage, export, import, erase ──────────────────────────────────────────────────────────────

  /** Usage and quota from navigator.storage (undefined fields where the API is missing, e.g. in Node). */
  async estimate(): Promise<StorageEstimateResult> {
    const storage = storageManager();
    const estimate = storage?.estimate ? await storage.estimate() : undefined;
    const persisted = storage?.persisted ? await storage.persisted() : undefined;
    const details = (estimate as { usageDetails?: { indexedDB?: number } } | undefined)?.usageDetails;
    return { usage: estimate?.usage, quota: estimate?.quota, databaseUsage: details?.indexedDB, persisted };
  }

  /**
   * Asks the browser to keep this origin's data under storage pressure.
   * @returns true when storage is (now) persistent; false when refused or unsupported.
   */
  async requestPersistence(): Promise<boolean> {
    const storage = storageManager();
    return storage?.persist ? storage.persist() : false;
  }

  /**
   * The export file (see export-format.ts) for one model: all photos; that model's faces, vectors
   * and analyses. `modelId` defaults to the store's only model.
   * @throws InvalidInputError when no model is given and the store has none or several.
   */
  async exportToBytes(options: { modelId?: string; signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const { exportParts } = await import('./transfer.ts');
    return concatBytes(await exportParts(this.conn(), this.modelOption(options)));
  }

  /** {@link exportToBytes} as a Blob built from parts (no single contiguous copy in this process). */
  async exportToBlob(options: { modelId?: string; signal?: AbortSignal } = {}): Promise<Blob> {
    // The export and import code loads when first used, not with the page (see transfer.ts).
    const { exportParts } = await import('./transfer.ts');
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
  async importFromBytes(bytes: Uint8Array | ArrayBuffer, options: ImportOptions = {}): Promise<ImportResult> {
    if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer)) {
      throw new InvalidInputError('importFromBytes: expected a Uint8Array or an ArrayBuffer');
    }
    const { importBytes } = await import('./transfer.ts');
    return importBytes(this.conn(), bytes, { ...this.modelOption(options), chunkSize: this.chunkSize });
  }

  /** {@link importFromBytes} for a Blob or File. */
  async importFromBlob(blob: Blob, options: ImportOptions = {}): Promise<ImportResult> {
    options.onProgress?.({ phase: 'reading' });
    return this.importFromBytes(new Uint8Array(await blob.arrayBuffer()), options);
  }

  private modelOption<T extends { modelId?: string }>(options: T): T {
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

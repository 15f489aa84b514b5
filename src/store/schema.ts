/**
 * The IndexedDB schema (typed with idb's DBSchema) and its migrations.
 *
 * Versions:
 * - v1: photos (by added time), faces (by photo), embeddings (chunks keyed [modelId, seq]), models,
 *   runs (cluster runs, no scope field yet), clusterNames (by run).
 * - v2: faces and runs get a by-model index; runs get `scope` ({kind: 'all'} for older runs);
 *   probes and identityGroups stores (by model).
 * - v3: faces keyed by model too (`${photoHash}:${modelId}:${index}`), with every record that names faces
 *   following; runs carry a typed `kChoice` instead of `curve:<k>`/`auto`/`merged` score keys; probes
 *   trained on a run carry its `runId` (see migrate-v3.ts).
 * - v4: a corrections store (by model): a person's corrections of the grouping by person. Nothing else
 *   changes, so every v3 record is kept as it is.
 * - v5: embedding chunks hold their face ids packed into one string and their vectors in a Blob
 *   (faster to write and read; see embeddings.ts); every chunk is rewritten in place (see migrate-v5.ts).
 *
 * Every step is an `if (oldVersion < n)` block (data-moving parts run in order after the schema changes), so a database at any older version walks through
 * every later step in order inside the one upgrade transaction (all or nothing).
 */
import type { DBSchema, IDBPDatabase, IDBPObjectStore, IDBPTransaction, StoreNames } from 'idb';
import type { CorrectionRecord } from './correction-record.ts';
import { migrateToV3 } from './migrate-v3.ts';
import { migrateToV5 } from './migrate-v5.ts';
import type {
  ClusterName,
  ClusterRun,
  EmbeddingChunk,
  FaceRecord,
  IdentityGroup,
  ModelRecord,
  PhotoRecord,
  ProbeRecord,
} from './types.ts';

/** The schema version this build writes and understands. Older databases are upgraded; newer ones refused. */
export const DB_VERSION = 5;

/** The store's IndexedDB layout. */
export interface FaceDbSchema extends DBSchema {
  photos: { key: string; value: PhotoRecord; indexes: { byAddedAt: number } };
  faces: { key: string; value: FaceRecord; indexes: { byPhoto: string; byModel: string } };
  embeddings: { key: [string, number]; value: EmbeddingChunk };
  models: { key: string; value: ModelRecord };
  runs: { key: string; value: ClusterRun; indexes: { byModel: string } };
  clusterNames: { key: [string, number]; value: ClusterName; indexes: { byRun: string } };
  probes: { key: string; value: ProbeRecord; indexes: { byModel: string } };
  identityGroups: { key: string; value: IdentityGroup; indexes: { byModel: string } };
  corrections: { key: string; value: CorrectionRecord; indexes: { byModel: string } };
}

/** An open connection to the store's database. */
export type FaceDb = IDBPDatabase<FaceDbSchema>;

/** A read-write transaction over some of the stores (callers open it on the stores they use). */
export type WriteTx = IDBPTransaction<FaceDbSchema, StoreNames<FaceDbSchema>[], 'readwrite'>;

/** Every object store, e.g. for a transaction that touches all of them (import, erase checks). */
export const ALL_STORES = [
  'photos',
  'faces',
  'embeddings',
  'models',
  'runs',
  'clusterNames',
  'probes',
  'identityGroups',
  'corrections',
] as const satisfies readonly StoreNames<FaceDbSchema>[];

/** The name of one object store. */
export type StoreName = StoreNames<FaceDbSchema>;

type UpgradeTx = IDBPTransaction<FaceDbSchema, StoreNames<FaceDbSchema>[], 'versionchange'>;

/**
 * Runs the migration steps from `oldVersion` up to {@link DB_VERSION} inside the upgrade transaction.
 * Data-moving steps run asynchronously on that same transaction; a failure of one is passed to
 * `onFailure` and aborts the transaction, which leaves the database at its old version, untouched.
 * @throws whatever a schema step throws synchronously (the caller aborts the upgrade).
 */
export function migrate(db: FaceDb, oldVersion: number, tx: UpgradeTx, onFailure: (error: unknown) => void): void {
  // Data steps share the upgrade transaction; they run one after another so no step reads a record a
  // previous one has yet to rewrite.
  const dataSteps: (() => Promise<void>)[] = [];
  if (oldVersion < 1) {
    db.createObjectStore('photos', { keyPath: 'hash' }).createIndex('byAddedAt', 'addedAt');
    db.createObjectStore('faces', { keyPath: 'id' }).createIndex('byPhoto', 'photoHash');
    db.createObjectStore('embeddings', { keyPath: ['modelId', 'seq'] });
    db.createObjectStore('models', { keyPath: 'modelId' });
    db.createObjectStore('runs', { keyPath: 'id' });
    db.createObjectStore('clusterNames', { keyPath: ['runId', 'cluster'] }).createIndex('byRun', 'runId');
  }
  if (oldVersion < 2) {
    tx.objectStore('faces').createIndex('byModel', 'modelId');
    const runs = tx.objectStore('runs');
    runs.createIndex('byModel', 'modelId');
    db.createObjectStore('probes', { keyPath: 'id' }).createIndex('byModel', 'modelId');
    db.createObjectStore('identityGroups', { keyPath: 'id' }).createIndex('byModel', 'modelId');
    // v1 runs had no scope: they always clustered every face of their model.
    dataSteps.push(() => backfillRunScope(runs));
  }
  if (oldVersion < 3 && oldVersion > 0) {
    dataSteps.push(() => migrateToV3(tx));
  }
  if (oldVersion < 4) {
    db.createObjectStore('corrections', { keyPath: 'id' }).createIndex('byModel', 'modelId');
  }
  if (oldVersion < 5 && oldVersion > 0) {
    dataSteps.push(() => migrateToV5(tx));
  }
  if (dataSteps.length === 0) return;
  (async () => {
    for (const step of dataSteps) await step();
  })().catch((error: unknown) => {
    onFailure(error);
    // Aborting the upgrade keeps the old data as it was; the open request then fails.
    safeAbort(tx);
  });
}

async function backfillRunScope(runs: IDBPObjectStore<FaceDbSchema, StoreNames<FaceDbSchema>[], 'runs', 'versionchange'>): Promise<void> {
  let cursor = await runs.openCursor();
  while (cursor) {
    const run: ClusterRun & { scope?: ClusterRun['scope'] } = cursor.value;
    if (run.scope === undefined) await cursor.update({ ...run, scope: { kind: 'all' } });
    cursor = await cursor.continue();
  }
}

/** Aborts a transaction that may already have finished (then there is nothing to abort). */
export function safeAbort(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch (error) {
    // InvalidStateError: the transaction already committed or aborted, which is what we wanted.
    if (!(error instanceof DOMException && error.name === 'InvalidStateError')) throw error;
  }
}

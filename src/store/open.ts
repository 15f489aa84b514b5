/**
 * Opening (and deleting) the store's database: schema upgrades, a newer schema refused without
 * touching it, blocked upgrades, missing IndexedDB, and aborts — each a typed error.
 */
import { wrap } from 'idb';
import { abortError, isAbortError, throwIfAborted } from '../errors.ts';
import { DB_VERSION, migrate, safeAbort, type FaceDb } from './schema.ts';
import { StorageFailure, storageError, toStorageError } from './store-errors.ts';

/** The IndexedDB factory to use: the given one, or the global `indexedDB`; throws when there is none. */
export function resolveFactory(factory: IDBFactory | undefined): IDBFactory {
  const found = factory ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!found) {
    throw storageError(
      StorageFailure.Unavailable,
      'IndexedDB is unavailable here (private browsing, storage disabled for this site, a sandboxed frame, ' +
        'or Node without fake-indexeddb): nothing can be stored on this device.',
    );
  }
  return found;
}

/** Reads the version of an existing database without upgrading it (undefined when it cannot be read). */
async function currentVersion(factory: IDBFactory, name: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name);
    } catch {
      // Only used to word an error message better; the caller reports the original failure.
      resolve(undefined);
      return;
    }
    request.onsuccess = () => {
      const version = request.result.version;
      request.result.close();
      resolve(version);
    };
    request.onerror = () => resolve(undefined);
  });
}

/** How long an upgrade may stay blocked by another connection before open() gives up, by default. */
export const DEFAULT_BLOCKED_TIMEOUT_MS = 5000;

/** Options for {@link openFaceDb}. */
export interface OpenFaceDbOptions {
  factory?: IDBFactory;
  signal?: AbortSignal;
  /**
   * Called when an upgrade has to wait for another connection (an old tab) to close. Connections
   * that are just finishing a transaction cause short waits too, so this is a hint, not a failure.
   */
  onBlocked?: () => void;
  /** How long to wait while blocked before failing with StorageError 'blocked'. Default 5,000 ms. */
  blockedTimeoutMs?: number;
}

/**
 * Opens (creating or upgrading) the database `name` at {@link DB_VERSION}.
 * @throws StorageError with details.reason 'unavailable', 'newer-version' (database untouched),
 *   'blocked' (another tab kept an older version open for `blockedTimeoutMs`; the upgrade is not
 *   applied), or 'failed' (e.g. a migration failed and was rolled back).
 * @throws DOMException AbortError when `signal` aborts first (a started upgrade is rolled back).
 */
export async function openFaceDb(name: string, options: OpenFaceDbOptions = {}): Promise<FaceDb> {
  const { signal } = options;
  const blockedTimeoutMs = options.blockedTimeoutMs ?? DEFAULT_BLOCKED_TIMEOUT_MS;
  throwIfAborted(signal);
  const factory = resolveFactory(options.factory);
  let request: IDBOpenDBRequest;
  try {
    request = factory.open(name, DB_VERSION);
  } catch (error) {
    // Firefox private mode and opaque origins throw synchronously (InvalidStateError / SecurityError).
    throw storageError(StorageFailure.Unavailable, `IndexedDB is unavailable here: opening '${name}' threw ${String(error)}.`, {
      cause: error,
    });
  }
  let migrationError: unknown;
  const opening = new Promise<IDBDatabase>((resolve, reject) => {
    let settled = false;
    let blockedTimer: ReturnType<typeof setTimeout> | undefined;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(blockedTimer);
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    };
    const onAbort = (): void => {
      // A running upgrade transaction is rolled back; a pending open is closed once it succeeds.
      if (request.transaction) safeAbort(request.transaction);
      fail(abortError(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    request.onupgradeneeded = (event) => {
      const tx = request.transaction;
      if (!tx) return;
      // The caller was already told this open failed (blocked or aborted): do not upgrade behind its back.
      if (settled) {
        safeAbort(tx);
        return;
      }
      const upgrade = wrap(tx) as unknown as Parameters<typeof migrate>[2];
      // idb gives every wrapped transaction a `done` promise; an aborted upgrade is reported through
      // this open request instead, so that promise's rejection needs no second report.
      upgrade.done.catch(() => undefined);
      try {
        migrate(wrap(request.result) as FaceDb, event.oldVersion, upgrade, (error) => {
          migrationError = error;
        });
      } catch (error) {
        migrationError = error;
        safeAbort(tx);
      }
    };
    request.onblocked = (event) => {
      options.onBlocked?.();
      const blocked = (): void =>
        fail(
          storageError(
            StorageFailure.Blocked,
            `Cannot upgrade the database '${name}' from version ${event.oldVersion} to ${DB_VERSION}: another tab or window ` +
              `still has it open with the older version (waited ${blockedTimeoutMs} ms). Close the other tabs of this app and ` +
              'reload; no data was changed.',
            { details: { found: event.oldVersion, supported: DB_VERSION } },
          ),
        );
      // A connection that is closing after its last transaction blocks for a moment only: wait a while.
      clearTimeout(blockedTimer);
      blockedTimer = setTimeout(blocked, blockedTimeoutMs);
    };
    request.onsuccess = () => {
      if (settled) {
        request.result.close();
        return;
      }
      settled = true;
      clearTimeout(blockedTimer);
      signal?.removeEventListener('abort', onAbort);
      resolve(request.result);
    };
    request.onerror = (event) => {
      // Handled here and turned into a typed rejection; stop it surfacing as an uncaught error too.
      event.preventDefault();
      const error = request.error;
      if (error?.name === 'VersionError') {
        void currentVersion(factory, name).then((found) =>
          fail(
            storageError(
              StorageFailure.NewerVersion,
              `The database '${name}' has schema version ${found ?? 'unknown'}, newer than the version ${DB_VERSION} ` +
                'this app understands (it was written by a newer version of the app). It was left untouched; ' +
                'update the app to open it.',
              { cause: error, details: { found, supported: DB_VERSION } },
            ),
          ),
        );
        return;
      }
      if (migrationError !== undefined || isAbortError(error)) {
        fail(
          storageError(
            StorageFailure.Failed,
            `Upgrading the database '${name}' to version ${DB_VERSION} failed and was rolled back; its data is unchanged ` +
              `(${migrationError instanceof Error ? migrationError.message : String(migrationError ?? error)}).`,
            { cause: migrationError ?? error },
          ),
        );
        return;
      }
      fail(toStorageError(error, `open the database '${name}'`));
    };
  });
  const raw = await opening;
  return wrap(raw) as FaceDb;
}

/**
 * Deletes the database `name` entirely, waiting until it is gone. While another connection (an old
 * tab that ignores versionchange) keeps it open the deletion waits; `onBlocked` is called then.
 * @throws DOMException AbortError when `signal` aborts the wait (the browser still deletes the
 *   database once the other connection closes).
 * @throws StorageError 'unavailable' or 'failed'.
 */
export async function deleteFaceDb(
  name: string,
  options: { factory?: IDBFactory; signal?: AbortSignal; onBlocked?: () => void } = {},
): Promise<void> {
  const { signal } = options;
  throwIfAborted(signal);
  const idb = resolveFactory(options.factory);
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal?.addEventListener('abort', onAbort, { once: true });
    const request = idb.deleteDatabase(name);
    request.onsuccess = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    request.onerror = (event) => {
      event.preventDefault();
      signal?.removeEventListener('abort', onAbort);
      reject(toStorageError(request.error, `delete the database '${name}'`));
    };
    request.onblocked = () => options.onBlocked?.();
  });
}

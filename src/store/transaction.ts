/**
 * Read-write transactions with all-or-nothing semantics, abort signals and typed errors.
 */
import { abortError, isAbortError, throwIfAborted } from '../errors.ts';
import { safeAbort, type FaceDb, type StoreName, type WriteTx } from './schema.ts';
import { StorageFailure, storageError, toStorageError } from './store-errors.ts';

/**
 * Runs `work` in one read-write transaction over `stores` and waits for the commit.
 * If `work` throws, `signal` aborts, or the commit fails (QuotaExceededError, a closed tab), the
 * transaction is aborted and nothing it wrote remains.
 * `work` may await only requests of `tx` (awaiting anything else lets the transaction auto-commit).
 * @throws DOMException AbortError when `signal` aborted before the commit.
 * @throws StorageError for IndexedDB failures (reason 'quota-exceeded', 'closed' or 'failed');
 *   errors of ours thrown by `work` pass through unchanged.
 */
export async function runWrite<T>(
  db: FaceDb,
  stores: StoreName[],
  action: string,
  signal: AbortSignal | undefined,
  work: (tx: WriteTx) => Promise<T>,
): Promise<T> {
  throwIfAborted(signal);
  let tx: WriteTx;
  try {
    tx = db.transaction(stores, 'readwrite');
  } catch (error) {
    throw toStorageError(error, action);
  }
  // Observe the commit from the start: an abort (our signal, a quota error) rejects `done` while `work`
  // may still be awaiting, and a rejection nobody listens to yet is an unhandled rejection (fatal in Node).
  const outcome: Promise<{ error: unknown } | undefined> = tx.done.then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  const onAbort = (): void => safeAbort(tx);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let result: T;
    try {
      result = await work(tx);
    } catch (error) {
      safeAbort(tx);
      throw failure(error, (await outcome)?.error, signal, action);
    }
    const failed = await outcome;
    if (failed) throw failure(failed.error, failed.error, signal, action);
    return result;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The error to report for a write that did not commit. */
function failure(error: unknown, txError: unknown, signal: AbortSignal | undefined, action: string): unknown {
  if (signal?.aborted) return abortError(signal);
  // When the database aborted the transaction itself, its error (QuotaExceededError, UnknownError)
  // is the root cause; what `work` saw is a consequence (AbortError, TransactionInactiveError).
  const cause = txError !== undefined && !isAbortError(txError) ? txError : error;
  if (isAbortError(cause)) {
    // Not our signal: the browser or a closing connection aborted the transaction.
    return storageError(StorageFailure.Failed, `Could not ${action}: the transaction was aborted (the connection closed?); nothing was written.`, {
      cause,
      details: { action },
    });
  }
  return toStorageError(cause, action);
}

/** Runs a read, turning IndexedDB failures into StorageErrors. */
export async function runRead<T>(action: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw toStorageError(error, action);
  }
}

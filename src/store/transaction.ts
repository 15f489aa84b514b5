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
  const onAbort = (): void => safeAbort(tx);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await work(tx);
    await tx.done;
    return result;
  } catch (error) {
    safeAbort(tx);
    const txError = await tx.done.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (signal?.aborted) throw abortError(signal);
    // When the database aborted the transaction itself, its error (QuotaExceededError, UnknownError)
    // is the root cause; what `work` saw is a consequence (AbortError, TransactionInactiveError).
    const cause = txError !== undefined && !isAbortError(txError) ? txError : error;
    if (isAbortError(cause)) {
      // Not our signal: the browser or a closing connection aborted the transaction.
      throw storageError(StorageFailure.Failed, `Could not ${action}: the transaction was aborted (the connection closed?); nothing was written.`, {
        cause,
        details: { action },
      });
    }
    throw toStorageError(cause, action);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Runs a read, turning IndexedDB failures into StorageErrors. */
export async function runRead<T>(action: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw toStorageError(error, action);
  }
}

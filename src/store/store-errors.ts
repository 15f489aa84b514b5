/**
 * Turns what IndexedDB throws (DOMExceptions with names like QuotaExceededError, VersionError,
 * InvalidStateError) into the project's {@link StorageError}, with `details.reason` a caller can switch on.
 */
import { FaceProbeError, StorageError, isAbortError } from '../errors.ts';

/** Why a storage operation failed: `StorageError.details.reason`. */
export const StorageFailure = {
  /** No IndexedDB here (private mode, disabled storage, a sandboxed frame, Node without a polyfill). */
  Unavailable: 'unavailable',
  /** Another connection (tab) with an older schema stays open and blocks the upgrade or deletion. */
  Blocked: 'blocked',
  /** The database was written by a newer version of the app; it is left as it is. */
  NewerVersion: 'newer-version',
  /** The origin's storage quota is full; the failed transaction wrote nothing. */
  QuotaExceeded: 'quota-exceeded',
  /** The connection was closed (by `close()`, `erase()`, another tab's upgrade, or the browser). */
  Closed: 'closed',
  /** Any other IndexedDB failure. */
  Failed: 'failed',
} as const;

/** The union of {@link StorageFailure} values. */
export type StorageFailure = (typeof StorageFailure)[keyof typeof StorageFailure];

/** Builds a StorageError with `details.reason` set. */
export function storageError(
  reason: StorageFailure,
  message: string,
  options?: { cause?: unknown; details?: Record<string, unknown> },
): StorageError {
  return new StorageError(message, { cause: options?.cause, details: { reason, ...options?.details } });
}

/** The DOMException name of an error, if it has one. */
function domName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string'
    ? (error as { name: string }).name
    : undefined;
}

/**
 * Maps an IndexedDB failure during `action` (e.g. "add a batch") to a StorageError. Errors that are
 * already ours and aborts pass through unchanged.
 */
export function toStorageError(error: unknown, action: string): unknown {
  // Only IndexedDB's DOMExceptions are translated; our errors, aborts and a caller's own errors
  // (e.g. thrown from a progress callback) reach the caller unchanged.
  if (isAbortError(error) || error instanceof FaceProbeError || !(error instanceof DOMException)) return error;
  const name = domName(error);
  const text = error instanceof Error ? error.message : String(error);
  switch (name) {
    case 'QuotaExceededError':
      return storageError(
        StorageFailure.QuotaExceeded,
        `Could not ${action}: the browser's storage quota for this site is full (QuotaExceededError). ` +
          'Nothing of this operation was written and everything stored before is intact; free space or export and erase old data.',
        { cause: error, details: { action, name } },
      );
    case 'InvalidStateError':
      return storageError(
        StorageFailure.Closed,
        `Could not ${action}: the database connection is closed (${text}).`,
        { cause: error, details: { action, name } },
      );
    default:
      return storageError(StorageFailure.Failed, `Could not ${action}: IndexedDB failed (${name ?? 'Error'}: ${text}).`, {
        cause: error,
        details: { action, name: name ?? 'Error' },
      });
  }
}

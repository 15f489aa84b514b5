/**
 * Makes thrown errors survive the worker boundary with their class and `code`. comlink's built-in "throw"
 * handler keeps only name/message/stack and rebuilds a plain Error; ours sends serializeError()'s plain data
 * and rebuilds the FaceProbeError subclass (or an AbortError DOMException) on the other side.
 * Both sides must call {@link installErrorTransfer} before the first call crosses.
 */
import { transferHandlers, type TransferHandler } from 'comlink';
import { type SerializedError, deserializeError, serializeError } from '../errors.ts';

interface Thrown {
  value: unknown;
}

let installed = false;

/** Replaces comlink's "throw" transfer handler; idempotent. */
export function installErrorTransfer(): void {
  if (installed) return;
  const builtin = transferHandlers.get('throw');
  if (!builtin) throw new Error('comlink has no "throw" transfer handler to replace (an incompatible comlink version?)');
  const handler: TransferHandler<Thrown, { error: SerializedError }> = {
    canHandle: (value: unknown): value is Thrown => builtin.canHandle(value),
    serialize: ({ value }) => [{ error: serializeError(value) }, []],
    deserialize: ({ error }) => {
      throw deserializeError(error);
    },
  };
  transferHandlers.set('throw', handler as TransferHandler<unknown, unknown>);
  installed = true;
}

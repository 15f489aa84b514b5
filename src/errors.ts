/**
 * The project's error hierarchy: one base class with a `code` callers can switch on.
 *
 * Aborts are never wrapped: they stay `DOMException('AbortError')`.
 * Errors cross the worker boundary as plain data ({@link serializeError} / {@link deserializeError})
 * because structured cloning drops subclasses and custom fields.
 */

/** Every error code this project throws. */
export const ErrorCode = {
  /** A caller passed a value outside what the function accepts (shape, range, NaN, format). */
  InvalidInput: 'invalid-input',
  /** An image could not be decoded (empty, truncated, not an image, unsupported format or size). */
  Decode: 'decode',
  /** No face was found in an image. */
  NoFace: 'no-face',
  /** A model file is missing, corrupt, or does not match its manifest. */
  ModelLoad: 'model-load',
  /** The inference runtime failed while running a model. */
  Inference: 'inference',
  /** IndexedDB (or another store) failed, is unavailable, or is full. */
  Storage: 'storage',
  /** The environment lacks something required (WebAssembly, SIMD, IndexedDB, WebGPU). */
  Unsupported: 'unsupported-environment',
} as const;

/** The union of all {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class of every error this project throws on purpose. */
export class FaceProbeError extends Error {
  /** Machine-readable kind of failure. */
  readonly code: ErrorCode;
  /** Optional structured details (must be structured-cloneable). */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FaceProbeError';
    this.code = code;
    this.details = options?.details;
  }
}

/** A value passed in is outside what is accepted; the message names the value and what is allowed. */
export class InvalidInputError extends FaceProbeError {
  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(ErrorCode.InvalidInput, message, options);
    this.name = 'InvalidInputError';
  }
}

/** An image could not be decoded. `details.reason` says why (empty, truncated, not-an-image, ...). */
export class DecodeError extends FaceProbeError {
  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(ErrorCode.Decode, message, options);
    this.name = 'DecodeError';
  }
}

/** No face was found in an image, even after every fallback the caller allowed. */
export class NoFaceError extends FaceProbeError {
  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(ErrorCode.NoFace, message, options);
    this.name = 'NoFaceError';
  }
}

/** A model file is missing, corrupt, or disagrees with its manifest. */
export class ModelLoadError extends FaceProbeError {
  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(ErrorCode.ModelLoad, message, options);
    this.name = 'ModelLoadError';
  }
}

/** The inference runtime failed while running a model. */
export class InferenceError extends FaceProbeError {
  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(ErrorCode.Inference, message, options);
    this.name = 'InferenceError';
  }
}

/** Storage failed: unavailable, quota exceeded, blocked, or a newer schema. */
export class StorageError extends FaceProbeError {
  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(ErrorCode.Storage, message, options);
    this.name = 'StorageError';
  }
}

/** The environment lacks a required capability. */
export class UnsupportedEnvironmentError extends FaceProbeError {
  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(ErrorCode.Unsupported, message, options);
    this.name = 'UnsupportedEnvironmentError';
  }
}

const classes = {
  [ErrorCode.InvalidInput]: InvalidInputError,
  [ErrorCode.Decode]: DecodeError,
  [ErrorCode.NoFace]: NoFaceError,
  [ErrorCode.ModelLoad]: ModelLoadError,
  [ErrorCode.Inference]: InferenceError,
  [ErrorCode.Storage]: StorageError,
  [ErrorCode.Unsupported]: UnsupportedEnvironmentError,
} as const;

/** Plain, structured-cloneable form of an error. */
export interface SerializedError {
  name: string;
  message: string;
  code?: ErrorCode;
  details?: Record<string, unknown>;
  stack?: string;
}

/** True for the `AbortError` DOMException that cancelled work raises. */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** Throws `signal.reason` (an AbortError by default) if the signal is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** The AbortError to throw for an aborted signal. */
export function abortError(signal?: AbortSignal): unknown {
  const reason: unknown = signal?.reason;
  return isAbortError(reason) ? reason : new DOMException('The operation was aborted.', 'AbortError');
}

/** Converts any thrown value to plain data that survives postMessage. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof FaceProbeError) {
    return {
      name: error.name,
      message: error.message,
      code: error.code,
      ...(error.details ? { details: error.details } : {}),
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
    const e = error as Error;
    return { name: e.name || 'Error', message: String(e.message), ...(e.stack ? { stack: e.stack } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

/** Rebuilds the error class (or an AbortError DOMException) from {@link serializeError}'s output. */
export function deserializeError(data: SerializedError): Error {
  if (data.name === 'AbortError') return new DOMException(data.message, 'AbortError');
  const Cls = data.code ? classes[data.code] : undefined;
  const error = Cls ? new Cls(data.message, data.details ? { details: data.details } : undefined) : new Error(data.message);
  if (!Cls) error.name = data.name;
  if (data.stack) error.stack = data.stack;
  return error;
}

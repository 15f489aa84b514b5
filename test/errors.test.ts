import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DecodeError,
  ErrorCode,
  FaceProbeError,
  InferenceError,
  InvalidInputError,
  ModelLoadError,
  NoFaceError,
  StorageError,
  UnsupportedEnvironmentError,
  deserializeError,
  isAbortError,
  serializeError,
  throwIfAborted,
} from '../src/errors.ts';

describe('errors across a structured clone', () => {
  const classes = [InvalidInputError, DecodeError, NoFaceError, ModelLoadError, InferenceError, StorageError, UnsupportedEnvironmentError];

  it('rebuild every class with its code, message and details', () => {
    for (const Cls of classes) {
      const original = new Cls('something named went wrong', { details: { reason: 'why', n: 3 } });
      const copy = deserializeError(structuredClone(serializeError(original)));
      assert.ok(copy instanceof Cls, `${Cls.name} survives`);
      assert.ok(copy instanceof FaceProbeError);
      assert.equal((copy as FaceProbeError).code, original.code);
      assert.equal(copy.message, original.message);
      assert.deepEqual((copy as FaceProbeError).details, { reason: 'why', n: 3 });
    }
    assert.equal(new Set(classes.map((C) => new C('x').code)).size, Object.keys(ErrorCode).length);
  });

  it('keep aborts as AbortError DOMExceptions', () => {
    const copy = deserializeError(serializeError(new DOMException('stop', 'AbortError')));
    assert.ok(copy instanceof DOMException);
    assert.ok(isAbortError(copy));
  });

  it('keep the name and message of foreign errors, and stringify non-errors', () => {
    const copy = deserializeError(serializeError(new TypeError('bad type')));
    assert.equal(copy.name, 'TypeError');
    assert.equal(copy.message, 'bad type');
    assert.equal(deserializeError(serializeError('plain string')).message, 'plain string');
  });

  it('throwIfAborted throws the signal\'s AbortError, and nothing otherwise', () => {
    throwIfAborted(undefined);
    throwIfAborted(new AbortController().signal);
    const controller = new AbortController();
    controller.abort();
    assert.throws(() => throwIfAborted(controller.signal), (e: unknown) => isAbortError(e));
  });
});

// How a failed photo is listed: its name once, then why (issue 11: "not-a-photo.jpg: not-a-photo.jpg: the file is text…").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureOf } from '../../src/workspace/ingest-batch.ts';

describe('failureOf', () => {
  it('does not repeat the file name that the error message already starts with', () => {
    const failure = failureOf({ ok: false, name: 'not-a-photo.jpg', error: { name: 'DecodeError', code: 'decode', message: 'not-a-photo.jpg: the file is text, not an image' } });
    assert.deepEqual(failure, { name: 'not-a-photo.jpg', code: 'decode', message: 'the file is text, not an image' });
  });

  it('keeps a message that does not start with the name as it is', () => {
    const failure = failureOf({ ok: false, name: 'a.jpg', error: { name: 'NoFaceError', code: 'no-face', message: 'no face found in this photo' } });
    assert.equal(failure.message, 'no face found in this photo');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { concatBytes } from '../../src/runtime/bytes.ts';

describe('concatBytes', () => {
  it('joins parts in order, views at an offset included', () => {
    const backing = Uint8Array.from([9, 9, 3, 4, 9]);
    assert.deepEqual(concatBytes([Uint8Array.from([1, 2]), backing.subarray(2, 4), new Uint8Array(0), Uint8Array.from([5])]), Uint8Array.from([1, 2, 3, 4, 5]));
  });

  it('gives an empty array for no parts, and a single part itself', () => {
    assert.deepEqual(concatBytes([]), new Uint8Array(0));
    const only = Uint8Array.from([7, 8]);
    assert.equal(concatBytes([only]), only);
  });
});

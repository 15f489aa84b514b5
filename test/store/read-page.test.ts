import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readPageChunks } from '../../src/store/embeddings.ts';

describe('readPageChunks', () => {
  it('reads about 32,768 vectors a transaction: 8 chunks of 1,000 or 4,096, 4 of 8,192, 3 of 10,000, one of 100,000', () => {
    assert.deepEqual([1000, 4096, 8192, 10_000, 100_000].map(readPageChunks), [8, 8, 4, 3, 1]);
  });

  it('never takes more than 8 chunks, however small they are', () => {
    assert.deepEqual([1, 3, 0].map(readPageChunks), [8, 8, 8]);
  });
});

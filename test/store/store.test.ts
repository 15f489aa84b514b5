/**
 * The store suite in Node on fake-indexeddb, plus what only Node can set up: a transaction that the
 * database aborts with QuotaExceededError.
 */
import 'fake-indexeddb/auto';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { StorageError } from '../../src/errors.ts';
import { FaceStore, StorageFailure } from '../../src/store/index.ts';
import { deleteDatabase, makeBatch, uniqueName } from './fixtures.ts';
import './store.portable.ts';
import './migrate.portable.ts';
import './compound.portable.ts';
import './import-hostile.portable.ts';

describe('FaceStore in Node: quota', () => {
  let store: FaceStore;
  const realPut = IDBObjectStore.prototype.put;

  beforeEach(async () => {
    store = await FaceStore.open(uniqueName());
  });

  afterEach(async () => {
    IDBObjectStore.prototype.put = realPut;
    store.close();
    await deleteDatabase(store.name);
  });

  it('turns QuotaExceededError into StorageError "quota-exceeded" and loses nothing stored before', async () => {
    const first = makeBatch({ seed: 1, photos: 3, facesPerPhoto: 1, dimension: 8 });
    await store.addBatch(first);
    // fake-indexeddb has no quota: make the database abort the transaction as a full disk does
    // (the requests fail with AbortError, the transaction's error is QuotaExceededError).
    let puts = 0;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      const request = realPut.apply(this, args);
      if (++puts === 5) (this.transaction as unknown as { _abort(name: string): void })._abort('QuotaExceededError');
      return request;
    };
    await assert.rejects(store.addBatch(makeBatch({ seed: 2, photos: 4, facesPerPhoto: 1, dimension: 8 })), (error: unknown) => {
      assert.ok(error instanceof StorageError, String(error));
      assert.equal(error.details?.reason, StorageFailure.QuotaExceeded);
      assert.match(error.message, /quota/);
      return true;
    });
    assert.ok(puts >= 5);
    IDBObjectStore.prototype.put = realPut;
    assert.deepEqual(await store.listPhotos(), first.photos);
    assert.equal(await store.countEmbeddings('test-model'), 3);
  });
});

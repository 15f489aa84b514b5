/**
 * Photo previews in the store (Node, fake-indexeddb): kept with their photo, checked like thumbnails, carried by
 * export and import, gained by a photo stored without one when it is added again, and gone after Erase.
 */
import 'fake-indexeddb/auto';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { InvalidInputError } from '../../src/errors.ts';
import { FaceStore } from '../../src/store/index.ts';
import type { FaceBatch, Thumbnail } from '../../src/store/types.ts';
import { canMakePreviews, previewSize } from '../../src/workspace/photo-preview.ts';
import { deleteDatabase, makeBatch, uniqueName } from './fixtures.ts';

const preview = (fill: number): Thumbnail => ({ type: 'image/webp', bytes: new Uint8Array(64).fill(fill), width: 1024, height: 768 });

/** `batch` with a preview on every photo. */
function withPreviews(batch: FaceBatch, fill: number): FaceBatch {
  return { ...batch, photos: batch.photos.map((p) => ({ ...p, preview: preview(fill) })) };
}

describe('photo previews in the store', () => {
  const names: string[] = [];
  const open = async (): Promise<FaceStore> => {
    const name = uniqueName('photo-preview-test');
    names.push(name);
    return FaceStore.open(name);
  };
  afterEach(async () => {
    for (const name of names.splice(0)) await deleteDatabase(name);
  });

  it('keeps a photo\'s preview with it, refuses a malformed one, and carries it through export and import', async () => {
    const store = await open();
    const batch = withPreviews(makeBatch({ seed: 1, photos: 2, facesPerPhoto: 1, dimension: 8 }), 7);
    await store.addBatch(batch);
    const hash = batch.photos[0]!.hash;
    assert.deepEqual((await store.getPhoto(hash))?.preview, preview(7));
    const bad = withPreviews(makeBatch({ seed: 2, photos: 1, facesPerPhoto: 1, dimension: 8 }), 1);
    (bad.photos[0]!.preview as unknown as { type: string }).type = 'image/bmp';
    await assert.rejects(store.addBatch(bad), (e: unknown) => e instanceof InvalidInputError && /photos\[0\]\.preview\.type/.test(e.message));
    const file = await store.exportToBytes({ modelId: 'test-model' });
    const other = await open();
    await other.importFromBytes(file);
    assert.deepEqual((await other.getPhoto(hash))?.preview, preview(7));
    store.close();
    other.close();
  });

  it('gives a photo stored without a preview the one it comes with when added again, and keeps one it has', async () => {
    const store = await open();
    const batch = makeBatch({ seed: 3, photos: 2, facesPerPhoto: 1, dimension: 8 });
    await store.addBatch(batch);
    assert.equal((await store.getPhoto(batch.photos[0]!.hash))?.preview, undefined);
    const again = await store.addBatch(withPreviews(batch, 9));
    assert.deepEqual(again.skippedPhotos.length, 2, 'nothing else is added');
    assert.equal(await store.countFaces(), 2);
    const regained = await store.getPhoto(batch.photos[0]!.hash);
    assert.deepEqual(regained?.preview, preview(9));
    assert.deepEqual(regained?.faceIds, batch.photos[0]!.faceIds);
    await store.addBatch(withPreviews(batch, 3));
    assert.deepEqual((await store.getPhoto(batch.photos[0]!.hash))?.preview, preview(9), 'a kept preview stays');
    store.close();
  });

  it('is gone after Erase', async () => {
    const store = await open();
    const batch = withPreviews(makeBatch({ seed: 4, photos: 1, facesPerPhoto: 1, dimension: 8 }), 5);
    await store.addBatch(batch);
    await store.erase();
    const reopened = await FaceStore.open(store.name);
    assert.equal(await reopened.getPhoto(batch.photos[0]!.hash), undefined);
    assert.equal(await reopened.countPhotos(), 0);
    reopened.close();
  });
});

describe('photo previews outside the store', () => {
  it('are scaled to 1,024 px on the longer side, never up', () => {
    assert.deepEqual(previewSize(4032, 3024), { width: 1024, height: 768 });
    assert.deepEqual(previewSize(3024, 4032), { width: 768, height: 1024 });
    assert.deepEqual(previewSize(250, 250), { width: 250, height: 250 });
    assert.deepEqual(previewSize(20000, 10), { width: 1024, height: 1 });
  });

  it('are not made in Node (no createImageBitmap), so photos are kept without one there', () => {
    assert.equal(canMakePreviews(), false);
  });
});

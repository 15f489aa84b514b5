/**
 * Cancelling a write through its AbortSignal in Node: the caller gets an AbortError and the process sees
 * no unhandled rejection (which would end a CLI or a server).
 */
import 'fake-indexeddb/auto';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { FaceStore } from '../../src/store/index.ts';
import { deleteDatabase, makeBatch, uniqueName } from './fixtures.ts';

describe('FaceStore in Node: cancelling', () => {
  let store: FaceStore;
  let unhandled: unknown[];
  const record = (reason: unknown): void => {
    unhandled.push(reason);
  };

  beforeEach(async () => {
    unhandled = [];
    process.on('unhandledRejection', record);
    store = await FaceStore.open(uniqueName());
  });

  afterEach(async () => {
    process.off('unhandledRejection', record);
    store.close();
    await deleteDatabase(store.name);
  });

  /** Lets Node run its unhandled-rejection check (it runs after the microtask queue drains). */
  async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await nextMacrotask();
  }

  /** Aborts `controller` after `ticks` macrotasks, i.e. while the write's transaction is in flight. */
  function abortAfter(controller: AbortController, ticks: number): void {
    let n = 0;
    const tick = (): void => {
      if (n++ >= ticks) controller.abort();
      else setImmediate(tick);
    };
    setImmediate(tick);
  }

  it('aborting addBatch at any point rejects with AbortError and leaves no unhandled rejection', async () => {
    for (let ticks = 0; ticks < 40; ticks++) {
      const controller = new AbortController();
      const writing = store.addBatch(makeBatch({ seed: ticks, photos: 20, facesPerPhoto: 2, dimension: 4 }), { signal: controller.signal });
      abortAfter(controller, ticks);
      const outcome = await writing.then(() => 'written', (error: unknown) => (error as Error).name);
      await settle();
      assert.deepEqual(unhandled, [], `abort after ${ticks} ticks (${outcome})`);
    }
  });

  it('aborting an import at any point rejects with AbortError and leaves no unhandled rejection', async () => {
    const source = await FaceStore.open(uniqueName());
    try {
      await source.addBatch(makeBatch({ seed: 20, photos: 30, facesPerPhoto: 2, dimension: 4 }));
      const bytes = await source.exportToBytes();
      let aborted = 0;
      for (let ticks = 0; ticks < 40; ticks++) {
        const target = await FaceStore.open(uniqueName());
        try {
          const controller = new AbortController();
          const importing = target.importFromBytes(bytes, { signal: controller.signal });
          abortAfter(controller, ticks);
          const outcome = await importing.then(() => 'written', (error: unknown) => (error as Error).name);
          if (outcome === 'AbortError') {
            aborted++;
            assert.equal(await target.countPhotos(), 0);
          }
          await settle();
          assert.deepEqual(unhandled, [], `abort after ${ticks} ticks (${outcome})`);
        } finally {
          target.close();
          await deleteDatabase(target.name);
        }
      }
      assert.ok(aborted > 0, 'some imports were aborted');
    } finally {
      source.close();
      await deleteDatabase(source.name);
    }
  });
});

/**
 * importInWorker in Chromium: the import runs in the bundled import worker (served as /import-worker.js by
 * import-worker.browser.test.ts) against the page's database, with progress, refusals that keep their class
 * and reason, and cancellation that rolls the import back.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { InvalidInputError, UnsupportedEnvironmentError } from '../../src/errors.ts';
import { FaceStore, ImportFailure, importInWorker, type ImportProgress } from '../../src/store/index.ts';
import { deleteDatabase, hostileExport, makeBatch, makeRun, snapshot, uniqueName } from './fixtures.ts';

const workerUrl = '/import-worker.js';
let source: FaceStore;
let target: FaceStore;

beforeEach(async () => {
  source = await FaceStore.open(uniqueName());
  target = await FaceStore.open(uniqueName());
});

afterEach(async () => {
  for (const s of [source, target]) {
    s.close();
    await deleteDatabase(s.name);
  }
});

async function exported(photos: number): Promise<Uint8Array> {
  const batch = makeBatch({ seed: 120, photos, facesPerPhoto: 2, dimension: 32 });
  await source.addBatch(batch);
  await source.saveRun(makeRun('run-1', batch.faces.map((f) => f.id), 3, 32));
  return source.exportToBytes();
}

describe('importInWorker', () => {
  it('imports a File in the worker into the page\'s database, reporting each phase', async () => {
    const bytes = await exported(20);
    const phases: ImportProgress['phase'][] = [];
    const result = await importInWorker(new File([bytes as BlobPart], 'export.fap'), {
      workerUrl,
      dbName: target.name,
      onProgress: (p) => phases.push(p.phase),
    });
    assert.deepEqual(result.added, { photos: 20, faces: 40, embeddings: 40, runs: 1, clusterNames: 0, probes: 0, identityGroups: 0, corrections: 0 });
    assert.deepEqual(phases, ['reading', 'checking', 'writing']);
    // The page's own connection sees what the worker wrote.
    assert.deepEqual(await snapshot(target), await snapshot(source));
    // Bytes work too (transferred).
    const again = await importInWorker(bytes.slice(), { workerUrl, dbName: target.name });
    assert.equal(again.added.photos, 0);
  });

  it('refuses a hostile file with its class and reason intact, writing nothing', async () => {
    await target.addBatch(makeBatch({ seed: 121, photos: 2, facesPerPhoto: 1, dimension: 4 }));
    const before = await snapshot(target);
    await assert.rejects(importInWorker(new Blob([hostileExport(200_000) as BlobPart]), { workerUrl, dbName: target.name }), (error: unknown) => {
      assert.ok(error instanceof InvalidInputError, String(error));
      assert.equal(error.details?.reason, ImportFailure.InvalidRecord);
      assert.match(error.message, /photos\[0\]/);
      return true;
    });
    assert.deepEqual(await snapshot(target), before);
  });

  it('cancels through the AbortSignal: AbortError, and the import rolled back', async () => {
    const bytes = await exported(1500);
    const before = await snapshot(target);
    // Aborted before it started: nothing is even sent.
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(importInWorker(new Blob([bytes as BlobPart]), { workerUrl, dbName: target.name, signal: controller.signal }), (e: unknown) => (e as Error).name === 'AbortError');
    const late = new AbortController();
    await assert.rejects(
      importInWorker(new Blob([bytes as BlobPart]), {
        workerUrl,
        dbName: target.name,
        signal: late.signal,
        // The worker decodes the whole file after saying 'checking'; the cancel waits for it and stops the write.
        onProgress: (p) => {
          if (p.phase === 'checking') late.abort();
        },
      }),
      (e: unknown) => (e as Error).name === 'AbortError',
    );
    assert.deepEqual(await snapshot(target), before);
  });

  it('names the worker and its address when the worker script cannot be loaded, writing nothing', async () => {
    const bytes = await exported(2);
    const before = await snapshot(target);
    await assert.rejects(
      importInWorker(bytes, { dbName: target.name, workerUrl: '/no-such-import-worker.js' }),
      (e: unknown) => e instanceof UnsupportedEnvironmentError && /^the import worker \(\/no-such-import-worker\.js\) failed: /.test(e.message),
    );
    assert.deepEqual(await snapshot(target), before);
  });
});

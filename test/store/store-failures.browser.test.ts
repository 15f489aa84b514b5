/**
 * Failures only a real browser produces: a full storage quota (Chromium's real QuotaExceededError,
 * via CDP Storage.overrideQuotaForOrigin) and a tab that dies in the middle of a batch (CDP Page.crash
 * while the batch's transaction is open). In both, nothing of the failed batch may remain and
 * everything stored before must.
 */
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import { projectRoot } from '../helpers/datasets.ts';

type Browser = Awaited<ReturnType<typeof launchChromium>>;

/**
 * Serves the page and its bundle; GET /halfway is never answered (until the test ends), so a page
 * that requests it with a synchronous XHR hangs right there, and the request tells the test it arrived.
 */
async function startServer(dir: string): Promise<{ url: string; halfway: Promise<void>; close: () => Promise<void> }> {
  const held: ServerResponse[] = [];
  let arrived = (): void => {};
  const halfway = new Promise<void>((resolve) => (arrived = resolve));
  const page = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="store.js"></script>';
  const server = createServer(async (req, res) => {
    if (req.url === '/halfway') {
      held.push(res);
      arrived();
      return;
    }
    if (req.url === '/store.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(await readFile(join(dir, 'store.js')));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    halfway,
    close: () =>
      new Promise((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
type Server = Awaited<ReturnType<typeof startServer>>;

/** What the page exposes (see the entry below). */
interface PageApi {
  FaceStore: typeof import('../../src/store/index.ts').FaceStore;
  makeBatch: typeof import('./fixtures.ts').makeBatch;
  batchThatHangsHalfway: () => Promise<void>;
}

const skip = hasChromium() ? false : 'Chromium not found at /usr/bin/chromium: browser failure tests skipped';
if (skip && process.env.CI === 'true') throw new Error(`CI=true and ${skip}`);

describe('FaceStore in Chromium: quota and crashed tabs', { skip }, () => {
  let dir: string;
  let server: Server;
  let browser: Browser;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fap-store-failures-'));
    await build({
      stdin: {
        contents: `import { FaceStore } from './src/store/index.ts';
import { makeBatch } from './test/store/fixtures.ts';
// Adds a batch to 'crash-test' that, half-way through queueing its records in the open
// transaction, blocks on a synchronous request the test server never answers, so the transaction
// cannot commit, and the request tells the test it got there. (Defined here rather than passed to
// page.evaluate, where tsx's name-keeping helper would not exist.)
async function batchThatHangsHalfway() {
  const store = await FaceStore.open('crash-test');
  const batch = makeBatch({ seed: 4, photos: 4000, facesPerPhoto: 1, dimension: 64 });
  await store.addBatch(batch, {
    onProgress: ({ done, total }) => {
      if (done < total / 2) return;
      const xhr = new XMLHttpRequest();
      xhr.open('GET', '/halfway', false);
      xhr.send();
    },
  });
}
Object.assign(globalThis, { FaceStore, makeBatch, batchThatHangsHalfway });`,
        resolveDir: projectRoot,
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: join(dir, 'store.js'),
      logLevel: 'error',
    });
    server = await startServer(dir);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function openPage(): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => 'FaceStore' in globalThis);
    return page;
  }

  /** Photo count, vector count, and the photo names of the database `name`. */
  async function contents(page: Page, name: string): Promise<{ photos: number; vectors: number; names: string[] }> {
    return page.evaluate(async (dbName) => {
      const api = globalThis as unknown as PageApi;
      const store = await api.FaceStore.open(dbName);
      try {
        const photos = await store.listPhotos();
        return { photos: photos.length, vectors: await store.countEmbeddings('test-model'), names: photos.map((p) => p.name) };
      } finally {
        store.close();
      }
    }, name);
  }

  it('a batch over the quota fails with StorageError "quota-exceeded" and nothing stored before is lost', async () => {
    const page = await openPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(server.url).origin, quotaSize: 4 * 1024 * 1024 });
    try {
      const outcome = await page.evaluate(async () => {
        const api = globalThis as unknown as PageApi;
        const store = await api.FaceStore.open('quota-test');
        try {
          await store.addBatch(api.makeBatch({ seed: 1, photos: 10, facesPerPhoto: 1, dimension: 1024 }));
          try {
            // ~8 MB of vectors against a 4 MB quota.
            await store.addBatch(api.makeBatch({ seed: 2, photos: 2000, facesPerPhoto: 1, dimension: 1024 }));
            return { error: 'none' };
          } catch (error) {
            const e = error as { name: string; code?: string; details?: { reason?: string }; message: string };
            return { error: e.name, code: e.code, reason: e.details?.reason, message: e.message };
          }
        } finally {
          store.close();
        }
      });
      assert.equal(outcome.error, 'StorageError', JSON.stringify(outcome));
      assert.equal(outcome.reason, 'quota-exceeded', JSON.stringify(outcome));
      assert.deepEqual(await contents(page, 'quota-test'), {
        photos: 10,
        vectors: 10,
        names: Array.from({ length: 10 }, (_, i) => `photo-1-${i}.jpg`),
      });
    } finally {
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(server.url).origin });
      await page.evaluate(() => indexedDB.deleteDatabase('quota-test'));
      await page.close();
    }
  });

  it('a tab that dies in the middle of a batch leaves none of it', async () => {
    const page = await openPage();
    await page.evaluate(async () => {
      const api = globalThis as unknown as PageApi;
      const store = await api.FaceStore.open('crash-test');
      await store.addBatch(api.makeBatch({ seed: 3, photos: 5, facesPerPhoto: 1, dimension: 64 }));
      store.close();
    });
    // Attached now: a session cannot be set up once the page's main thread is blocked.
    const cdp = await browser.context.newCDPSession(page);
    // Not awaited: the page hangs inside the batch's open transaction until it is crashed.
    void page
      .evaluate(() => (globalThis as unknown as PageApi).batchThatHangsHalfway())
      .catch(() => undefined); // The crash rejects this evaluate; that is the point of the test.
    await server.halfway;
    const crashed = new Promise<void>((resolve) => page.once('crash', () => resolve()));
    // Not awaited: the target dies without answering; the page's crash event is the answer.
    void cdp.send('Page.crash').catch(() => undefined);
    await crashed;
    const fresh = await openPage();
    try {
      assert.deepEqual(await contents(fresh, 'crash-test'), {
        photos: 5,
        vectors: 5,
        names: Array.from({ length: 5 }, (_, i) => `photo-3-${i}.jpg`),
      });
    } finally {
      await fresh.evaluate(() => indexedDB.deleteDatabase('crash-test'));
      await fresh.close();
    }
  });
});

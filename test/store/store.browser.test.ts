/** The store's core suite (store.portable.ts) in real headless Chromium IndexedDB. */
import { it } from 'node:test';
import { runInChromium } from '../helpers/browser-suite.ts';

it('store suite in Chromium', { timeout: 300_000 }, async (t) => {
  await runInChromium(t, { files: ['test/store/store.portable.ts', 'test/store/migrate.portable.ts', 'test/store/compound.portable.ts', 'test/store/import-hostile.portable.ts'] });
});

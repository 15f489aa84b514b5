/** importInWorker (import-worker.portable.ts) in real headless Chromium, with the import worker bundled beside it. */
import { it } from 'node:test';
import { runInChromium } from '../helpers/browser-suite.ts';

it('import worker in Chromium', { timeout: 300_000 }, async (t) => {
  await runInChromium(t, { files: ['test/store/import-worker.portable.ts'], entries: { 'import-worker': 'src/store/import-worker.ts' } });
});

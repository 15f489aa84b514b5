/** worker-download.portable.ts in headless Chromium, with the inference worker bundled beside it. */
import { test } from 'node:test';
import { runInChromium } from '../helpers/browser-suite.ts';

test('the inference worker reports its first download (Chromium)', { timeout: 300_000 }, async (t) => {
  await runInChromium(t, { files: ['test/embedding/worker-download.portable.ts'], entries: { worker: 'src/embedding/worker.ts' }, timeoutMs: 240_000 });
});

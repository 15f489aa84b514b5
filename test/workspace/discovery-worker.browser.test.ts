/** discoverInWorker (discovery-worker.portable.ts) in real headless Chromium, with the discovery worker bundled beside it. */
import { it } from 'node:test';
import { runInChromium } from '../helpers/browser-suite.ts';

it('discovery worker in Chromium', { timeout: 300_000 }, async (t) => {
  await runInChromium(t, { files: ['test/workspace/discovery-worker.portable.ts'], entries: { 'discovery-worker': 'src/workspace/discovery-worker.ts' } });
});

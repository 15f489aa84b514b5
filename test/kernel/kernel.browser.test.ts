/** The kernel suite (kernel.portable.ts) in real headless Chromium: the product runs there. */
import { it } from 'node:test';
import { runInChromium } from '../helpers/browser-suite.ts';

it('kernel suite in Chromium', { timeout: 300_000 }, async (t) => {
  await runInChromium(t, { files: ['test/kernel/kernel.portable.ts'] });
});

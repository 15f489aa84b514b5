/** The people-corrections component suite (people-corrections.portable.ts) in headless Chromium, with an injected fake engine. */
import { test } from 'node:test';
import { runInChromium } from '../helpers/browser-suite.ts';

test('<face-attribute-probe> people corrections in Chromium', { timeout: 300_000 }, async (t) => {
  await runInChromium(t, { files: ['test/components/people-corrections.portable.ts'], timeoutMs: 240_000 });
});

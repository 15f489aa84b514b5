/** The face-model picker suite (model-switch.portable.ts) in headless Chromium, with fake engines. */
import { test } from 'node:test';
import { runInChromium } from '../helpers/browser-suite.ts';

test('<face-attribute-probe> switches face models in Chromium', { timeout: 300_000 }, async (t) => {
  await runInChromium(t, { files: ['test/components/model-switch.portable.ts'], timeoutMs: 240_000 });
});

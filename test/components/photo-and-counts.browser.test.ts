/** photo-and-counts.portable.ts and first-visit.portable.ts in headless Chromium, with an injected fake engine. */
import { test } from 'node:test';
import { runInChromium } from '../helpers/browser-suite.ts';

test('a face opens its photo; counts agree during ingestion; a first visit shows its download (Chromium)', { timeout: 300_000 }, async (t) => {
  await runInChromium(t, { files: ['test/components/photo-and-counts.portable.ts', 'test/components/first-visit.portable.ts'], timeoutMs: 240_000 });
});

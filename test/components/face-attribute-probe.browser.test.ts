/** The component suites (face-attribute-probe.portable.ts, session-safety.portable.ts) in headless Chromium, with an injected fake engine. */
import { test } from 'node:test';
import { runInChromium } from '../helpers/browser-suite.ts';

test('<face-attribute-probe> in Chromium', { timeout: 300_000 }, async (t) => {
  await runInChromium(t, { files: ['test/components/face-attribute-probe.portable.ts', 'test/components/session-safety.portable.ts'], timeoutMs: 240_000,
    // The element finds its discovery worker beside the inference worker: the folder of the test bundle.
    entries: { 'face-probe-discovery-worker': 'src/workspace/discovery-worker.ts' } });
});

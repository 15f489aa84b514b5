/** The map of every face (face-map.portable.ts) in headless Chromium: WebGL2 drawing, hover, selection, the worker. */
import { test } from 'node:test';
import { runInChromium } from '../helpers/browser-suite.ts';

test('the map of every face in Chromium', { timeout: 300_000 }, async (t) => {
  await runInChromium(t, {
    files: ['test/components/face-map.portable.ts'],
    entries: { 'face-probe-map-worker': 'src/analysis/projection/projection-worker.ts' },
    timeoutMs: 240_000,
  });
});

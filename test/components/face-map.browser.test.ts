/**
 * The map of every face in headless Chromium: WebGL2 drawing, hover, selection and the worker (face-map.portable.ts),
 * and the map inside the element (map-hook.portable.ts).
 */
import { test } from 'node:test';
import { runInChromium } from '../helpers/browser-suite.ts';

test('the map of every face in Chromium', { timeout: 300_000 }, async (t) => {
  await runInChromium(t, {
    files: ['test/components/face-map.portable.ts', 'test/components/map-hook.portable.ts'],
    entries: { 'face-probe-map-worker': 'src/analysis/projection/projection-worker.ts' },
    timeoutMs: 240_000,
  });
});

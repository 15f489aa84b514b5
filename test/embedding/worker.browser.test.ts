import { test } from 'node:test';
import { runInChromium } from '../helpers/browser-suite.ts';
import { datasetOrSkip } from '../helpers/datasets.ts';

test('the inference worker in Chromium', async (t) => {
  if (!datasetOrSkip(t, 'smoke')) return;
  await runInChromium(t, {
    files: ['test/embedding/worker.portable.ts'],
    entries: { worker: 'src/embedding/worker.ts' },
  });
});

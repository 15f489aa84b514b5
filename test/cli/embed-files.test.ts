// Embedding files through the cache with an engine that stands in for the real one (no inference): what the cache
// key must separate (issue 13, item 23: `--align dlib-5` must not reuse dlib-68 vectors).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embedFiles } from '../../src/cli/embed-files.ts';
import type { FaceEngine } from '../../src/embedding/engine.ts';
import type { ImageInput } from '../../src/embedding/types.ts';
import { syntheticOutcome } from '../helpers/synthetic-outcomes.ts';

/** An engine that returns a made-up face per image and counts the images it was asked to process. */
function countingEngine(info: { modelId: string; detector: string; alignment: string }) {
  const engine = {
    processed: 0,
    info: { ...info, dimension: 128, backend: 'node', backendReason: 'test' },
    async processImage(input: ImageInput) {
      engine.processed++;
      return { ...syntheticOutcome(engine.processed, 1), name: input.name, hash: input.hash ?? '' };
    },
    reuse: <T>(cached: T): T => cached,
    async dispose() {},
  };
  return engine as typeof engine & FaceEngine;
}

let dir: string;
let photos: string[];
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fap-embed-files-'));
  photos = [];
  for (let i = 0; i < 3; i++) {
    const path = join(dir, `photo-${i}.jpg`);
    // A JPEG signature is all the reader checks; the stand-in engine never decodes.
    await writeFile(path, Buffer.from([0xff, 0xd8, 0xff, 0xe0, i]));
    photos.push(path);
  }
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('embedFiles and the cache key', () => {
  const dlib68 = { modelId: 'face-api-face-recognition', detector: 'auto', alignment: 'dlib-68' };

  it('reuses cached results for the same model, detector and alignment', async () => {
    const cacheDir = join(dir, 'same');
    const first = countingEngine(dlib68);
    await embedFiles(first, photos, { cacheDir, quiet: true });
    const second = countingEngine(dlib68);
    const again = await embedFiles(second, photos, { cacheDir, quiet: true });
    assert.equal(first.processed, 3);
    assert.equal(second.processed, 0);
    assert.equal(again.cached, 3);
  });

  for (const [what, change] of [['alignment', { alignment: 'dlib-5' }], ['detector', { detector: 'tiny' }], ['model', { modelId: 'other-model' }]] as const) {
    it(`does not reuse results when the ${what} differs`, async () => {
      const cacheDir = join(dir, what);
      await embedFiles(countingEngine(dlib68), photos, { cacheDir, quiet: true });
      const other = countingEngine({ ...dlib68, ...change });
      const run = await embedFiles(other, photos, { cacheDir, quiet: true });
      assert.equal(run.cached, 0, `no result of the first ${what} is reused`);
      assert.equal(other.processed, 3);
    });
  }
});

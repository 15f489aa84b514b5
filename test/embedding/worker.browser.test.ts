import { test } from 'node:test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { runInChromium } from '../helpers/browser-suite.ts';
import { datasetOrSkip } from '../helpers/datasets.ts';
import { pastedFace } from '../vision/generated-images.ts';

test('the inference worker in Chromium', async (t) => {
  const smoke = datasetOrSkip(t, 'smoke');
  if (!smoke) return;
  // Generated at test time, served as /generated/: an animated GIF whose first frame is a smoke photo and
  // whose second frame is flat grey (no face), so only a decoder that takes the first frame finds the face;
  // and a large photo with a small face.
  const dir = await mkdtemp(join(tmpdir(), 'fap-worker-'));
  try {
    const photo = await sharp(join(smoke, 'images', 'lfw_Alejandro_Toledo_0004.jpg')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const { width, height } = photo.info;
    const frames = Buffer.concat([photo.data, Buffer.alloc(width * height * 3, 128)]);
    const gif = await sharp(frames, { raw: { width, height: height * 2, channels: 3, pageHeight: height } }).gif({ delay: [200, 200] }).toBuffer();
    await writeFile(join(dir, 'toledo-animated.gif'), gif);
    // A 3000 × 2000 landscape with a ~97 px face: found only in tiles.
    await writeFile(join(dir, 'small-face.jpg'), await pastedFace(join(smoke, 'images', 'utk_male_white_35.jpg'), { width: 3000, height: 2000, side: 120, left: 2150, top: 1350 }));
    await runInChromium(t, {
      files: ['test/embedding/worker.portable.ts'],
      entries: { worker: 'src/embedding/worker.ts' },
      mounts: { '/generated/': dir },
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

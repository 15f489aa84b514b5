import { test } from 'node:test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { runInChromium } from '../helpers/browser-suite.ts';
import { datasetOrSkip } from '../helpers/datasets.ts';

test('the inference worker in Chromium', async (t) => {
  const smoke = datasetOrSkip(t, 'smoke');
  if (!smoke) return;
  // Generated at test time, served as /generated/: an animated GIF whose first frame is a smoke photo and
  // whose second frame is flat grey (no face), so only a decoder that takes the first frame finds the face.
  const dir = await mkdtemp(join(tmpdir(), 'fap-worker-'));
  try {
    const photo = await sharp(join(smoke, 'images', 'lfw_Alejandro_Toledo_0004.jpg')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const { width, height } = photo.info;
    const frames = Buffer.concat([photo.data, Buffer.alloc(width * height * 3, 128)]);
    const gif = await sharp(frames, { raw: { width, height: height * 2, channels: 3, pageHeight: height } }).gif({ delay: [200, 200] }).toBuffer();
    await writeFile(join(dir, 'toledo-animated.gif'), gif);
    await runInChromium(t, {
      files: ['test/embedding/worker.portable.ts'],
      entries: { worker: 'src/embedding/worker.ts' },
      mounts: { '/generated/': dir },
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

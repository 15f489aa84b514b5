// The real engine in Node on real photos: every face of a group photo, alignment onto the template, the same
// photo giving the same embedding, and the same person closer than different people.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { createNodeEngine } from '../../src/embedding/node-engine.ts';
import type { FaceEngine } from '../../src/embedding/engine.ts';
import type { ImageResult } from '../../src/embedding/types.ts';
import { applySimilarity, chipTransform, invertSimilarity, templatePoint } from '../../src/vision/align.ts';
import { datasetOrSkip, projectRoot } from '../helpers/datasets.ts';
import { gradientPixels, jpegOf, landscapePixels, noisePixels, pastedFace } from '../vision/generated-images.ts';

const faceApiDemo = join(dirname(createRequire(join(projectRoot, 'package.json')).resolve('@vladmandic/face-api/package.json')), 'demo');

function distance(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

let engine: FaceEngine;
before(async () => {
  engine = await createNodeEngine();
});
after(async () => {
  await engine?.dispose();
});

async function embed(path: string): Promise<ImageResult> {
  const outcome = await engine.processImage({ name: path, bytes: readFileSync(path) });
  assert.ok(outcome.ok, `${path}: ${outcome.ok ? '' : outcome.error.message}`);
  return outcome;
}

describe('the Node engine on real photos', () => {
  it('finds every face of a group photo, largest first, each with its own embedding', async () => {
    const result = await embed(join(faceApiDemo, 'sample1.jpg'));
    assert.ok(result.faces.length >= 3, `${result.faces.length} faces`);
    const areas = result.faces.map((f) => f.box.width * f.box.height);
    assert.deepEqual(areas, [...areas].sort((a, b) => b - a));
    assert.ok(result.faces.every((f) => f.foundBy === 'detected'));
    assert.ok(distance(result.faces[0]!.embedding, result.faces[1]!.embedding) > 0.3, 'different people, different vectors');
  });

  it('aligns the eyes and nose onto the template', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    const face = (await embed(join(smoke, 'images', 'lfw_Alejandro_Toledo_0004.jpg'))).faces[0]!;
    // Landmarks mapped into the chip land within a few pixels of dlib's template.
    const toChip = invertSimilarity(chipTransform(face.landmarks));
    for (const i of [36, 39, 42, 45, 30, 33]) {
      const p = applySimilarity(toChip, { x: face.landmarks[2 * i]!, y: face.landmarks[2 * i + 1]! });
      const q = templatePoint(i);
      assert.ok(Math.hypot(p.x - q.x, p.y - q.y) < 6, `landmark ${i} is ${Math.hypot(p.x - q.x, p.y - q.y).toFixed(1)} px from the template`);
    }
  });

  it('gives the same embedding for the same photo, and puts the same person closer than other people', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    const at = (name: string) => join(smoke, 'images', name);
    const a1 = (await embed(at('lfw_Alejandro_Toledo_0004.jpg'))).faces[0]!.embedding;
    const a1again = (await embed(at('lfw_Alejandro_Toledo_0004.jpg'))).faces[0]!.embedding;
    assert.equal(distance(a1, a1again), 0);
    const toledo = ['0007', '0013', '0020', '0030'].map(async (n) => (await embed(at(`lfw_Alejandro_Toledo_${n}.jpg`))).faces[0]!.embedding);
    const others = ['utk_male_white_35.jpg', 'utk_male_indian_28.jpg', 'utk_male_other_35.jpg', 'utk_male_asian_29.jpg'].map(async (f) => (await embed(at(f))).faces[0]!.embedding);
    const same = (await Promise.all(toledo)).map((e) => distance(a1, e));
    const different = (await Promise.all(others)).map((e) => distance(a1, e));
    assert.ok(Math.max(...same) < Math.min(...different), `same person ≤ ${Math.max(...same).toFixed(3)} < different ≥ ${Math.min(...different).toFixed(3)}`);
  });
});

describe('other formats', () => {
  it('reads a GIF (its first frame) and finds the face; refuses HEIC with how to convert it', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    const path = join(smoke, 'images', 'lfw_Alejandro_Toledo_0004.jpg');
    const gif = new Uint8Array(await sharp(path).gif().toBuffer());
    const fromGif = await engine.processImage({ name: 'toledo.gif', bytes: gif });
    assert.ok(fromGif.ok, fromGif.ok ? '' : fromGif.error.message);
    assert.equal(fromGif.format, 'gif');
    assert.equal(fromGif.faces[0]?.foundBy, 'detected');
    assert.ok(distance(fromGif.faces[0]!.embedding, (await embed(path)).faces[0]!.embedding) < 0.25, 'the same face as the JPEG');
    const heic = new Uint8Array([0, 0, 0, 0x18, ...Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), ...new Uint8Array(64)]);
    const refused = await engine.processImage({ name: 'IMG_0001.HEIC', bytes: heic });
    assert.ok(!refused.ok);
    assert.match(refused.error.message, /HEIC photos \(iPhone\) cannot be read here yet: .*Most Compatible/);
  });
});

describe('the subject of a photo with several faces', () => {
  it('is the largest face, or with subject centre the one in the middle even when another is larger', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    const at = (name: string) => join(smoke, 'images', name);
    // Generated at test time: a large face in the top-left corner, a smaller one in the middle.
    const big = await sharp(at('utk_male_white_35.jpg')).resize(170, 170).toBuffer();
    const small = await sharp(at('utk_female_black_27.jpg')).resize(120, 120).toBuffer();
    const bytes = new Uint8Array(await sharp({ create: { width: 420, height: 320, channels: 3, background: '#8a8a8a' } })
      .composite([{ input: big, left: 0, top: 0 }, { input: small, left: 150, top: 100 }]).jpeg({ quality: 92 }).toBuffer());
    const own = async (name: string) => (await embed(at(name))).faces[0]!.embedding;
    const whose = (e: Float32Array, a: Float32Array, b: Float32Array) => (distance(e, a) < distance(e, b) ? 'big' : 'small');
    const [bigOwn, smallOwn] = [await own('utk_male_white_35.jpg'), await own('utk_female_black_27.jpg')];
    const all = await engine.processImage({ name: 'two.jpg', bytes });
    assert.ok(all.ok && all.faces.length === 2, `both faces found: ${all.ok ? all.faces.length : all.error.message}`);
    for (const [subject, expected] of [['largest', 'big'], ['centre', 'small']] as const) {
      const o = await engine.processImage({ name: 'two.jpg', bytes }, { subject });
      assert.ok(o.ok && o.faces.length === 1, subject);
      assert.equal(whose(o.faces[0]!.embedding, bigOwn, smallOwn), expected, subject);
    }
  });
});

describe('small faces in large photos', () => {
  // A real face pasted into a generated 3000 × 2000 landscape, its detector box 65–100 px wide (the UTKFace
  // chips at 120 px give ~97 px, the LFW photo at 200 px ~65 px): without tiles the first two were missed and
  // the third was found only at a lower threshold.
  for (const [name, side, left, top] of [
    ['utk_male_white_35.jpg', 120, 2150, 1350],
    ['utk_female_black_27.jpg', 120, 600, 400],
    ['lfw_Alejandro_Toledo_0013.jpg', 200, 1400, 900],
  ] as const) {
    it(`finds a small face in a 3000 × 2000 photo (${name}), and it is the same person`, async (t) => {
      const smoke = datasetOrSkip(t, 'smoke');
      if (!smoke) return;
      const path = join(smoke, 'images', name);
      const bytes = await pastedFace(path, { width: 3000, height: 2000, side, left, top });
      const o = await engine.processImage({ name: 'small-face.jpg', bytes });
      assert.ok(o.ok, o.ok ? '' : o.error.message);
      assert.deepEqual([o.width, o.height], [3000, 2000]);
      assert.equal(o.faces.length, 1, `one face: ${JSON.stringify(o.faces.map((f) => f.box))}`);
      const { box, foundBy } = o.faces[0]!;
      assert.equal(foundBy, 'detected', 'at the normal threshold');
      assert.ok(box.width > 60 && box.width < 130, `a face about 90 px wide in source pixels: ${box.width.toFixed(0)}`);
      const inside = (v: number, from: number) => v > from && v < from + side;
      assert.ok(inside(box.x + box.width / 2, left) && inside(box.y + box.height / 2, top), `inside the pasted photo: ${JSON.stringify(box)}`);
      const own = (await embed(path)).faces[0]!.embedding;
      const d = distance(o.faces[0]!.embedding, own);
      assert.ok(d < 0.5, `the same person: distance ${d.toFixed(3)}`);
      t.diagnostic(`${name}: box ${box.width.toFixed(0)} px, distance to the original ${d.toFixed(3)}`);
    });
  }

  it('still finds no face in a large photo without one', async () => {
    const bytes = await jpegOf(landscapePixels(3000, 2000, 5), 3000, 2000);
    const o = await engine.processImage({ name: 'large-landscape.jpg', bytes });
    assert.ok(!o.ok && o.error.code === 'no-face', o.ok ? `${o.faces.length} faces` : o.error.message);
  });
});

describe('photos without a face', () => {
  const faceless = async () => [
    { name: 'noise.jpg', bytes: await jpegOf(noisePixels(640, 480), 640, 480) },
    { name: 'gradient.jpg', bytes: await jpegOf(gradientPixels(640, 480), 640, 480) },
    { name: 'landscape.jpg', bytes: await jpegOf(landscapePixels(800, 500), 800, 500) },
    { name: 'small-noise.jpg', bytes: await jpegOf(noisePixels(200, 200, 3), 200, 200) },
  ];

  it('yield no face and say so, one failure per photo', async () => {
    for (const input of await faceless()) {
      const outcome = await engine.processImage(input);
      assert.ok(!outcome.ok, `${input.name} must not get a face; got ${outcome.ok ? JSON.stringify(outcome.faces.map((f) => f.foundBy)) : ''}`);
      assert.equal(outcome.error.code, 'no-face', input.name);
      assert.match(outcome.error.message, /^no face found/, input.name);
    }
  });

  it('still find a face in every smoke photo, none of them the whole image', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    const names = readdirSync(join(smoke, 'images')).filter((f) => f.endsWith('.jpg')).sort();
    assert.equal(names.length, 20);
    for (const name of names) {
      const result = await embed(join(smoke, 'images', name));
      assert.ok(result.faces.length >= 1, name);
      assert.ok(result.faces.every((f) => f.foundBy !== 'whole-image'), name);
    }
  });

  it('take the whole image as the face only when the engine is asked to (reproduce on pre-cropped sets)', async () => {
    const reproducing = await createNodeEngine({ find: { wholeImageFallback: true } });
    try {
      const [noise] = await faceless();
      const outcome = await reproducing.processImage(noise!);
      assert.ok(outcome.ok);
      assert.deepEqual(outcome.faces.map((f) => f.foundBy), ['whole-image']);
    } finally {
      await reproducing.dispose();
    }
  });
});

// The platform-neutral engine with fake models and a fake decoder: failure isolation, order, cancellation,
// coordinates mapped back to source pixels, normalisation, and typed failures.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FACES_PER_RUN, FaceEngine, type EnginePlatform, type FaceModelSet } from '../../src/embedding/engine.ts';
import type { ProcessOptions } from '../../src/embedding/types.ts';
import { DecodeError, InvalidInputError } from '../../src/errors.ts';
import type { DecodedImage } from '../../src/vision/decode.ts';
import { templatePoint } from '../../src/vision/align.ts';
import type { Box, RgbImage } from '../../src/vision/image.ts';

/** 68 landmarks on dlib's template, scaled into a box. */
function landmarksIn(box: Box): Float32Array {
  const flat = new Float32Array(136);
  for (let i = 0; i < 68; i++) {
    const p = i >= 17 ? templatePoint(i, 150, 0.25) : { x: 75, y: 75 };
    flat[2 * i] = box.x + (p.x / 150) * box.width;
    flat[2 * i + 1] = box.y + (p.y / 150) * box.height;
  }
  return flat;
}

function fakeModels(options: { vectors?: (chips: RgbImage[]) => Float32Array[]; onDetect?: () => void; faceless?: boolean } = {}): FaceModelSet {
  return {
    detect: async (image) => {
      options.onDetect?.();
      if (options.faceless) return [];
      return [{ box: { x: image.width / 4, y: image.height / 4, width: image.width / 2, height: image.height / 2 }, score: 0.9 }];
    },
    landmarks: async (faces) => faces.map((f) => landmarksIn(f.box)),
    embed: async (chips) => options.vectors?.(chips) ?? chips.map((c) => Float32Array.from({ length: 4 }, (_, i) => c.data[i]! + 3)),
    embedding: { id: 'fake-model', dimension: 4 },
    info: { backend: 'fake', backendReason: 'test', detector: 'fake-detector' },
    dispose: async () => {},
  };
}

/** Decodes "images" whose bytes are [width/10, height/10, grey]; [0] fails; scale < 1 when asked. */
function fakePlatform(scale = 1): EnginePlatform {
  return {
    decode: async (bytes: Uint8Array, name: string): Promise<DecodedImage> => {
      if (bytes[0] === 0) throw new DecodeError(`${name}: broken`, { details: { reason: 'corrupt' } });
      const sourceWidth = bytes[0]! * 10;
      const sourceHeight = bytes[1]! * 10;
      const width = Math.round(sourceWidth * scale);
      const height = Math.round(sourceHeight * scale);
      return {
        image: { width, height, data: new Uint8Array(width * height * 3).fill(bytes[2]!) },
        format: 'jpeg',
        sourceWidth,
        sourceHeight,
        scale: width / sourceWidth,
      };
    },
    encodeThumbnail: async (chip) => ({ type: 'image/jpeg', bytes: new Uint8Array([1, 2, 3]), width: chip.width, height: chip.height }),
    now: () => 0,
  };
}

const image = (name: string, w: number, h: number, grey = 100) => ({ name, bytes: new Uint8Array([w, h, grey]) });

describe('FaceEngine', () => {
  it('keeps each failure beside its name, in input order, and goes on', async () => {
    const engine = new FaceEngine(fakeModels(), fakePlatform());
    const { outcomes, cancelled } = await engine.processBatch([image('a', 20, 20), { name: 'bad', bytes: new Uint8Array([0]) }, image('c', 30, 20)]);
    assert.equal(cancelled, false);
    assert.deepEqual(outcomes.map((o) => [o.name, o.ok]), [['a', true], ['bad', false], ['c', true]]);
    const bad = outcomes[1]!;
    assert.ok(!bad.ok && bad.error.code === 'decode' && bad.error.details?.reason === 'corrupt');
    assert.equal(bad.size, 1);
  });

  it('L2-normalises embeddings and tags them with the model id', async () => {
    const engine = new FaceEngine(fakeModels(), fakePlatform());
    const [o] = (await engine.processBatch([image('a', 20, 20, 1)])).outcomes;
    assert.ok(o?.ok);
    const e = o.faces[0]!.embedding;
    assert.ok(Math.abs(Math.hypot(...e) - 1) < 1e-6);
    assert.equal(o.faces[0]!.modelId, 'fake-model');
  });

  it('measures every face: head pose from its landmarks, brightness, contrast and sharpness of its chip', async () => {
    const engine = new FaceEngine(fakeModels(), fakePlatform());
    const [o] = (await engine.processBatch([image('a', 20, 20, 90)])).outcomes;
    assert.ok(o?.ok);
    const m = o.faces[0]!.measures!;
    assert.ok(Math.abs(m.brightness - 90) < 1e-6 && m.contrast < 1e-6 && m.sharpness < 1e-6, JSON.stringify(m));
    assert.ok([m.yaw, m.pitch, m.roll].every(Number.isFinite), JSON.stringify(m));
  });

  it('reports boxes and landmarks in source pixels when the decoder downscaled, per axis', async () => {
    const engine = new FaceEngine(fakeModels(), fakePlatform(0.3));
    const [o] = (await engine.processBatch([image('big', 100, 33)])).outcomes;
    assert.ok(o?.ok);
    assert.deepEqual([o.width, o.height], [1000, 330]);
    const { box, landmarks } = o.faces[0]!;
    // The fake detector puts the face in the middle half of the (downscaled) image.
    assert.ok(Math.abs(box.x - 250) < 1e-6 && Math.abs(box.width - 500) < 1e-6, `x ${box.x}, width ${box.width}`);
    assert.ok(Math.abs(box.y - 82.5) < 1e-6 && Math.abs(box.height - 165) < 1e-6, `y ${box.y}, height ${box.height}`);
    for (let i = 0; i < 136; i += 2) {
      assert.ok(landmarks[i]! >= 250 - 1e-3 && landmarks[i]! <= 750 + 1e-3);
      assert.ok(landmarks[i + 1]! >= 82.5 - 1e-3 && landmarks[i + 1]! <= 247.5 + 1e-3);
    }
  });

  it('stops on abort and returns what finished: the photos whose faces went through the networks', async () => {
    const controller = new AbortController();
    let detections = 0;
    // One face a photo: the first FACES_PER_RUN photos finish together; the abort comes while finding the next ones.
    const engine = new FaceEngine(fakeModels({ onDetect: () => { if (++detections === FACES_PER_RUN + 2) controller.abort(); } }), fakePlatform());
    const names = Array.from({ length: FACES_PER_RUN + 3 }, (_, i) => `p${i}`);
    const { outcomes, cancelled } = await engine.processBatch(names.map((n) => image(n, 20, 20)), { signal: controller.signal });
    assert.equal(cancelled, true);
    assert.deepEqual(outcomes.map((o) => o.name), names.slice(0, FACES_PER_RUN));
  });

  it('runs the landmark and recognition networks once for the faces of several photos, outcomes in input order', async () => {
    const runs: { landmarks: number[]; embed: number[] } = { landmarks: [], embed: [] };
    // The fake vector (grey, 1, 0, 0) says which photo a chip came from, once normalised: v[0] / v[1] = grey.
    const base = fakeModels({ vectors: (chips) => chips.map((c) => Float32Array.of(c.data[0]!, 1, 0, 0)) });
    const models: FaceModelSet = {
      ...base,
      landmarks: async (faces, signal) => { runs.landmarks.push(faces.length); return base.landmarks(faces, signal); },
      embed: async (chips, signal) => { runs.embed.push(chips.length); return base.embed(chips, signal); },
    };
    const engine = new FaceEngine(models, fakePlatform());
    const inputs = Array.from({ length: FACES_PER_RUN + 2 }, (_, i) => image(`p${i}`, 20, 20, i + 1));
    inputs.splice(3, 0, { name: 'bad', bytes: new Uint8Array([0]) });
    const { outcomes } = await engine.processBatch(inputs);
    assert.deepEqual(outcomes.map((o) => o.name), inputs.map((i) => i.name));
    assert.deepEqual(runs, { landmarks: [FACES_PER_RUN, 2], embed: [FACES_PER_RUN, 2] });
    const greys = outcomes.flatMap((o) => (o.ok ? [Math.round(o.faces[0]!.embedding[0]! / o.faces[0]!.embedding[1]!)] : []));
    assert.deepEqual(greys, inputs.filter((i) => i.name !== 'bad').map((i) => i.bytes[2]), 'each photo got its own face\'s vector');
  });

  it('runs the attribute heads once for the faces of several photos, each face getting its own', async () => {
    const runs: number[] = [];
    const models: FaceModelSet = {
      ...fakeModels(),
      // The fake age is the face's grey value, so each face's attributes say which face they were computed on.
      attributes: async (faces) => {
        runs.push(faces.length);
        return faces.map((f) => ({ age: f.image.data[0]!, gender: 'male' as const, genderProbability: 0.9, expressions: { neutral: 1, happy: 0, sad: 0, angry: 0, fearful: 0, disgusted: 0, surprised: 0 } }));
      },
    };
    const engine = new FaceEngine(models, fakePlatform());
    const inputs = [image('a', 20, 20, 11), image('b', 20, 20, 22), image('c', 20, 20, 33)];
    const { outcomes } = await engine.processBatch(inputs, { attributes: true });
    assert.deepEqual(runs, [3]);
    assert.deepEqual(outcomes.map((o) => (o.ok ? o.faces[0]!.attributes?.age : undefined)), [11, 22, 33]);
    const plain = await engine.processBatch(inputs);
    assert.ok(plain.outcomes.every((o) => o.ok && o.faces[0]!.attributes === undefined), 'none unless asked for');
    assert.deepEqual(runs, [3]);
  });

  it('finds the attributes of faces found earlier, from their photos read again, as processing with them does', async () => {
    const runs: Box[][] = [];
    const models: FaceModelSet = {
      ...fakeModels(),
      // The fake attributes say which crop they were computed on: its box, in the decoded image's pixels.
      attributes: async (faces) => {
        runs.push(faces.map((f) => f.box));
        return faces.map((f) => ({ age: f.box.x + f.image.data[0]!, gender: 'female' as const, genderProbability: f.box.width / 100, expressions: { neutral: 1, happy: 0, sad: 0, angry: 0, fearful: 0, disgusted: 0, surprised: 0 } }));
      },
    };
    // The decoder halves the photos, so boxes (reported in source pixels) must be taken back to decoded ones.
    const engine = new FaceEngine(models, fakePlatform(0.5));
    const inputs = [image('a', 40, 20, 11), image('b', 20, 40, 22), image('c', 30, 30, 33)];
    const inline = await engine.processBatch(inputs, { attributes: true });
    const inlineBoxes = runs.splice(0);
    const plain = await engine.processBatch(inputs);
    assert.deepEqual(runs, [], 'no heads unless asked for');
    const progress: number[] = [];
    const later = await engine.attributesOf(
      plain.outcomes.map((o, i) => ({ source: inputs[i]!, boxes: o.ok ? o.faces.map((f) => f.box) : [] })),
      { onProgress: (p) => progress.push(p.done) },
    );
    assert.deepEqual(runs, inlineBoxes, 'the same crops, in one run for the three photos');
    assert.equal(runs.length, 1);
    assert.equal(later.cancelled, false);
    assert.deepEqual(later.outcomes.map((o) => (o.ok ? o.attributes : o.error)), inline.outcomes.map((o) => (o.ok ? o.faces.map((f) => f.attributes) : undefined)));
    assert.deepEqual(progress, [1, 2, 3]);
  });

  it('keeps each photo that cannot be read again a failure beside its name, stops on abort, and needs the heads', async () => {
    const models: FaceModelSet = {
      ...fakeModels(),
      attributes: async (faces) => faces.map(() => ({ age: 30, gender: 'male' as const, genderProbability: 0.9, expressions: { neutral: 1, happy: 0, sad: 0, angry: 0, fearful: 0, disgusted: 0, surprised: 0 } })),
    };
    const engine = new FaceEngine(models, fakePlatform());
    const box = { x: 5, y: 5, width: 10, height: 10 };
    const broken = { name: 'broken', bytes: new Uint8Array([0, 2, 3]) };
    const { outcomes } = await engine.attributesOf([
      { source: image('a', 20, 20), boxes: [box] },
      { source: broken, boxes: [box] },
      { source: image('c', 20, 20), boxes: [box, { ...box, x: 0 }] },
      { source: image('d', 20, 20), boxes: [] },
    ]);
    assert.deepEqual(outcomes.map((o) => [o.name, o.ok, o.ok ? o.attributes.length : o.error.name]), [
      ['a', true, 1], ['broken', false, 'DecodeError'], ['c', true, 2], ['d', true, 0],
    ]);
    const controller = new AbortController();
    const many = Array.from({ length: FACES_PER_RUN * 3 }, (_, i) => ({ source: image(`p${i}`, 20, 20), boxes: [box] }));
    const stopped = await engine.attributesOf(many, { signal: controller.signal, onProgress: (p) => p.done === FACES_PER_RUN && controller.abort() });
    assert.equal(stopped.cancelled, true);
    assert.deepEqual(stopped.outcomes.map((o) => o.name), many.slice(0, FACES_PER_RUN).map((r) => r.source.name));
    await assert.rejects(new FaceEngine(fakeModels(), fakePlatform()).attributesOf([{ source: image('a', 20, 20), boxes: [box] }]), InvalidInputError);
  });

  it('keeps a network failure the photo\'s own when faces of several photos run together', async () => {
    const base = fakeModels();
    const models: FaceModelSet = {
      ...base,
      // A chip of grey 13 breaks the recognition run it is in.
      embed: async (chips, signal) => {
        if (chips.some((c) => c.data[0] === 13)) throw new Error('the runtime failed on this face');
        return base.embed(chips, signal);
      },
    };
    const engine = new FaceEngine(models, fakePlatform());
    const { outcomes } = await engine.processBatch([image('a', 20, 20, 10), image('b', 20, 20, 13), image('c', 20, 20, 20)]);
    assert.deepEqual(outcomes.map((o) => [o.name, o.ok]), [['a', true], ['b', false], ['c', true]]);
    const b = outcomes[1]!;
    assert.ok(!b.ok && /the runtime failed on this face/.test(b.error.message));
  });

  it('decodes the next photo while this one\'s faces are found', async () => {
    const events: string[] = [];
    const platform = fakePlatform();
    const decode = platform.decode;
    platform.decode = async (bytes, name) => {
      events.push(`decode ${name}`);
      return decode(bytes, name);
    };
    const base = fakeModels();
    let detected = 0;
    const names = ['a', 'b', 'c'];
    const models: FaceModelSet = {
      ...base,
      detect: async (img, o) => {
        const name = names[detected++];
        // Finding faces takes a while: yield to the event loop (no timer) until the next photo's decoding began.
        const next = `decode ${names[detected]}`;
        for (let i = 0; i < 50 && detected < names.length && !events.includes(next); i++) await new Promise((ok) => setImmediate(ok));
        events.push(`detected ${name}`);
        return base.detect(img, o);
      },
    };
    // Hashes given: hashing runs on the thread pool, whose timing would make this order a race.
    const { outcomes } = await new FaceEngine(models, platform).processBatch(names.map((n) => ({ ...image(n, 20, 20), hash: `hash-${n}` })));
    assert.deepEqual(outcomes.map((o) => o.ok), [true, true, true]);
    assert.deepEqual(events, ['decode a', 'decode b', 'detected a', 'decode c', 'detected b', 'detected c']);
  });

  it('refuses attributes when the attribute models were not loaded', async () => {
    const engine = new FaceEngine(fakeModels(), fakePlatform());
    await assert.rejects(engine.processImage(image('a', 20, 20), { attributes: true }), InvalidInputError);
  });

  it('reports missing bytes as that image\'s failure', async () => {
    const engine = new FaceEngine(fakeModels(), fakePlatform());
    const o = await engine.processImage({ name: 'x', bytes: undefined as unknown as Uint8Array });
    assert.ok(!o.ok);
    assert.equal(o.error.code, 'invalid-input');
    assert.equal(o.size, undefined);
  });

  it('gives a photo where nothing is detected no face: that photo\'s no-face failure', async () => {
    const engine = new FaceEngine(fakeModels({ faceless: true }), fakePlatform());
    const { outcomes } = await engine.processBatch([image('landscape', 40, 30)]);
    const o = outcomes[0]!;
    assert.ok(!o.ok, 'no face, not the whole image taken as one');
    assert.equal(o.error.code, 'no-face');
    assert.match(o.error.message, /^no face found in this photo/);
  });

  it('takes the whole image as the face only when built for it (reproduce on pre-cropped sets)', async () => {
    const engine = new FaceEngine(fakeModels({ faceless: true }), fakePlatform(), { find: { wholeImageFallback: true } });
    const o = await engine.processImage(image('chip', 20, 20));
    assert.ok(o.ok);
    assert.deepEqual(o.faces.map((f) => f.foundBy), ['whole-image']);
  });

  it('turns an earlier whole-image result (a cache hit) into no face, unless it takes whole images itself', async () => {
    const earlier = await new FaceEngine(fakeModels({ faceless: true }), fakePlatform(), { find: { wholeImageFallback: true } })
      .processImage(image('chip', 20, 20));
    assert.ok(earlier.ok);
    const strict = new FaceEngine(fakeModels(), fakePlatform()).reuse(earlier);
    assert.ok(!strict.ok);
    assert.equal(strict.error.code, 'no-face');
    assert.equal(strict.name, 'chip');
    assert.equal(strict.hash, earlier.hash);
    const lenient = new FaceEngine(fakeModels(), fakePlatform(), { find: { wholeImageFallback: true } }).reuse(earlier);
    assert.equal(lenient, earlier);
    const detected = await new FaceEngine(fakeModels(), fakePlatform()).processImage(image('a', 20, 20));
    assert.ok(detected.ok);
    assert.equal(new FaceEngine(fakeModels(), fakePlatform()).reuse(detected), detected);
  });

  it('keeps only the subject when asked: the largest face, or the one at the centre', async () => {
    // Two faces: a large one in the top-left corner and a smaller one in the middle of a 200×200 image.
    const models: FaceModelSet = {
      ...fakeModels(),
      detect: async () => [
        { box: { x: 0, y: 0, width: 80, height: 80 }, score: 0.9 },
        { box: { x: 75, y: 75, width: 50, height: 50 }, score: 0.8 },
      ],
    };
    const engine = new FaceEngine(models, fakePlatform());
    const boxes = async (options: ProcessOptions) => {
      const o = await engine.processImage(image('two', 20, 20), options);
      assert.ok(o.ok);
      return o.faces.map((f) => [f.box.x, f.box.width]);
    };
    assert.deepEqual(await boxes({}), [[0, 80], [75, 50]]);
    assert.deepEqual(await boxes({ subject: 'largest' }), [[0, 80]]);
    assert.deepEqual(await boxes({ subject: 'centre' }), [[75, 50]]);
  });

  it('says which alignment it uses', () => {
    assert.equal(new FaceEngine(fakeModels(), fakePlatform()).info.alignment, 'dlib-68');
    assert.equal(new FaceEngine(fakeModels(), fakePlatform(), { align: 'dlib-5' }).info.alignment, 'dlib-5');
  });
});

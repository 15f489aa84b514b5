// The alignment comes from the embedding model's manifest: MobileFaceNet gets 112-pixel chips on the ArcFace
// template (eye centres, nose tip, mouth corners from the 68 landmarks), the default model dlib's 150-pixel chip.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chipAlignment } from '../../src/embedding/chip-alignment.ts';
import { createNodeEngine } from '../../src/embedding/node-engine.ts';
import type { FaceEngine } from '../../src/embedding/engine.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { BUILTIN_MODELS } from '../../src/models/builtin.ts';
import { MOBILEFACENET_MANIFEST } from '../../src/models/mobilefacenet.ts';
import { applySimilarity, chipTransform, invertSimilarity } from '../../src/vision/align.ts';
import type { Point } from '../../src/vision/image.ts';
import { ARCFACE_TEMPLATE, arcfacePoints, arcfaceTemplate } from '../../src/vision/templates.ts';
import { datasetOrSkip } from '../helpers/datasets.ts';

/** 68 landmarks whose eye centres, nose tip and mouth corners are the given five points (image pixels). */
function landmarksWith(five: readonly Point[]): Point[] {
  const points: Point[] = Array.from({ length: 68 }, (_, i) => ({ x: 10 + i, y: 20 + (i % 7) }));
  // Each eye: six points symmetric around its centre.
  for (const [first, centre] of [[36, five[0]!], [42, five[1]!]] as const) {
    [[-3, 0], [-1, -1], [1, -1], [3, 0], [1, 1], [-1, 1]].forEach(([dx, dy], k) => {
      points[first + k] = { x: centre.x + dx!, y: centre.y + dy! };
    });
  }
  points[30] = five[2]!;
  points[48] = five[3]!;
  points[54] = five[4]!;
  return points;
}

describe('the ArcFace template', () => {
  it('takes eye centres, nose tip and mouth corners from the 68 landmarks', () => {
    const five = [{ x: 40, y: 50 }, { x: 70, y: 52 }, { x: 55, y: 70 }, { x: 42, y: 90 }, { x: 68, y: 91 }];
    const got = arcfacePoints(landmarksWith(five));
    got.forEach((p, i) => {
      assert.ok(Math.abs(p.x - five[i]!.x) < 1e-9 && Math.abs(p.y - five[i]!.y) < 1e-9, `point ${i}: ${JSON.stringify(p)}`);
    });
  });

  it('maps a face placed on the template onto itself, and a moved, turned, scaled one back onto the template', () => {
    const identity = chipTransform(landmarksWith(ARCFACE_TEMPLATE), 112, 0, 'arcface-5');
    assert.ok(Math.abs(identity.a - 1) < 1e-9 && Math.abs(identity.b) < 1e-9 && Math.abs(identity.tx) < 1e-9 && Math.abs(identity.ty) < 1e-9);
    // A face 2.5× larger, turned 20°, moved: the transform takes the template to where that face's points are.
    const angle = (20 * Math.PI) / 180;
    const t = { a: 2.5 * Math.cos(angle), b: 2.5 * Math.sin(angle), tx: 300, ty: 120 };
    const five = ARCFACE_TEMPLATE.map((p) => applySimilarity(t, p));
    const fitted = chipTransform(landmarksWith(five), 112, 0, 'arcface-5');
    for (const [k, v] of Object.entries(t)) assert.ok(Math.abs(fitted[k as keyof typeof t] - v) < 1e-6, `${k}: ${fitted[k as keyof typeof t]} vs ${v}`);
  });

  it('scales with the chip, keeping the chip corner fixed', () => {
    assert.deepEqual(arcfaceTemplate(112), ARCFACE_TEMPLATE);
    const p = arcfaceTemplate(224)[0]!;
    assert.ok(Math.abs(p.x - (38.2946 * 2 + 0.5)) < 1e-9 && Math.abs(p.y - (51.6963 * 2 + 0.5)) < 1e-9);
  });
});

describe("the model's manifest chooses the alignment", () => {
  it('MobileFaceNet: ArcFace at 112 px whatever the dlib fit; the default: dlib at 150 px, padding 0.25, fitted as asked', () => {
    assert.deepEqual(chipAlignment(MOBILEFACENET_MANIFEST.alignment, 'dlib-5'), { method: 'arcface-5', size: 112, padding: 0 });
    assert.deepEqual(chipAlignment(BUILTIN_MODELS['face-recognition'].alignment), { method: 'dlib-68', size: 150, padding: 0.25 });
    assert.deepEqual(chipAlignment(BUILTIN_MODELS['face-recognition'].alignment, 'dlib-5'), { method: 'dlib-5', size: 150, padding: 0.25 });
    // A user's model without an alignment keeps today's chip.
    assert.deepEqual(chipAlignment(undefined), { method: 'dlib-68', size: 150, padding: 0.25 });
  });
});

describe('the Node engine with MobileFaceNet on real photos', () => {
  let engine: FaceEngine | undefined;
  before(async () => {
    engine = await createNodeEngine({ model: MOBILEFACENET_MANIFEST.id, backend: 'wasm', threads: 1 });
  });
  after(async () => {
    await engine?.dispose();
  });

  it('refuses an unknown model id, naming the choices', async () => {
    await assert.rejects(createNodeEngine({ model: 'arcface-r100' }), (e: unknown) =>
      e instanceof InvalidInputError && /model must be one of face-api-face-recognition, mobilefacenet; got "arcface-r100"/.test(e.message));
  });

  it('reports the model and its alignment, aligns onto the ArcFace template, and puts the same person closer', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    assert.ok(engine);
    assert.equal(engine.info.modelId, 'mobilefacenet');
    assert.equal(engine.info.alignment, 'arcface-5');
    assert.equal(engine.info.dimension, 192);
    // The package's published same-person distance travels with the model (grouping by person uses it).
    assert.equal(engine.info.samePersonDistance, 1.1);
    const embed = async (name: string) => {
      const outcome = await engine!.processImage({ name, bytes: readFileSync(join(smoke, 'images', name)) }, { thumbnails: true, largestOnly: true });
      assert.ok(outcome.ok && outcome.faces.length === 1, `${name}: no face`);
      return outcome.faces[0]!;
    };
    const face = await embed('lfw_Alejandro_Toledo_0004.jpg');
    assert.equal(face.modelId, 'mobilefacenet');
    assert.equal(face.embedding.length, 192);
    assert.ok(Math.abs(Math.hypot(...face.embedding) - 1) < 1e-5, 'the engine L2-normalises');
    assert.equal(face.thumbnail?.width, 112);
    // The five points mapped into the chip land within a few pixels of the template.
    const points = Array.from({ length: 68 }, (_, i) => ({ x: face.landmarks[2 * i]!, y: face.landmarks[2 * i + 1]! }));
    const toChip = invertSimilarity(chipTransform(face.landmarks, 112, 0, 'arcface-5'));
    arcfacePoints(points).forEach((p, i) => {
      const q = applySimilarity(toChip, p);
      const d = Math.hypot(q.x - ARCFACE_TEMPLATE[i]!.x, q.y - ARCFACE_TEMPLATE[i]!.y);
      assert.ok(d < 6, `point ${i} is ${d.toFixed(1)} px from the template`);
    });
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);
    const same = [];
    for (const n of ['0007', '0013', '0020', '0030']) same.push(cos(face.embedding, (await embed(`lfw_Alejandro_Toledo_${n}.jpg`)).embedding));
    const different = [];
    for (const f of ['utk_male_white_35.jpg', 'utk_male_indian_28.jpg', 'utk_male_other_35.jpg', 'utk_male_asian_29.jpg']) {
      different.push(cos(face.embedding, (await embed(f)).embedding));
    }
    t.diagnostic(`cosine: same person ${same.map((v) => v.toFixed(3)).join(' ')}; others ${different.map((v) => v.toFixed(3)).join(' ')}`);
    assert.ok(Math.min(...same) > Math.max(...different), `same person ≥ ${Math.min(...same).toFixed(3)} > others ≤ ${Math.max(...different).toFixed(3)}`);
  });
});

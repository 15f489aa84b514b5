import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALIGNMENT_LANDMARKS,
  CHIP_SIZE,
  alignFace,
  applySimilarity,
  chipTransform,
  extractChip,
  fitSimilarity,
  invertSimilarity,
  templatePoint,
  type Similarity,
} from '../../src/vision/align.ts';
import { InvalidInputError } from '../../src/errors.ts';
import type { Point, RgbImage } from '../../src/vision/image.ts';

/** 68 landmarks of dlib's template placed in an image by `t` (points 0–16 are unused by the fit). */
function templateLandmarks(t: Similarity): Float32Array {
  const flat = new Float32Array(136);
  for (let i = 0; i < 68; i++) {
    const p = i >= 17 ? applySimilarity(t, templatePoint(i)) : { x: 0, y: 0 };
    flat[2 * i] = p.x;
    flat[2 * i + 1] = p.y;
  }
  return flat;
}

function gradientImage(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      data[o] = x % 256;
      data[o + 1] = y % 256;
      data[o + 2] = (x + y) % 256;
    }
  }
  return { width, height, data };
}

describe('fitSimilarity', () => {
  it('recovers a known rotation, scale and translation exactly', () => {
    const angle = 0.3;
    const scale = 1.7;
    const truth = { a: scale * Math.cos(angle), b: scale * Math.sin(angle), tx: 12.5, ty: -4 };
    const from: Point[] = [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 3, y: 7 }, { x: -5, y: 2 }];
    const to = from.map((p) => applySimilarity(truth, p));
    const fit = fitSimilarity(from, to);
    for (const k of ['a', 'b', 'tx', 'ty'] as const) assert.ok(Math.abs(fit[k] - truth[k]) < 1e-9, `${k}: ${fit[k]} vs ${truth[k]}`);
  });

  it('is a least-squares fit: symmetric errors in the targets cancel out', () => {
    const from: Point[] = [{ x: -1, y: 0 }, { x: 1, y: 0 }, { x: 0, y: -1 }, { x: 0, y: 1 }];
    const to: Point[] = [{ x: -1.1, y: 0 }, { x: 1.1, y: 0 }, { x: 0, y: -0.9 }, { x: 0, y: 0.9 }];
    const fit = fitSimilarity(from, to);
    assert.ok(Math.abs(fit.a - 1) < 1e-12 && Math.abs(fit.b) < 1e-12, 'the symmetric errors cancel to a unit scale');
  });

  it('inverts exactly', () => {
    const t = { a: 0.8, b: -0.4, tx: 3, ty: 9 };
    const p = { x: 5, y: -2 };
    const back = applySimilarity(invertSimilarity(t), applySimilarity(t, p));
    assert.ok(Math.abs(back.x - p.x) < 1e-12 && Math.abs(back.y - p.y) < 1e-12);
  });

  it('rejects too few or coincident points', () => {
    assert.throws(() => fitSimilarity([{ x: 0, y: 0 }], [{ x: 1, y: 1 }]), InvalidInputError);
    const same = [{ x: 1, y: 1 }, { x: 1, y: 1 }];
    assert.throws(() => fitSimilarity(same, same), /coincide/);
  });
});

describe('chip alignment onto dlib\'s template', () => {
  it('uses dlib\'s 33 landmarks: nose, eyes, outer lips and upper inner lip', () => {
    assert.equal(ALIGNMENT_LANDMARKS.length, 33);
    assert.ok(!ALIGNMENT_LANDMARKS.some((i) => i < 27 || (i >= 55 && i <= 59) || i > 64));
  });

  it('places the eyes symmetrically, level, in the upper half of the 150 px chip with padding 0.25', () => {
    const leftEye = templatePoint(36);
    const rightEye = templatePoint(45);
    assert.ok(Math.abs(leftEye.y - rightEye.y) < 1e-9, 'eye corners are level');
    const noseTip = templatePoint(30);
    assert.ok(Math.abs(leftEye.x + rightEye.x - 2 * noseTip.x) < 1, 'eye corners straddle the nose line');
    assert.ok(Math.abs(noseTip.x - CHIP_SIZE / 2) < 2, `the nose is near the centre (${noseTip.x})`);
    assert.ok(leftEye.y > 40 && leftEye.y < 75, `eye height ${leftEye.y}`);
  });

  it('recovers the transform that placed the template in an image', () => {
    const truth = { a: 1.2 * Math.cos(-0.2), b: 1.2 * Math.sin(-0.2), tx: 40, ty: 55 };
    const t = chipTransform(templateLandmarks(truth));
    for (const k of ['a', 'b', 'tx', 'ty'] as const) assert.ok(Math.abs(t[k] - truth[k]) < 1e-3, `${k}`);
  });

  it('the 5-point fit (eye corners, base of the nose) agrees with the 68-point one on an undistorted face', () => {
    const truth = { a: 0.9 * Math.cos(0.4), b: 0.9 * Math.sin(0.4), tx: -12, ty: 30 };
    const five = chipTransform(templateLandmarks(truth), CHIP_SIZE, 0.25, 'dlib-5');
    // dlib's two templates differ by under a pixel at these points, so the fits agree closely, not exactly.
    assert.ok(Math.abs(five.a - truth.a) < 0.01 && Math.abs(five.b - truth.b) < 0.01, `${five.a}, ${five.b}`);
    assert.ok(Math.abs(five.tx - truth.tx) < 1.5 && Math.abs(five.ty - truth.ty) < 1.5, `${five.tx}, ${five.ty}`);
    assert.throws(() => chipTransform(templateLandmarks(truth), CHIP_SIZE, 0.25, 'nope' as 'dlib-5'), /alignment must be/);
  });

  it('samples a translated crop exactly when the transform is a pure shift', () => {
    const image = gradientImage(300, 200);
    const chip = extractChip(image, { a: 1, b: 0, tx: 20, ty: 30 }, 150);
    for (const [u, v] of [[0, 0], [149, 149], [75, 10]] as const) {
      const o = (v * 150 + u) * 3;
      assert.equal(chip.data[o], (u + 20) % 256);
      assert.equal(chip.data[o + 1], (v + 30) % 256);
    }
  });

  it('undoes a rotation: a face rotated by 90° aligns to the same chip as the upright one', () => {
    const upright = gradientImage(200, 200);
    // Rotate the image 90° clockwise: new(x, y) = old(y, 199 - x).
    const rotated = new Uint8Array(upright.data.length);
    for (let y = 0; y < 200; y++) {
      for (let x = 0; x < 200; x++) {
        const src = (((199 - x) * 200) + y) * 3;
        const dst = (y * 200 + x) * 3;
        rotated.set(upright.data.subarray(src, src + 3), dst);
      }
    }
    const place = { a: 1, b: 0, tx: 25, ty: 25 };
    // Old point (x, y) appears at (199 - y, x) in the rotated image.
    const rot = (p: Point): Point => ({ x: 199 - p.y, y: p.x });
    const lmUpright = templateLandmarks(place);
    const lmRotated = new Float32Array(136);
    for (let i = 0; i < 68; i++) {
      const p = rot({ x: lmUpright[2 * i]!, y: lmUpright[2 * i + 1]! });
      lmRotated[2 * i] = p.x;
      lmRotated[2 * i + 1] = p.y;
    }
    const a = alignFace(upright, lmUpright).chip.data;
    const b = alignFace({ width: 200, height: 200, data: rotated }, lmRotated).chip.data;
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
    assert.ok(maxDiff <= 1, `max pixel difference ${maxDiff}`);
  });

  it('antialiases when shrinking a large face (no aliasing of a fine checkerboard)', () => {
    const size = 600;
    const data = new Uint8Array(size * size * 3);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data.fill((x + y) % 2 ? 255 : 0, (y * size + x) * 3, (y * size + x) * 3 + 3);
    const chip = extractChip({ width: size, height: size, data }, { a: 4, b: 0, tx: 0, ty: 0 }, 150);
    // Interior pixels only: the outermost chip column and row reach past the image edge, which reads as black.
    for (let v = 1; v < 149; v += 7) {
      for (let u = 1; u < 149; u += 5) {
        const value = chip.data[(v * 150 + u) * 3]!;
        assert.ok(Math.abs(value - 128) <= 2, `pixel (${u}, ${v}) = ${value}`);
      }
    }
  });

  it('rejects landmark sets that are not 68 points or hold NaN', () => {
    assert.throws(() => chipTransform(new Float32Array(10)), /68 landmarks/);
    const bad = templateLandmarks({ a: 1, b: 0, tx: 0, ty: 0 });
    bad[60] = Number.NaN;
    assert.throws(() => chipTransform(bad), /NaN/);
  });
});

// Small faces in large photos: the tile layout, the merge, and findFaces searching tiles only where it should,
// with a fake detector that sees a face only when it reaches the detector's 512 px input at 20 px or more.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Detection, type Detector, findFaces } from '../../src/vision/find-faces.ts';
import type { Box, RgbImage } from '../../src/vision/image.ts';
import { TILING_DEFAULTS, mergeTileDetections, overlapOfSmaller, tileGrid } from '../../src/vision/tiles.ts';

/** An image whose every pixel encodes its own position, so a detector can tell where a crop came from. */
function positionImage(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = x & 255;
      data[i + 1] = ((x >> 8) & 15) | ((y >> 8) << 4);
      data[i + 2] = y & 255;
    }
  }
  return { width, height, data };
}

/** A detector over a scene of face boxes: sees the faces lying whole in its input that reach ≥ 20 px at 512. */
function sceneDetector(faces: Box[]) {
  let runs = 0;
  const detect: Detector = async (image) => {
    runs++;
    const x0 = image.data[0]! | ((image.data[1]! & 15) << 8);
    const y0 = image.data[2]! | ((image.data[1]! >> 4) << 8);
    const shrink = 512 / Math.max(image.width, image.height);
    return faces
      .filter((f) => f.x >= x0 && f.y >= y0 && f.x + f.width <= x0 + image.width && f.y + f.height <= y0 + image.height)
      .filter((f) => f.width * Math.min(1, shrink) >= 20)
      .map((f): Detection => ({ box: { ...f, x: f.x - x0, y: f.y - y0 }, score: 0.9 }));
  };
  return { detect, runs: () => runs };
}

const union = (boxes: Box[]) => ({
  minX: Math.min(...boxes.map((b) => b.x)), minY: Math.min(...boxes.map((b) => b.y)),
  maxX: Math.max(...boxes.map((b) => b.x + b.width)), maxY: Math.max(...boxes.map((b) => b.y + b.height)),
});

describe('tileGrid', () => {
  it('covers a 3:2 photo at the decoder\'s 2048 px with 6 tiles of 1024 overlapping by at least 192', () => {
    const tiles = tileGrid(2048, 1365);
    assert.equal(tiles.length, 6);
    assert.deepEqual(union(tiles), { minX: 0, minY: 0, maxX: 2048, maxY: 1365 });
    assert.ok(tiles.every((t) => t.width === 1024 && t.height === 1024));
    assert.ok(tiles[1]!.x <= 1024 - 192 && tiles[3]!.y <= 1024 - 192, 'neighbours overlap');
  });

  it('never makes more than maxTiles, growing the tiles instead', () => {
    for (const [w, h] of [[2048, 2048], [2048, 300], [1600, 1600], [2048, 1536]]) {
      const tiles = tileGrid(w!, h!);
      assert.ok(tiles.length >= 1 && tiles.length <= TILING_DEFAULTS.maxTiles, `${w}×${h}: ${tiles.length}`);
      assert.deepEqual(union(tiles), { minX: 0, minY: 0, maxX: w, maxY: h });
    }
  });

  it('leaves photos under 1536 px alone', () => {
    assert.deepEqual(tileGrid(1535, 1000), []);
    assert.deepEqual(tileGrid(250, 250), []);
  });
});

describe('mergeTileDetections', () => {
  const d = (x: number, y: number, w: number, h: number, score: number) => ({ box: { x, y, width: w, height: h }, score });

  it('counts a face seen in two tiles, or cut at a tile edge, once, keeping the best box', () => {
    const whole = d(1000, 500, 60, 70, 0.95);
    const again = d(1002, 501, 59, 70, 0.9);
    const cut = d(1000, 500, 24, 70, 0.6);
    const coarse = d(990, 480, 30, 110, 0.62);
    assert.deepEqual(mergeTileDetections([coarse], [cut, again, whole]), [whole]);
  });

  it('keeps faces side by side', () => {
    const merged = mergeTileDetections([d(100, 100, 60, 60, 0.9)], [d(165, 100, 60, 60, 0.8), d(100, 165, 60, 60, 0.7)]);
    assert.equal(merged.length, 3);
    assert.equal(overlapOfSmaller(d(0, 0, 10, 10, 1).box, d(2, 2, 4, 4, 1).box), 1);
  });
});

describe('findFaces in large photos', () => {
  const large = positionImage(2048, 1365);

  it('finds a face too small for the whole-image pass in a tile, once, in image coordinates', async () => {
    // 61 px: 15 px at the whole image's 512 px input (missed), 30 px in a 1024 px tile (found).
    const face = { x: 1500, y: 900, width: 61, height: 61 };
    const { detect, runs } = sceneDetector([face]);
    const found = await findFaces(large, detect);
    assert.deepEqual(found, [{ box: face, score: 0.9, foundBy: 'detected' }]);
    assert.equal(runs(), 1 + 6, 'the whole image, then 6 tiles');
  });

  it('finds a face lying across a tile boundary', async () => {
    const face = { x: 1000, y: 1000, width: 70, height: 70 };
    const { detect } = sceneDetector([face]);
    assert.deepEqual((await findFaces(large, detect)).map((f) => f.box), [face]);
  });

  it('spends no extra detector run on small photos or where the whole image already shows 2 faces', async () => {
    const small = sceneDetector([{ x: 10, y: 10, width: 60, height: 60 }]);
    await findFaces(positionImage(640, 480), small.detect);
    assert.equal(small.runs(), 1);
    const group = sceneDetector([{ x: 100, y: 100, width: 200, height: 200 }, { x: 900, y: 300, width: 200, height: 200 }]);
    assert.equal((await findFaces(large, group.detect)).length, 2);
    assert.equal(group.runs(), 1);
  });

  it('adds the small faces of a large photo whose whole-image pass found one small face', async () => {
    const found = { x: 100, y: 100, width: 200, height: 200 };
    const small = { x: 1700, y: 1100, width: 60, height: 60 };
    const { detect, runs } = sceneDetector([found, small]);
    assert.deepEqual((await findFaces(large, detect)).map((f) => f.box).sort((a, b) => a.x - b.x), [found, small]);
    assert.equal(runs(), 7);
  });

  it('spends no extra run on a portrait: one face of at least 1/8 of the longer side', async () => {
    const portrait = sceneDetector([{ x: 700, y: 300, width: 256, height: 256 }, { x: 1700, y: 1100, width: 60, height: 60 }]);
    assert.equal((await findFaces(large, portrait.detect)).length, 1);
    assert.equal(portrait.runs(), 1);
  });

  it('can be turned off', async () => {
    const { detect, runs } = sceneDetector([{ x: 1500, y: 900, width: 61, height: 61 }]);
    await assert.rejects(findFaces(large, detect, { tiling: false, padding: 0, lowerThresholds: [] }), { name: 'NoFaceError' });
    assert.equal(runs(), 1);
  });
});

/** The map's pure parts in Node: fitting positions into [-1, 1], the point grid, and colour categories. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAP_PALETTE, NAMED_COLOURS, colourBy } from '../../components/map/map-colours.ts';
import { PointIndex, fitToUnit } from '../../components/map/point-index.ts';
import { createRng } from '../../src/analysis/rng.ts';

describe('fitToUnit', () => {
  it('centres the positions and scales the longer side to [-1, 1], keeping the aspect', () => {
    assert.deepEqual([...fitToUnit(Float32Array.of(10, 0, 30, 5, 20, 10))], [-1, -0.5, 1, 0, 0, 0.5]);
    assert.deepEqual([...fitToUnit(Float32Array.of(3, 3))], [0, 0], 'one point sits in the middle');
  });
});

describe('PointIndex', () => {
  const rng = createRng(1);
  const points = Float32Array.from({ length: 20_000 }, () => rng.next() * 2 - 1);
  const index = new PointIndex(points);
  const brute = (x: number, y: number, r: number): number | undefined => {
    let best: number | undefined;
    let bestD = r * r;
    for (let i = 0; i < points.length / 2; i++) {
      const d = ((points[i * 2] as number) - x) ** 2 + ((points[i * 2 + 1] as number) - y) ** 2;
      if (d <= bestD) { bestD = d; best = i; }
    }
    return best;
  };

  it('finds the same nearest point as a full scan, or none out of reach', () => {
    for (let q = 0; q < 200; q++) {
      const x = rng.next() * 2.2 - 1.1;
      const y = rng.next() * 2.2 - 1.1;
      assert.equal(index.nearest(x, y, 0.05), brute(x, y, 0.05), `query ${q} at (${x}, ${y})`);
    }
    assert.equal(index.nearest(5, 5, 0.1), undefined);
  });

  it('lists exactly the points inside a box, whichever corners are given', () => {
    const inside = index.inside(0.2, -0.1, -0.3, 0.4);
    const expected: number[] = [];
    for (let i = 0; i < points.length / 2; i++) {
      const x = points[i * 2] as number;
      const y = points[i * 2 + 1] as number;
      if (x >= -0.3 && x <= 0.2 && y >= -0.1 && y <= 0.4) expected.push(i);
    }
    assert.deepEqual([...inside], expected);
  });

  it('lists exactly the points inside a lasso outline (a concave star), and nothing for fewer than 3 vertices', () => {
    // A five-pointed star: concave, so a bounding box or a convex hull would take too many.
    const star: number[] = [];
    for (let k = 0; k < 10; k++) {
      const r = k % 2 === 0 ? 0.8 : 0.3;
      const a = (Math.PI * k) / 5;
      star.push(0.1 + r * Math.sin(a), -0.05 + r * Math.cos(a));
    }
    const inStar = (x: number, y: number): boolean => {
      let inside = false;
      for (let a = 0, b = 9; a < 10; b = a++) {
        const ax = star[a * 2]!, ay = star[a * 2 + 1]!, bx = star[b * 2]!, by = star[b * 2 + 1]!;
        if ((ay > y) !== (by > y) && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
      }
      return inside;
    };
    const expected: number[] = [];
    for (let i = 0; i < points.length / 2; i++) if (inStar(points[i * 2] as number, points[i * 2 + 1] as number)) expected.push(i);
    const got = index.insidePolygon(star);
    assert.deepEqual([...got], expected);
    assert.ok(got.length > 500 && got.length < index.inside(-0.7, -0.85, 0.9, 0.75).length / 2, `a star holds less than half its box: ${got.length}`);
    assert.equal(index.insidePolygon([0, 0, 0.5, 0.5]).length, 0);
    // The point (0.1, -0.05) is the star's centre; (0.1 + 0.55, -0.05) lies between two arms, outside.
    assert.ok(inStar(0.1, -0.05) && !inStar(0.1 + 0.55 * Math.sin(Math.PI / 5), -0.05 + 0.55 * Math.cos(Math.PI / 5)));
  });
});

describe('colourBy', () => {
  it('gives the most frequent categories the named colours and the rest and the unknown grey', () => {
    const labels = [...'aaaabbbcc', 'd', 'e', 'f', 'g', 'h', 'i', undefined].map((l) => l);
    const { categories, legend } = colourBy(labels, { rest: 'others' });
    assert.equal(MAP_PALETTE.length, NAMED_COLOURS + 1);
    assert.deepEqual(legend.slice(0, 3), [{ label: 'a', colour: 0, count: 4 }, { label: 'b', colour: 1, count: 3 }, { label: 'c', colour: 2, count: 2 }]);
    assert.equal(legend.length, NAMED_COLOURS + 1);
    assert.deepEqual(legend.at(-1), { label: 'others', colour: NAMED_COLOURS, count: 3 }, 'the eighth and ninth categories (h, i) and the unknown share grey');
    assert.equal(categories[0], 0);
    assert.equal(categories.at(-1), NAMED_COLOURS);
  });

  it('keeps a given order (age bands) and leaves out categories nobody has', () => {
    const { legend } = colourBy(['old', 'young', 'old'], { order: ['young', 'middle', 'old'] });
    assert.deepEqual(legend.map((l) => [l.label, l.colour, l.count]), [['young', 0, 1], ['old', 1, 2]]);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildViews } from '../../src/analysis/discovery/views.ts';
import { measurementTable } from '../../src/analysis/discovery/measurements.ts';
import { splitDetail } from '../../src/analysis/discovery/split-detail.ts';
import { Rng } from '../../src/kernel/rng.ts';
import { testKernel } from './helpers.ts';
import { normal } from './discovery-helpers.ts';

/** 6 people × 10 faces in 8-D; half of each person's faces turned right (+20°), which moves number 3 of the embedding. */
function turned() {
  const rng = new Rng(5);
  const d = 8;
  const people = 6;
  const faces = 10;
  const vectors = new Float32Array(people * faces * d);
  const persons: number[] = [];
  const measured = [];
  for (let p = 0; p < people; p++) {
    const centre = Array.from({ length: d }, () => normal(rng));
    for (let f = 0; f < faces; f++) {
      const right = f % 2;
      const row = p * faces + f;
      for (let j = 0; j < d; j++) vectors[row * d + j] = (centre[j] as number) + 0.05 * normal(rng) + (j === 3 ? (right ? 0.5 : -0.5) : 0);
      persons.push(p);
      measured.push({
        box: { x: 0, y: 0, width: 100, height: 100 }, foundBy: 'detected',
        measures: { yaw: (right ? 20 : -20) + normal(rng), pitch: normal(rng), roll: normal(rng), brightness: 120 + normal(rng), contrast: 40 + normal(rng), sharpness: 10 + normal(rng) },
      });
    }
  }
  return { vectors, d, persons, measured };
}

describe('a chosen split, ready to show', () => {
  it('gives the view\'s scatter, colours by side, person and each measure, and the numbers that carry it, labelled by what they go with', () => {
    const { vectors, d, persons, measured } = turned();
    const views = buildViews(testKernel(), vectors, d, { persons });
    const within = views.within!;
    const sides = Int32Array.from(within.faces, ([i]) => (measured[i as number]!.measures.yaw > 0 ? 1 : 0));
    const detail = splitDetail(testKernel(), within, sides, measurementTable(measured));
    assert.equal(detail.points.length, 2 * 60);
    assert.ok(detail.explained[0] > 0.5, 'the turn is the leading direction of the within-people view');
    const keys = detail.colourings.map((c) => c.key);
    for (const key of ['side', 'person', 'yaw', 'brightness']) assert.ok(keys.includes(key), `coloured by ${key}`);
    const person = detail.colourings.find((c) => c.key === 'person')!;
    assert.equal(person.categories.length, 6);
    const yaw = detail.colourings.find((c) => c.key === 'yaw')!;
    assert.equal(yaw.categories.length, 3, 'a quantity in thirds');
    assert.match(yaw.categories[0]!, /head turn \(yaw\) under/);
    const first = detail.carrying[0]!;
    assert.equal(first.dimension, 3, 'number 3 carries the split');
    assert.match(first.goesWith ?? '', /rises with head turn \(yaw\)/);
    assert.ok(first.r > 0.9);
    assert.ok(detail.carrying.slice(1).every((c) => c.goesWith === null || Math.abs(c.r) < 0.6), 'the others go with nothing much');
    assert.equal(detail.ranking[0], 3);
    assert.ok(detail.curve, 'the split-half curve is drawn');
    assert.ok((detail.curve.topM['1'] as number) > 0.95, 'number 3 alone finds the sides again on the other half');
    assert.ok((detail.curve.shuffled['1'] as number) < 0.8, 'a number ranked on shuffled sides does not');
  });
});

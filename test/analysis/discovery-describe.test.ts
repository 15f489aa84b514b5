import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aucOf, describeSplit, fewestPointsToDescribe } from '../../src/analysis/discovery/describe.ts';
import { type MeasurableFace, measurementTable } from '../../src/analysis/discovery/measurements.ts';
import { Rng } from '../../src/kernel/rng.ts';
import { normal } from './discovery-helpers.ts';

function face(o: { smiling?: boolean; surprised?: boolean; brightness?: number; yaw?: number; size?: number; foundBy?: string; heads?: boolean }): MeasurableFace {
  const size = o.size ?? 100;
  return {
    box: { x: 0, y: 0, width: size, height: size },
    foundBy: o.foundBy ?? 'detected',
    ...(o.heads === false ? {} : { attributes: { age: 30, gender: 'male', genderProbability: 0.9, expressions: { happy: o.smiling ? 0.9 : 0.05, neutral: o.smiling || o.surprised ? 0.05 : 0.9, surprised: o.surprised ? 0.9 : 0.05 } } }),
    measures: { yaw: o.yaw ?? 0, pitch: 0, roll: 0, brightness: o.brightness ?? 120, contrast: 40, sharpness: 50 },
  };
}

const points = (n: number) => Array.from({ length: n }, (_, i) => [i]);

describe('discovery: descriptions', () => {
  it('AUC: 1 for complete separation, 0.5 for ties, average ranks for tied values', () => {
    assert.equal(aucOf([1, 2, 3, 4], [0, 0, 1, 1]), 1);
    assert.equal(aucOf([1, 2, 3, 4], [1, 1, 0, 0]), 0);
    assert.equal(aucOf([5, 5, 5, 5], [0, 1, 0, 1]), 0.5);
    assert.equal(aucOf([1, 2, 2, 3], [0, 1, 0, 1]), 0.875);
  });

  it('says how many points a view needs before a split of it can be described at all (13 for 3 standard errors)', () => {
    assert.equal(fewestPointsToDescribe(), 13);
    const perfect = (n: number) => {
      const sides = Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1));
      const faces = sides.map((side) => face({ smiling: side === 1, brightness: 120, yaw: 0 }));
      return describeSplit({ faces: points(n) }, sides, measurementTable(faces));
    };
    assert.equal(perfect(12).described, false, 'a perfect measurement on 12 points is still a guess');
    assert.equal(perfect(13).described, true);
  });

  it('names the measurement that describes a split, with each side in words', () => {
    const sides: number[] = [];
    const faces: MeasurableFace[] = [];
    const rng = new Rng(1);
    for (let i = 0; i < 100; i++) {
      const side = i < 50 ? 1 : 0;
      const smiling = side === 1 ? i < 42 : i < 56; // 84 % of side 1, 12 % of side 0
      sides.push(side);
      faces.push(face({ smiling, surprised: !smiling && i % 3 === 0, brightness: 120 + 10 * normal(rng), yaw: 5 * normal(rng) }));
    }
    const d = describeSplit({ faces: points(100) }, sides, measurementTable(faces));
    assert.equal(d.text, 'mostly: one side 84 % smiling, the other 12 % (expression head)');
    assert.equal(d.described, true);
    assert.equal(d.best!.key, 'smiling');
    assert.deepEqual(d.best!.sideTexts, ['12 % smiling', '84 % smiling']);
    assert.ok(Math.abs(d.best!.auc - 0.86) < 1e-9);
  });

  it('numeric measurements: the side with more of it first, by medians', () => {
    const sides = Array.from({ length: 40 }, (_, i) => (i % 2));
    const faces = sides.map((s, i) => face({ brightness: s ? 150 + (i % 5) : 90 + (i % 5), heads: false }));
    const d = describeSplit({ faces: points(40) }, sides, measurementTable(faces));
    assert.equal(d.text, 'one side has brighter faces: brightness 152 of 255 against 92 of 255, medians (the photo)');
    assert.equal(d.how, 'clearly');
  });

  it('within people, each face is compared with its own person: a split brighter than each person\'s other photos is named', () => {
    // Person 0's photos are bright (200 ± 3), person 1's dark (50 ± 3); on side 1 each person's photos are 4 brighter than their own others.
    const sides: number[] = [];
    const person: number[] = [];
    const faces: MeasurableFace[] = [];
    for (let i = 0; i < 60; i++) {
      const p = i < 40 ? 0 : 1; // person 0 has twice the photos, so plain brightness mixes people
      const side = i % 2;
      sides.push(side);
      person.push(p);
      faces.push(face({ brightness: (p ? 50 : 200) + (side ? 2 : -2) + ((i >> 1) % 3) - 1, heads: false }));
    }
    const within = describeSplit({ faces: points(60), kind: 'within-people', person }, sides, measurementTable(faces));
    assert.equal(within.best!.key, 'brightness');
    assert.equal(within.how, 'clearly');
    const plain = describeSplit({ faces: points(60) }, sides, measurementTable(faces));
    assert.ok(plain.best!.key !== 'brightness' || plain.best!.strength < within.best!.strength - 0.3, `${plain.best!.key} ${plain.best!.strength}`);
  });

  it('says plainly when nothing measured describes the split', () => {
    const rng = new Rng(2);
    const sides = Array.from({ length: 60 }, (_, i) => i % 2);
    const faces = sides.map(() => face({ brightness: 120 + 10 * normal(rng), yaw: 10 * normal(rng), size: 100 + 10 * normal(rng) }));
    const d = describeSplit({ faces: points(60) }, sides, measurementTable(faces));
    assert.equal(d.described, false);
    assert.match(d.text, /^nothing measured here describes this split .*: the embedding separates something there is no name for yet$/);
  });

  it('a small sample does not make up a description', () => {
    const sides = [0, 0, 0, 1, 1, 1];
    const faces = [face({ brightness: 100 }), face({ brightness: 101 }), face({ brightness: 103 }), face({ brightness: 102 }), face({ brightness: 104 }), face({ brightness: 105 })];
    const d = describeSplit({ faces: points(6) }, sides, measurementTable(faces));
    assert.equal(d.described, false);
    // Perfectly apart, but 3 against 3 cannot rule out chance: said as a guess, not as a description.
    assert.match(d.text, /^nothing describes this split for sure \(it could be chance\); the closest guess: one side has .*brightness/);
  });

  it('a point standing for several faces takes the mean of theirs; faces without heads have no head columns', () => {
    const faces = [face({ smiling: true }), face({ smiling: false }), face({ smiling: true, heads: false })];
    const table = measurementTable(faces);
    const smiling = table.columns.find((c) => c.key === 'smiling')!;
    assert.deepEqual([...smiling.values].map((v) => (Number.isNaN(v) ? null : v)), [1, 0, null]);
    assert.ok(table.columns.some((c) => c.key === 'detected'));
    assert.equal(measurementTable([face({ heads: false })]).columns.some((c) => c.source.endsWith(' head')), false);
    const sides = [0, 0, 0, 1, 1, 1];
    const many = [[0, 1], [0, 1], [0, 1], [0], [0], [0]];
    const d = describeSplit({ faces: many }, sides, table);
    assert.deepEqual(d.scores.find((s) => s.key === 'smiling')!.sideTexts, ['50 % smiling', '100 % smiling']);
  });
});

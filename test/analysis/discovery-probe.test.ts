import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyCalibratedProbe, removeIdentity, trainCalibratedProbe } from '../../src/analysis/discovery/calibrated-probe.ts';
import type { MeasurementTable } from '../../src/analysis/discovery/measurements.ts';
import { reliabilityOf } from '../../src/analysis/discovery/reliability.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { testKernel } from './helpers.ts';
import { plantedFaces } from './discovery-helpers.ts';

const kernel = testKernel();
const names = ['no glasses', 'glasses'] as const;

function slice(p: ReturnType<typeof plantedFaces>, from: number, to: number) {
  const d = p.d;
  return { vectors: p.vectors.slice(from * d, to * d), persons: p.persons.slice(from, to), classes: p.attribute.slice(from, to), d };
}

describe('discovery: calibrated probes', () => {
  it('reliability: bins by stated confidence, ECE 0 when confidence matches accuracy', () => {
    const r = reliabilityOf([0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.3, 0.3, 0.3], [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1]);
    assert.equal(r.faces, 13);
    assert.ok(Math.abs(r.ece - (3 / 13) * Math.abs(2 / 3 - 0.7)) < 1e-12, `${r.ece}`);
    assert.equal(r.bins.reduce((a, b) => a + b.count, 0), 13);
    assert.throws(() => reliabilityOf([1.2], [1]), InvalidInputError);
  });

  it('on new people, faces given about p % are right about p % of the time', () => {
    // 40 people × 20 faces; the attribute overlaps with noise so confidences spread between 50 and 100 %.
    const planted = plantedFaces({ people: 60, faces: 20, d: 32, shift: 0.15, noise: 0.1, seed: 21 });
    const train = slice(planted, 0, 800);
    const test = slice(planted, 800, 1200);
    const probe = trainCalibratedProbe(kernel, { ...train, names }, { seed: 1 });
    assert.deepEqual(probe.warnings, []);
    assert.ok(probe.reliability.ece < 0.05, `held-out folds ECE ${probe.reliability.ece}`);
    const assigned = applyCalibratedProbe(kernel, probe, { vectors: test.vectors, persons: test.persons });
    const r = reliabilityOf(assigned.map((a) => a.probability), test.classes);
    assert.ok(r.accuracy > 0.65 && r.accuracy < 0.95, `accuracy ${r.accuracy}`);
    assert.ok(r.ece < 0.05, `new people ECE ${r.ece}`);
    // Each well-filled bin's accuracy within three binomial standard errors of its stated confidence.
    for (const bin of r.bins) {
      if (bin.count < 30) continue;
      const se = Math.sqrt((bin.meanConfidence * (1 - bin.meanConfidence)) / bin.count);
      assert.ok(Math.abs(bin.accuracy - bin.meanConfidence) <= 3 * se, JSON.stringify(bin));
    }
    assert.ok(r.bins.filter((b) => b.count >= 30).length >= 3, 'confidences spread over several bins');
    assert.ok(assigned.every((a) => a.identityRemoved && a.disagreement === null));
  });

  it('an overconfident score is calibrated: Platt undoes the scale the held-out folds reveal', () => {
    // Few faces per dimension and weak regularisation: the raw logistic outputs are overconfident.
    const planted = plantedFaces({ people: 60, faces: 10, d: 64, shift: 0.15, noise: 0.1, seed: 22 });
    const test = slice(planted, 300, 600);
    const probe = trainCalibratedProbe(kernel, { ...slice(planted, 0, 300), names }, { seed: 2, c: 100 });
    assert.ok(probe.platt.a < 0.7, `Platt slope ${probe.platt.a}`);
    const calibrated = reliabilityOf(applyCalibratedProbe(kernel, probe, test).map((a) => a.probability), test.classes);
    const raw = reliabilityOf(applyCalibratedProbe(kernel, { ...probe, platt: { a: 1, b: 0 } }, test).map((a) => a.probability), test.classes);
    assert.ok(calibrated.ece < 0.08 && calibrated.ece < raw.ece / 2, `calibrated ECE ${calibrated.ece}, raw ${raw.ece}`);
  });

  it('with identity removed, leaves out people whose faces all carry one name, and says so', () => {
    const planted = plantedFaces({ people: 25, faces: 10, d: 16, shift: 0.6, noise: 0.05, seed: 26 });
    const set = slice(planted, 0, 250);
    const classes = set.classes.map((c, i) => (i >= 200 ? 1 : c)); // the last 5 people: every face named "glasses"
    const probe = trainCalibratedProbe(kernel, { ...set, classes, names });
    assert.deepEqual(probe.faces, [100, 100]);
    assert.equal(probe.people, 20);
    assert.match(probe.warnings[0]!, /^50 faces of 5 people whose faces all carry one name were left out/);
    const raw = trainCalibratedProbe(kernel, { ...set, classes, names }, { identityRemoved: false });
    assert.deepEqual(raw.faces, [100, 150]);
  });

  it('warns when the named faces span fewer than 10 people', () => {
    const planted = plantedFaces({ people: 4, faces: 10, d: 16, shift: 0.5, noise: 0.1, seed: 23 });
    const probe = trainCalibratedProbe(kernel, { ...slice(planted, 0, 40), names });
    assert.equal(probe.warnings.length, 1);
    assert.match(probe.warnings[0]!, /only 4 people .* may be learning who is in the photo/);
  });

  it('links the head that matches the names and flags faces where it disagrees', () => {
    const planted = plantedFaces({ people: 20, faces: 10, d: 16, shift: 0.6, noise: 0.05, seed: 24 });
    const set = slice(planted, 0, 200);
    // A "glasses head" that agrees on 190 faces and disagrees on the last 10.
    const head = Float64Array.from(set.classes, (c, i) => (i >= 190 ? 1 - c : c));
    const table: MeasurementTable = { faces: 200, columns: [{ key: 'glasses-head', kind: 'binary', label: 'glasses', source: 'glasses head', values: head }] };
    const probe = trainCalibratedProbe(kernel, { ...set, names }, { measurements: table });
    assert.equal(probe.head?.key, 'glasses-head');
    const assigned = applyCalibratedProbe(kernel, probe, { vectors: set.vectors, persons: set.persons, measurements: table });
    const flagged = assigned.flatMap((a, i) => (a.disagreement ? [i] : []));
    assert.ok(flagged.filter((i) => i >= 190).length >= 9, `${flagged}`);
    assert.ok(flagged.filter((i) => i < 190).length <= 5, `${flagged}`);
    assert.match(assigned[flagged.find((i) => i >= 190)!]!.disagreement!, /^the glasses head \(glasses\) points to "(no glasses|glasses)"$/);
  });

  it('a face whose person has no other face is centred on the training mean and says its identity stayed', () => {
    const planted = plantedFaces({ people: 12, faces: 10, d: 16, shift: 0.6, noise: 0.05, seed: 25 });
    const probe = trainCalibratedProbe(kernel, { ...slice(planted, 0, 120), names });
    const assigned = applyCalibratedProbe(kernel, probe, { vectors: planted.vectors.slice(0, 32), persons: ['a', 'b'] });
    assert.deepEqual(assigned.map((a) => a.identityRemoved), [false, false]);
    const { alone, residuals } = removeIdentity(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, ['x', 'x', 'y']);
    assert.deepEqual([...alone], [0, 0, 1]);
    assert.deepEqual([...residuals], [-1, -1, 1, 1, 0, 0]);
  });
});

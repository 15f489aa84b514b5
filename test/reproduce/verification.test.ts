import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bestThreshold, lfwImagePath, parsePairs, verificationAccuracy } from '../../src/reproduce/verification.ts';
import { InvalidInputError } from '../../src/errors.ts';

const sample = `2\t2
Ann\t1\t2
Bob\t3\t4
Ann\t1\tBob\t2
Cid\t1\tDee\t1
Eve 1 3
Fay 2 5
Eve 1 Fay 1
Gus 2 Hal 7
`;

describe('parsePairs', () => {
  it('reads folds, same and different pairs in order', () => {
    const parsed = parsePairs(sample);
    assert.equal(parsed.folds, 2);
    assert.equal(parsed.pairsPerFold, 2);
    assert.equal(parsed.pairs.length, 8);
    assert.deepEqual(parsed.pairs.map((p) => [p.fold, p.same]), [
      [0, true], [0, true], [0, false], [0, false], [1, true], [1, true], [1, false], [1, false],
    ]);
    assert.deepEqual(parsed.pairs[2], { fold: 0, same: false, nameA: 'Ann', indexA: 1, nameB: 'Bob', indexB: 2, line: 4 });
  });

  it('accepts a single-fold header (pairsDevTest.txt style)', () => {
    assert.equal(parsePairs('1\nA 1 2\nA 1 B 1\n').folds, 1);
  });

  it('rejects a malformed file with the line number', () => {
    assert.throws(() => parsePairs('x y\n'), /pairs\.txt:1: /);
    assert.throws(() => parsePairs(sample.replace('Bob\t3\t4', 'Bob\t3')), /pairs\.txt:3: a same-person line/);
    assert.throws(() => parsePairs(sample.replace('Cid\t1\tDee\t1', 'Cid 1 Dee')), /pairs\.txt:5: a different-person line/);
    assert.throws(() => parsePairs(sample.replace('Eve 1 3', 'Eve 1 x')), /pairs\.txt:6: image number/);
    assert.throws(() => parsePairs(sample.split('\n').slice(0, 7).join('\n'), 'p.txt'), (e: unknown) =>
      e instanceof InvalidInputError && /p\.txt:\d+: expected 2 folds/.test(e.message));
  });

  it('builds LFW image paths', () => {
    assert.equal(lfwImagePath('George_W_Bush', 7), 'George_W_Bush/George_W_Bush_0007.jpg');
  });
});

describe('verificationAccuracy', () => {
  it('chooses the threshold that separates the training pairs', () => {
    const t = bestThreshold([
      { distance: 0.2, same: true }, { distance: 0.3, same: true }, { distance: 0.7, same: false }, { distance: 0.9, same: false },
    ]);
    assert.ok(t > 0.3 && t < 0.7, `threshold ${t}`);
  });

  it('scores each fold with a threshold fitted on the others', () => {
    const { pairs } = parsePairs(sample);
    // Fold 0 perfectly separable at 0.5; fold 1 has one same pair at a large distance.
    const distances = [0.1, 0.2, 0.8, 0.9, 0.15, 0.95, 0.85, 0.7];
    const result = verificationAccuracy(pairs, distances, 2);
    assert.deepEqual(result.foldAccuracies, [1, 0.75]);
    assert.equal(result.accuracy, 0.875);
    assert.equal(result.std, 0.125);
    assert.equal(result.scored, 8);
  });

  it('fits each fold\'s threshold without that fold: equals a hand-rolled cross-validation, not a leaky one', () => {
    const { pairs } = parsePairs(sample);
    // Fold 0's same pairs reach far (0.5) and fold 1's different pairs come close (0.3): a threshold fitted on
    // one fold misjudges one pair of the other, while one fitted on every pair (fold 1 included) suits fold 1.
    const distances = [0.1, 0.5, 0.6, 0.9, 0.1, 0.2, 0.3, 0.9];
    const crossValidate = (trainOn: (fold: number) => (pairFold: number) => boolean) => [0, 1].map((fold) => {
      const threshold = bestThreshold(pairs.flatMap((p, i) => (trainOn(fold)(p.fold) ? [{ distance: distances[i]!, same: p.same }] : [])));
      const test = pairs.map((p, i) => ({ p, d: distances[i]! })).filter(({ p }) => p.fold === fold);
      return test.filter(({ p, d }) => (d <= threshold) === p.same).length / test.length;
    });
    const expected = crossValidate((fold) => (pairFold) => pairFold !== fold);
    const leaky = crossValidate(() => () => true);
    assert.deepEqual(expected, [0.75, 0.75]);
    assert.notDeepEqual(leaky, expected, 'the distances tell a threshold fitted on every fold apart');
    const result = verificationAccuracy(pairs, distances, 2);
    assert.deepEqual(result.foldAccuracies, expected);
    assert.equal(result.accuracy, 0.75);
    assert.equal(result.thresholds[0], bestThreshold([{ distance: 0.1, same: true }, { distance: 0.2, same: true }, { distance: 0.3, same: false }, { distance: 0.9, same: false }]));
    assert.equal(result.thresholds[1], bestThreshold([{ distance: 0.1, same: true }, { distance: 0.5, same: true }, { distance: 0.6, same: false }, { distance: 0.9, same: false }]));
  });

  it('counts pairs without an embedding as errors, not as skipped', () => {
    const { pairs } = parsePairs(sample);
    const distances = [0.1, undefined, 0.8, 0.9, 0.15, 0.2, 0.85, 0.7];
    const result = verificationAccuracy(pairs, distances, 2);
    assert.equal(result.foldAccuracies[0], 0.75);
    assert.equal(result.scored, 7);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scoreLabelledGrouping } from '../../src/analysis/grouping-scores.ts';
import { InvalidInputError } from '../../src/errors.ts';

const close = (actual: number, expected: number, tol = 1e-12): void => assert.ok(Math.abs(actual - expected) <= tol, `${actual} ≠ ${expected}`);

// Bagga & Baldwin (1998)'s example: truth {1–5}, {6, 7}, {8–12}. Response A wrongly joins {6, 7} with
// {8–12}; response B joins {1–5} with {8–12}. Both make one wrong merge, but B's is worse: BCubed precision
// A = (5·1 + 2·2/7 + 5·5/7)/12 = 16/21 ≈ 0.76, B = (10·5/10 + 2·1)/12 = 7/12 ≈ 0.58 (the figures they give).
const truth = ['p', 'p', 'p', 'p', 'p', 'q', 'q', 'r', 'r', 'r', 'r', 'r'];
const responseA = [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2];
const responseB = [1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1];

describe('scoreLabelledGrouping', () => {
  it("gives Bagga & Baldwin's BCubed figures for their two responses", () => {
    const a = scoreLabelledGrouping(truth, responseA);
    close(a.bcubed.precision, 16 / 21);
    close(a.bcubed.recall, 1);
    close(a.bcubed.f, (2 * 16) / 21 / (16 / 21 + 1));
    // Pairwise: grouped pairs 10 + 21 = 31, of which same-person 10 + 1 + 10 = 21 (all 21 true pairs).
    close(a.pairwise.precision, 21 / 31);
    close(a.pairwise.recall, 1);
    assert.deepEqual([a.faces, a.people, a.groups], [12, 3, 2]);
    const b = scoreLabelledGrouping(truth, responseB);
    close(b.bcubed.precision, 7 / 12);
    close(b.bcubed.recall, 1);
    assert.ok(b.bcubed.f < a.bcubed.f);
  });

  it('a perfect grouping scores 1 whatever the group names; a split costs recall only', () => {
    const perfect = scoreLabelledGrouping(truth, truth.map((t) => `group of ${t}`));
    assert.deepEqual([perfect.bcubed, perfect.pairwise], [{ precision: 1, recall: 1, f: 1 }, { precision: 1, recall: 1, f: 1 }]);
    // r split into {8, 9, 10} and {11, 12}: BCubed recall = (5·1 + 2·1 + 3·3/5 + 2·2/5)/12 = (7 + 13/5)/12.
    const split = scoreLabelledGrouping(truth, [1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 4, 4]);
    close(split.bcubed.precision, 1);
    close(split.bcubed.recall, (7 + 13 / 5) / 12);
    close(split.pairwise.recall, (10 + 1 + 3 + 1) / 21);
    assert.equal(split.groups, 4);
  });

  it('leaves unlabelled faces out of the figures, wherever they were grouped', () => {
    // Bystanders (no label) put into p's group and into a group of their own change nothing.
    const labels = [...truth, undefined, undefined, undefined];
    const groups = [...responseA, 1, 1, 9];
    const withBystanders = scoreLabelledGrouping(labels, groups);
    const without = scoreLabelledGrouping(truth, responseA);
    assert.deepEqual(withBystanders, without);
    assert.equal(withBystanders.faces, 12);
  });

  it('rejects unequal lengths and a grouping with no label at all', () => {
    assert.throws(() => scoreLabelledGrouping(['a'], [1, 2]), InvalidInputError);
    assert.throws(() => scoreLabelledGrouping([undefined, undefined], [1, 2]), /no face has a label/);
  });
});

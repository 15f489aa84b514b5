import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultNewGroupId, matchGroups } from '../../src/analysis/person-match.ts';
import { InvalidInputError } from '../../src/errors.ts';

/** Face ids f<from>…f<to-1>, zero-padded so their text order is their number order. */
const faces = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `f${String(from + i).padStart(4, '0')}`);
const group = (id: string, ...ranges: Array<[number, number]>) => ({ id, faceIds: ranges.flatMap(([a, b]) => faces(a, b)) });
const next = (...ranges: Array<[number, number]>) => ({ faceIds: ranges.flatMap(([a, b]) => faces(a, b)) });

describe('matchGroups', () => {
  it('keeps every id when the grouping comes back the same, in any order', () => {
    const previous = [group('mum', [0, 10]), group('dad', [10, 15]), group('kid', [15, 18])];
    const m = matchGroups(previous, [next([15, 18]), next([0, 10]), next([10, 15])]);
    assert.deepEqual(m.ids, ['kid', 'mum', 'dad']);
    assert.deepEqual(m.from, [2, 0, 1]);
    assert.deepEqual(m.shared, [3, 10, 5]);
    assert.deepEqual(m.retired, []);
  });

  it('additions: photos joining a person keep its id; a new person gets a new id', () => {
    const previous = [group('mum', [0, 10]), group('dad', [10, 15])];
    const m = matchGroups(previous, [next([0, 10], [20, 25]), next([10, 15], [25, 26]), next([30, 33])]);
    assert.deepEqual(m.ids, ['mum', 'dad', 'person:f0030']);
    assert.deepEqual(m.from, [0, 1, -1]);
    assert.deepEqual(m.shared, [10, 5, 0]);
  });

  it('removals: a person whose photos are gone is retired, the others keep their ids', () => {
    const previous = [group('mum', [0, 10]), group('dad', [10, 15]), group('kid', [15, 18])];
    const m = matchGroups(previous, [next([0, 8]), next([16, 18])]);
    assert.deepEqual(m.ids, ['mum', 'kid']);
    assert.deepEqual(m.retired, ['dad']);
  });

  it('a split: the larger part keeps the id, the other part is new', () => {
    const previous = [group('mum', [0, 10])];
    const m = matchGroups(previous, [next([0, 3]), next([3, 10])]);
    assert.deepEqual(m.ids, ['person:f0000', 'mum']);
    assert.deepEqual(m.from, [-1, 0]);
    assert.deepEqual(m.shared, [0, 7]);
  });

  it('an even split keeps the id on the half most like the old group (Jaccard), then on the earlier one', () => {
    // Both halves share 5 faces; the second brought 3 strangers, so the first is the closer match.
    const previous = [group('mum', [0, 10])];
    assert.deepEqual(matchGroups(previous, [next([0, 5]), next([5, 10], [50, 53])]).ids, ['mum', 'person:f0005']);
    assert.deepEqual(matchGroups(previous, [next([5, 10], [50, 53]), next([0, 5])]).ids, ['person:f0005', 'mum']);
    // A perfect tie goes to the earlier group.
    assert.deepEqual(matchGroups(previous, [next([5, 10]), next([0, 5])]).ids, ['mum', 'person:f0000']);
  });

  it('a merge: the merged group keeps the id of the person it shares most with; the other id retires', () => {
    const previous = [group('mum', [0, 4]), group('dad', [4, 14])];
    const m = matchGroups(previous, [next([0, 14])]);
    assert.deepEqual(m.ids, ['dad']);
    assert.deepEqual(m.retired, ['mum']);
  });

  it('maximises the total of shared faces where a greedy pass would lose a person', () => {
    // A (9 faces) splits into X = 5 of A + all 4 of B, and Y = the other 4 of A. Greedy on the largest overlap
    // gives X A's id and leaves B's unused (5 shared); the optimum X → B, Y → A keeps both (8 shared).
    const previous = [group('A', [0, 9]), group('B', [9, 13])];
    const m = matchGroups(previous, [next([0, 5], [9, 13]), next([5, 9])]);
    assert.deepEqual(m.ids, ['B', 'A']);
    assert.deepEqual(m.shared, [4, 4]);
    assert.deepEqual(m.retired, []);
  });

  it('never hands a new group an id that is taken, even a retired one', () => {
    // "mum" retires; the new group's natural id collides with a previous id, and two new groups propose the same.
    const previous = [group('mum', [0, 3]), group('person:f0100', [100, 103])];
    const m = matchGroups(previous, [next([100, 103]), next([200, 202]), next([300, 302])], { newId: () => 'mum' });
    assert.deepEqual(m.ids, ['person:f0100', 'mum~2', 'mum~3']);
    assert.equal(new Set(m.ids).size, 3);
    assert.deepEqual(m.retired, ['mum']);
  });

  it('handles empty inputs, empty groups and repeated face ids', () => {
    assert.deepEqual(matchGroups([], []), { ids: [], from: [], shared: [], retired: [] });
    assert.deepEqual(matchGroups([group('a', [0, 2])], []).retired, ['a']);
    const m = matchGroups([{ id: 'a', faceIds: ['x', 'x', 'y'] }], [{ faceIds: [] }, { faceIds: ['x', 'x'] }]);
    assert.deepEqual(m.ids, ['person:empty', 'a']);
    assert.deepEqual(m.shared, [0, 1]);
    assert.equal(defaultNewGroupId({ faceIds: ['b:1', 'a:0'] }), 'person:a:0');
  });

  it('rejects previous groups with the same id', () => {
    assert.throws(() => matchGroups([group('a', [0, 1]), group('a', [1, 2])], []), InvalidInputError);
  });

  it('solves one large connected part: every group overlapping the next person', () => {
    // 500 people of 5 faces, regrouped with every person's faces shifted by one into the next person: the
    // overlap graph is one chain, so the whole matrix goes to the solver at once.
    const previous = Array.from({ length: 500 }, (_, i) => group(`p${i}`, [i * 5, i * 5 + 5]));
    const regrouped = Array.from({ length: 500 }, (_, i) => next([i * 5 + 1, i * 5 + 6]));
    const m = matchGroups(previous, regrouped);
    assert.deepEqual(m.ids.slice(0, 3), ['p0', 'p1', 'p2']);
    assert.equal(m.ids[499], 'p499');
    assert.ok(m.shared.every((k) => k === 4));
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, deriveSeed, sampleIndices, shuffleInPlace } from '../../src/analysis/rng.ts';
import { InvalidInputError } from '../../src/errors.ts';

describe('rng', () => {
  it('repeats a sequence for a seed and differs between seeds', () => {
    const draw = (seed: number): number[] => { const r = createRng(seed); return Array.from({ length: 5 }, () => r.next()); };
    assert.deepEqual(draw(3), draw(3));
    assert.notDeepEqual(draw(0), draw(1));
    for (const v of draw(7)) assert.ok(v >= 0 && v < 1);
  });

  it('draws integers uniformly enough (chi-square over 10 bins, 10,000 draws)', () => {
    const r = createRng(42);
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 10000; i++) bins[r.int(10)]! += 1;
    const chi2 = bins.reduce((a, b) => a + (b - 1000) ** 2 / 1000, 0);
    assert.ok(chi2 < 27.9, `chi-square ${chi2} (p < 0.001 critical value 27.9 for 9 dof)`);
  });

  it('derives distinct, reproducible stream seeds', () => {
    assert.equal(deriveSeed(0, 'kmeans'), deriveSeed(0, 'kmeans'));
    assert.notEqual(deriveSeed(0, 'kmeans'), deriveSeed(0, 'balance'));
    assert.notEqual(deriveSeed(0, 'kmeans'), deriveSeed(1, 'kmeans'));
    assert.ok(Number.isInteger(deriveSeed(2 ** 40, 'x')) && deriveSeed(2 ** 40, 'x') >= 0);
  });

  it('shuffles into a permutation and samples distinct sorted indices', () => {
    const shuffled = shuffleInPlace([0, 1, 2, 3, 4, 5, 6, 7], createRng(1));
    assert.deepEqual([...shuffled].sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
    const sample = sampleIndices(100, 10, createRng(2));
    assert.equal(new Set(sample).size, 10);
    assert.deepEqual(sample, [...sample].sort((a, b) => a - b));
    assert.deepEqual(sampleIndices(4, 4, createRng(0)), [0, 1, 2, 3]);
  });

  it('rejects bad seeds and bounds', () => {
    assert.throws(() => createRng(0.5), InvalidInputError);
    assert.throws(() => createRng(0).int(0), InvalidInputError);
    assert.throws(() => sampleIndices(3, 4, createRng(0)), InvalidInputError);
  });
});

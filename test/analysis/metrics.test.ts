import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  adjustedRandIndex, chanceAccuracy, clusterAccuracy, confusionMatrix, linearAssignment, matchedAccuracy, normalizedMutualInfo,
} from '../../src/analysis/metrics.ts';
import { createRng } from '../../src/analysis/rng.ts';
import { InvalidInputError } from '../../src/errors.ts';

const close = (actual: number, expected: number, tol = 1e-12): void => assert.ok(Math.abs(actual - expected) <= tol, `${actual} ≠ ${expected}`);

describe('confusion matrix and matched accuracy', () => {
  it('counts classes (rows) against clusters (columns)', () => {
    assert.deepEqual(confusionMatrix([0, 0, 1, 1, 1], [5, 3, 3, 3, 5]), { classIds: [0, 1], clusterIds: [3, 5], counts: [[1, 1], [2, 1]] });
  });

  it('solves scipy\'s published assignment example (cost 5: rows → columns 1, 0, 2)', () => {
    assert.deepEqual(linearAssignment([[4, 1, 3], [2, 0, 5], [3, 2, 2]]), [1, 0, 2]);
    assert.deepEqual(linearAssignment([[1, 9, 9, 0], [9, 1, 9, 9]]), [3, 1]);
    assert.throws(() => linearAssignment([[1], [2]]), InvalidInputError);
  });

  it('agrees with max(a, 1 − a) for two clusters and two classes on random labellings', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + rng.int(30);
      const classes = Array.from({ length: n }, () => rng.int(2));
      const clusters = Array.from({ length: n }, () => rng.int(2));
      if (new Set(classes).size < 2 || new Set(clusters).size < 2) continue;
      const a = classes.filter((c, i) => c === clusters[i]).length / n;
      close(clusterAccuracy(classes, clusters), Math.max(a, 1 - a));
    }
  });

  it('matches three clusters to three classes (hand-computed: 7 of 9)', () => {
    // Cluster 2 is mostly class 0, cluster 0 class 1, cluster 1 class 2; one stray each in two clusters.
    const classes = [0, 0, 0, 1, 1, 1, 2, 2, 2];
    const clusters = [2, 2, 0, 0, 0, 1, 1, 1, 2];
    const { accuracy, mapping } = matchedAccuracy(classes, clusters);
    close(accuracy, 6 / 9);
    assert.deepEqual([...mapping.entries()].sort(), [[0, 1], [1, 2], [2, 0]]);
    // More clusters than classes: the extra cluster's items count as wrong.
    close(clusterAccuracy([0, 0, 1, 1], [0, 1, 2, 2]), 3 / 4);
    // More classes than clusters.
    close(clusterAccuracy([0, 1, 2, 2], [0, 0, 1, 1]), 3 / 4);
  });

  it('rejects mismatched, empty or non-integer labellings', () => {
    assert.throws(() => clusterAccuracy([0, 1], [0]), InvalidInputError);
    assert.throws(() => clusterAccuracy([], []), InvalidInputError);
    assert.throws(() => clusterAccuracy([0, -1], [0, 1]), InvalidInputError);
    assert.throws(() => clusterAccuracy([0, 1.5], [0, 1]), InvalidInputError);
  });
});

describe('chance accuracy', () => {
  it('is 1 for two items (any shuffle of a 2-point labelling is matched perfectly)', () => {
    assert.equal(chanceAccuracy([0, 1], [0, 1], 0, 10), 1);
  });

  it('is near 0.5 for many items and above it for few (small samples flatter k = 2)', () => {
    const rng = createRng(9);
    const big = Array.from({ length: 2000 }, (_, i) => i % 2);
    const clusters = Array.from({ length: 2000 }, () => rng.int(2));
    const chanceBig = chanceAccuracy(big, clusters, 1, 20);
    assert.ok(chanceBig > 0.5 && chanceBig < 0.52, String(chanceBig));
    const small = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    const chanceSmall = chanceAccuracy(small, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1], 1, 2000);
    // Exact expectation for n = 10, 5/5 vs 5/5: Σ_k P(overlap k)·max(k, 5 − k)·2/10 with hypergeometric P.
    const binom = (n: number, k: number): number => { let r = 1; for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i; return r; };
    let expected = 0;
    for (let k = 0; k <= 5; k++) expected += ((binom(5, k) * binom(5, 5 - k)) / binom(10, 5)) * (Math.max(k, 5 - k) * 2) / 10;
    close(chanceSmall, expected, 0.01);
    assert.ok(expected > 0.6);
  });

  it('is reproducible for a seed', () => {
    const classes = [0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0];
    const clusters = [0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 1];
    assert.equal(chanceAccuracy(classes, clusters, 3), chanceAccuracy(classes, clusters, 3));
  });
});

describe('NMI and ARI', () => {
  it('reproduce scikit-learn\'s documented examples', () => {
    // normalized_mutual_info_score docstring examples.
    assert.equal(normalizedMutualInfo([0, 0, 1, 1], [0, 0, 1, 1]), 1);
    assert.equal(normalizedMutualInfo([0, 0, 1, 1], [1, 1, 0, 0]), 1);
    assert.equal(normalizedMutualInfo([0, 0, 0, 0], [0, 1, 2, 3]), 0);
    // adjusted_rand_score docstring examples.
    assert.equal(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 1]), 1);
    assert.equal(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]), 1);
    close(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1]), 4 / 7);
    close(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2]), 4 / 7);
    assert.equal(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3]), 0);
    close(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]), -0.5);
  });

  it('match hand computations', () => {
    // [0,0,1,1] vs [0,0,1,2]: MI = ln 2, H(classes) = ln 2, H(clusters) = 1.5 ln 2 → NMI = 1 / 1.25.
    close(normalizedMutualInfo([0, 0, 1, 1], [0, 0, 1, 2]), 0.8);
    // Symmetric.
    close(normalizedMutualInfo([0, 0, 1, 2], [0, 0, 1, 1]), 0.8);
    // One item, or both single-group: identical trivial partitions.
    assert.equal(adjustedRandIndex([3], [7]), 1);
    assert.equal(normalizedMutualInfo([1, 1, 1], [0, 0, 0]), 1);
    // Independent labellings score 0.
    assert.equal(normalizedMutualInfo([0, 0, 1, 1], [0, 1, 0, 1]), 0);
  });
});

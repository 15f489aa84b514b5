import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterAccuracy } from '../../src/analysis/metrics.ts';
import { excessKurtosis, oursSplit, twoMeans1d } from '../../src/analysis/ours.ts';
import { createRng } from '../../src/analysis/rng.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { gaussian, testKernel } from './helpers.ts';

describe('ours: building blocks', () => {
  it('two-means in 1-D finds the optimal cut (hand case and brute force)', () => {
    assert.deepEqual(twoMeans1d([10, 0, 11, 1, 12]), { labels: Int32Array.from([1, 0, 1, 0, 1]), threshold: 5.5 });
    assert.deepEqual([...twoMeans1d([3, 3, 3]).labels], [0, 0, 0]);
    const rng = createRng(3);
    for (let trial = 0; trial < 50; trial++) {
      const values = Array.from({ length: 3 + rng.int(12) }, () => Math.round(rng.next() * 20));
      const sse = (labels: ArrayLike<number>): number => [0, 1].reduce((acc, g) => {
        const members = values.filter((_, i) => labels[i] === g);
        const mean = members.reduce((a, b) => a + b, 0) / (members.length || 1);
        return acc + members.reduce((a, b) => a + (b - mean) ** 2, 0);
      }, 0);
      let best = Infinity;
      for (const t of new Set(values)) best = Math.min(best, sse(values.map((v) => (v > t ? 1 : 0))));
      assert.ok(Math.abs(sse(twoMeans1d(values).labels) - best) < 1e-9, `${values}`);
    }
  });

  it('excess kurtosis: −2 for two equal point masses, about −1.2 for a uniform, 0 for a constant', () => {
    assert.equal(excessKurtosis([-1, 1, -1, 1]), -2);
    const rng = createRng(1);
    const uniform = Array.from({ length: 20000 }, () => rng.next());
    assert.ok(Math.abs(excessKurtosis(uniform) + 1.2) < 0.05);
    assert.equal(excessKurtosis([2, 2, 2]), 0);
    assert.throws(() => excessKurtosis([]), InvalidInputError);
  });
});

describe('ours: the split', () => {
  it('follows a bimodal direction where k-means follows a larger unimodal one', () => {
    // Dimension 0: Gaussian nuisance, variance 4. Dimension 1: the attribute, ±1 with noise 0.15.
    // 14 more dimensions of small noise. Splitting dimension 0 lowers the k-means objective more
    // ((2/π)·4 ≈ 2.5 per row) than splitting dimension 1 (≈ 1 per row), so k-means misses the attribute.
    const rng = createRng(12);
    const n = 200;
    const d = 16;
    const classes = Array.from({ length: n }, (_, i) => i % 2);
    const data = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      data[i * d] = 2 * gaussian(rng);
      data[i * d + 1] = (classes[i] ? 1 : -1) + 0.15 * gaussian(rng);
      for (let j = 2; j < d; j++) data[i * d + j] = 0.1 * gaussian(rng);
    }
    const kernel = testKernel();
    const kmeans = clusterAccuracy(classes, kernel.kmeans(data, d, { k: 2, seed: 0, restarts: 10 }).labels);
    const ours = oursSplit(kernel, data, d);
    assert.ok(kmeans < 0.7, `k-means ${kmeans}`);
    assert.ok(clusterAccuracy(classes, ours.labels) > 0.98, `ours ${clusterAccuracy(classes, ours.labels)}`);
    assert.ok(ours.excessKurtosis < -1.5, `kurtosis ${ours.excessKurtosis}`);
    assert.deepEqual(oursSplit(kernel, data, d).labels, ours.labels);
  });

  it('handles degenerate inputs: identical rows, rows on a line, two rows', () => {
    const kernel = testKernel();
    assert.deepEqual([...oursSplit(kernel, new Float32Array(12).fill(0.5), 3).labels], [0, 0, 0, 0]);
    const line = Float32Array.from([0, 0, 1, 1, 2, 2, 10, 10, 11, 11, 12, 12]);
    assert.deepEqual([...oursSplit(kernel, line, 2).labels].map((l, _, a) => l === a[0]), [true, true, true, false, false, false]);
    assert.equal(new Set(oursSplit(kernel, Float32Array.from([0, 1, 5, 3]), 2).labels).size, 2);
    assert.throws(() => oursSplit(kernel, Float32Array.from([0, 1]), 2), InvalidInputError);
  });
});

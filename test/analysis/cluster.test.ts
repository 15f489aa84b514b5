import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, projectPca2d, representatives, silhouetteScore } from '../../src/analysis/cluster.ts';
import { clusterAccuracy } from '../../src/analysis/metrics.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { gaussianClusters, testKernel } from './helpers.ts';

const kernel = testKernel();
const close = (actual: number, expected: number, tol: number): void => assert.ok(Math.abs(actual - expected) <= tol, `${actual} ≠ ${expected}`);

describe('silhouette', () => {
  it('matches a hand computation on four points on a line', () => {
    // Points 0, 1 (cluster 0) and 4, 6 (cluster 1).
    // s(0): a = 1, b = (4 + 6)/2 = 5 → 0.8;  s(1): a = 1, b = (3 + 5)/2 = 4 → 0.75
    // s(4): a = 2, b = (4 + 3)/2 = 3.5 → 1.5/3.5;  s(6): a = 2, b = (6 + 5)/2 = 5.5 → 3.5/5.5
    const expected = (0.8 + 0.75 + 1.5 / 3.5 + 3.5 / 5.5) / 4;
    close(silhouetteScore(kernel, Float32Array.from([0, 1, 4, 6]), 1, [0, 0, 1, 1]), expected, 1e-6);
    // A singleton scores 0: s(0) = 0; s(1): a = 3, b = 1 → −2/3; s(4): a = 3, b = 4 → 0.25
    close(silhouetteScore(kernel, Float32Array.from([0, 1, 4]), 1, [0, 1, 1]), (0 - 2 / 3 + 0.25) / 3, 1e-6);
    assert.throws(() => silhouetteScore(kernel, Float32Array.from([0, 1]), 1, [0, 0]), InvalidInputError);
  });

  it('averages a seeded sample of rows against all rows when n is large', () => {
    const { data, labels } = gaussianClusters({ k: 3, perCluster: 100, d: 8, spread: 0.3, seed: 1 });
    const full = silhouetteScore(kernel, data, 8, labels);
    const sampled = silhouetteScore(kernel, data, 8, labels, { sampleSize: 120, seed: 2 });
    close(sampled, full, 0.05);
    assert.equal(sampled, silhouetteScore(kernel, data, 8, labels, { sampleSize: 120, seed: 2 }));
  });
});

describe('cluster', () => {
  it('never chooses a k that offers a cluster smaller than max(3, 5 % of the rows)', () => {
    // Three blobs of 30 and, far from them, a pair of odd rows: the silhouette alone prefers to isolate the pair.
    const { data: blobs } = gaussianClusters({ k: 3, perCluster: 30, d: 8, spread: 0.1, seed: 4 });
    const data = new Float32Array(blobs.length + 16);
    data.set(blobs);
    for (let j = 0; j < 8; j++) { data[blobs.length + j] = 6 + 0.01 * j; data[blobs.length + 8 + j] = 6 - 0.01 * j; }
    const free = cluster(kernel, data, 8, { seed: 1, minClusterSize: 1 });
    const sizes = (labels: ArrayLike<number>, k: number) => Array.from({ length: k }, (_, c) => Array.from(labels).filter((l) => l === c).length);
    assert.ok(Math.min(...sizes(free.labels, free.k)) < 3, 'without the rule the pair is offered as a cluster');
    const result = cluster(kernel, data, 8, { seed: 1 });
    assert.ok(Math.min(...sizes(result.labels, result.k)) >= 5, `k = ${result.k}: every cluster has max(3, ⌈5 % of 92⌉) = 5 rows or more`);
    assert.ok(result.silhouetteCurve!.some((p) => !p.eligible), 'the curve marks the k that were not eligible');
    // Too few rows for any split of at least 3 each: one cluster.
    const tiny = cluster(kernel, Float32Array.from([0, 1, 10, 11, 20]), 1, { seed: 1 });
    assert.equal(tiny.k, 1);
  });

  it('chooses k = 4 by silhouette on four separated blobs and returns the curve', () => {
    const { data, labels } = gaussianClusters({ k: 4, perCluster: 30, d: 16, spread: 0.1, seed: 3 });
    const result = cluster(kernel, data, 16, { seed: 1 });
    assert.equal(result.k, 4);
    assert.deepEqual(result.silhouetteCurve?.map((p) => p.k), [2, 3, 4, 5, 6, 7, 8]);
    const best = Math.max(...result.silhouetteCurve!.map((p) => p.silhouette));
    assert.equal(result.silhouetteCurve!.find((p) => p.k === 4)!.silhouette, best);
    assert.equal(clusterAccuracy(labels, result.labels), 1);
  });

  it('runs a given k, reproducibly for a seed, and validates k', () => {
    const { data } = gaussianClusters({ k: 2, perCluster: 20, d: 4, spread: 1, seed: 5 });
    const a = cluster(kernel, data, 4, { k: 3, seed: 7 });
    const b = cluster(kernel, data, 4, { k: 3, seed: 7 });
    assert.equal(a.k, 3);
    assert.equal(a.silhouetteCurve, null);
    assert.deepEqual(a.labels, b.labels);
    assert.throws(() => cluster(kernel, data, 4, { k: 41 }), InvalidInputError);
    assert.throws(() => cluster(kernel, data, 4, { kRange: { min: 1, max: 3 } }), InvalidInputError);
  });

  it('stops between candidate k values when aborted', () => {
    const { data } = gaussianClusters({ k: 2, perCluster: 10, d: 4, spread: 1, seed: 5 });
    const controller = new AbortController();
    controller.abort();
    assert.throws(() => cluster(kernel, data, 4, { signal: controller.signal }), { name: 'AbortError' });
  });
});

describe('projection and representatives', () => {
  it('projects onto the first two principal axes', () => {
    // Variance 4 along x, 1 along y, 0 along z.
    const data = Float32Array.from([2, 0, 0, -2, 0, 0, 0, 1, 0, 0, -1, 0]);
    const { points, explainedVarianceRatio } = projectPca2d(kernel, data, 3);
    close(explainedVarianceRatio[0], 0.8, 1e-6);
    close(explainedVarianceRatio[1], 0.2, 1e-6);
    close(Math.abs(points[0]!), 2, 1e-5);
    close(Math.abs(points[5]!), 1, 1e-5);
    assert.throws(() => projectPca2d(kernel, Float32Array.from([1, 2]), 1), InvalidInputError);
  });

  it('orders each cluster\'s members by distance to its centroid', () => {
    const data = Float32Array.from([0, 3, 1, 10, 14, 11]);
    const centroids = Float32Array.from([1.2, 11]);
    assert.deepEqual(representatives(kernel, data, 1, [0, 0, 0, 1, 1, 1], centroids), [[2, 0, 1], [5, 3, 4]]);
    assert.deepEqual(representatives(kernel, data, 1, [0, 0, 0, 1, 1, 1], centroids, 1), [[2], [5]]);
    assert.deepEqual(representatives(kernel, data, 1, [0, 0, 0, 0, 0, 0], centroids), [[2, 0, 1, 3, 5, 4], []]);
    assert.throws(() => representatives(kernel, data, 1, [0, 0, 0, 1, 1, 2], centroids), InvalidInputError);
  });
});

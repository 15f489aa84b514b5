import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assignFaces, trainAssigner } from '../../src/analysis/named-clusters.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { gaussianClusters, testKernel } from './helpers.ts';

const kernel = testKernel();
const close = (actual: number, expected: number, tol: number): void => assert.ok(Math.abs(actual - expected) <= tol, `${actual} ≠ ${expected}`);

describe('assigning new faces to named clusters', () => {
  it('gives the Gaussian posterior for nearest centroid (hand-computed)', () => {
    // 1-D groups {−1, 1} ("a", mean 0) and {3, 5} ("b", mean 4): pooled σ² = (1+1+1+1)/((4−2)·1) = 2.
    // For x = 1: d²_a = 1, d²_b = 9 → p_a = 1 / (1 + e^{−(9−1)/(2·2)}) = 1 / (1 + e^{−2}).
    const assigner = trainAssigner(kernel, [
      { name: 'a', vectors: Float32Array.from([-1, 1]) },
      { name: 'b', vectors: Float32Array.from([3, 5]) },
    ], 1);
    close(assigner.variance, 2, 1e-6);
    const [one, two] = assignFaces(kernel, assigner, Float32Array.from([1, 2]));
    assert.equal(one!.nearestCentroid.name, 'a');
    close(one!.nearestCentroid.confidence, 1 / (1 + Math.exp(-2)), 1e-6);
    // Midway: no preference.
    close(two!.nearestCentroid.confidence, 0.5, 1e-6);
    close(two!.nearestCentroid.probabilities.reduce((x, y) => x + y, 0), 1, 1e-12);
    assert.equal(one!.probe.name, 'a');
  });

  it('assigns held-out faces of three named groups correctly, with confident probes', () => {
    const d = 16;
    const { data, labels } = gaussianClusters({ k: 3, perCluster: 30, d, spread: 0.15, seed: 9, unit: true });
    const names = ['glasses', 'no glasses', 'sunglasses'];
    // Train on the first 20 of each group, assign the last 10.
    const groups = names.map((name, c) => ({ name, vectors: data.slice((c * 30) * d, (c * 30 + 20) * d) }));
    const assigner = trainAssigner(kernel, groups, d);
    assert.equal(assigner.probes.length, 3);
    const heldOut = [0, 1, 2].flatMap((c) => Array.from({ length: 10 }, (_, i) => c * 30 + 20 + i));
    const faces = new Float32Array(heldOut.flatMap((row) => [...data.subarray(row * d, row * d + d)]));
    const results = assignFaces(kernel, assigner, faces);
    results.forEach((r, i) => {
      const truth = names[labels[heldOut[i]!]!];
      assert.equal(r.nearestCentroid.name, truth);
      assert.equal(r.probe.name, truth);
      assert.ok(r.nearestCentroid.confidence > 0.9 && r.probe.confidence > 0.5);
    });
    // Plain data: survives structured cloning unchanged.
    assert.deepEqual(structuredClone(assigner), assigner);
  });

  it('rejects fewer than two groups, repeated or empty names, and empty groups', () => {
    const v = Float32Array.from([1, 2]);
    assert.throws(() => trainAssigner(kernel, [{ name: 'a', vectors: v }], 2), InvalidInputError);
    assert.throws(() => trainAssigner(kernel, [{ name: 'a', vectors: v }, { name: 'a', vectors: v }], 2), /used by two groups/);
    assert.throws(() => trainAssigner(kernel, [{ name: ' ', vectors: v }, { name: 'a', vectors: v }], 2), /empty name/);
    assert.throws(() => trainAssigner(kernel, [{ name: 'a', vectors: v }, { name: 'b', vectors: new Float32Array(0) }], 2), InvalidInputError);
    const assigner = trainAssigner(kernel, [{ name: 'a', vectors: v }, { name: 'b', vectors: Float32Array.from([3, 1]) }], 2);
    assert.throws(() => assignFaces(kernel, assigner, Float32Array.from([1, 2, 3])), InvalidInputError);
  });
});

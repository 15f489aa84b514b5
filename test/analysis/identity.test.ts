import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  bcubedScores, chineseWhispers, edgeWeight, groupByIdentity, pairwiseScores, runIdentityGrouping, thresholdGraph, type AdjacencyGraph,
} from '../../src/analysis/identity.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { gaussianClusters, testKernel } from './helpers.ts';

const close = (actual: number, expected: number, tol = 1e-12): void => assert.ok(Math.abs(actual - expected) <= tol, `${actual} ≠ ${expected}`);

/** Builds the adjacency form of an undirected edge list. */
function graphOf(n: number, edges: Array<[number, number]>): AdjacencyGraph {
  const lists: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) { lists[a]!.push(b); lists[b]!.push(a); }
  const offsets = new Int32Array(n + 1);
  lists.forEach((l, v) => { offsets[v + 1] = offsets[v]! + l.length; });
  return { offsets, neighbours: Int32Array.from(lists.flat()) };
}

describe('grouping scores', () => {
  it('pairwise and BCubed on a hand-computed case', () => {
    // Truth {a,a,a,b,b}, predicted {0,0,1,1,1}: cells (a,0)=2, (a,1)=1, (b,1)=2.
    const truth = ['a', 'a', 'a', 'b', 'b'];
    const predicted = [0, 0, 1, 1, 1];
    // Pairs: together and same person = C(2,2) + C(2,2) = 2; grouped pairs = 1 + 3 = 4; same-person pairs = 3 + 1 = 4.
    assert.deepEqual(pairwiseScores(truth, predicted), { precision: 0.5, recall: 0.5, f: 0.5 });
    // BCubed precision = (2·2/2 + 1·1/3 + 2·2/3) / 5 = 11/15; recall = (2·2/3 + 1·1/3 + 2·2/2) / 5 = 11/15.
    const b = bcubedScores(truth, predicted);
    close(b.precision, 11 / 15);
    close(b.recall, 11 / 15);
    close(b.f, 11 / 15);
  });

  it('separates precision from recall: all singletons, and everyone in one group', () => {
    const truth = [1, 1, 2, 2, 2, 3];
    const singletons = [0, 1, 2, 3, 4, 5];
    // Nothing grouped: precision perfect, BCubed recall = mean over faces of 1/|person| = (2·½ + 3·⅓ + 1)/6 = ½.
    const bs = bcubedScores(truth, singletons);
    close(bs.precision, 1);
    close(bs.recall, 0.5);
    assert.deepEqual(pairwiseScores(truth, singletons), { precision: 1, recall: 0, f: 0 });
    // One group: BCubed precision = Σ|person|²/n² = (4 + 9 + 1)/36; recall 1.
    const one = bcubedScores(truth, [0, 0, 0, 0, 0, 0]);
    close(one.precision, 14 / 36);
    close(one.recall, 1);
    const p = pairwiseScores(truth, [0, 0, 0, 0, 0, 0]);
    close(p.precision, 4 / 15);
    close(p.recall, 1);
    assert.throws(() => bcubedScores([1], [1, 2]), InvalidInputError);
  });
});

describe('Chinese whispers', () => {
  it('finds the components of two cliques joined by one edge, and leaves an isolated node alone', () => {
    const edges: Array<[number, number]> = [];
    for (const clique of [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]) {
      for (let a = 0; a < clique.length; a++) for (let b = a + 1; b < clique.length; b++) edges.push([clique[a]!, clique[b]!]);
    }
    edges.push([4, 5]);
    const { labels, converged } = chineseWhispers(graphOf(11, edges), 3);
    assert.ok(converged);
    const l = [...labels];
    assert.equal(new Set(l.slice(0, 5)).size, 1);
    assert.equal(new Set(l.slice(5, 10)).size, 1);
    assert.notEqual(l[0], l[5]);
    assert.ok(!l.slice(0, 10).includes(l[10]!));
  });

  it('groups synthetic people on the unit sphere without knowing how many (BCubed F = 1 when well separated)', () => {
    // 6 people × 15 faces, unit vectors; within-person spread far below the threshold, people far above it.
    const { data, labels: truth } = gaussianClusters({ k: 6, perCluster: 15, d: 32, spread: 0.03, seed: 4, unit: true });
    const groups = groupByIdentity(testKernel(), data, 32, { threshold: 0.5 });
    assert.equal(groups.groups, 6);
    assert.equal(bcubedScores(truth, groups.labels).f, 1);
    // Renumbered by size: group 0 is (one of) the largest.
    assert.equal(groups.labels.filter((l) => l === 0).length, 15);
    assert.throws(() => groupByIdentity(testKernel(), data, 32, { threshold: 0 }), InvalidInputError);
  });

  it('reports the identity_grouping experiment; distance-weighted votes keep people apart where plain votes merge them', () => {
    const { data, labels } = gaussianClusters({ k: 4, perCluster: 10, d: 32, spread: 0.03, seed: 6, unit: true });
    const persons = labels.map((l) => `person ${l}`);
    const right = runIdentityGrouping(testKernel(), data, 32, persons, { threshold: 0.5 });
    assert.deepEqual([right.name, right.faces, right.people, right.groups, right.bcubed.f, right.pairwise.f], ['identity_grouping', 40, 4, 4, 1, 1]);
    const tight = runIdentityGrouping(testKernel(), data, 32, persons, { threshold: 0.01 });
    assert.equal(tight.groups, 40);
    assert.equal(tight.bcubed.precision, 1);
    assert.ok(tight.bcubed.recall < 0.2);
    // Threshold 2.01 joins every pair of unit vectors: a complete graph.
    const complete = thresholdGraph(testKernel(), data, 32, 2.01);
    assert.equal(complete.neighbours.length, 40 * 39);
    assert.equal(runIdentityGrouping(testKernel(), data, 32, persons, { threshold: 2.01 }).bcubed.f, 1);
    const plain = chineseWhispers({ offsets: complete.offsets, neighbours: complete.neighbours });
    assert.equal(new Set(plain.labels).size, 1);
    // The squared hinge: 1 at distance 0, ¼ halfway, 0 at the threshold.
    assert.deepEqual([edgeWeight(0, 0.4), edgeWeight(0.2, 0.4), edgeWeight(0.4, 0.4)], [1, 0.25, 0]);
    assert.throws(() => runIdentityGrouping(testKernel(), data, 32, persons.slice(1)), InvalidInputError);
  });
});

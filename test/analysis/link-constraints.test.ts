/**
 * Corrections as constraints on the identity grouping, on planted vectors: each case is built so the plain
 * grouping gets it "wrong" (checked first), and the constraint changes exactly that.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { groupByIdentity } from '../../src/analysis/identity.ts';
import { contractGraph } from '../../src/analysis/link-constraints.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { gaussianClusters, testKernel } from './helpers.ts';

const D = 16;

/** Unit rows: `k` tight people of `per` faces, then extra rows placed as asked. */
function people(k: number, per: number, seed: number): Float32Array {
  return gaussianClusters({ k, perCluster: per, d: D, spread: 0.02, seed, unit: true }).data;
}

/** A unit row between rows a and b of `data`: (1 − t)·a + t·b, normalised. */
function between(data: Float32Array, a: number, b: number, t: number): Float32Array {
  const row = new Float32Array(D);
  for (let j = 0; j < D; j++) row[j] = (1 - t) * data[a * D + j]! + t * data[b * D + j]!;
  const norm = Math.hypot(...row);
  return row.map((x) => x / norm);
}

function append(data: Float32Array, ...rows: Float32Array[]): Float32Array {
  const out = new Float32Array(data.length + rows.length * D);
  out.set(data);
  rows.forEach((r, i) => out.set(r, data.length + i * D));
  return out;
}

const groupOf = (labels: Int32Array, rows: number[]): Set<number> => new Set(rows.map((r) => labels[r]!));
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('identity grouping with corrections', () => {
  it('a cannot-link ("not this person") keeps a bystander out of the person it was grouped with', () => {
    // Person A: rows 0–9, person B: rows 10–19; row 20 sits a little off A, inside the threshold.
    const base = people(2, 10, 11);
    const data = append(base, between(base, 0, 10, 0.05));
    const threshold = 0.5;
    const plain = groupByIdentity(testKernel(), data, D, { threshold });
    assert.equal(plain.labels[20], plain.labels[0], 'without the correction the bystander joins A');
    const cannotLink = range(0, 10).map((r) => [20, r] as const);
    const fixed = groupByIdentity(testKernel(), data, D, { threshold, constraints: { cannotLink } });
    assert.ok(!groupOf(fixed.labels, range(0, 10)).has(fixed.labels[20]!), 'the bystander is out of A');
    assert.equal(groupOf(fixed.labels, range(0, 10)).size, 1, 'A stays whole');
    assert.equal(groupOf(fixed.labels, range(10, 20)).size, 1, 'B stays whole');
  });

  it('a must-link ("move to this person") puts a far face into the person, and merging joins two people', () => {
    const base = people(3, 8, 12);
    // Row 24 lies far from everyone (its own direction): alone without help.
    const far = new Float32Array(D);
    far[0] = 1;
    const data = append(base, far);
    const threshold = 0.4;
    const plain = groupByIdentity(testKernel(), data, D, { threshold });
    assert.ok(!groupOf(plain.labels, range(0, 8)).has(plain.labels[24]!), 'without the correction the face is alone');
    assert.notEqual(plain.labels[0], plain.labels[8], 'without a merge A and B are two people');
    const moved = groupByIdentity(testKernel(), data, D, { threshold, constraints: { mustLink: [[24, 3]] } });
    assert.equal(groupOf(moved.labels, [...range(0, 8), 24]).size, 1, 'the face is with A, and A is whole');
    // A merge links every face of both people (as the workspace does).
    const merged = groupByIdentity(testKernel(), data, D, { threshold, constraints: { mustLink: range(1, 16).map((r) => [0, r] as const) } });
    assert.equal(groupOf(merged.labels, range(0, 16)).size, 1, 'A and B are one person');
    assert.ok(!groupOf(merged.labels, range(0, 16)).has(merged.labels[16]!), 'C stays apart');
  });

  it('a face near A moved to B takes B nowhere: the must-linked set is held by its own edges', () => {
    const base = people(2, 8, 14);
    const data = append(base, between(base, 0, 8, 0.05));
    const mustLink = range(8, 16).map((r) => [16, r] as const);
    const moved = groupByIdentity(testKernel(), data, D, { threshold: 0.6, constraints: { mustLink } });
    assert.equal(groupOf(moved.labels, [...range(8, 16), 16]).size, 1, 'the face is with B');
    assert.equal(groupOf(moved.labels, range(0, 8)).size, 1);
    assert.notEqual(moved.labels[0], moved.labels[8], 'A and B stay two people');
  });

  it('drops a cannot-link that contradicts must-links, and refuses rows outside the graph', () => {
    const base = people(2, 5, 13);
    const grouping = groupByIdentity(testKernel(), base, D, { threshold: 0.5, constraints: { mustLink: [[0, 5]], cannotLink: [[0, 5]] } });
    assert.equal(grouping.labels[0], grouping.labels[5]);
    const graph = { offsets: new Int32Array([0, 0, 0]), neighbours: new Int32Array(0) };
    assert.throws(() => contractGraph(graph, { mustLink: [[0, 2]] }), InvalidInputError);
    assert.throws(() => contractGraph(graph, { cannotLink: [[-1, 0]] }), InvalidInputError);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adjustedRandIndex } from '../../src/analysis/metrics.ts';
import { discoverSplits, splitBalance } from '../../src/analysis/discovery/discover.ts';
import { buildViews } from '../../src/analysis/discovery/views.ts';
import { Rng } from '../../src/kernel/rng.ts';
import { testKernel } from './helpers.ts';
import { normal, plantedFaces, unitVector } from './discovery-helpers.ts';

const kernel = testKernel();

describe('discovery: splits and ranking', () => {
  it('balance is the binary entropy of the sizes', () => {
    assert.equal(splitBalance(50, 50), 1);
    assert.equal(splitBalance(0, 9), 0);
    assert.ok(Math.abs(splitBalance(10, 90) - 0.469) < 1e-3);
  });

  it('within people, the planted attribute ranks first, is stable, and spans every person', async () => {
    const planted = plantedFaces({ people: 20, faces: 10, d: 32, shift: 0.8, noise: 0.06, seed: 11 });
    const views = buildViews(kernel, planted.vectors, 32, { persons: planted.persons });
    const found = await discoverSplits(kernel, views.within!, { seed: 3 });
    const top = found.splits[0]!;
    const truth = views.within!.faces.map(([i]) => planted.attribute[i!]!);
    assert.ok(adjustedRandIndex(truth, top.sides) > 0.9, `ARI ${adjustedRandIndex(truth, top.sides)}`);
    assert.ok(top.stability > 0.9, `stability ${top.stability}`);
    assert.equal(top.spansPeople, 20);
    assert.equal(top.rank, 1);
    assert.ok(top.alsoFoundBy.length > 0, 'k-means, ours and the first principal direction find the same split; it is listed once');
    assert.equal(top.strips[0].length, 8);
    for (const side of [0, 1] as const) {
      const majority = truth.filter((t, r) => top.sides[r] === side && t === 1).length * 2 > top.sizes[side] ? 1 : 0;
      for (const face of top.strips[side]) assert.equal(planted.attribute[face], majority, `strip ${side}`);
    }
    for (let i = 1; i < found.splits.length; i++) assert.ok(found.splits[i - 1]!.score >= found.splits[i]!.score);
  });

  it('within people, a strip shows one face per person before a second face of anyone', async () => {
    const planted = plantedFaces({ people: 12, faces: 10, d: 16, shift: 0.6, noise: 0.05, seed: 15 });
    // Person 0's photos vary three times as much as anyone's: their faces are the furthest along.
    const mean = new Float32Array(16);
    for (let i = 0; i < 10; i++) for (let j = 0; j < 16; j++) mean[j]! += planted.vectors[i * 16 + j]! / 10;
    for (let i = 0; i < 10; i++) for (let j = 0; j < 16; j++) planted.vectors[i * 16 + j] = mean[j]! + 3 * (planted.vectors[i * 16 + j]! - mean[j]!);
    const views = buildViews(kernel, planted.vectors, 16, { persons: planted.persons });
    const top = (await discoverSplits(kernel, views.within!, { seed: 1, stripSize: 6 })).splits[0]!;
    for (const strip of top.strips) assert.equal(new Set(strip.map((f) => planted.persons[f])).size, 6, `${strip.map((f) => planted.persons[f])}`);
    const persons = (await discoverSplits(kernel, { ...views.within!, kind: 'person' }, { seed: 1, stripSize: 6 })).splits[0]!.strips[0].map((f) => planted.persons[f]);
    assert.ok(persons.filter((p) => p === 0).length >= 3, `outside the within view the furthest faces come first, whoever they are: ${persons}`);
  });

  it('on noise without structure, no split is stable; the planted split is', async () => {
    const rng = new Rng(5);
    const d = 16;
    const n = 200;
    const noise = Float32Array.from({ length: n * d }, () => normal(rng));
    const view = { kind: 'person' as const, d, vectors: noise, faces: Array.from({ length: n }, (_, i) => [i]), person: new Int32Array(n), people: ['a'], subject: 'a', representative: Int32Array.from({ length: n }, (_, i) => i) };
    const flat = await discoverSplits(kernel, view, { seed: 1 });
    const direction = unitVector(rng, d);
    const planted = noise.map((x, k) => x + (Math.floor(k / d) % 2 ? 2.5 : -2.5) * direction[k % d]!);
    const clear = await discoverSplits(kernel, { ...view, vectors: planted }, { seed: 1 });
    assert.ok(clear.splits[0]!.stability > 0.8, `planted ${clear.splits[0]!.stability}`);
    assert.ok(Math.max(...flat.splits.map((s) => s.stability)) < clear.splits[0]!.stability - 0.3, `noise ${flat.splits.map((s) => s.stability.toFixed(2))}`);
  });

  it('within people, a split whose side is mostly one person is dropped as identity leaking back', async () => {
    const planted = plantedFaces({ people: 20, faces: 10, d: 32, shift: 0.5, noise: 0.06, seed: 12 });
    // Person 0 gets 40 faces in two far-apart groups (a bystander grouped with them, say).
    const rng = new Rng(9);
    const u = unitVector(rng, 32);
    const extra = new Float32Array(30 * 32);
    for (let f = 0; f < 30; f++) for (let j = 0; j < 32; j++) extra[f * 32 + j] = planted.vectors[j]! + 0.06 * normal(rng);
    const vectors = new Float32Array([...planted.vectors, ...extra]);
    const persons = [...planted.persons, ...Array.from({ length: 30 }, () => 0)];
    for (let i = 0; i < vectors.length / 32; i++) {
      if (persons[i] !== 0) continue;
      const sign = i % 2 ? 1 : -1;
      for (let j = 0; j < 32; j++) vectors[i * 32 + j]! += sign * 1.2 * u[j]!;
    }
    const views = buildViews(kernel, vectors, 32, { persons });
    const found = await discoverSplits(kernel, views.within!, { seed: 2 });
    assert.ok(found.dropped.some((x) => x.reason.startsWith('identity leaking back')), JSON.stringify(found.dropped));
    const personZero = [...views.within!.person.keys()].filter((r) => views.within!.person[r] === 0);
    for (const s of found.splits) {
      for (const side of [0, 1]) {
        const members = [...s.sides.keys()].filter((r) => s.sides[r] === side);
        const zero = members.filter((r) => personZero.includes(r)).length;
        assert.ok(zero / members.length <= 0.5, `${s.id} side ${side}: ${zero} of ${members.length} are person 0`);
      }
    }
  });

  it('is a function of the points and the seed', async () => {
    const planted = plantedFaces({ people: 10, faces: 8, d: 16, shift: 0.5, noise: 0.1, seed: 13 });
    const views = buildViews(kernel, planted.vectors, 16, { persons: planted.persons });
    const a = await discoverSplits(kernel, views.within!, { seed: 4 });
    const b = await discoverSplits(kernel, views.within!, { seed: 4 });
    assert.deepEqual(a, b);
  });
});

describe('discovery: one call for every view', () => {
  it('discovers across and within people, with descriptions from the faces', async () => {
    const { discoverAttributes } = await import('../../src/analysis/discovery/index.ts');
    const planted = plantedFaces({ people: 24, faces: 8, d: 32, shift: 0.8, noise: 0.05, seed: 14, groupShift: 1.2 });
    const faces = planted.attribute.map((a, i) => ({
      box: { x: 0, y: 0, width: 100, height: 100 }, foundBy: 'detected',
      attributes: { age: 30, gender: 'male', genderProbability: 0.9, expressions: { happy: a ? 0.9 : 0.05, neutral: a || i % 3 === 0 ? 0.05 : 0.9, surprised: !a && i % 3 === 0 ? 0.9 : 0.05 } },
    }));
    const found = await discoverAttributes(kernel, { vectors: planted.vectors, d: 32, persons: planted.persons, faces }, { seed: 1 });
    const group = found.views.across.faces.map((f) => planted.group[f[0]!]!);
    assert.ok(adjustedRandIndex(group, found.across!.splits[0]!.sides) > 0.9, 'across people, the between-person group comes first');
    const top = found.within!.splits[0]!;
    assert.equal(top.description?.text, 'one side 100 % smiling, the other 0 % (expression head)');
    assert.deepEqual(found.perPerson, []);
  });
});

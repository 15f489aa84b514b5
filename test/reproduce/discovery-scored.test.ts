import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runScoredDiscovery, type ScoredExperimentSpec } from '../../src/reproduce/scored-discovery.ts';
import { Rng } from '../../src/kernel/rng.ts';
import { shuffle } from '../../src/analysis/discovery/random.ts';
import { testKernel } from '../analysis/helpers.ts';
import { plantedFaces } from '../analysis/discovery-helpers.ts';

const kernel = testKernel();

const planted = plantedFaces({ people: 16, faces: 8, d: 24, shift: 0.8, noise: 0.05, seed: 31, groupShift: 1.2 });
const faces = planted.attribute.map((a, i) => ({
  box: { x: 0, y: 0, width: 80 + (i % 7), height: 80 + (i % 7) }, foundBy: 'detected',
  measures: { yaw: a ? 20 : -20, pitch: 0, roll: 0, brightness: 100 + (i % 11), contrast: 30, sharpness: 40 },
}));
const experiments: ScoredExperimentSpec[] = [
  { name: 'attribute_discovered', view: 'within-people', target: 'attribute', classNames: ['without', 'with'], goal: 0.9 },
  { name: 'group_discovered', view: 'across-people', target: 'group', classNames: ['a', 'b'], goal: null },
];
const perPerson: ScoredExperimentSpec = { name: 'attribute_per_person', view: 'per-person', target: 'attribute', classNames: ['without', 'with'], goal: null };
const labels = { attribute: planted.attribute as Array<0 | 1>, group: planted.group as Array<0 | 1> };
const options = { seeds: [0, 1, 2], bootstraps: 3 };

describe('discovery scored on labels it never sees', () => {
  it('finds the planted attribute within people and the planted group across people, far above chance', async () => {
    const { results: [within, across] } = await runScoredDiscovery(kernel, { vectors: planted.vectors, d: 24, faces, persons: planted.persons, labels }, experiments, options);
    assert.ok(within!.accuracy_top1 > 0.95 && within!.accuracy_top3 >= within!.accuracy_top1, JSON.stringify(within!.runs));
    assert.ok(within!.chance_top1 < 0.75 && within!.chance_top3 >= within!.chance_top1);
    assert.equal(within!.splits[0]!.description, 'one side has heads turned more towards the photo\'s right: head turn (yaw) 20° against -20°, medians (head pose from landmarks)');
    assert.ok(within!.splits[0]!.accuracy.attribute! > 0.95);
    assert.ok(across!.accuracy_top1 > 0.95, JSON.stringify(across!.runs));
    assert.equal(across!.points, 16);
    assert.equal(within!.runs.length, 3);
    assert.ok(within!.probe!.accuracy > 0.9 && within!.probe!.ece >= 0);
  });

  it('skips, with the reason, an experiment whose target has too few labelled faces in its view', async () => {
    const sparse = { ...labels, rare: planted.attribute.map((a, i) => (i < 3 ? 1 : i < 40 ? 0 : null)) as Array<0 | 1 | null> };
    const spec: ScoredExperimentSpec = { name: 'rare_discovered', view: 'within-people', target: 'rare', classNames: ['no', 'yes'], goal: null };
    const r = await runScoredDiscovery(kernel, { vectors: planted.vectors, d: 24, faces, persons: planted.persons, labels: sparse }, [spec, experiments[0]!], { seeds: [0], bootstraps: 2 });
    assert.deepEqual(r.results.map((e) => e.name), ['rare_discovered', 'attribute_discovered']);
    assert.deepEqual(r.skipped, []);
    const none = await runScoredDiscovery(kernel, { vectors: planted.vectors, d: 24, faces, persons: planted.persons, labels: { ...sparse, rare: sparse.rare.map((v, i) => (i < 1 ? 1 : v === 1 ? 0 : v)) } }, [spec], { seeds: [0], bootstraps: 2 });
    assert.deepEqual(none.skipped, [{ name: 'rare_discovered', reason: 'the within-people view has 39 faces of "no" and 1 of "yes"; at least 2 of each are needed' }]);
  });

  it('per person: each person discovered on their own, scored on their own balanced sample, averaged over people', async () => {
    const { results: [r] } = await runScoredDiscovery(kernel, { vectors: planted.vectors, d: 24, faces, persons: planted.persons, labels }, [perPerson], { seeds: [0, 1], bootstraps: 2 });
    assert.equal(r!.per_person.length, 16);
    assert.equal(r!.n_per_class, 16 * 4);
    assert.ok(r!.accuracy_top3 > 0.95, `${r!.accuracy_top3}`);
    assert.ok(Math.abs(r!.accuracy_top1 - r!.per_person.reduce((a, p) => a + p.top1, 0) / 16) < 1e-12);
    assert.deepEqual(r!.runs, []);
  });

  it('shuffling every label column changes only the scores', async () => {
    const rng = new Rng(7);
    const shuffled = { attribute: shuffle([...labels.attribute], rng), group: shuffle([...labels.group], rng) };
    const input = { vectors: planted.vectors, d: 24, faces, persons: planted.persons };
    const all = [...experiments, perPerson];
    const a = (await runScoredDiscovery(kernel, { ...input, labels }, all, options)).results;
    const b = (await runScoredDiscovery(kernel, { ...input, labels: shuffled }, all, options)).results;
    assert.equal(a.length, 3);
    const found = (r: typeof a) => r.slice(0, 2).map((e) => ({ splits: e.splits.map(({ accuracy: _, ...rest }) => rest), dropped: e.dropped, points: e.points, people: e.people }));
    assert.deepEqual(found(b), found(a));
    // Per person, which people are scored depends on the labels (at least 2 of each class, as PROTOCOL.md's
    // per-person rows); what was discovered within each person does not.
    const tops = (r: typeof a) => new Map(r[2]!.per_person.map((p) => [p.person, p.top_split]));
    const [ta, tb] = [tops(a), tops(b)];
    const common = [...ta.keys()].filter((p) => tb.has(p));
    assert.ok(common.length >= 8, `${common.length} people scored in both`);
    for (const p of common) assert.deepEqual(tb.get(p), ta.get(p));
    for (let e = 0; e < a.length; e++) {
      assert.notEqual(a[e]!.accuracy_top1, b[e]!.accuracy_top1);
      assert.notDeepEqual(a[e]!.splits.map((s) => s.accuracy), b[e]!.splits.map((s) => s.accuracy));
    }
  });
});

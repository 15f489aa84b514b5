import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { balancedSample, runExperiment, type ExperimentResult, type ProtocolProgress } from '../../src/reproduce/protocol.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { plantedAttribute, testKernel } from '../analysis/helpers.ts';

const kernel = testKernel();
const d = 128;

/** Every field of issue 6's per-experiment JSON that the analysis fills (the CLI adds coverage and found_by). */
function assertShape(result: ExperimentResult): void {
  const json = JSON.parse(JSON.stringify(result)) as Record<string, unknown>;
  for (const key of ['name', 'paper', 'accuracy_mean', 'accuracy_std', 'chance_mean', 'nmi', 'ari', 'probe', 'n_per_class', 'people', 'per_person', 'fisher', 'ours']) {
    assert.ok(key in json, `missing ${key}`);
  }
  for (const key of ['accuracy_mean', 'accuracy_std', 'chance_mean', 'nmi', 'ari', 'probe']) {
    const v = json[key] as number;
    assert.ok(Number.isFinite(v), `${key} = ${v}`);
  }
  assert.ok(result.accuracy_mean >= 0.5 && result.accuracy_mean <= 1);
  assert.deepEqual(Object.keys(result.fisher.top_m), ['1', '2', '4', '8', '16', '32', '64', '128']);
  assert.deepEqual(Object.keys(result.fisher.shuffled), Object.keys(result.fisher.top_m));
  assert.ok(result.ours !== null && Number.isFinite(result.ours.accuracy_mean) && typeof result.ours.method === 'string');
}

describe('balanced sample', () => {
  it('down-samples the larger class to the smaller one, differently per seed', () => {
    const classes = [...new Array<number>(30).fill(1), ...new Array<number>(8).fill(0)];
    const a = balancedSample(classes, 0);
    assert.equal(a.length, 16);
    assert.equal(a.filter((i) => classes[i] === 0).length, 8);
    assert.deepEqual(a, [...a].sort((x, y) => x - y));
    assert.deepEqual(balancedSample(classes, 0), a);
    assert.notDeepEqual(balancedSample(classes, 1), a);
  });
});

describe('protocol on synthetic embeddings', () => {
  it('scores near 1 when the planted attribute dominates, with chance near 0.5 beside it', async () => {
    const { data, classes } = plantedAttribute({ n0: 150, n1: 110, d, shift: 12, seed: 1 });
    const progress: ProtocolProgress[] = [];
    const result = await runExperiment(kernel, { name: 'planted', kind: 'extra-class', paper: 0.9 }, { embeddings: data, classes }, { onProgress: (p) => progress.push(p) });
    assertShape(result);
    assert.equal(result.n_per_class, 110);
    assert.equal(result.people, null);
    assert.equal(result.paper, 0.9);
    assert.equal(result.runs.length, 10);
    assert.deepEqual(result.runs.map((r) => r.seed), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.ok(result.accuracy_mean > 0.97, `accuracy ${result.accuracy_mean}`);
    assert.ok(result.chance_mean > 0.48 && result.chance_mean < 0.58, `chance ${result.chance_mean}`);
    assert.ok(result.nmi > 0.8 && result.ari > 0.85, `nmi ${result.nmi} ari ${result.ari}`);
    assert.ok(result.probe > 0.97, `probe ${result.probe}`);
    assert.ok(result.ours!.accuracy_mean > 0.97, `ours ${result.ours!.accuracy_mean}`);
    // One planted direction spread over 128 dimensions: the top-ranked dimensions beat the shuffled baseline.
    assert.ok(result.fisher.top_m['2']! > result.fisher.shuffled['2']! + 0.1, JSON.stringify(result.fisher));
    assert.deepEqual(progress.map((p) => p.done), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.ok(progress.every((p) => p.total === 10 && p.person === null && p.experiment === 'planted'));
  });

  it('scores near chance when no attribute is planted', async () => {
    const { data, classes } = plantedAttribute({ n0: 100, n1: 100, d, shift: 0, seed: 2 });
    const result = await runExperiment(kernel, { name: 'absent', kind: 'extra-class' }, { embeddings: data, classes }, { seeds: [0, 1, 2, 3, 4] });
    assertShape(result);
    assert.equal(result.paper, null);
    assert.ok(result.accuracy_mean < 0.62, `accuracy ${result.accuracy_mean}`);
    assert.ok(result.chance_mean > 0.48 && result.chance_mean < 0.58, `chance ${result.chance_mean}`);
    assert.ok(result.probe < 0.65, `probe ${result.probe}`);
    assert.ok(Math.abs(result.nmi) < 0.05 && Math.abs(result.ari) < 0.05);
  });

  it('runs within-person experiments per person, averages over people and skips people with too few images', async () => {
    const a = plantedAttribute({ n0: 14, n1: 12, d, shift: 12, seed: 3 });
    const b = plantedAttribute({ n0: 10, n1: 16, d, shift: 0, seed: 4 });
    const c = plantedAttribute({ n0: 9, n1: 1, d, shift: 12, seed: 5 });
    const embeddings = new Float32Array([...a.data, ...b.data, ...c.data]);
    const classes = [...a.classes, ...b.classes, ...c.classes];
    const persons = [...a.classes.map(() => 'ann'), ...b.classes.map(() => 'bob'), ...c.classes.map(() => 'cy')];
    const progress: ProtocolProgress[] = [];
    const result = await runExperiment(kernel, { name: 'within', kind: 'intra-class' }, { embeddings, classes, persons }, { seeds: [0, 1, 2], onProgress: (p) => progress.push(p) });
    assertShape(result);
    assert.equal(result.people, 2);
    assert.deepEqual(result.per_person.map((p) => [p.person, p.n_per_class, p.runs.length]), [['ann', 12, 3], ['bob', 10, 3]]);
    assert.deepEqual(result.skipped_people, [{ person: 'cy', per_class: [9, 1] }]);
    assert.equal(result.n_per_class, 22);
    const [ann, bob] = result.per_person;
    assert.ok(ann!.accuracy_mean > 0.9, `ann ${ann!.accuracy_mean}`);
    assert.ok(Math.abs(result.accuracy_mean - (ann!.accuracy_mean + bob!.accuracy_mean) / 2) < 1e-12);
    assert.ok(Math.abs(result.accuracy_std - (ann!.accuracy_std + bob!.accuracy_std) / 2) < 1e-12);
    assert.ok(result.people_accuracy_std! > 0);
    assert.deepEqual(progress.map((p) => `${p.person}:${p.done}/${p.total}`), ['ann:1/6', 'ann:2/6', 'ann:3/6', 'bob:4/6', 'bob:5/6', 'bob:6/6']);
  });

  it('is reproducible, stops on abort, and rejects bad input', async () => {
    const { data, classes } = plantedAttribute({ n0: 20, n1: 20, d, shift: 4, seed: 6 });
    const options = { seeds: [3, 4] };
    const first = await runExperiment(kernel, { name: 'x', kind: 'extra-class' }, { embeddings: data, classes }, options);
    assert.deepEqual(await runExperiment(kernel, { name: 'x', kind: 'extra-class' }, { embeddings: data, classes }, options), first);

    const controller = new AbortController();
    const run = runExperiment(kernel, { name: 'x', kind: 'extra-class' }, { embeddings: data, classes }, { onProgress: (p) => { if (p.done === 2) controller.abort(); }, signal: controller.signal });
    await assert.rejects(run, { name: 'AbortError' });

    await assert.rejects(runExperiment(kernel, { name: 'x', kind: 'intra-class' }, { embeddings: data, classes }), InvalidInputError);
    await assert.rejects(runExperiment(kernel, { name: 'x', kind: 'extra-class' }, { embeddings: data.subarray(1), classes }), InvalidInputError);
    await assert.rejects(runExperiment(kernel, { name: 'x', kind: 'extra-class' }, { embeddings: data, classes: classes.map((c) => c * 2) }), InvalidInputError);
    await assert.rejects(
      runExperiment(kernel, { name: 'x', kind: 'extra-class' }, { embeddings: data.subarray(0, 21 * d), classes: classes.slice(0, 21) }),
      (e: unknown) => e instanceof InvalidInputError && /at least 2 images per class, got 1 of class 0 and 20 of class 1/.test(e.message),
    );
  });
});

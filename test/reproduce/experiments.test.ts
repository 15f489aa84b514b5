import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadLabelSets, parseUtkfaceLabels, type LabelSets } from '../../src/reproduce/datasets.ts';
import {
  EXPERIMENTS, EXPERIMENT_NAMES, resolveExperiment, resolveIdentityGrouping, selectExperiments, type ExperimentItem,
} from '../../src/reproduce/experiments.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { datasetOrSkip, datasetsRoot } from '../helpers/datasets.ts';

const counts = (items: readonly ExperimentItem[]): [number, number] => [items.filter((i) => i.class === 1).length, items.filter((i) => i.class === 0).length];

async function sharedLabels(t: { skip: (m?: string) => void }): Promise<LabelSets | undefined> {
  for (const set of ['utkface-balanced', 'lfw-attributes', 'celeba-identities']) if (!datasetOrSkip(t, set)) return undefined;
  return loadLabelSets((path) => readFile(join(datasetsRoot, path), 'utf8'));
}

function resolved(labels: LabelSets, name: string) {
  const r = resolveExperiment(selectExperiments([name])[0]!, labels);
  assert.equal(r.status, 'ready');
  if (r.status !== 'ready') throw new Error('unreachable');
  return r;
}

describe('experiments', () => {
  it('lists PROTOCOL.md\'s thirteen attribute experiments and identity grouping, with the paper figures', () => {
    assert.deepEqual(EXPERIMENT_NAMES, [
      'gender', 'skin_tone', 'age', 'gender_controlled', 'skin_tone_controlled', 'age_controlled', 'beard', 'glasses',
      'glasses_celeba', 'smiling', 'smiling_celeba', 'glasses_classifier_labels', 'smiling_classifier_labels', 'identity_grouping',
    ]);
    const paper = Object.fromEntries(EXPERIMENTS.map((e) => [e.name, e.paper]));
    assert.deepEqual([paper.gender, paper.skin_tone, paper.age, paper.beard, paper.glasses, paper.glasses_celeba, paper.smiling], [0.993, 0.993, 0.941, 0.9, 0.76, 0.76, null]);
    assert.throws(() => selectExperiments(['gender', 'hats']), (e: unknown) => e instanceof InvalidInputError && /"hats".*accepted: gender, skin_tone/.test(e.message));
  });

  it('resolves the extra-class rows on utkface-balanced (counts checked independently with Python\'s csv module)', async (t) => {
    const labels = await sharedLabels(t);
    if (!labels) return;
    const expected: Record<string, [number, number]> = {
      gender: [341, 393], skin_tone: [149, 138], age: [367, 222],
      gender_controlled: [23, 47], skin_tone_controlled: [23, 37], age_controlled: [12, 53],
    };
    for (const [name, pair] of Object.entries(expected)) {
      const r = resolved(labels, name);
      assert.deepEqual(counts(r.items), pair, name);
      assert.ok(r.items.every((i) => i.imagePath.startsWith('utkface-balanced/images/') && i.person === i.imagePath));
    }
    const byPath = new Map(labels.utkface!.map((row) => [`utkface-balanced/${row.file}`, row]));
    for (const item of resolved(labels, 'age_controlled').items) {
      const row = byPath.get(item.imagePath)!;
      assert.ok(row.race === 'white' && row.gender === 'male');
      assert.ok(item.class === 1 ? row.age >= 18 && row.age <= 30 : row.age >= 55);
    }
  });

  it('resolves the within-person rows: people and per-class counts', async (t) => {
    const labels = await sharedLabels(t);
    if (!labels) return;
    const beard = resolved(labels, 'beard');
    assert.deepEqual(beard.people, ['7255', '7282', '7394', '7421', '7460']);
    assert.equal(beard.items.length, 127);
    assert.deepEqual(counts(beard.items.filter((i) => i.person === '7421')), [17, 9]);
    assert.deepEqual(resolved(labels, 'glasses_celeba').people, ['7216', '7240', '7255']);
    assert.deepEqual(resolved(labels, 'smiling_celeba').people, ['7216', '7240', '7255', '7282', '7394', '7460']);
    const glasses = resolved(labels, 'glasses');
    assert.deepEqual(glasses.people, ['Alejandro_Toledo']);
    assert.deepEqual(counts(glasses.items), [18, 20]);
    assert.deepEqual(counts(resolved(labels, 'smiling').items), [11, 24]);
    const gcl = resolved(labels, 'glasses_classifier_labels');
    assert.equal(gcl.people.length, 25);
    assert.equal(gcl.items.length, 1851);
    assert.equal(resolved(labels, 'smiling_classifier_labels').people.length, 49);
    for (const person of gcl.people) {
      const [ones, zeros] = counts(gcl.items.filter((i) => i.person === person));
      assert.ok(ones >= 5 && zeros >= 5, person);
    }
    const identity = resolveIdentityGrouping(labels);
    assert.ok(identity.status === 'ready' && identity.items.length === 2999 && identity.people.length === 62);
  });

  it('skips an experiment whose labels are missing, naming the file', () => {
    const labels: LabelSets = {
      missing: ['celeba-identities/labels.csv'],
      utkface: parseUtkfaceLabels('file,age,age_group,gender,gender_code,race,race_code,source_path\nimages/a.jpg,25,20-29,male,0,white,0,s\nimages/b.jpg,70,70-79,female,1,black,1,s\n'),
    };
    const beard = resolveExperiment(selectExperiments(['beard'])[0]!, labels);
    assert.equal(beard.status, 'skipped');
    assert.match(beard.status === 'skipped' ? beard.reason : '', /celeba-identities\/labels\.csv not found/);
    const age = resolveExperiment(selectExperiments(['age'])[0]!, labels);
    assert.ok(age.status === 'ready');
    assert.deepEqual(age.status === 'ready' ? age.items : [], [
      { imagePath: 'utkface-balanced/images/a.jpg', class: 1, person: 'utkface-balanced/images/a.jpg' },
      { imagePath: 'utkface-balanced/images/b.jpg', class: 0, person: 'utkface-balanced/images/b.jpg' },
    ]);
    assert.equal(resolveIdentityGrouping(labels).status, 'skipped');
  });
});

/**
 * The reference column of `reproduce`: figures only from a file measured by `npm run reference`, matched to each
 * experiment by a fingerprint of its image list; no copied constants; no column without such a file.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXPERIMENTS } from '../../src/reproduce/experiments.ts';
import type { ExperimentResult } from '../../src/reproduce/protocol.ts';
import { experimentFingerprint, matchReference, parseReferenceFile, type ReferenceExperiment, type ReferenceFile } from '../../src/reproduce/reference-figures.ts';
import { formatTable, type ReferenceColumn } from '../../src/cli/reproduce.ts';
import type { CoverageFigures } from '../../src/cli/coverage.ts';
import { InvalidInputError } from '../../src/errors.ts';

const items = [
  { imagePath: 'lfw-attributes/images/A/A_0001.jpg', class: 1 as const, person: 'A' },
  { imagePath: 'lfw-attributes/images/A/A_0002.jpg', class: 0 as const, person: 'A' },
  { imagePath: 'lfw-attributes/images/B/B_0001.jpg', class: 1 as const, person: 'B' },
];

function entry(name: string, fingerprint: string, accuracy = 0.8): ReferenceExperiment {
  return { name, fingerprint, images: 3, accuracy_mean: accuracy, accuracy_std: 0.01, chance_mean: 0.5, probe: 0.9, nmi: 0.3, ari: 0.2, n_per_class: 1, people: 2, coverage: 1, found_by: { detected: 3 } };
}

function file(experiments: ReferenceExperiment[]): ReferenceFile {
  return { kind: 'face-api-reference', pipeline: 'face-api test', data: '/data/elsewhere', measured_at: '2026-12-02T00:00:00Z', elapsed_s: 1, experiments };
}

describe('reference figures', () => {
  it('no experiment carries a reference figure of its own (they come only from a measured file)', () => {
    for (const e of EXPERIMENTS) assert.ok(!('reference' in e), `${e.name} has a built-in reference figure`);
  });

  it('fingerprints an image list whatever its order, and any change of path, class or person changes it', async () => {
    const fp = await experimentFingerprint(items);
    assert.match(fp, /^[0-9a-f]{64}$/);
    assert.equal(await experimentFingerprint([...items].reverse()), fp);
    assert.notEqual(await experimentFingerprint(items.slice(1)), fp);
    assert.notEqual(await experimentFingerprint([{ ...items[0]!, class: 0 }, ...items.slice(1)]), fp);
    assert.notEqual(await experimentFingerprint([{ ...items[0]!, person: 'B' }, ...items.slice(1)]), fp);
    assert.notEqual(await experimentFingerprint([{ ...items[0]!, imagePath: 'x.jpg' }, ...items.slice(1)]), fp);
  });

  it('shows a figure only for an experiment measured on the same images, and says on which data otherwise', async () => {
    const fp = await experimentFingerprint(items);
    const other = await experimentFingerprint(items.slice(1));
    const measured = file([entry('glasses', fp)]);
    assert.deepEqual(matchReference(measured, 'glasses', fp), { status: 'measured', figures: entry('glasses', fp) });
    const elsewhere = matchReference(measured, 'glasses', other);
    assert.equal(elsewhere.status, 'missing');
    assert.match(elsewhere.status === 'missing' ? elsewhere.reason : '', /measured on other images \(3 images, data \/data\/elsewhere\)/);
    assert.equal(matchReference(measured, 'beard', fp).status, 'missing');
  });

  it('refuses a file that npm run reference did not write', () => {
    assert.throws(() => parseReferenceFile('not json', 'r.json'), (e: unknown) => e instanceof InvalidInputError && /r\.json is not JSON/.test(e.message));
    assert.throws(() => parseReferenceFile(JSON.stringify({ experiments: [] })), /not written by `npm run reference`/);
    assert.throws(() => parseReferenceFile(JSON.stringify({ kind: 'face-api-reference', experiments: [{ name: 'gender', accuracy_mean: 0.9 }] })), /lacks a name, a fingerprint/);
    const good = file([entry('gender', 'a'.repeat(64))]);
    assert.deepEqual(parseReferenceFile(JSON.stringify(good)), good);
  });
});

describe('reproduce table', () => {
  const result = (name: string): ExperimentResult & CoverageFigures => ({
    name, paper: 0.76, accuracy_mean: 0.828, accuracy_std: 0.097, chance_mean: 0.583, chance_std: 0.05, nmi: 0.4, ari: 0.3,
    probe: 0.975, probe_std: 0.02, n_per_class: 18, people: 1, per_person: [], people_accuracy_std: 0, skipped_people: [],
    fisher: { top_m: {}, shuffled: {} }, ours: null, runs: [], coverage: 1, images: 38, found_by: { detected: 38 }, left_out: [],
  });

  it('has no reference column without a measured file', () => {
    const table = formatTable([result('glasses')]);
    assert.doesNotMatch(table, /reference/);
    assert.match(table.split('\n')[1]!, /^glasses\s+76\.0\s+82\.8\s+9\.7/);
  });

  it('shows the measured figure, and a dash where the file has none for these images', () => {
    const rows: Array<ExperimentResult & CoverageFigures & ReferenceColumn> = [
      { ...result('glasses'), reference: entry('glasses', 'a'.repeat(64), 0.847) },
      { ...result('smiling'), reference: null },
    ];
    const lines = formatTable(rows).split('\n');
    assert.match(lines[0]!, /^experiment\s+paper\s+reference\s+k-means/);
    assert.match(lines[1]!, /^glasses\s+76\.0\s+84\.7\s+82\.8/);
    assert.match(lines[2]!, /^smiling\s+76\.0\s+—\s+82\.8/);
  });
});

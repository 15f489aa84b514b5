// `reproduce --models a,b` (issue 16): reading the model list, the clash with the old `--models <dir>` (now
// `--models-dir`), and the side-by-side tables and JSON made from small fake results.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import {
  type DiscoveredRow,
  type IdentityRow,
  type ModelRun,
  type ProtocolRow,
  formatDiscoveredSideBySide,
  formatSideBySide,
  formatSplitComparison,
  parseModelList,
  sideBySideJson,
} from '../../src/cli/reproduce-models.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { datasetOrSkip, datasetsRoot, projectRoot } from '../helpers/datasets.ts';
import { layOutMiniDatasets } from '../helpers/mini-datasets.ts';

/** Runs the CLI and returns its exit code and what it wrote to stderr. */
async function cli(argv: string[]): Promise<{ code: number; stderr: string }> {
  const errors: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  const log = console.error;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    errors.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  console.error = (...args: unknown[]) => { errors.push(args.map(String).join(' ')); };
  try {
    return { code: await main(argv), stderr: errors.join('') };
  } finally {
    process.stderr.write = write;
    console.error = log;
  }
}

const protocol = (name: string, paper: number | null, chance: number, kmeans: number, std: number, probe: number, ours: number | null): ProtocolRow => ({
  name, paper, chance_mean: chance, accuracy_mean: kmeans, accuracy_std: std, probe, ours: ours === null ? null : { accuracy_mean: ours },
});
const identity = (f: number, groups: number): IdentityRow => ({ name: 'identity_grouping', bcubed: { f }, groups, people: 62 });
const discovered = (name: string, top1: number, top3: number, probe: number | null, splits: Array<[string, number, number]>): DiscoveredRow => ({
  name, view: 'across-people', target: 'gender', goal: 0.97, accuracy_top1: top1, accuracy_top3: top3, chance_top3: 0.55,
  probe: probe === null ? null : { accuracy: probe },
  splits: splits.map(([description, stability, accuracy], i) => ({ rank: i + 1, description, stability, accuracy: { gender: accuracy, age: 0.5 } })),
});

const dlib: ModelRun = {
  model: 'face-api-face-recognition',
  experiments: [
    protocol('gender', 0.993, 0.52, 0.923, 0.002, 0.953, 0.902),
    protocol('beard', 0.9, 0.582, 0.649, 0.076, 0.76, null),
    identity(0.991, 60),
    discovered('gender_discovered', 0.9, 0.93, 0.95, [['women vs men', 0.91, 0.9], ['older vs younger', 0.8, 0.55], ['smiling vs not', 0.7, 0.52]]),
  ],
};
const mobile: ModelRun = {
  model: 'mobilefacenet',
  experiments: [
    protocol('gender', 0.993, 0.521, 0.531, 0.015, 0.935, 0.532),
    // beard is missing from this run: its cells read '—'.
    identity(0.996, 63),
    discovered('gender_discovered', 0.55, 0.558, null, [['older vs younger', 0.88, 0.52]]),
  ],
};

describe('reproduce --models: the model list', () => {
  it('reads two or more built-in ids, trimmed', () => {
    assert.deepEqual(parseModelList('face-api-face-recognition, mobilefacenet'), ['face-api-face-recognition', 'mobilefacenet']);
  });

  it('refuses a folder (the old --models <dir>) and names --models-dir and the ids', () => {
    assert.throws(() => parseModelList('build/models'), (e: unknown) => e instanceof InvalidInputError
      && /"build\/models" is not one/.test(e.message) && /face-api-face-recognition, mobilefacenet/.test(e.message) && /--models-dir/.test(e.message));
  });

  it('refuses one model, and a model named twice', () => {
    assert.throws(() => parseModelList('mobilefacenet'), /two or more models \(got 1\); for one model use --model <id>/);
    assert.throws(() => parseModelList('mobilefacenet,mobilefacenet'), /names mobilefacenet twice/);
  });

  it('the command refuses --model with --models, and --report or --reference with --models', async () => {
    const both = await cli(['reproduce', '--data', '.', '--model', 'mobilefacenet', '--models', 'face-api-face-recognition,mobilefacenet']);
    assert.equal(both.code, 1);
    assert.match(both.stderr, /either --model <id> or --models <a,b>, not both/);
    const report = await cli(['reproduce', '--data', '.', '--models', 'face-api-face-recognition,mobilefacenet', '--report', 'x.html']);
    assert.equal(report.code, 1);
    assert.match(report.stderr, /--report writes one model's report/);
    const reference = await cli(['reproduce', '--data', '.', '--models', 'face-api-face-recognition,mobilefacenet', '--reference', 'x.json']);
    assert.equal(reference.code, 1);
    assert.match(reference.stderr, /--reference compares with one model's figures/);
    const folder = await cli(['reproduce', '--data', '.', '--models', 'build/models']);
    assert.equal(folder.code, 1);
    assert.match(folder.stderr, /--models-dir/);
  });

  it('--models-dir is the folder of the built models on every command; the old --models <dir> of embed names its new name', async () => {
    const missing = await cli(['embed', '-q', '--no-cache', '--models-dir', '/nonexistent-models', 'README.md']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nonexistent-models/);
    const old = await cli(['embed', '--models', 'build/models', 'README.md']);
    assert.equal(old.code, 1);
    assert.match(old.stderr, /--models <dir> is now --models-dir <dir>/);
  });
});

describe('reproduce --models: side by side', () => {
  it('prints every PROTOCOL row with each model\'s chance, k-means and probe ceiling, and the differences', () => {
    const lines = formatSideBySide([dlib, mobile]).split('\n');
    assert.match(lines[0]!, /dlib ResNet-34:\s+MobileFaceNet:/);
    assert.match(lines[1]!, /^experiment\s+paper\s+chance\s+k-means\s+± std\s+probe\s+ours\s+chance\s+k-means\s+± std\s+probe\s+ours\s+Δ k-means\s+Δ probe$/);
    assert.match(lines[2]!, /^gender\s+99\.3\s+52\.0\s+92\.3\s+0\.2\s+95\.3\s+90\.2\s+52\.1\s+53\.1\s+1\.5\s+93\.5\s+53\.2\s+-39\.2\s+-1\.8$/);
    assert.match(lines[3]!, /^beard\s+90\.0\s+58\.2\s+64\.9\s+7\.6\s+76\.0\s+—\s+—\s+—\s+—\s+—\s+—\s+—\s+—$/);
    assert.match(lines[4]!, /^identity_grouping\s+—\s+—\s+F 0\.991\s+—\s+60 groups \/ 62\s+—\s+F 0\.996\s+—\s+63 groups \/ 62\s+\+0\.5\s+—$/);
    assert.equal(lines.length, 5, 'discovered rows have their own table');
    // The model header sits above each model's first column.
    assert.equal(lines[0]!.indexOf('MobileFaceNet:'), lines[1]!.indexOf('chance', lines[1]!.indexOf('ours')) - ('MobileFaceNet:'.length - 'chance'.length));
  });

  it('prints the discovered rows with top-1, top-3, chance and the probe of each model', () => {
    const lines = formatDiscoveredSideBySide([dlib, mobile]).split('\n');
    assert.match(lines[1]!, /^discovered\s+goal\s+top-1\s+top-3\s+chance\s+probe\s+top-1\s+top-3\s+chance\s+probe\s+Δ top-3\s+Δ probe$/);
    assert.match(lines[2]!, /^gender_discovered\s+97\.0\s+90\.0\s+93\.0\s+55\.0\s+95\.0\s+55\.0\s+55\.8\s+55\.0\s+—\s+-37\.2\s+—$/);
  });

  it('shows each model\'s ranked splits beside the other\'s, with the probe ceilings', () => {
    const text = formatSplitComparison([dlib, mobile]);
    const lines = text.split('\n');
    assert.equal(lines[0], 'gender_discovered (across-people; scored on gender); probe ceiling: dlib ResNet-34 95.0, MobileFaceNet —');
    assert.match(lines[1]!, /^rank\s+dlib ResNet-34\s+MobileFaceNet$/);
    assert.match(lines[2]!, /^1\s+women vs men \(stability 0\.91; gender 90\.0\)\s+older vs younger \(stability 0\.88; gender 52\.0\)$/);
    assert.match(lines[3]!, /^2\s+older vs younger \(stability 0\.80; gender 55\.0\)\s+—$/);
    assert.equal(lines.length, 5, 'three ranks');
  });

  it('has a JSON form with each model\'s figures, the differences, the splits and the whole runs', () => {
    const json = sideBySideJson([dlib, mobile]);
    assert.deepEqual(json.models, ['face-api-face-recognition', 'mobilefacenet']);
    assert.deepEqual(json.rows.map((r) => [r.name, r.kind]), [['gender', 'protocol'], ['beard', 'protocol'], ['identity_grouping', 'identity'], ['gender_discovered', 'discovered']]);
    const gender = json.rows[0]!;
    assert.deepEqual(gender.by_model['mobilefacenet'], { chance: 0.521, k_means: 0.531, k_means_std: 0.015, probe: 0.935, ours: 0.532 });
    assert.ok(Math.abs(gender.difference!['k_means']! - (0.531 - 0.923)) < 1e-12);
    assert.equal(json.rows[1]!.by_model['mobilefacenet'], null);
    assert.equal(json.rows[1]!.difference!['probe'], null);
    assert.deepEqual(json.rows[3]!.by_model['mobilefacenet'], { top1: 0.55, top3: 0.558, chance_top3: 0.55, probe: null });
    assert.deepEqual(json.comparison[0]!.by_model['face-api-face-recognition']!.splits[0], { rank: 1, description: 'women vs men', stability: 0.91, accuracy: 0.9 });
    assert.equal(json.runs['mobilefacenet'], mobile);
    assert.doesNotThrow(() => JSON.stringify(json));
  });

  it('with three models, gives no differences', () => {
    const third: ModelRun = { ...mobile, model: 'face-api-face-recognition-copy' };
    assert.doesNotMatch(formatSideBySide([dlib, mobile, third]), /Δ/);
    assert.equal(sideBySideJson([dlib, mobile, third]).rows[0]!.difference, undefined);
  });
});

describe('reproduce --models end to end (the built CLI, a small copy of the data sets)', () => {
  it('runs both models on the same photos and prints them side by side, as a table and as JSON', { timeout: 600_000 }, async (t) => {
    if (!datasetOrSkip(t, 'lfw-attributes')) return;
    const mini = await layOutMiniDatasets(datasetsRoot);
    const work = await mkdtemp(join(tmpdir(), 'fap-reproduce-models-'));
    const run = (args: string[]) => spawnSync(process.execPath, [join(projectRoot, 'scripts/face-probe.mjs'), 'reproduce', '-q', '--data', mini,
      '--experiments', 'glasses,smiling', '--models', 'face-api-face-recognition,mobilefacenet', '--cache', join(work, 'cache'), ...args], { encoding: 'utf8', timeout: 600_000 });
    try {
      const json = run(['--json']);
      assert.equal(json.status, 0, json.stderr);
      const out = JSON.parse(json.stdout) as ReturnType<typeof sideBySideJson>;
      assert.deepEqual(out.models, ['face-api-face-recognition', 'mobilefacenet']);
      assert.deepEqual(out.rows.map((r) => r.name), ['glasses', 'smiling']);
      for (const row of out.rows) {
        for (const model of out.models) {
          const f = row.by_model[model]!;
          assert.ok(f['k_means']! >= 0 && f['k_means']! <= 1 && f['probe']! >= 0 && f['probe']! <= 1 && f['chance']! > 0, `${row.name} ${model}`);
        }
      }
      assert.equal((out.runs['mobilefacenet'] as unknown as { model: string }).model, 'mobilefacenet');
      const table = run([]);
      assert.equal(table.status, 0, table.stderr);
      const lines = table.stdout.split('\n');
      assert.match(lines[0]!, /dlib ResNet-34:\s+MobileFaceNet:/);
      assert.match(lines.find((l) => l.startsWith('glasses'))!, /^glasses\s+76\.0(\s+\S+){12}$/);
      assert.match(table.stdout, /MobileFaceNet = mobilefacenet: \d+ images \(\d+ from cache\)/);
    } finally {
      await rm(work, { recursive: true, force: true });
      await rm(mini, { recursive: true, force: true });
    }
  });
});

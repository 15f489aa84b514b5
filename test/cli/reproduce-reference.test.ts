/**
 * `face-probe reproduce --reference <file>` end to end on a small copy of the data sets: the reference column
 * appears only with a file written by `npm run reference`, shows a figure only for an experiment measured on the
 * same image list, and says why the others have none.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXPERIMENTS, loadLabelSets, resolveExperiment } from '../../src/reproduce/index.ts';
import { experimentFingerprint, type ReferenceExperiment, type ReferenceFile } from '../../src/reproduce/reference-figures.ts';
import { datasetOrSkip, datasetsRoot, projectRoot } from '../helpers/datasets.ts';
import { layOutMiniDatasets } from '../helpers/mini-datasets.ts';

function faceProbe(args: string[], cache: string) {
  const r = spawnSync(process.execPath, [join(projectRoot, 'scripts/face-probe.mjs'), ...args, '--cache', cache], { encoding: 'utf8', timeout: 600_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const figures = (name: string, fingerprint: string, accuracy: number): ReferenceExperiment => ({
  name, fingerprint, images: 12, accuracy_mean: accuracy, accuracy_std: 0.05, chance_mean: 0.6, probe: 0.9, nmi: 0.3, ari: 0.2,
  n_per_class: 6, people: 1, coverage: 1, found_by: { detected: 12 },
});

test('reproduce shows a measured reference only for experiments measured on the same images', { timeout: 600_000 }, async (t) => {
  if (!datasetOrSkip(t, 'lfw-attributes')) return;
  const mini = await layOutMiniDatasets(datasetsRoot);
  const work = await mkdtemp(join(tmpdir(), 'fap-reproduce-reference-'));
  try {
    const labels = await loadLabelSets(async (p) => readFile(join(mini, p), 'utf8').catch(() => undefined));
    const glasses = resolveExperiment(EXPERIMENTS.find((e) => e.name === 'glasses')!, labels);
    assert.equal(glasses.status, 'ready');
    if (glasses.status !== 'ready') return;
    const file: ReferenceFile = {
      kind: 'face-api-reference', pipeline: 'face-api under test', data: '/elsewhere', measured_at: '2026-12-02T00:00:00.000Z', elapsed_s: 1,
      experiments: [
        figures('glasses', await experimentFingerprint(glasses.items), 0.847),
        // smiling measured on other photos: its figure must not be shown.
        figures('smiling', await experimentFingerprint(glasses.items.slice(1)), 0.841),
      ],
    };
    const reference = join(work, 'reference.json');
    await writeFile(reference, JSON.stringify(file));
    const cache = join(work, 'cache');

    const plain = faceProbe(['reproduce', '-q', '--data', mini, '--experiments', 'glasses,smiling'], cache);
    assert.equal(plain.status, 0, plain.stderr);
    assert.doesNotMatch(plain.stdout, /reference/, 'no reference column without a measured file');

    const table = faceProbe(['reproduce', '-q', '--data', mini, '--experiments', 'glasses,smiling', '--reference', reference], cache);
    assert.equal(table.status, 0, table.stderr);
    const lines = table.stdout.split('\n');
    assert.match(lines[0]!, /^experiment\s+paper\s+reference\s+k-means/);
    assert.match(lines.find((l) => l.startsWith('glasses'))!, /^glasses\s+76\.0\s+84\.7\s/);
    assert.match(lines.find((l) => l.startsWith('smiling'))!, /^smiling\s+—\s+—\s/);
    assert.match(table.stderr, /smiling's reference was measured on other images \(12 images, data \/elsewhere\)/);
    assert.match(table.stdout, /reference = face-api under test; measured by `npm run reference` on \/elsewhere/);

    const json = faceProbe(['reproduce', '-q', '--json', '--data', mini, '--experiments', 'glasses,smiling', '--reference', reference], cache);
    assert.equal(json.status, 0, json.stderr);
    const out = JSON.parse(json.stdout) as { experiments: Array<{ name: string; reference: ReferenceExperiment | null }>; reference: { file: string } };
    assert.equal(out.experiments.find((e) => e.name === 'glasses')!.reference!.accuracy_mean, 0.847);
    assert.equal(out.experiments.find((e) => e.name === 'smiling')!.reference, null);
    assert.equal(out.reference.file, reference);

    await writeFile(reference, '{"experiments": []}');
    const bad = faceProbe(['reproduce', '-q', '--data', mini, '--experiments', 'glasses', '--reference', reference], cache);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /not written by `npm run reference`/);
  } finally {
    await rm(mini, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  }
});

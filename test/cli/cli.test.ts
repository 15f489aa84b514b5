// The built `face-probe` CLI end to end on real photos: embed (with failures by kind), verify on an LFW-format
// pairs file built from lfw-attributes, and reproduce on a small folder laid out like ../shared/datasets.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetOrSkip, datasetsRoot, projectRoot } from '../helpers/datasets.ts';
import { buildPairsText } from '../helpers/lfw-pairs.ts';
import { layOutMiniDatasets } from '../helpers/mini-datasets.ts';

let work: string;

function faceProbe(args: string[]) {
  const r = spawnSync(process.execPath, [join(projectRoot, 'scripts/face-probe.mjs'), ...args, '--cache', join(work, 'cache')], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 600_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'fap-cli-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('face-probe embed', () => {
  it('embeds real photos, reports failures by kind, and caches by content', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    const notes = join(work, 'notes.jpg');
    await writeFile(notes, 'a text file with an image name\n');
    const empty = join(work, 'empty.png');
    await writeFile(empty, '');
    const images = join(smoke, 'images');
    const first = faceProbe(['embed', '--json', '-q', images, notes, empty]);
    assert.equal(first.status, 2, `exit 2 when some images failed; stderr: ${first.stderr}`);
    const result = JSON.parse(first.stdout);
    assert.equal(result.model, 'face-api-face-recognition');
    assert.equal(result.dimension, 128);
    assert.equal(result.summary.images, 22);
    assert.equal(result.summary.failed, 2);
    assert.deepEqual(result.summary.failures, { 'decode/not-an-image': 1, 'decode/empty': 1 });
    const ok = result.images.filter((i: { ok: boolean }) => i.ok);
    assert.equal(ok.length, 20);
    for (const image of ok) {
      assert.ok(image.faces.length >= 1, `${image.file} has a face`);
      assert.equal(image.faces[0].embedding.length, 128);
      assert.ok(['detected', 'padded', 'lower-threshold', 'whole-image'].includes(image.faces[0].found_by));
    }
    const again = JSON.parse(faceProbe(['embed', '--json', '-q', images]).stdout);
    assert.equal(again.summary.cached, 20, 'the second run takes every image from the cache');
    assert.deepEqual(again.images[0].faces[0].embedding, ok[0].faces[0].embedding);
  });

  it('names a missing path', () => {
    const r = faceProbe(['embed', join(work, 'no-such-folder')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no-such-folder: no such file or folder/);
  });
});

describe('face-probe verify', () => {
  it('reaches ≥ 97 % on 10 folds of lfw-attributes pairs', async (t) => {
    const lfw = datasetOrSkip(t, 'lfw-attributes');
    if (!lfw) return;
    const pairs = join(work, 'pairs.txt');
    await writeFile(pairs, buildPairsText(join(lfw, 'images'), 10, 10, 7));
    const r = faceProbe(['verify', '--json', '-q', '--pairs', pairs, '--images', join(lfw, 'images')]);
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    t.diagnostic(`accuracy ${result.accuracy} ± ${result.std}, coverage ${result.coverage}, ${result.pairs} pairs`);
    assert.equal(result.pairs, 200);
    assert.equal(result.fold_accuracies.length, 10);
    assert.ok(result.coverage >= 0.98, `coverage ${result.coverage}`);
    assert.ok(result.accuracy >= 0.97, `accuracy ${result.accuracy}`);
  });

  it('rejects a malformed pairs file with the line number', async () => {
    const pairs = join(work, 'bad-pairs.txt');
    await writeFile(pairs, '1\t1\nAnn\t1\nAnn 1 Bob 2\n');
    const r = faceProbe(['verify', '--pairs', pairs, '--images', work]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /bad-pairs\.txt:2: a same-person line/);
  });
});

describe('face-probe reproduce', () => {
  it('runs every experiment on a small copy of the data sets and reports every field', async (t) => {
    if (!datasetOrSkip(t, 'utkface-balanced') || !datasetOrSkip(t, 'celeba-identities') || !datasetOrSkip(t, 'lfw-attributes')) return;
    const mini = await layOutMiniDatasets(datasetsRoot);
    try {
      const report = join(work, 'report.html');
      const r = faceProbe(['reproduce', '--json', '-q', '--data', mini, '--report', report]);
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      const names = out.experiments.map((e: { name: string }) => e.name);
      assert.deepEqual(names, [
        'gender', 'skin_tone', 'age', 'gender_controlled', 'skin_tone_controlled', 'age_controlled', 'beard', 'glasses',
        'glasses_celeba', 'smiling', 'smiling_celeba', 'glasses_classifier_labels', 'smiling_classifier_labels', 'identity_grouping',
        ...out.experiments.slice(14).map((e: { name: string }) => e.name),
      ]);
      const discovered = out.experiments.slice(14);
      assert.ok(discovered.length > 0, `discovered experiments ran (skipped: ${JSON.stringify(out.skipped)})`);
      for (const e of discovered) {
        assert.match(e.name, /^(glasses|smiling|beard|gender|age|skin_tone)_discovered(_per_person)?$/);
        for (const f of ['accuracy_top1', 'accuracy_top3', 'chance_top1', 'chance_top3', 'coverage', 'found_by', 'probe']) assert.ok(f in e, `${e.name} has ${f}`);
        assert.ok(e.accuracy_top1 >= 0.5 && e.accuracy_top3 >= e.accuracy_top1 && e.accuracy_top3 <= 1, `${e.name} ${e.accuracy_top1} ${e.accuracy_top3}`);
        assert.ok(e.splits.length > 0 && e.splits[0].rank === 1 && typeof e.splits[0].description === 'string' && e.splits[0].stability >= 0);
      }
      const fields = ['name', 'paper', 'accuracy_mean', 'accuracy_std', 'chance_mean', 'nmi', 'ari', 'probe', 'coverage', 'found_by',
        'n_per_class', 'people', 'per_person', 'fisher', 'ours'];
      for (const e of out.experiments.slice(0, 13)) {
        for (const f of fields) assert.ok(f in e, `${e.name} has ${f}`);
        assert.ok(e.accuracy_mean >= 0.5 && e.accuracy_mean <= 1, `${e.name} accuracy ${e.accuracy_mean}`);
        assert.ok(e.coverage >= 0.95, `${e.name} coverage ${e.coverage}`);
        assert.ok(Object.keys(e.fisher.top_m).length > 0 && Object.keys(e.fisher.shuffled).length > 0);
        assert.ok(e.ours && typeof e.ours.accuracy_mean === 'number');
      }
      assert.equal(out.experiments.find((e: { name: string }) => e.name === 'beard').paper, 0.9);
      const identity = out.experiments[13];
      assert.ok(identity.bcubed.f > 0 && identity.pairwise.f > 0);
      assert.equal(typeof out.elapsed_s, 'number');
      const html = await readFile(report, 'utf8');
      assert.match(html, /<svg/);
      assert.match(html, /data:image\/jpeg;base64,/);
      assert.doesNotMatch(html, /https?:\/\//, 'the report makes no network requests');
    } finally {
      await rm(mini, { recursive: true, force: true });
    }
  });

  it('skips experiments whose data set is missing, with a message', async () => {
    const r = faceProbe(['reproduce', '--json', '-q', '--data', work, '--experiments', 'gender,beard']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /skipping gender: utkface-balanced\/labels\.csv not found/);
    assert.match(r.stderr, /no experiments/i);
  });

  it('names a malformed labels file and line', async () => {
    const dir = join(work, 'bad-data');
    await mkdir(join(dir, 'utkface-balanced'), { recursive: true });
    await writeFile(join(dir, 'utkface-balanced/labels.csv'), 'file,age,age_group,gender,gender_code,race,race_code,source_path\nimages/a.jpg,notanumber,x,male,0,white,0,p\n');
    const r = faceProbe(['reproduce', '--data', dir, '--experiments', 'gender']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /labels\.csv line 2/);
  });
});

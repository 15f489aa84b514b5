// `face-probe people` end to end on real photos: a small folder-per-person copy of lfw-attributes (symlinks
// in a temp folder, never copies), grouped by the built CLI, checked against the folder names.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { datasetOrSkip, projectRoot } from '../helpers/datasets.ts';

/** Photos kept per person. Alvaro_Uribe 0033 and 0035 also show a second person (the same bystander), Angelina_Jolie 0004 another. */
const PHOTOS: Record<string, number[]> = {
  Alvaro_Uribe: [1, 2, 3, 33, 35],
  Amelie_Mauresmo: [1, 2, 3, 4],
  Andre_Agassi: [1, 2, 4, 5],
  Angelina_Jolie: [1, 2, 3, 4],
};

interface Face { file: string; index: number; box: { x: number; y: number; width: number; height: number } }
interface Scores { precision: number; recall: number; f: number }
interface Result {
  groups: Array<{ id: string; name: string; files: string[]; faces: Face[] }>;
  faces_seen_once: Face[];
  failed: Array<{ file: string; error: { code: string; message: string } }>;
  scores?: { bcubed: Scores; pairwise: Scores; faces: number; people: number; groups: number; photos: number };
  summary: { photos: number; faces: number; people: number; faces_seen_once: number; failed: number };
}

let work: string;
let images: string;

function faceProbe(args: string[]) {
  const r = spawnSync(process.execPath, [join(projectRoot, 'scripts/face-probe.mjs'), ...args, '--cache', join(work, 'cache')], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 600_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** BCubed straight from its definition, face by face, over each photo's largest face. */
function bcubedByDefinition(result: Result): Scores {
  const all = [...result.groups.flatMap((g, gi) => g.faces.map((f) => ({ ...f, group: `g${gi}` }))), ...result.faces_seen_once.map((f, i) => ({ ...f, group: `once${i}` }))];
  const largest = new Map<string, (typeof all)[number]>();
  for (const f of all) {
    const best = largest.get(f.file);
    if (!best || f.box.width * f.box.height > best.box.width * best.box.height) largest.set(f.file, f);
  }
  const scored = [...largest.values()].map((f) => ({ group: f.group, person: basename(dirname(f.file)) }));
  let precision = 0;
  let recall = 0;
  for (const a of scored) {
    const sameGroup = scored.filter((b) => b.group === a.group);
    const samePerson = scored.filter((b) => b.person === a.person);
    precision += sameGroup.filter((b) => b.person === a.person).length / sameGroup.length;
    recall += samePerson.filter((b) => b.group === a.group).length / samePerson.length;
  }
  precision /= scored.length;
  recall /= scored.length;
  return { precision, recall, f: (2 * precision * recall) / (precision + recall) };
}

let laidOut: Promise<void> | undefined;

/** Symlinks {@link PHOTOS} into images/<person>/ in the temp folder (once). */
function layOut(lfw: string): Promise<void> {
  laidOut ??= (async () => {
    for (const [person, numbers] of Object.entries(PHOTOS)) {
      await mkdir(join(images, person), { recursive: true });
      for (const n of numbers) {
        const name = `${person}_${String(n).padStart(4, '0')}.jpg`;
        await symlink(join(lfw, 'images', person, name), join(images, person, name));
      }
    }
  })();
  return laidOut;
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'fap-people-'));
  images = join(work, 'images');
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('face-probe people', () => {
  it('groups a folder-per-person set by person, each face in its group, and scores it against the folder names', async (t) => {
    const lfw = datasetOrSkip(t, 'lfw-attributes');
    if (!lfw) return;
    await layOut(lfw);
    const r = faceProbe(['people', '--json', '-q', '--labels', 'folder-names', images]);
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout) as Result;
    const photos = Object.values(PHOTOS).flat().length;
    assert.deepEqual(Object.keys(result).slice(0, 2), ['groups', 'faces_seen_once']);
    assert.equal(result.summary.photos, photos);
    assert.deepEqual(result.failed, []);

    // Every face appears once; a photo with a bystander contributes two faces. Pipeline version 6 searches these
    // 250 px photos at the tiny detector's coarse input first, which finds Alvaro_Uribe_0033's bystander but no
    // longer those of Alvaro_Uribe_0035 and Angelina_Jolie_0004 (version 5 found all three).
    const faces = [...result.groups.flatMap((g) => g.faces), ...result.faces_seen_once];
    assert.equal(faces.length, result.summary.faces);
    assert.equal(new Set(faces.map((f) => `${f.file}#${f.index}`)).size, faces.length);
    const perPhoto = new Map<string, Face[]>();
    for (const f of faces) perPhoto.set(f.file, [...(perPhoto.get(f.file) ?? []), f]);
    assert.equal(perPhoto.size, photos, 'every photo has a face');
    const crowded = [...perPhoto.entries()].filter(([, fs]) => fs.length > 1).map(([file]) => basename(file)).sort();
    assert.deepEqual(crowded, ['Alvaro_Uribe_0033.jpg']);
    for (const file of crowded) {
      const inGroups = result.groups.filter((g) => g.faces.some((f) => basename(f.file) === file));
      assert.ok(inGroups.length + result.faces_seen_once.filter((f) => basename(f.file) === file).length === 2, `${file}: its two faces are in two places`);
    }

    // The shape of a group; each group's labelled faces (each photo's largest) are one person's; every person is one group.
    const largest = new Map([...perPhoto].map(([file, fs]) => [file, fs.reduce((a, b) => (b.box.width * b.box.height > a.box.width * a.box.height ? b : a))]));
    const groupOfPerson = new Map<string, string>();
    result.groups.forEach((g, i) => {
      assert.equal(g.name, `Person ${i + 1}`);
      assert.match(g.id, /^person:[0-9a-f]{64}:\d+$/);
      assert.deepEqual(g.files, [...new Set(g.faces.map((f) => f.file))]);
      const people = new Set(g.faces.filter((f) => largest.get(f.file) === f).map((f) => basename(dirname(f.file))));
      assert.ok(people.size <= 1, `${g.name} mixes ${[...people].join(', ')}`);
      for (const p of people) {
        assert.ok(!groupOfPerson.has(p), `${p} is split across groups`);
        groupOfPerson.set(p, g.id);
      }
    });
    assert.deepEqual([...groupOfPerson.keys()].sort(), Object.keys(PHOTOS));
    assert.ok(result.groups.length >= 4 && result.groups.length <= 5, `${result.groups.length} groups: 4 people and perhaps the bystander`);

    // The scores: over the labelled faces only, equal to BCubed computed here face by face.
    const scores = result.scores!;
    assert.deepEqual([scores.faces, scores.people, scores.photos], [photos, 4, photos]);
    const expected = bcubedByDefinition(result);
    for (const key of ['precision', 'recall', 'f'] as const) assert.ok(Math.abs(scores.bcubed[key] - expected[key]) < 1e-12, `bcubed ${key}`);
    assert.deepEqual(scores.bcubed, { precision: 1, recall: 1, f: 1 });
    assert.deepEqual(scores.pairwise, { precision: 1, recall: 1, f: 1 });
  });

  it('prints the groups as text, lists a photo that failed and exits 2; no scores without --labels', async (t) => {
    const lfw = datasetOrSkip(t, 'lfw-attributes');
    if (!lfw) return;
    await layOut(lfw);
    const junk = join(images, 'Angelina_Jolie', 'notes.jpg');
    await writeFile(junk, 'a text file with an image name\n');
    try {
      const text = faceProbe(['people', '-q', '--labels', 'folder-names', images]);
      assert.equal(text.status, 2, text.stderr);
      assert.match(text.stdout, /^Person 1: \d+ faces in \d+ photos$/m);
      assert.match(text.stdout, /Alvaro_Uribe_0033\.jpg \(face [12] of 2\)/);
      assert.match(text.stdout, /notes\.jpg\tFAILED\t/);
      assert.match(text.stdout, /^ {2}BCubed {4}precision 1\.000 {2}recall 1\.000 {2}F 1\.000$/m);
      const json = JSON.parse(faceProbe(['people', '--json', '-q', images]).stdout) as Result;
      assert.equal(json.scores, undefined);
      assert.equal(json.failed.length, 1);
      assert.equal(basename(json.failed[0]!.file), 'notes.jpg');
    } finally {
      await rm(junk);
    }
  });

  it('stops on Ctrl+C while embedding and exits 130 without printing groups', async (t) => {
    const lfw = datasetOrSkip(t, 'lfw-attributes');
    if (!lfw) return;
    await layOut(lfw);
    // No cache, so embedding takes long enough to be interrupted after the first progress line.
    const child = spawn(process.execPath, [join(projectRoot, 'scripts/face-probe.mjs'), 'people', '--json', '--no-cache', images], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
      if (/^people: \d+\/17/m.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    assert.equal(status, 130, stderr);
    assert.match(stderr, /cancelled before every photo was embedded; no groups printed/);
    assert.equal(stdout, '');
  });

  it('refuses folder-name labels for a photo outside any folder, before embedding anything', async () => {
    await writeFile(join(work, 'photo.jpg'), 'not read: the layout is checked first\n');
    const r = spawnSync(process.execPath, [join(projectRoot, 'scripts/face-probe.mjs'), 'people', '-q', '--labels', 'folder-names', 'photo.jpg'], { encoding: 'utf8', cwd: work });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /photo\.jpg: --labels folder-names needs each photo inside a folder named after its person/);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  LabelFile, loadLabelSets, parseCelebaLabels, parseLfwBinaryLabels, parseManualLabels, parseUtkfaceLabels,
} from '../../src/reproduce/datasets.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { datasetOrSkip, datasetsRoot } from '../helpers/datasets.ts';

/** Asserts an InvalidInputError whose message starts with "<file> line <line>:" and matches `pattern`. */
function assertLineError(fn: () => unknown, file: string, line: number, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InvalidInputError, String(error));
    assert.ok(error.message.startsWith(`${file} line ${line}: `), error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

const utkHeader = 'file,age,age_group,gender,gender_code,race,race_code,source_path';
const celebaHeader = 'file,celeba_image,identity,beard,no_beard,goatee,mustache,eyeglasses,smiling,male,beard_label_quality,recommended_sets,visual_note,width,height';

describe('label parsers on the shared data sets', () => {
  it('utkface-balanced/labels.csv: 1,595 rows, 158–160 per gender × race cell', async (t) => {
    const dir = datasetOrSkip(t, 'utkface-balanced');
    if (!dir) return;
    const rows = parseUtkfaceLabels(await readFile(join(dir, 'labels.csv'), 'utf8'));
    assert.equal(rows.length, 1595);
    const cells = new Map<string, number>();
    for (const r of rows) cells.set(`${r.gender}/${r.race}`, (cells.get(`${r.gender}/${r.race}`) ?? 0) + 1);
    assert.equal(cells.size, 10);
    for (const [cell, count] of cells) assert.ok(count >= 158 && count <= 160, `${cell}: ${count}`);
    assert.deepEqual({ ...rows[0], line: rows[0]!.line }, {
      file: 'images/10_0_0_20170110220033115.jpg.chip.jpg', age: 10, ageGroup: '10-19', gender: 'male', race: 'white',
      sourcePath: 'data/random_200/males/white/10_0_0_20170110220033115.jpg.chip.jpg', line: 2,
    });
  });

  it('lfw-attributes: labels_binary.csv (2,999 photos, 62 people) and the Toledo hand labels (18/20 glasses, 11/24/3 smiling)', async (t) => {
    const dir = datasetOrSkip(t, 'lfw-attributes');
    if (!dir) return;
    const binary = parseLfwBinaryLabels(await readFile(join(dir, 'labels_binary.csv'), 'utf8'));
    assert.equal(binary.length, 2999);
    assert.equal(new Set(binary.map((r) => r.person)).size, 62);
    assert.equal(binary.filter((r) => r.person === 'George_W_Bush').length, 524);
    assert.ok('beard(No.Beard<0)' in binary[0]!.attributes);
    const manual = parseManualLabels(await readFile(join(dir, 'manual_labels_Alejandro_Toledo.csv'), 'utf8'));
    assert.equal(manual.length, 38);
    assert.deepEqual([manual.filter((r) => r.eyeglasses === 1).length, manual.filter((r) => r.eyeglasses === 0).length], [18, 20]);
    assert.deepEqual([1, 0, null].map((v) => manual.filter((r) => r.smiling === v).length), [11, 24, 3]);
    // README: the classifier agrees with the hand labels on 31 of 38 glasses and 33 of 35 smiles.
    assert.equal(manual.filter((r) => r.eyeglasses === r.kumarEyeglasses).length, 31);
    assert.equal(manual.filter((r) => r.smiling !== null && r.smiling === r.kumarSmiling).length, 33);
  });

  it('celeba-identities/labels.csv: 180 photos of 7 people with the README beard counts', async (t) => {
    const dir = datasetOrSkip(t, 'celeba-identities');
    if (!dir) return;
    const rows = parseCelebaLabels(await readFile(join(dir, 'labels.csv'), 'utf8'));
    assert.equal(rows.length, 180);
    const beard = (id: string): string => `${rows.filter((r) => r.identity === id && r.beard === 1).length}/${rows.filter((r) => r.identity === id && r.beard === 0).length}`;
    assert.deepEqual(['7460', '7421', '7282', '7394', '7255'].map(beard), ['9/21', '17/9', '16/14', '11/9', '9/12']);
    assert.deepEqual(rows.find((r) => r.identity === '7255')!.recommendedSets, ['beard', 'eyeglasses', 'smiling']);
    assert.equal(rows.find((r) => r.identity === '7216')!.beardLabelQuality, 'noisy');
  });

  it('loadLabelSets reads every file through the reader and lists missing ones', async (t) => {
    if (!datasetOrSkip(t, 'lfw-attributes')) return;
    const sets = await loadLabelSets(async (path) => (path.startsWith('celeba') ? undefined : readFile(join(datasetsRoot, path), 'utf8')));
    assert.equal(sets.utkface?.length, 1595);
    assert.equal(sets.toledo?.length, 38);
    assert.equal(sets.celeba, undefined);
    assert.deepEqual(sets.missing, [LabelFile.celeba]);
  });
});

describe('label parsers on malformed files', () => {
  it('utkface: a bad gender, an age out of range, disagreeing codes, a duplicate image, a missing column', () => {
    const f = 'u/labels.csv';
    const ok = 'images/a.jpg,25,20-29,male,0,white,0,src/a.jpg';
    assert.equal(parseUtkfaceLabels(`${utkHeader}\n${ok}\n`, f).length, 1);
    assertLineError(() => parseUtkfaceLabels(`${utkHeader}\n${ok}\nimages/b.jpg,25,20-29,man,0,white,0,s\n`, f), f, 3, /gender is "man", expected one of male, female/);
    assertLineError(() => parseUtkfaceLabels(`${utkHeader}\nimages/b.jpg,2x,20-29,male,0,white,0,s\n`, f), f, 2, /age is "2x"/);
    assertLineError(() => parseUtkfaceLabels(`${utkHeader}\nimages/b.jpg,25,20-29,male,1,white,0,s\n`, f), f, 2, /gender_code 1 disagrees/);
    assertLineError(() => parseUtkfaceLabels(`${utkHeader}\nimages/b.jpg,25,20-29,male,0,black,0,s\n`, f), f, 2, /race_code 0 disagrees/);
    assertLineError(() => parseUtkfaceLabels(`${utkHeader}\n${ok}\n${ok}\n`, f), f, 3, /listed twice \(first on line 2\)/);
    assertLineError(() => parseUtkfaceLabels('file,age\nimages/a.jpg,3\n', f), f, 1, /missing column\(s\) age_group/);
    assertLineError(() => parseUtkfaceLabels(`${utkHeader}\n${ok}\nimages/c.jpg,30\n`, f), f, 3, /2 fields, expected 8/);
  });

  it('lfw labels_binary and the hand labels: values other than 0/1 (or ?) are errors', () => {
    const f = 'l/labels_binary.csv';
    const header = 'file,person,eyeglasses,smiling,male';
    assert.equal(parseLfwBinaryLabels(`${header}\nimages/P/P_0001.jpg,P,1,0,1\n`, f)[0]!.attributes.male, 1);
    assertLineError(() => parseLfwBinaryLabels(`${header}\nimages/P/P_0001.jpg,P,1,0,1\nimages/P/P_0002.jpg,P,0.5,0,1\n`, f), f, 3, /eyeglasses is "0.5", expected 0 or 1/);
    assertLineError(() => parseLfwBinaryLabels(`${header}\nimages/P/P_0001.jpg,,1,0,1\n`, f), f, 2, /person is empty/);
    const m = 'l/manual.csv';
    const mh = 'file,eyeglasses,smiling,kumar_eyeglasses,kumar_smiling';
    assert.equal(parseManualLabels(`${mh}\na.jpg,?,?,0,1\n`, m)[0]!.eyeglasses, null);
    assertLineError(() => parseManualLabels(`${mh}\na.jpg,1,0,0,1\nb.jpg,1,yes,0,1\n`, m), m, 3, /smiling is "yes", expected 0, 1 or \?/);
    assertLineError(() => parseManualLabels(`${mh}\na.jpg,1,0,?,1\n`, m), m, 2, /kumar_eyeglasses is "\?", expected 0 or 1/);
  });

  it('celeba: unknown set names, contradictory beard columns, bad sizes', () => {
    const f = 'c/labels.csv';
    const row = (sets: string, beard = '1,0', width = '400'): string => `images/1.jpg,1.jpg,7460,${beard},0,0,0,1,1,clear,${sets},,${width},500`;
    assert.deepEqual(parseCelebaLabels(`${celebaHeader}\n${row('beard|smiling')}\n`, f)[0]!.recommendedSets, ['beard', 'smiling']);
    assert.deepEqual(parseCelebaLabels(`${celebaHeader}\n${row('')}\n`, f)[0]!.recommendedSets, []);
    assertLineError(() => parseCelebaLabels(`${celebaHeader}\n${row('beard|hats')}\n`, f), f, 2, /recommended_sets holds "hats"/);
    assertLineError(() => parseCelebaLabels(`${celebaHeader}\n${row('beard', '1,1')}\n`, f), f, 2, /must be opposite/);
    assertLineError(() => parseCelebaLabels(`${celebaHeader}\n${row('beard', '1,0', '0')}\n`, f), f, 2, /width is "0"/);
    assertLineError(() => parseCelebaLabels(`${celebaHeader}\n"${row('beard')}\n`, f), f, 2, /never closed/);
  });
});

/**
 * Parsers for the label files of the shared data sets (see each set's README). They take text and a
 * file name, never read files themselves, so the browser can reuse them; {@link loadLabelSets} takes
 * a reader callback for the one place that does I/O. Every problem is an {@link InvalidInputError}
 * naming the file and line (`details: { file, line }`).
 */
import { csvError, parseCsv, type CsvRecord, type CsvTable } from './csv.ts';

/** The data sets PROTOCOL.md uses, by folder name. */
export const DatasetName = {
  Utkface: 'utkface-balanced',
  LfwAttributes: 'lfw-attributes',
  CelebaIdentities: 'celeba-identities',
} as const;
/** A folder name from {@link DatasetName}. */
export type DatasetName = (typeof DatasetName)[keyof typeof DatasetName];

/** Label files, by path relative to the data folder (forward slashes). */
export const LabelFile = {
  utkface: 'utkface-balanced/labels.csv',
  lfwBinary: 'lfw-attributes/labels_binary.csv',
  toledo: 'lfw-attributes/manual_labels_Alejandro_Toledo.csv',
  celeba: 'celeba-identities/labels.csv',
} as const;

/** The race values UTKFace uses, in race_code order (0–4). */
export const UTK_RACES = ['white', 'black', 'asian', 'indian', 'other'] as const;
/** A UTKFace race. */
export type UtkRace = (typeof UTK_RACES)[number];
/** UTKFace genders, in gender_code order (0 male, 1 female). */
export const UTK_GENDERS = ['male', 'female'] as const;
/** A UTKFace gender. */
export type UtkGender = (typeof UTK_GENDERS)[number];

/** One row of utkface-balanced/labels.csv. */
export interface UtkfaceRow {
  /** Image path relative to the set's folder, e.g. `images/25_0_1_….jpg.chip.jpg`. */
  file: string;
  /** Age in years. */
  age: number;
  ageGroup: string;
  gender: UtkGender;
  race: UtkRace;
  sourcePath: string;
  line: number;
}

/** One row of lfw-attributes/labels_binary.csv: every column after file and person, as 0/1. */
export interface LfwBinaryRow {
  file: string;
  /** LFW name, e.g. `Alejandro_Toledo`. */
  person: string;
  /** Attribute name (the header's spelling, e.g. `eyeglasses`, `beard(No.Beard<0)`) → 0 or 1. */
  attributes: Record<string, 0 | 1>;
  line: number;
}

/** One row of lfw-attributes/manual_labels_Alejandro_Toledo.csv; `null` where the label is '?'. */
export interface ManualLabelRow {
  file: string;
  eyeglasses: 0 | 1 | null;
  smiling: 0 | 1 | null;
  kumarEyeglasses: 0 | 1;
  kumarSmiling: 0 | 1;
  line: number;
}

/** How well a CelebA person's beard labels match the photos (celeba-identities README). */
export const BEARD_QUALITIES = ['clear', 'mostly', 'noisy', 'n/a'] as const;
/** The intra-class sets a CelebA person can be recommended for. */
export const CELEBA_SETS = ['beard', 'eyeglasses', 'smiling'] as const;
/** A recommended intra-class set name. */
export type CelebaSet = (typeof CELEBA_SETS)[number];

/** One row of celeba-identities/labels.csv. */
export interface CelebaRow {
  file: string;
  celebaImage: string;
  /** CelebA identity id, kept as text (e.g. `7460`). */
  identity: string;
  beard: 0 | 1;
  noBeard: 0 | 1;
  goatee: 0 | 1;
  mustache: 0 | 1;
  eyeglasses: 0 | 1;
  smiling: 0 | 1;
  male: 0 | 1;
  beardLabelQuality: (typeof BEARD_QUALITIES)[number];
  recommendedSets: CelebaSet[];
  visualNote: string;
  /** Image size in pixels. */
  width: number;
  height: number;
  line: number;
}

/** Column accessors for one table that report bad values with file and line. */
function columns(table: CsvTable, required: readonly string[]) {
  const index = new Map(table.header.map((name, i) => [name, i]));
  const missing = required.filter((name) => !index.has(name));
  if (missing.length > 0) {
    throw csvError(table.file, 1, `missing column(s) ${missing.join(', ')} (header: ${table.header.join(',')})`);
  }
  const text = (record: CsvRecord, name: string): string => record.fields[index.get(name) as number] as string;
  const nonEmpty = (record: CsvRecord, name: string): string => {
    const value = text(record, name).trim();
    if (value === '') throw csvError(table.file, record.line, `column ${name} is empty`);
    return value;
  };
  const bit = (record: CsvRecord, name: string): 0 | 1 => {
    const value = text(record, name).trim();
    if (value === '0') return 0;
    if (value === '1') return 1;
    throw csvError(table.file, record.line, `column ${name} is ${JSON.stringify(value)}, expected 0 or 1`);
  };
  const bitOrUnknown = (record: CsvRecord, name: string): 0 | 1 | null => {
    const value = text(record, name).trim();
    if (value === '?') return null;
    if (value === '0') return 0;
    if (value === '1') return 1;
    throw csvError(table.file, record.line, `column ${name} is ${JSON.stringify(value)}, expected 0, 1 or ?`);
  };
  const integer = (record: CsvRecord, name: string, min: number, max: number): number => {
    const value = text(record, name).trim();
    const parsed = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      throw csvError(table.file, record.line, `column ${name} is ${JSON.stringify(value)}, expected an integer in [${min}, ${max}]`);
    }
    return parsed;
  };
  const oneOf = <T extends string>(record: CsvRecord, name: string, allowed: readonly T[]): T => {
    const value = text(record, name).trim();
    if (!(allowed as readonly string[]).includes(value)) {
      throw csvError(table.file, record.line, `column ${name} is ${JSON.stringify(value)}, expected one of ${allowed.join(', ')}`);
    }
    return value as T;
  };
  return { text, nonEmpty, bit, bitOrUnknown, integer, oneOf };
}

/** Rejects a file listed twice: two labels for one image would silently double-count it. */
function checkUniqueFiles(file: string, rows: ReadonlyArray<{ file: string; line: number }>): void {
  const seen = new Map<string, number>();
  for (const row of rows) {
    const first = seen.get(row.file);
    if (first !== undefined) throw csvError(file, row.line, `image ${row.file} is listed twice (first on line ${first})`);
    seen.set(row.file, row.line);
  }
}

/**
 * Parses utkface-balanced/labels.csv (columns file, age, age_group, gender, gender_code, race,
 * race_code, source_path; extra columns are ignored). gender_code and race_code must agree with
 * gender and race.
 * @param text the file's contents. @param file its name for error messages.
 * @throws InvalidInputError naming file and line for malformed CSV, a missing column, an unknown
 *   gender or race, a non-integer age, disagreeing codes, or a duplicate image.
 */
export function parseUtkfaceLabels(text: string, file: string = LabelFile.utkface): UtkfaceRow[] {
  const table = parseCsv(text, file);
  const col = columns(table, ['file', 'age', 'age_group', 'gender', 'gender_code', 'race', 'race_code', 'source_path']);
  const rows = table.records.map((record): UtkfaceRow => {
    const gender = col.oneOf(record, 'gender', UTK_GENDERS);
    const race = col.oneOf(record, 'race', UTK_RACES);
    const genderCode = col.integer(record, 'gender_code', 0, 1);
    const raceCode = col.integer(record, 'race_code', 0, 4);
    if (UTK_GENDERS[genderCode] !== gender) {
      throw csvError(file, record.line, `gender_code ${genderCode} disagrees with gender ${gender} (0 male, 1 female)`);
    }
    if (UTK_RACES[raceCode] !== race) {
      throw csvError(file, record.line, `race_code ${raceCode} disagrees with race ${race} (${UTK_RACES.map((r, i) => `${i} ${r}`).join(', ')})`);
    }
    return {
      file: col.nonEmpty(record, 'file'),
      age: col.integer(record, 'age', 0, 130),
      ageGroup: col.text(record, 'age_group').trim(),
      gender,
      race,
      sourcePath: col.text(record, 'source_path').trim(),
      line: record.line,
    };
  });
  checkUniqueFiles(file, rows);
  return rows;
}

/**
 * Parses lfw-attributes/labels_binary.csv: columns file, person, then any number of 0/1 attribute
 * columns (eyeglasses and smiling are required, as the protocol uses them).
 * @throws InvalidInputError naming file and line for malformed CSV, a missing column, a value
 *   other than 0/1, an empty person, or a duplicate image.
 */
export function parseLfwBinaryLabels(text: string, file: string = LabelFile.lfwBinary): LfwBinaryRow[] {
  const table = parseCsv(text, file);
  const col = columns(table, ['file', 'person', 'eyeglasses', 'smiling']);
  const attributeNames = table.header.filter((name) => name !== 'file' && name !== 'person');
  const rows = table.records.map((record): LfwBinaryRow => {
    const attributes: Record<string, 0 | 1> = {};
    for (const name of attributeNames) attributes[name] = col.bit(record, name);
    return { file: col.nonEmpty(record, 'file'), person: col.nonEmpty(record, 'person'), attributes, line: record.line };
  });
  checkUniqueFiles(file, rows);
  return rows;
}

/**
 * Parses lfw-attributes/manual_labels_Alejandro_Toledo.csv (file, eyeglasses, smiling,
 * kumar_eyeglasses, kumar_smiling); eyeglasses and smiling may be '?' (ambiguous → null).
 * @throws InvalidInputError naming file and line for malformed CSV, a missing column, a value other
 *   than 0/1 (or '?' in the hand-labelled columns), or a duplicate image.
 */
export function parseManualLabels(text: string, file: string = LabelFile.toledo): ManualLabelRow[] {
  const table = parseCsv(text, file);
  const col = columns(table, ['file', 'eyeglasses', 'smiling', 'kumar_eyeglasses', 'kumar_smiling']);
  const rows = table.records.map((record): ManualLabelRow => ({
    file: col.nonEmpty(record, 'file'),
    eyeglasses: col.bitOrUnknown(record, 'eyeglasses'),
    smiling: col.bitOrUnknown(record, 'smiling'),
    kumarEyeglasses: col.bit(record, 'kumar_eyeglasses'),
    kumarSmiling: col.bit(record, 'kumar_smiling'),
    line: record.line,
  }));
  checkUniqueFiles(file, rows);
  return rows;
}

/**
 * Parses celeba-identities/labels.csv (see its README for the columns). recommended_sets is a
 * '|'-separated list of {@link CELEBA_SETS} (may be empty); beard must equal 1 − no_beard.
 * @throws InvalidInputError naming file and line for malformed CSV, a missing column, a bad 0/1
 *   value, an unknown quality or set name, beard ≠ 1 − no_beard, a bad size, or a duplicate image.
 */
export function parseCelebaLabels(text: string, file: string = LabelFile.celeba): CelebaRow[] {
  const table = parseCsv(text, file);
  const col = columns(table, [
    'file', 'celeba_image', 'identity', 'beard', 'no_beard', 'goatee', 'mustache', 'eyeglasses', 'smiling', 'male',
    'beard_label_quality', 'recommended_sets', 'visual_note', 'width', 'height',
  ]);
  const rows = table.records.map((record): CelebaRow => {
    const beard = col.bit(record, 'beard');
    const noBeard = col.bit(record, 'no_beard');
    if (beard + noBeard !== 1) throw csvError(file, record.line, `beard ${beard} and no_beard ${noBeard} must be opposite (beard = 1 - no_beard)`);
    const setsText = col.text(record, 'recommended_sets').trim();
    const recommendedSets = setsText === '' ? [] : setsText.split('|').map((name) => {
      const trimmed = name.trim();
      if (!(CELEBA_SETS as readonly string[]).includes(trimmed)) {
        throw csvError(file, record.line, `recommended_sets holds ${JSON.stringify(trimmed)}, expected '|'-separated names from ${CELEBA_SETS.join(', ')}`);
      }
      return trimmed as CelebaSet;
    });
    return {
      file: col.nonEmpty(record, 'file'),
      celebaImage: col.text(record, 'celeba_image').trim(),
      identity: col.nonEmpty(record, 'identity'),
      beard,
      noBeard,
      goatee: col.bit(record, 'goatee'),
      mustache: col.bit(record, 'mustache'),
      eyeglasses: col.bit(record, 'eyeglasses'),
      smiling: col.bit(record, 'smiling'),
      male: col.bit(record, 'male'),
      beardLabelQuality: col.oneOf(record, 'beard_label_quality', BEARD_QUALITIES),
      recommendedSets,
      visualNote: col.text(record, 'visual_note'),
      width: col.integer(record, 'width', 1, 1 << 16),
      height: col.integer(record, 'height', 1, 1 << 16),
      line: record.line,
    };
  });
  checkUniqueFiles(file, rows);
  return rows;
}

/** Every label set the protocol reads; a set whose file is absent is `undefined` and listed in `missing`. */
export interface LabelSets {
  utkface?: UtkfaceRow[];
  lfwBinary?: LfwBinaryRow[];
  toledo?: ManualLabelRow[];
  celeba?: CelebaRow[];
  /** Label files (paths from {@link LabelFile}) that the reader did not find. */
  missing: string[];
}

/**
 * Reads and parses every label file through `readText`, which maps a path relative to the data
 * folder (e.g. `utkface-balanced/labels.csv`) to its text, or to `undefined` when the file does not
 * exist (Node: `fs.readFile` with ENOENT → undefined; browser: `fetch` with 404 → undefined).
 * @throws InvalidInputError (file and line) for a malformed file; whatever `readText` throws otherwise.
 */
export async function loadLabelSets(readText: (path: string) => Promise<string | undefined>): Promise<LabelSets> {
  const read = async <T>(path: string, parse: (text: string, file: string) => T): Promise<T | undefined> => {
    const text = await readText(path);
    return text === undefined ? undefined : parse(text, path);
  };
  const sets: LabelSets = { missing: [] };
  const utkface = await read(LabelFile.utkface, parseUtkfaceLabels);
  const lfwBinary = await read(LabelFile.lfwBinary, parseLfwBinaryLabels);
  const toledo = await read(LabelFile.toledo, parseManualLabels);
  const celeba = await read(LabelFile.celeba, parseCelebaLabels);
  if (utkface) sets.utkface = utkface; else sets.missing.push(LabelFile.utkface);
  if (lfwBinary) sets.lfwBinary = lfwBinary; else sets.missing.push(LabelFile.lfwBinary);
  if (toledo) sets.toledo = toledo; else sets.missing.push(LabelFile.toledo);
  if (celeba) sets.celeba = celeba; else sets.missing.push(LabelFile.celeba);
  return sets;
}

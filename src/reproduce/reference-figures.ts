/**
 * The measured reference column of `reproduce`: a JSON file written by `npm run reference` (face-api's own
 * pipeline under PROTOCOL.md on the same photos), read back and matched to each experiment by a fingerprint of
 * its image list, so a figure measured on other data is never shown beside ours.
 */
import { InvalidInputError } from '../errors.ts';

/** What identifies an experiment's data: its images with their classes and people. */
export interface FingerprintItem {
  imagePath: string;
  class: 0 | 1;
  person: string;
}

/** One experiment's reference figures (fractions, means over seeds 0–9). */
export interface ReferenceExperiment {
  name: string;
  /** {@link experimentFingerprint} of the experiment's image list when it was measured. */
  fingerprint: string;
  /** Images in the experiment's list. */
  images: number;
  accuracy_mean: number;
  accuracy_std: number;
  chance_mean: number;
  probe: number;
  nmi: number;
  ari: number;
  n_per_class: number;
  /** People run (within-person experiments); null across people. */
  people: number | null;
  /** Images with a face / images. */
  coverage: number;
  /** How each used face was found. */
  found_by: Record<string, number>;
}

/** The file `npm run reference` writes. */
export interface ReferenceFile {
  kind: 'face-api-reference';
  /** The pipeline that measured the figures, in words (library, version, backend, detector, thresholds). */
  pipeline: string;
  /** The data folder as given on the command line. */
  data: string;
  measured_at: string;
  elapsed_s: number;
  experiments: ReferenceExperiment[];
}

/** The reference figure of one experiment, or why there is none. */
export type ReferenceMatch =
  | { status: 'measured'; figures: ReferenceExperiment }
  | { status: 'missing'; reason: string };

/**
 * A SHA-256 fingerprint (hex) of an experiment's image list: each image's path, class and person, sorted, so the
 * same data gives the same fingerprint whatever order it was listed in.
 */
export async function experimentFingerprint(items: readonly FingerprintItem[]): Promise<string> {
  const lines = items.map((item) => `${item.imagePath}\t${item.class}\t${item.person}`).sort();
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(lines.join('\n')));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

const isFraction = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 1;

/**
 * Parses and checks a reference file's text.
 * @throws {InvalidInputError} when it is not JSON written by `npm run reference`, naming what is wrong.
 */
export function parseReferenceFile(text: string, file = 'the reference file'): ReferenceFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    throw new InvalidInputError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const v = value as Partial<ReferenceFile> | null;
  if (!v || typeof v !== 'object' || v.kind !== 'face-api-reference' || !Array.isArray(v.experiments)) {
    throw new InvalidInputError(`${file} was not written by \`npm run reference\` (no "kind": "face-api-reference" with an "experiments" list)`);
  }
  for (const e of v.experiments) {
    const ok = e && typeof e.name === 'string' && typeof e.fingerprint === 'string' && /^[0-9a-f]{64}$/.test(e.fingerprint)
      && isFraction(e.accuracy_mean) && isFraction(e.coverage) && Number.isInteger(e.images);
    if (!ok) throw new InvalidInputError(`${file}: an experiment entry lacks a name, a fingerprint, images, accuracy_mean or coverage (${JSON.stringify(e).slice(0, 120)})`);
  }
  return v as ReferenceFile;
}

/**
 * The reference figures for experiment `name` whose image list has fingerprint `fingerprint`: measured only
 * when the file holds that experiment measured on the same image list.
 */
export function matchReference(file: ReferenceFile, name: string, fingerprint: string): ReferenceMatch {
  const entry = file.experiments.find((e) => e.name === name);
  if (!entry) return { status: 'missing', reason: `${name} was not measured in the reference file` };
  if (entry.fingerprint !== fingerprint) {
    return { status: 'missing', reason: `${name}'s reference was measured on other images (${entry.images} images, data ${file.data}); run \`npm run reference\` on this data` };
  }
  return { status: 'measured', figures: entry };
}

/**
 * The `people` command's result, computed from embedded photos: every face grouped by person with the element's
 * grouping (groupByIdentity, seed 0, the model's fixed threshold; groups of one face are faces seen once), named
 * and identified as the element names them, and scored against folder-name labels when asked.
 */
import { groupByIdentity, type PrecisionRecall } from '../analysis/identity.ts';
import { scoreLabelledGrouping } from '../analysis/grouping-scores.ts';
import type { ImageOutcome } from '../embedding/types.ts';
import { InvalidInputError } from '../errors.ts';
import type { Kernel } from '../kernel/types.ts';
import { largestFace } from '../vision/find-faces.ts';
import type { Box } from '../vision/image.ts';

/** One face of a photo, as printed. */
export interface PeopleFace {
  file: string;
  /** The face's index in its photo (0 = the detector's first, largest). */
  index: number;
  box: Box;
}

/** One person: a group of at least two faces. */
export interface PeopleGroup {
  /** `person:<smallest face id>`, a face id being `<photo SHA-256>:<face index>`, as the element's ids. */
  id: string;
  /** "Person N", N counting from the largest group, as the element names them. */
  name: string;
  /** The photos the group's faces come from, each once, in input order. */
  files: string[];
  faces: PeopleFace[];
}

/** The scores printed with `--labels`, over the labelled faces (each labelled photo's largest face). */
export interface PeopleScores {
  bcubed: PrecisionRecall;
  pairwise: PrecisionRecall;
  /** Labelled faces scored. */
  faces: number;
  /** Distinct labels among them. */
  people: number;
  /** Groups (faces seen once included) those faces fell into. */
  groups: number;
  /** Photos, all labelled: the largest face of each photo with a face is scored; failed photos and photos
   * without a face are not. */
  photos: number;
}

/** Everything `face-probe people` prints. */
export interface PeopleResult {
  groups: PeopleGroup[];
  faces_seen_once: PeopleFace[];
  /** Photos that were read but held no face. */
  photos_without_faces: string[];
  failed: Array<{ file: string; error: { code: string; message: string } }>;
  scores?: PeopleScores;
  summary: { photos: number; faces: number; people: number; faces_seen_once: number; failed: number };
}

/** A photo's label: the name of the folder it lies in (LFW's layout, one folder per person). */
export function folderNameLabel(file: string): string {
  const parts = file.split(/[\\/]/).filter((p) => p.length > 0);
  const folder = parts[parts.length - 2];
  if (folder === undefined || folder === '.' || folder === '..') {
    throw new InvalidInputError(`${file}: --labels folder-names needs each photo inside a folder named after its person`);
  }
  return folder;
}

/**
 * Groups every face of the successful outcomes by person.
 * @param outcomes embedded photos in input order (failures are listed, not grouped).
 * @param labelOf a photo's person, for scoring; applies to its largest face only. Omit for no scores.
 * @throws InvalidInputError when `labelOf` is given and no labelled photo has a face; an AbortError on `signal`.
 */
export function groupPhotosByPerson(
  kernel: Kernel,
  outcomes: readonly ImageOutcome[],
  options: { labelOf?: (file: string) => string; signal?: AbortSignal } = {},
): PeopleResult {
  const faces: Array<PeopleFace & { id: string }> = [];
  const labels: Array<string | undefined> = [];
  const vectors: Float32Array[] = [];
  const photosWithoutFaces: string[] = [];
  const failed: PeopleResult['failed'] = [];
  for (const o of outcomes) {
    if (!o.ok) {
      failed.push({ file: o.name, error: { code: o.error.code ?? o.error.name, message: o.error.message } });
      continue;
    }
    if (o.faces.length === 0) photosWithoutFaces.push(o.name);
    const labelled = options.labelOf ? largestFace(o.faces) : undefined;
    for (const f of o.faces) {
      faces.push({ id: `${o.hash}:${f.index}`, file: o.name, index: f.index, box: f.box });
      labels.push(f === labelled && options.labelOf ? options.labelOf(o.name) : undefined);
      vectors.push(f.embedding);
    }
  }
  const d = vectors[0]?.length ?? 0;
  const data = new Float32Array(faces.length * d);
  vectors.forEach((v, i) => data.set(v, i * d));
  const grouping = faces.length ? groupByIdentity(kernel, data, d, { seed: 0, ...(options.signal ? { signal: options.signal } : {}) }) : { labels: new Int32Array(0), groups: 0 };
  const members: Array<typeof faces> = Array.from({ length: grouping.groups }, () => []);
  grouping.labels.forEach((g, i) => (members[g] as typeof faces).push(faces[i] as (typeof faces)[number]));
  const plain = ({ file, index, box }: PeopleFace): PeopleFace => ({ file, index, box });
  const groups = members
    .filter((m) => m.length >= 2)
    .map((m, i) => ({
      id: `person:${m.map((f) => f.id).sort()[0] as string}`,
      name: `Person ${i + 1}`,
      files: [...new Set(m.map((f) => f.file))],
      faces: m.map(plain),
    }));
  const seenOnce = members.filter((m) => m.length === 1).map((m) => plain(m[0] as PeopleFace));
  const result: PeopleResult = {
    groups,
    faces_seen_once: seenOnce,
    photos_without_faces: photosWithoutFaces,
    failed,
    summary: { photos: outcomes.length, faces: faces.length, people: groups.length, faces_seen_once: seenOnce.length, failed: failed.length },
  };
  if (options.labelOf) result.scores = { ...scoreLabelledGrouping(labels, grouping.labels), photos: outcomes.length };
  return result;
}

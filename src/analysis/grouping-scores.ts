/**
 * Scoring a grouping of faces by person when only some faces have a known identity (e.g. a folder-per-person
 * set, where a photo's label belongs to its largest face and a bystander in the same photo has none). The
 * figures are {@link pairwiseScores} and {@link bcubedScores} over the labelled faces only; unlabelled faces
 * still shape the grouping, but they are neither right nor wrong.
 */
import { InvalidInputError } from '../errors.ts';
import { bcubedScores, pairwiseScores, type PrecisionRecall } from './identity.ts';

/** Scores of a grouping against the known identities of its labelled faces. */
export interface LabelledGroupingScores {
  bcubed: PrecisionRecall;
  pairwise: PrecisionRecall;
  /** Faces that had a label and were scored. */
  faces: number;
  /** Distinct labels among them. */
  people: number;
  /** Distinct groups the scored faces fell into (singletons count as groups). */
  groups: number;
}

/**
 * Pairwise and BCubed precision, recall and F of `groups` against `labels`, over the faces whose label is
 * defined.
 * @param labels known identity per face, or undefined for a face with no label.
 * @param groups the group of each face (same length; a face seen once is a group of its own).
 * @throws InvalidInputError for unequal lengths or when no face has a label.
 */
export function scoreLabelledGrouping(labels: ArrayLike<string | undefined>, groups: ArrayLike<string | number>): LabelledGroupingScores {
  if (labels.length !== groups.length) throw new InvalidInputError(`labels (${labels.length}) and groups (${groups.length}) must have the same length`);
  const truth: string[] = [];
  const predicted: (string | number)[] = [];
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === undefined) continue;
    truth.push(label);
    predicted.push(groups[i] as string | number);
  }
  if (truth.length === 0) throw new InvalidInputError(`no face has a label (${labels.length} faces): nothing to score`);
  return {
    bcubed: bcubedScores(truth, predicted),
    pairwise: pairwiseScores(truth, predicted),
    faces: truth.length,
    people: new Set(truth).size,
    groups: new Set(predicted).size,
  };
}

/**
 * A person's correction of the grouping by person, as the store keeps it (one record each, in the order they
 * were made, so the latest can be undone). Plain and structured-cloneable like every record.
 */

/** What a correction says. */
export const CORRECTION_KINDS = ['not-person', 'move', 'not-face', 'merge', 'strictness'] as const;

/**
 * - `not-person`: face `faceId` is not the person `people[0]` (a cannot-link with that person's faces);
 * - `move`: face `faceId` belongs to person `people[0]` (a must-link), taken from `people[1]` when it had one;
 * - `not-face`: detection `faceId` is not a face: it leaves every view and grouping;
 * - `merge`: people `people[0]` (whose id and name are kept) and `people[1]` are one person;
 * - `strictness`: the grouping's same-person distance is the model's times `scale`.
 */
export type CorrectionKind = (typeof CORRECTION_KINDS)[number];

/** A person as they were just before the correction: enough to word it and to give them back on undo. */
export interface PersonSnapshot {
  id: string;
  name: string;
  createdAt: number;
  faceIds: string[];
}

/** One correction. */
export interface CorrectionRecord {
  /** Unique (random). */
  id: string;
  modelId: string;
  /** When it was made (epoch ms); corrections apply, and are undone, in this order. */
  createdAt: number;
  kind: CorrectionKind;
  /** The face corrected (`not-person`, `move`, `not-face`). */
  faceId?: string;
  /** The people involved, as they were before (see {@link CorrectionKind}). */
  people?: PersonSnapshot[];
  /** `strictness`: multiplier of the model's same-person distance (below 1: stricter, more people). */
  scale?: number;
}

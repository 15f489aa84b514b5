/**
 * Which face of a photo is its subject when it holds several: the largest (PROTOCOL.md's rule, right for most
 * photos) or the one at the centre (LFW's rule: its images are centred on the named person, and a larger face
 * behind them is someone else).
 */
import { InvalidInputError } from '../errors.ts';
import type { Box } from './image.ts';

/** The ways to choose a photo's subject. */
export const SUBJECTS = ['largest', 'centre'] as const;
/** One of {@link SUBJECTS}. */
export type Subject = (typeof SUBJECTS)[number];

/** Checks a subject rule. @throws InvalidInputError naming the accepted ones. */
export function assertSubject(value: unknown): asserts value is Subject {
  if (!(SUBJECTS as readonly unknown[]).includes(value)) {
    throw new InvalidInputError(`subject must be one of ${SUBJECTS.join(', ')}; got ${JSON.stringify(value)}`);
  }
}

/**
 * The subject among `faces` of an image of `size` (boxes in that image's pixels): 'largest' by box area;
 * 'centre' the face whose box centre is nearest the image centre (ties: the larger). Undefined for no faces.
 */
export function subjectFace<T extends { box: Box }>(faces: readonly T[], subject: Subject, size: { width: number; height: number }): T | undefined {
  assertSubject(subject);
  const area = (f: T) => f.box.width * f.box.height;
  if (subject === 'largest') {
    let best: T | undefined;
    for (const face of faces) if (!best || area(face) > area(best)) best = face;
    return best;
  }
  const cx = size.width / 2;
  const cy = size.height / 2;
  const off = (f: T) => Math.hypot(f.box.x + f.box.width / 2 - cx, f.box.y + f.box.height / 2 - cy);
  let best: T | undefined;
  for (const face of faces) {
    if (!best || off(face) < off(best) || (off(face) === off(best) && area(face) > area(best))) best = face;
  }
  return best;
}

/**
 * Why an import was refused, and the one way to refuse it: an InvalidInputError whose message starts
 * "Cannot import this file:" and whose `details.reason` is an {@link ImportFailure}.
 */
import { InvalidInputError } from '../errors.ts';

/** Why an import was refused: `InvalidInputError.details.reason`. */
export const ImportFailure = {
  Truncated: 'truncated',
  BadMagic: 'bad-magic',
  UnsupportedVersion: 'unsupported-version',
  AbsurdCount: 'absurd-count',
  ChecksumMismatch: 'checksum-mismatch',
  DifferentModel: 'different-model',
  WrongDimension: 'wrong-dimension',
  NonFinite: 'non-finite',
  /** The bytes do not follow the layout (bad lengths, trailing bytes, broken records section). */
  Malformed: 'malformed',
  /** A record has a wrong shape or refers to something the file does not hold. */
  InvalidRecord: 'invalid-record',
} as const;

/** The union of {@link ImportFailure} values. */
export type ImportFailure = (typeof ImportFailure)[keyof typeof ImportFailure];

/** Throws the refusal of an import. */
export function refuse(reason: ImportFailure, message: string, details: Record<string, unknown> = {}): never {
  throw new InvalidInputError(`Cannot import this file: ${message}`, { details: { reason, ...details } });
}

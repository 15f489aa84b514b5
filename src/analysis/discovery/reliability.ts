/**
 * How far stated confidence can be trusted: faces are binned by the confidence stated for the chosen
 * class, and within each bin the share actually right is set beside the mean confidence. The expected
 * calibration error (ECE) is the face-weighted mean gap between the two (0 = faces given p % are right
 * p % of the time).
 */
import { InvalidInputError } from '../../errors.ts';

/** One confidence bin. */
export interface ReliabilityBin {
  /** Confidence range [from, to) of the chosen class (0.5 to 1). */
  from: number;
  to: number;
  count: number;
  /** Mean stated confidence in the bin (NaN when empty). */
  meanConfidence: number;
  /** Share of the bin's faces whose chosen class is right (NaN when empty). */
  accuracy: number;
}

/** The reliability of a set of stated probabilities. */
export interface Reliability {
  faces: number;
  /** Share of faces whose more probable class is right. */
  accuracy: number;
  /** Expected calibration error: Σ count/faces × |accuracy − meanConfidence| over bins. */
  ece: number;
  bins: ReliabilityBin[];
}

/**
 * Reliability of P(class 1) against true classes.
 * @param probability P(class 1) per face, in [0, 1]. @param classes 0/1 per face. @param binCount bins over [0.5, 1]. Default 5.
 * @throws InvalidInputError for mismatched lengths, no faces or a probability outside [0, 1].
 */
export function reliabilityOf(probability: ArrayLike<number>, classes: ArrayLike<number>, binCount = 5): Reliability {
  const n = probability.length;
  if (n === 0 || classes.length !== n) throw new InvalidInputError(`reliability needs one class per probability and at least one face; got ${n} probabilities, ${classes.length} classes`);
  const bins = Array.from({ length: binCount }, (_, b) => ({ from: 0.5 + (0.5 * b) / binCount, to: 0.5 + (0.5 * (b + 1)) / binCount, count: 0, sumConfidence: 0, right: 0 }));
  let right = 0;
  for (let i = 0; i < n; i++) {
    const p = probability[i] as number;
    if (!(p >= 0 && p <= 1)) throw new InvalidInputError(`probability[${i}] is ${p}; expected a number in [0, 1]`);
    const chosen = p >= 0.5 ? 1 : 0;
    const confidence = chosen ? p : 1 - p;
    const ok = chosen === classes[i] ? 1 : 0;
    right += ok;
    const bin = bins[Math.min(binCount - 1, Math.floor(((confidence - 0.5) / 0.5) * binCount))]!;
    bin.count++;
    bin.sumConfidence += confidence;
    bin.right += ok;
  }
  let ece = 0;
  const out = bins.map((b): ReliabilityBin => {
    const meanConfidence = b.count ? b.sumConfidence / b.count : Number.NaN;
    const accuracy = b.count ? b.right / b.count : Number.NaN;
    if (b.count) ece += (b.count / n) * Math.abs(accuracy - meanConfidence);
    return { from: b.from, to: b.to, count: b.count, meanConfidence, accuracy };
  });
  return { faces: n, accuracy: right / n, ece, bins: out };
}

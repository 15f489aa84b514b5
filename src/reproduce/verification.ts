/**
 * Face verification in the standard LFW protocol: parsing `pairs.txt` and 10-fold accuracy, where each
 * fold's distance threshold is chosen on the other nine folds and tested on the held-out one.
 */
import { InvalidInputError } from '../errors.ts';

/** One pair from pairs.txt: the same person twice, or two different people. */
export interface VerificationPair {
  fold: number;
  same: boolean;
  nameA: string;
  indexA: number;
  nameB: string;
  indexB: number;
  /** 1-based line number in the pairs file, for messages. */
  line: number;
}

/** A parsed pairs file. */
export interface PairsFile {
  folds: number;
  pairsPerFold: number;
  pairs: VerificationPair[];
}

/**
 * Parses LFW's pairs.txt: a first line "folds pairsPerFold" (or just "pairsPerFold" for a single fold, as in
 * pairsDevTest.txt), then per fold `pairsPerFold` same-person lines `name n1 n2` followed by `pairsPerFold`
 * different-person lines `name1 n1 name2 n2`.
 * @throws InvalidInputError naming the line number of the first malformed line.
 */
export function parsePairs(text: string, fileName = 'pairs.txt'): PairsFile {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const bad = (line: number, why: string) => new InvalidInputError(`${fileName}:${line}: ${why}`);
  const header = (lines[0] ?? '').trim().split(/\s+/);
  const numbers = header.map(Number);
  if (header.length < 1 || header.length > 2 || numbers.some((n) => !Number.isInteger(n) || n < 1)) {
    throw bad(1, `the first line must be "folds pairsPerFold" (positive integers); got "${lines[0] ?? ''}"`);
  }
  const [folds, pairsPerFold] = numbers.length === 2 ? [numbers[0]!, numbers[1]!] : [1, numbers[0]!];
  const expected = 1 + folds * pairsPerFold * 2;
  if (lines.length !== expected) {
    throw bad(Math.min(lines.length, expected) + (lines.length < expected ? 1 : 0),
      `expected ${folds} folds × ${pairsPerFold} same + ${pairsPerFold} different pairs = ${expected - 1} pair lines; found ${lines.length - 1}`);
  }
  const index = (s: string, line: number) => {
    const n = Number(s);
    if (!/^\d+$/.test(s) || n < 1) throw bad(line, `image number must be a positive integer; got "${s}"`);
    return n;
  };
  const pairs: VerificationPair[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    const fold = Math.floor((i - 1) / (2 * pairsPerFold));
    const same = (i - 1) % (2 * pairsPerFold) < pairsPerFold;
    const parts = lines[i]!.trim().split(/\s+/);
    if (same) {
      if (parts.length !== 3) throw bad(line, `a same-person line is "name n1 n2"; got "${lines[i]}"`);
      pairs.push({ fold, same, nameA: parts[0]!, indexA: index(parts[1]!, line), nameB: parts[0]!, indexB: index(parts[2]!, line), line });
    } else {
      if (parts.length !== 4) throw bad(line, `a different-person line is "name1 n1 name2 n2"; got "${lines[i]}"`);
      pairs.push({ fold, same, nameA: parts[0]!, indexA: index(parts[1]!, line), nameB: parts[2]!, indexB: index(parts[3]!, line), line });
    }
  }
  return { folds, pairsPerFold, pairs };
}

/** LFW's image path for a person and number: `<name>/<name>_NNNN.jpg`. */
export function lfwImagePath(name: string, index: number): string {
  return `${name}/${name}_${String(index).padStart(4, '0')}.jpg`;
}

/** The outcome of k-fold verification. */
export interface VerificationResult {
  /** Mean accuracy over folds, 0–1. */
  accuracy: number;
  /** Standard deviation of the fold accuracies (population, as LFW reports). */
  std: number;
  /** Accuracy per fold. */
  foldAccuracies: number[];
  /** Threshold chosen for each fold (on the other folds). */
  thresholds: number[];
  /** Pairs scored (both faces embedded) and pairs given. */
  scored: number;
  total: number;
}

/**
 * Accuracy of "same when distance ≤ threshold" on `test`, and the best threshold on `train`.
 * Candidate thresholds are midpoints between consecutive sorted training distances.
 */
export function bestThreshold(train: { distance: number; same: boolean }[]): number {
  if (train.length === 0) throw new InvalidInputError('cannot choose a threshold from zero pairs');
  const sorted = [...train].sort((a, b) => a.distance - b.distance);
  // Sweep: start with everything "different"; each step moves one pair to "same".
  let correct = sorted.filter((p) => !p.same).length;
  let best = correct;
  let threshold = sorted[0]!.distance - 1e-6;
  for (let i = 0; i < sorted.length; i++) {
    correct += sorted[i]!.same ? 1 : -1;
    const next = sorted[i + 1];
    if (next && next.distance === sorted[i]!.distance) continue;
    if (correct > best) {
      best = correct;
      threshold = next ? (sorted[i]!.distance + next.distance) / 2 : sorted[i]!.distance + 1e-6;
    }
  }
  return threshold;
}

/**
 * k-fold verification accuracy: for each fold, the threshold is fitted on the other folds' pairs and
 * tested on this fold's. Pairs whose distance is undefined (a face was not found) count as wrong in the
 * test fold (the honest choice) and are left out of threshold fitting.
 */
export function verificationAccuracy(
  pairs: readonly VerificationPair[],
  distances: readonly (number | undefined)[],
  folds: number,
): VerificationResult {
  if (pairs.length !== distances.length) {
    throw new InvalidInputError(`got ${distances.length} distances for ${pairs.length} pairs`);
  }
  const foldAccuracies: number[] = [];
  const thresholds: number[] = [];
  for (let f = 0; f < folds; f++) {
    const train: { distance: number; same: boolean }[] = [];
    pairs.forEach((p, i) => {
      const d = distances[i];
      if (p.fold !== f && d !== undefined) train.push({ distance: d, same: p.same });
    });
    const threshold = bestThreshold(train);
    let correct = 0;
    let count = 0;
    pairs.forEach((p, i) => {
      if (p.fold !== f) return;
      count++;
      const d = distances[i];
      if (d !== undefined && (d <= threshold) === p.same) correct++;
    });
    thresholds.push(threshold);
    foldAccuracies.push(count ? correct / count : 0);
  }
  const accuracy = foldAccuracies.reduce((s, a) => s + a, 0) / folds;
  const std = Math.sqrt(foldAccuracies.reduce((s, a) => s + (a - accuracy) ** 2, 0) / folds);
  return {
    accuracy,
    std,
    foldAccuracies,
    thresholds,
    scored: distances.filter((d) => d !== undefined).length,
    total: pairs.length,
  };
}

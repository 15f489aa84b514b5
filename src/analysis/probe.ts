/**
 * The linear probe: the supervised ceiling beside the unsupervised figure. L2-regularised logistic
 * regression (C = 1) on features standardised per dimension with mean and variance fitted on the
 * training folds only, scored by stratified k-fold cross-validation.
 */
import { InvalidInputError } from '../errors.ts';
import type { Kernel } from '../kernel/types.ts';
import { fitLogistic, predictClass } from './logistic.ts';
import { checkBinaryClasses, checkMatrix, selectRows } from './matrix.ts';
import { createRng, shuffleInPlace } from './rng.ts';

/**
 * Stratified fold of every item: each class's items are shuffled and dealt round-robin, with the
 * dealing continuing across classes, so fold sizes and per-class counts each differ by at most one.
 * @param classes labels (any non-negative integers). @param k folds, ≥ 2. @param seed shuffles.
 * @returns fold index in [0, k) per item.
 * @throws InvalidInputError when k < 2 or k exceeds the number of items.
 */
export function stratifiedFolds(classes: ArrayLike<number>, k: number, seed: number): Int32Array {
  const n = classes.length;
  if (!Number.isInteger(k) || k < 2 || k > n) throw new InvalidInputError(`folds must be an integer in [2, ${n}] (items), got ${k}`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = classes[i] as number;
    const list = byClass.get(c);
    if (list) list.push(i);
    else byClass.set(c, [i]);
  }
  const rng = createRng(seed);
  const folds = new Int32Array(n);
  let dealt = 0;
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    for (const i of shuffleInPlace(byClass.get(c) as number[], rng)) folds[i] = dealt++ % k;
  }
  return folds;
}

/** Options for {@link linearProbe}. */
export interface LinearProbeOptions {
  /** Requested folds (default 5); lowered to the smaller class's size when that is smaller. */
  folds?: number;
  /** Inverse regularisation strength (default 1). */
  c?: number;
  /** Seed of the fold assignment (default 0). */
  seed?: number;
}

/** Cross-validated accuracy of the probe. */
export interface LinearProbeResult {
  /** Mean of the per-fold accuracies, in [0, 1]. */
  accuracy: number;
  foldAccuracies: number[];
  /** Folds actually used. */
  folds: number;
}

/**
 * Stratified k-fold accuracy of logistic regression on standardised features.
 * @param kernel provides the standardisation. @param data n × d. @param classes 0/1 per row.
 * @throws InvalidInputError for a bad shape or labels, or fewer than 2 items in either class.
 */
export function linearProbe(kernel: Kernel, data: Float32Array, d: number, classes: ArrayLike<number>, options: LinearProbeOptions = {}): LinearProbeResult {
  const n = checkMatrix(data, d, 'probe features');
  const counts = checkBinaryClasses(classes, n);
  const smaller = Math.min(counts[0], counts[1]);
  if (smaller < 2) throw new InvalidInputError(`the linear probe needs at least 2 items per class, got ${counts[0]} of class 0 and ${counts[1]} of class 1`);
  const k = Math.min(options.folds ?? 5, smaller);
  const folds = stratifiedFolds(classes, k, options.seed ?? 0);
  const foldAccuracies: number[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (folds[i] === f ? test : train).push(i);
    const trainX = selectRows(data, d, train);
    const stats = kernel.meanVariance(trainX, d);
    const model = fitLogistic(kernel.standardize(trainX, d, stats), d, train.map((i) => classes[i] as number), { c: options.c ?? 1, kernel });
    const predicted = predictClass(model, kernel.standardize(selectRows(data, d, test), d, stats), d);
    let correct = 0;
    test.forEach((i, r) => { if (predicted[r] === classes[i]) correct++; });
    foldAccuracies.push(correct / test.length);
  }
  return { accuracy: foldAccuracies.reduce((a, b) => a + b, 0) / k, foldAccuracies, folds: k };
}

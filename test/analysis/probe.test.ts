import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linearProbe, stratifiedFolds } from '../../src/analysis/probe.ts';
import { fitLogistic, predictClass } from '../../src/analysis/logistic.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { plantedAttribute, testKernel } from './helpers.ts';

describe('stratified folds', () => {
  it('keeps fold sizes and per-class counts within one of each other', () => {
    const classes = [...new Array<number>(23).fill(0), ...new Array<number>(12).fill(1)];
    const folds = stratifiedFolds(classes, 5, 3);
    for (const cls of [0, 1]) {
      const perFold = [0, 1, 2, 3, 4].map((f) => classes.filter((c, i) => c === cls && folds[i] === f).length);
      assert.ok(Math.max(...perFold) - Math.min(...perFold) <= 1, `class ${cls}: ${perFold}`);
    }
    const sizes = [0, 1, 2, 3, 4].map((f) => [...folds].filter((x) => x === f).length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, String(sizes));
    assert.deepEqual(stratifiedFolds(classes, 5, 3), folds);
    assert.notDeepEqual(stratifiedFolds(classes, 5, 4), folds);
    assert.throws(() => stratifiedFolds([0, 1], 3, 0), InvalidInputError);
  });
});

describe('linear probe', () => {
  it('reaches near 1 on a strong planted attribute and near 0.5 without one', () => {
    const kernel = testKernel();
    const strong = plantedAttribute({ n0: 100, n1: 100, d: 32, shift: 4, seed: 1 });
    assert.ok(linearProbe(kernel, strong.data, 32, strong.classes).accuracy > 0.95);
    const none = plantedAttribute({ n0: 100, n1: 100, d: 32, shift: 0, seed: 2 });
    const chance = linearProbe(kernel, none.data, 32, none.classes).accuracy;
    assert.ok(chance > 0.35 && chance < 0.65, String(chance));
  });

  it('scales with training-fold statistics only: equals a hand-rolled cross-validation, not a leaky one', () => {
    const kernel = testKernel();
    const d = 6;
    const planted = plantedAttribute({ n0: 14, n1: 11, d, shift: 1.5, seed: 4 });
    const { classes } = planted;
    const folds = stratifiedFolds(classes, 5, 2);
    const n = classes.length;
    // An extreme row in fold 0: statistics that include that fold's test rows (a leak) squash every
    // dimension of fold 0's training rows, so the leaky fold-0 accuracy differs from the honest one.
    const data = Float32Array.from(planted.data);
    const extreme = [...Array(n).keys()].find((i) => folds[i] === 0)!;
    for (let j = 0; j < d; j++) data[extreme * d + j] = (j % 2 === 0 ? 1 : -1) * 1e3;
    const result = linearProbe(kernel, data, d, classes, { folds: 5, seed: 2 });
    const crossValidate = (statsRows: (train: number[], test: number[]) => number[]): number[] => [0, 1, 2, 3, 4].map((f) => {
      const train = [...Array(n).keys()].filter((i) => folds[i] !== f);
      const test = [...Array(n).keys()].filter((i) => folds[i] === f);
      const rows = statsRows(train, test);
      // Population mean and variance of the statistics' rows, in float64.
      const mean = [...Array(d).keys()].map((j) => rows.reduce((a, i) => a + data[i * d + j]!, 0) / rows.length);
      const sd = [...Array(d).keys()].map((j) => Math.sqrt(rows.reduce((a, i) => a + (data[i * d + j]! - mean[j]!) ** 2, 0) / rows.length));
      const scale = (some: number[]): Float32Array => Float32Array.from(some.flatMap((i) => [...Array(d).keys()].map((j) => (data[i * d + j]! - mean[j]!) / sd[j]!)));
      const model = fitLogistic(scale(train), d, train.map((i) => classes[i]!));
      const predicted = predictClass(model, scale(test), d);
      return test.filter((i, r) => predicted[r] === classes[i]).length / test.length;
    });
    const expected = crossValidate((train) => train);
    const leaky = crossValidate((train, test) => [...train, ...test]);
    assert.notDeepEqual(leaky, expected, 'the planted rows tell a leaky standardisation apart');
    assert.deepEqual(result.foldAccuracies, expected);
    assert.equal(result.accuracy, expected.reduce((a, b) => a + b, 0) / 5);
  });

  it('lowers the folds to the smaller class and needs two rows per class', () => {
    const kernel = testKernel();
    const { data, classes } = plantedAttribute({ n0: 3, n1: 7, d: 8, shift: 3, seed: 4 });
    assert.equal(linearProbe(kernel, data, 8, classes, { folds: 5 }).folds, 3);
    assert.throws(() => linearProbe(kernel, data.subarray(0, 8 * 8), 8, classes.slice(0, 8)), InvalidInputError);
  });
});

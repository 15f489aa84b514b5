import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fisherScores, rankDimensions, splitHalfFisherCurve, topMValues } from '../../src/analysis/fisher.ts';
import { pick, selectColumns, selectRows } from '../../src/analysis/matrix.ts';
import { clusterAccuracy } from '../../src/analysis/metrics.ts';
import { stratifiedFolds } from '../../src/analysis/probe.ts';
import { deriveSeed } from '../../src/analysis/rng.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { gaussian, testKernel } from './helpers.ts';
import { createRng } from '../../src/analysis/rng.ts';

const close = (actual: number, expected: number, tol = 1e-12): void => assert.ok(Math.abs(actual - expected) <= tol, `${actual} ≠ ${expected}`);

describe('Fisher score', () => {
  it('is between-class over within-class variance (hand-computed)', () => {
    // Dimension 0: class 0 = {0, 2}, class 1 = {4, 6}: means 1, 5, overall 3 →
    //   between = 2·4 + 2·4 = 16, within = (1 + 1) + (1 + 1) = 4 → 4.
    // Dimension 1: class 0 = {1, 3}, class 1 = {1, 3}: between 0 → 0.
    // Dimension 2: class 0 = {1, 1}, class 1 = {2, 2}: within 0, between > 0 → ∞.
    // Dimension 3: constant → 0.
    const data = Float32Array.from([0, 1, 1, 7, 2, 3, 1, 7, 4, 1, 2, 7, 6, 3, 2, 7]);
    const scores = fisherScores(data, 4, [0, 0, 1, 1]);
    close(scores[0]!, 4);
    close(scores[1]!, 0);
    assert.equal(scores[2], Infinity);
    close(scores[3]!, 0);
    assert.deepEqual(rankDimensions(scores), [2, 0, 1, 3]);
  });

  it('handles unequal class sizes and more than two classes', () => {
    // One dimension, classes {−1, 1}, {3}, {6, 6, 6}: means 0, 3, 6, overall 21/6 = 3.5;
    // between = 2·3.5² + 1·0.5² + 3·2.5² = 24.5 + 0.25 + 18.75 = 43.5; within = 1 + 1 = 2 → 21.75.
    const scores = fisherScores(Float32Array.from([-1, 1, 3, 6, 6, 6]), 1, [0, 0, 1, 2, 2, 2]);
    close(scores[0]!, 21.75);
  });

  it('lists PROTOCOL.md\'s m values', () => {
    assert.deepEqual(topMValues(128), [1, 2, 4, 8, 16, 32, 64, 128]);
    assert.deepEqual(topMValues(100), [1, 2, 4, 8, 16, 32, 64, 100]);
    assert.deepEqual(topMValues(1), [1]);
  });
});

describe('split-half top-m curve', () => {
  it('finds the few informative dimensions; the shuffled-label baseline does not', () => {
    // 120 rows, d = 32: dimensions 5 and 17 carry the class (±1.5 with unit noise); the rest are noise
    // with variance 4, so all-dimension k-means is near chance while the top dimensions separate.
    const rng = createRng(8);
    const n = 120;
    const d = 32;
    const classes = Array.from({ length: n }, (_, i) => i % 2);
    const data = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) data[i * d + j] = (j === 5 || j === 17 ? (classes[i] ? 1.5 : -1.5) + gaussian(rng) : 2 * gaussian(rng));
    }
    const curve = splitHalfFisherCurve(testKernel(), data, d, classes, { seed: 1 });
    assert.deepEqual(curve.ranking.slice(0, 2).sort((a, b) => a - b), [5, 17]);
    assert.deepEqual(Object.keys(curve.topM), ['1', '2', '4', '8', '16', '32']);
    assert.ok(curve.topM['2']! > 0.85, `top-2 accuracy ${curve.topM['2']}`);
    assert.ok(curve.topM['32']! < 0.75, `all-dimension accuracy ${curve.topM['32']}`);
    assert.ok(curve.shuffled['2']! < 0.75, `shuffled top-2 accuracy ${curve.shuffled['2']}`);
    // The full-dimension point does not depend on the ranking.
    assert.equal(curve.topM['32'], curve.shuffled['32']);
    assert.deepEqual(splitHalfFisherCurve(testKernel(), data, d, classes, { seed: 1 }), curve);
  });

  it('ranks on one half and scores on the other: on pure noise the curve stays at its shuffled baseline', () => {
    // Pure noise: no dimension carries the class. Ranked on the half that is scored, the top dimensions are the
    // ones that happen to split that half's labels, and the curve climbs above the baseline (selection bias);
    // ranked on the other half, they are as good as any, and the curve matches the shuffled-label baseline.
    const n = 40;
    const d = 64;
    const ms = [1, 2, 4];
    const seeds = Array.from({ length: 20 }, (_, i) => i);
    const kernel = testKernel();
    const classes = Array.from({ length: n }, (_, i) => i % 2);
    let honest = 0;
    let baseline = 0;
    let leaky = 0;
    for (const seed of seeds) {
      const rng = createRng(100 + seed);
      const data = Float32Array.from({ length: n * d }, () => gaussian(rng));
      const curve = splitHalfFisherCurve(kernel, data, d, classes, { seed, ms });
      // The leaky oracle: the same halves and k-means, but the dimensions ranked on the scored half.
      const halves = stratifiedFolds(classes, 2, deriveSeed(seed, 'fisher-split'));
      const second = [...Array(n).keys()].filter((i) => halves[i] === 1);
      const secondX = selectRows(data, d, second);
      const secondY = pick(classes, second);
      const ranking = rankDimensions(fisherScores(secondX, d, secondY));
      for (const m of ms) {
        const { labels } = kernel.kmeans(selectColumns(secondX, d, ranking.slice(0, m)), m, { k: 2, seed: deriveSeed(seed, 'fisher-kmeans'), restarts: 10 });
        leaky += clusterAccuracy(secondY, labels);
        honest += curve.topM[String(m)]!;
        baseline += curve.shuffled[String(m)]!;
      }
    }
    const runs = seeds.length * ms.length;
    [honest, baseline, leaky] = [honest / runs, baseline / runs, leaky / runs];
    assert.ok(leaky - baseline > 0.1, `the leaky oracle climbs above the baseline on this data: ${leaky.toFixed(3)} vs ${baseline.toFixed(3)}`);
    assert.ok(Math.abs(honest - baseline) < 0.06, `the curve stays at its shuffled baseline: ${honest.toFixed(3)} vs ${baseline.toFixed(3)}`);
  });

  it('rejects too few rows per class and m outside [1, d]', () => {
    const data = Float32Array.from([0, 1, 2, 3, 4, 5]);
    assert.throws(() => splitHalfFisherCurve(testKernel(), data, 1, [0, 0, 0, 0, 0, 1]), InvalidInputError);
    assert.throws(() => splitHalfFisherCurve(testKernel(), data, 1, [0, 0, 0, 1, 1, 1], { ms: [2] }), InvalidInputError);
  });
});

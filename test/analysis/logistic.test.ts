import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fitLogistic, predictClass, predictProbability, sigmoid } from '../../src/analysis/logistic.ts';
import { createRng } from '../../src/analysis/rng.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { testKernel } from './helpers.ts';

const close = (actual: number, expected: number, tol: number): void => assert.ok(Math.abs(actual - expected) <= tol, `${actual} ≠ ${expected} (±${tol})`);

describe('logistic regression (L2, C = 1, intercept not penalised)', () => {
  it('solves a separable 1-D toy set: w from the stationarity equation, b = 0 by symmetry', () => {
    // x = −2, −1, 1, 2 with y = 0, 0, 1, 1. By symmetry b = 0; ∂/∂w of ½w² + 2·softplus(−w) + 2·softplus(−2w) = 0
    // reads w = 2σ(−w) + 4σ(−2w). Solve that scalar equation independently by bisection.
    const g = (w: number): number => w - 2 * sigmoid(-w) - 4 * sigmoid(-2 * w);
    let lo = 0;
    let hi = 10;
    for (let i = 0; i < 200; i++) { const mid = (lo + hi) / 2; if (g(mid) > 0) hi = mid; else lo = mid; }
    const fit = fitLogistic(Float32Array.from([-2, -1, 1, 2]), 1, [0, 0, 1, 1]);
    assert.ok(fit.converged);
    close(fit.weights[0]!, lo, 1e-9);
    close(lo, 1.0065943148735639, 1e-12); // scipy.optimize.brentq on the same equation
    close(fit.intercept, 0, 1e-9);
    assert.deepEqual([...predictClass(fit, Float32Array.from([-3, 0.5]), 1)], [0, 1]);
  });

  it('matches scipy.optimize.minimize (BFGS, gtol 1e-12) on a non-separable 2-D set', () => {
    const x = Float32Array.from([0.5, 1.0, 1.5, -0.5, -1.0, 0.3, 2.0, 2.0, -0.7, -1.2, 0.2, 0.1, 1.1, 0.9, -1.5, 0.8]);
    const y = [1, 0, 0, 1, 0, 1, 1, 0];
    const fit = fitLogistic(x, 2, y);
    const viaKernel = fitLogistic(x, 2, y, { kernel: testKernel() });
    assert.ok(Math.abs(viaKernel.objective - fit.objective) < 1e-12 && Math.abs(viaKernel.weights[0]! - fit.weights[0]!) < 1e-9);
    // Reference from scipy 1.17 on the float64 values of these inputs; float32 storage moves them by < 1e-7.
    close(fit.weights[0]!, 0.70488897, 1e-6);
    close(fit.weights[1]!, 0.84854692, 1e-6);
    close(fit.intercept, -0.49580757, 1e-6);
    close(fit.objective, 3.7866811275944414, 1e-6);
  });

  it('meets the optimality conditions on random data: w = C·Σ(y − p)x and Σ(y − p) = 0', () => {
    const rng = createRng(11);
    const n = 300;
    const d = 20;
    const x = Float32Array.from({ length: n * d }, () => rng.next() * 2 - 1);
    const y = Array.from({ length: n }, (_, i) => ((x[i * d]! + 0.5 * x[i * d + 1]! + (rng.next() - 0.5)) > 0 ? 1 : 0));
    // Both Hessian paths: the float64 loop and the kernel's float32 Gram product.
    for (const [c, kernel] of [0.1, 1, 10].flatMap((c) => [[c, undefined], [c, testKernel()]] as const)) {
      const fit = fitLogistic(x, d, y, { c, ...(kernel ? { kernel } : {}) });
      assert.ok(fit.converged && fit.iterations < 30, `C=${c}, ${kernel ? 'kernel' : 'float64'}: ${fit.iterations} iterations`);
      const p = predictProbability(fit, x, d);
      let biasGrad = 0;
      const grad = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        const r = y[i]! - p[i]!;
        biasGrad += r;
        for (let j = 0; j < d; j++) grad[j]! += c * r * x[i * d + j]!;
      }
      // The solver stops when every gradient entry is ≤ 1e-10·C·n.
      close(biasGrad, 0, 1e-9 * n);
      for (let j = 0; j < d; j++) close(fit.weights[j]!, grad[j]!, 1e-9 * c * n);
    }
  });

  it('rejects bad labels, shapes and C', () => {
    assert.throws(() => fitLogistic(Float32Array.from([1, 2]), 1, [0, 2]), InvalidInputError);
    assert.throws(() => fitLogistic(Float32Array.from([1, 2, 3]), 2, [0, 1]), InvalidInputError);
    assert.throws(() => fitLogistic(Float32Array.from([1, 2]), 1, [0, 1], { c: 0 }), InvalidInputError);
    assert.throws(() => fitLogistic(Float32Array.from([1, Number.NaN]), 1, [0, 1]), InvalidInputError);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { discoverSplits } from '../../src/analysis/discovery/discover.ts';
import { buildViews } from '../../src/analysis/discovery/views.ts';
import { measurementTable, type MeasurableFace } from '../../src/analysis/discovery/measurements.ts';
import { guidedLabellings } from '../../src/analysis/discovery/guided.ts';
import { Rng } from '../../src/kernel/rng.ts';
import { testKernel } from './helpers.ts';
import { normal, unitVector } from './discovery-helpers.ts';

const kernel = testKernel();

/**
 * 20 people × 12 faces in 32-D. Within each person: a strong unmeasured direction (a ±0.6 two-way
 * shift, what PCA finds first), a weaker head turn carried along another direction (yaw ±20° moves
 * faces ±0.25), noise 0.08. Brightness is measured but carried by nothing.
 */
function planted(seed: number) {
  const rng = new Rng(seed);
  const d = 32;
  const strong = unitVector(rng, d);
  const turn = unitVector(rng, d);
  const vectors = new Float32Array(20 * 12 * d);
  const persons: number[] = [];
  const faces: MeasurableFace[] = [];
  let row = 0;
  for (let p = 0; p < 20; p++) {
    const centre = unitVector(rng, d);
    for (let f = 0; f < 12; f++) {
      const s = rng.nextFloat() < 0.5 ? -0.3 : 0.3;
      const yaw = 40 * (rng.nextFloat() - 0.5);
      for (let j = 0; j < d; j++) vectors[row * d + j] = (centre[j] as number) + s * (strong[j] as number) + (yaw / 80) * (turn[j] as number) + 0.08 * normal(rng);
      persons.push(p);
      faces.push({ box: { x: 0, y: 0, width: 100, height: 100 }, foundBy: 'detected', measures: { yaw, pitch: 0, roll: 0, brightness: 120 + 30 * normal(rng), contrast: 40, sharpness: 10 } });
      row++;
    }
  }
  return { vectors, d, persons, faces };
}

describe('splits guided by a measurement', () => {
  it('finds the embedding\'s own direction for a measurement it carries, and names it by that measurement', async () => {
    const { vectors, d, persons, faces } = planted(7);
    const views = buildViews(kernel, vectors, d, { persons });
    const found = await discoverSplits(kernel, views.within!, { seed: 1, measurements: measurementTable(faces) });
    const yaw = found.splits.find((s) => s.id === 'measure-yaw');
    assert.ok(yaw, `the head-turn direction is a candidate (${found.splits.map((s) => s.id).join(', ')})`);
    assert.equal(yaw.method, 'measure-direction');
    assert.match(yaw.methodLabel, /own direction for head turn \(yaw\)/);
    assert.ok(yaw.description?.described, 'it is described');
    assert.match(yaw.description!.text, /head turn \(yaw\)|turned/);
    assert.ok(yaw.stability > 0.5, `stable (${yaw.stability.toFixed(2)})`);
    const top = found.splits[0]!;
    assert.notEqual(top.description?.best?.key, 'brightness', 'brightness, carried by nothing, describes no split first');
  });

  it('never splits by a measurement the embedding does not carry: each point\'s side comes from a fit without its own value', () => {
    // 60 points of pure noise in 32-D, and a measurement of pure noise: a fit that saw each point's own value
    // splits by it all the same (shown by handing every row over five times, so each fold trains on the row).
    const d = 32;
    const n = 60;
    for (const seed of [3, 4, 5, 6]) {
      const rng = new Rng(seed);
      const x = Float32Array.from({ length: n * d }, () => normal(rng));
      const y = Float64Array.from({ length: n }, () => normal(rng));
      const gap = (sides: Int32Array) => {
        let high = 0, low = 0, count = 0;
        for (let i = 0; i < n; i++) {
          if (sides[i]) { high += y[i] as number; count++; } else low += y[i] as number;
        }
        return high / count - low / (n - count);
      };
      const guide = [{ key: 'noise', label: 'noise', values: y }];
      const honest = gap(guidedLabellings(x, d, Int32Array.from({ length: n }, (_, i) => i), guide)![0]!);
      const leaky = gap(guidedLabellings(x, d, Int32Array.from({ length: 5 * (n + 1) }, (_, i) => (i % (n + 1)) % n), guide)![0]!);
      assert.ok(Math.abs(honest) < 0.75, `seed ${seed}: the sides differ by ${honest.toFixed(2)} sd of the noise (chance)`);
      assert.ok(leaky > 0.75, `seed ${seed}: a fit that sees the point's own value splits by it (${leaky.toFixed(2)} sd)`);
    }
  });
});

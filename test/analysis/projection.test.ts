/**
 * The map's projection: the neighbour-keeping scores on planted data (a map that keeps the plane the points lie
 * on scores 1; a random map does not), UMAP on separated clusters (on both kernels, seeded, cancellable, from 4
 * points up), the fitted curve, the fuzzy graph, and placing new faces near their twins.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { neighbourScores } from '../../src/analysis/projection/neighbour-scores.ts';
import { placePoints } from '../../src/analysis/projection/place-points.ts';
import { fitCurve, fuzzyGraph, projectUmap } from '../../src/analysis/projection/umap-projection.ts';
import { PROJECTION_METHOD } from '../../src/analysis/projection/projection-method.ts';
import { referenceKernel } from '../../src/kernel/index.ts';
import { referenceUmapKernel } from '../../src/kernel/umap-kernel.ts';
import { createRng } from '../../src/analysis/rng.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { gaussianClusters } from './helpers.ts';

/** n points on a random 2-D plane inside d dimensions: their plane coordinates and the embedded vectors. */
function plane(n: number, d: number, seed: number): { coords: Float32Array; vectors: Float32Array } {
  const rng = createRng(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  // An orthonormal pair, so distances on the plane are distances in the d dimensions.
  const u = Float32Array.from({ length: d }, gauss);
  const v = Float32Array.from({ length: d }, gauss);
  const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * (b[i] as number), 0);
  const uu = Math.sqrt(dot(u, u));
  u.forEach((x, i) => { u[i] = x / uu; });
  const uv = dot(u, v);
  v.forEach((x, i) => { v[i] = x - uv * (u[i] as number); });
  const vv = Math.sqrt(dot(v, v));
  v.forEach((x, i) => { v[i] = x / vv; });
  const coords = Float32Array.from({ length: n * 2 }, () => rng.next() * 10);
  const vectors = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) vectors[i * d + t] = (coords[i * 2] as number) * (u[t] as number) + (coords[i * 2 + 1] as number) * (v[t] as number);
  }
  return { coords, vectors };
}

describe('neighbourScores', () => {
  const { coords, vectors } = plane(400, 128, 1);

  it('scores a map that keeps every neighbour 1, and a random map far lower', () => {
    const kept = neighbourScores(vectors, 128, coords, 2, { k: 10 });
    assert.ok(kept.trustworthiness > 0.999, `trustworthiness ${kept.trustworthiness}`);
    assert.ok(kept.knnRecall > 0.99, `recall ${kept.knnRecall}`);
    const rng = createRng(2);
    const random = Float32Array.from({ length: 800 }, () => rng.next());
    const scored = neighbourScores(vectors, 128, random, 2, { k: 10 });
    assert.ok(scored.trustworthiness < 0.6, `a random map's trustworthiness is ${scored.trustworthiness}`);
    assert.ok(scored.knnRecall < 0.1, `a random map's recall is ${scored.knnRecall}`);
  });

  it('penalises two points swapped on the map, and agrees with a sample of query points', () => {
    const swapped = coords.slice();
    for (const [a, b] of [[0, 1], [2, 3], [4, 5]] as const) {
      swapped.set(coords.subarray(b * 2, b * 2 + 2), a * 2);
      swapped.set(coords.subarray(a * 2, a * 2 + 2), b * 2);
    }
    const full = neighbourScores(vectors, 128, swapped, 2, { k: 10 });
    assert.ok(full.trustworthiness < 1 && full.trustworthiness > 0.95, `${full.trustworthiness}`);
    const sampled = neighbourScores(vectors, 128, coords, 2, { k: 10, queries: 50, seed: 3 });
    assert.equal(sampled.queries, 50);
    assert.ok(sampled.trustworthiness > 0.999);
  });

  it('refuses shapes that do not match and k too large', () => {
    assert.throws(() => neighbourScores(vectors, 128, coords.subarray(2), 2), InvalidInputError);
    assert.throws(() => neighbourScores(vectors, 128, coords, 2, { k: 200 }), InvalidInputError);
  });
});

describe('projectUmap', () => {
  const { data, labels } = gaussianClusters({ k: 5, perCluster: 60, d: 32, spread: 0.05, seed: 4, unit: true });

  it('keeps the neighbours of points on a plane inside 128 dimensions', async () => {
    const { vectors } = plane(300, 128, 8);
    const map = await projectUmap(vectors, 128, { seed: 7, nEpochs: 150 });
    const scores = neighbourScores(vectors, 128, map, 2, { k: 10 });
    assert.ok(scores.trustworthiness > 0.95, `trustworthiness ${scores.trustworthiness}`);
  });

  it('keeps separated clusters apart, the same way for the same seed', async () => {
    const a = await projectUmap(data, 32, { seed: 7, nEpochs: 150 });
    const b = await projectUmap(data, 32, { seed: 7, nEpochs: 150 });
    assert.deepEqual(a, b);
    // Each point's nearest point on the map belongs to its own cluster.
    let same = 0;
    for (let i = 0; i < labels.length; i++) {
      let best = -1;
      let bestD = Infinity;
      for (let j = 0; j < labels.length; j++) {
        if (j === i) continue;
        const dd = ((a[i * 2] as number) - (a[j * 2] as number)) ** 2 + ((a[i * 2 + 1] as number) - (a[j * 2 + 1] as number)) ** 2;
        if (dd < bestD) { bestD = dd; best = j; }
      }
      if (labels[best] === labels[i]) same++;
    }
    assert.ok(same / labels.length > 0.95, `${same} of ${labels.length}`);
  });

  it('lays fewer than 4 points on a line and stops on abort', async () => {
    assert.deepEqual([...await projectUmap(data.subarray(0, 96), 32)], [0, 0, 1, 0, 2, 0]);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(projectUmap(data, 32, { signal: controller.signal }), { name: 'AbortError' });
    assert.throws(() => placePoints(data, new Float32Array(2), data, 32), InvalidInputError);
  });

  it('stops on an abort during the neighbour search or the layout, and reports both phases', async () => {
    for (const phase of ['neighbours', 'layout'] as const) {
      const controller = new AbortController();
      const seen = new Set<string>();
      await assert.rejects(projectUmap(data, 32, {
        nEpochs: 1_000_000,
        signal: controller.signal,
        onProgress: (p) => {
          seen.add(p.phase);
          if (p.phase === phase) controller.abort();
        },
      }), { name: 'AbortError' });
      assert.ok(seen.has(phase));
    }
  });

  it('the same seed gives the same map and another seed another, on the reference kernel too', async () => {
    const small = data.subarray(0, 120 * 32);
    const a = await projectUmap(small, 32, { seed: 1, nEpochs: 60, kernel: referenceKernel, umapKernel: referenceUmapKernel });
    assert.deepEqual(await projectUmap(small, 32, { seed: 1, nEpochs: 60, kernel: referenceKernel, umapKernel: referenceUmapKernel }), a);
    assert.notDeepEqual(await projectUmap(small, 32, { seed: 2, nEpochs: 60, kernel: referenceKernel, umapKernel: referenceUmapKernel }), a);
    // Two separated clusters of 60 stay apart on the reference kernel as on the WASM one.
    const mean = (from: number): [number, number] => {
      let x = 0;
      let y = 0;
      for (let i = from; i < from + 60; i++) { x += a[i * 2]! / 60; y += a[i * 2 + 1]! / 60; }
      return [x, y];
    };
    let inner = 0;
    for (const from of [0, 60]) {
      const [mx, my] = mean(from);
      for (let i = from; i < from + 60; i++) inner = Math.max(inner, Math.hypot(a[i * 2]! - mx, a[i * 2 + 1]! - my));
    }
    const [ax, ay] = mean(0);
    const [bx, by] = mean(60);
    assert.ok(Math.hypot(ax - bx, ay - by) > inner, 'the two clusters do not overlap');
  });

  it('maps 4 to 20 points, duplicates and a flat set to finite positions', async () => {
    for (const n of [4, 5, 7, 20]) {
      const map = await projectUmap(data.subarray(0, n * 32), 32, { seed: 3 });
      assert.equal(map.length, n * 2);
      assert.ok(map.every(Number.isFinite), `${n} points`);
    }
    const same = new Float32Array(30 * 8).fill(0.5);
    assert.ok((await projectUmap(same, 8)).every(Number.isFinite), 'identical points');
    const twins = new Float32Array(40 * 8).map((_, t) => Math.floor(t / 8) % 2);
    const map = await projectUmap(twins, 8);
    assert.ok(map.every(Number.isFinite), 'two points repeated');
    const bad = data.slice(0, 96 * 2);
    bad[7] = NaN;
    await assert.rejects(projectUmap(bad, 32), InvalidInputError);
  });

  it('is a new method for the map cache', () => {
    assert.doesNotMatch(PROJECTION_METHOD, /umap-js/);
  });
});

describe('UMAP pieces', () => {
  it('fits umap-learn\'s a and b for min_dist 0.1, spread 1', () => {
    const { a, b } = fitCurve(0.1);
    assert.ok(Math.abs(a - 1.577) < 0.01 && Math.abs(b - 0.895) < 0.005, `a ${a}, b ${b}`);
    const wide = fitCurve(0.5);
    assert.ok(wide.a < a, 'a larger min_dist flattens the curve near 0');
  });

  it('builds a symmetric fuzzy graph whose strongest edge is sampled every epoch', () => {
    // Three points: 0 and 1 close, 2 far; each lists the other two.
    const knn = {
      k: 2,
      indices: Int32Array.from([1, 2, 0, 2, 1, 0]),
      distances: Float32Array.from([1, 16, 1, 9, 9, 16]),
    };
    const g = fuzzyGraph(knn, 3, 3, 200);
    const edges = new Map<string, number>();
    for (let e = 0; e < g.head.length; e++) edges.set(`${g.head[e]}-${g.tail[e]}`, g.epochsPerSample[e]!);
    for (const [key, s] of edges) {
      const [h, t] = key.split('-');
      assert.equal(edges.get(`${t}-${h}`), s, `edge ${key} both ways with one weight`);
    }
    assert.equal(Math.min(...edges.values()), 1);
    assert.ok(edges.has('0-1'));
  });
});

describe('placePoints', () => {
  it('puts a twin on its twin and a new face among its own cluster', () => {
    const { data, labels } = gaussianClusters({ k: 3, perCluster: 40, d: 16, spread: 0.2, seed: 5, unit: true });
    // A map where cluster c sits around (10c, 0).
    const rng = createRng(6);
    const points = Float32Array.from({ length: labels.length * 2 }, (_, i) => (i % 2 === 0 ? 10 * (labels[i >> 1] as number) : 0) + rng.next());
    const twin = data.slice(17 * 16, 18 * 16);
    const placed = placePoints(data, points, twin, 16);
    assert.ok(Math.abs((placed[0] as number) - (points[34] as number)) < 0.05 && Math.abs((placed[1] as number) - (points[35] as number)) < 0.05);
    const fresh = gaussianClusters({ k: 3, perCluster: 5, d: 16, spread: 0.2, seed: 5, unit: true });
    const near = placePoints(data, points, fresh.data, 16);
    fresh.labels.forEach((c, i) => assert.ok(Math.abs((near[i * 2] as number) - 10 * c) < 3, `new face ${i} of cluster ${c} at ${near[i * 2]}`));
  });
});

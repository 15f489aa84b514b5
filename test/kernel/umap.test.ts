/**
 * The map's kernels (src/kernel/umap-kernel.ts: assembly/umap.ts and their reference twins): nearest neighbours through the inverted file
 * (exact with one list or every list probed, close to exact otherwise, the same in both backends), and UMAP's
 * layout epochs (seeded, cancellable, pulling linked points together, refusing a bad graph).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../helpers/datasets.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { loadKernel } from '../../src/kernel/index.ts';
import { Rng } from '../../src/kernel/rng.ts';
import { loadUmapKernel, referenceUmapKernel, type LayoutGraph, type UmapKernel } from '../../src/kernel/umap-kernel.ts';

const main = await loadKernel({ backend: 'wasm-simd' });
const wasm = await loadUmapKernel({ backend: 'wasm-simd' });
const backends: [string, UmapKernel][] = [['wasm-simd', wasm], ['js-reference', referenceUmapKernel]];

/** n rows of d: `groups` Gaussian clumps (spread 0.3 around unit-scale centres) — a clustered, face-like set. */
function clumps(n: number, d: number, groups: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const g = (): number => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
  const centres = Float32Array.from({ length: groups * d }, g);
  return Float32Array.from({ length: n * d }, (_, t) => centres[((Math.floor(t / d) % groups) * d) + (t % d)]! + 0.3 * g());
}

/** The exact k nearest other rows of each row (ties by index). */
function bruteForce(data: Float32Array, d: number, k: number): Int32Array[] {
  const n = data.length / d;
  return Array.from({ length: n }, (_, i) => {
    const dist = main.l2sqOneToMany(data.subarray(i * d, i * d + d), data, d);
    dist[i] = Infinity;
    return Int32Array.from(Array.from({ length: n }, (_, j) => j).sort((a, b) => dist[a]! - dist[b]! || a - b).slice(0, k));
  });
}

function recall(found: Int32Array, exact: Int32Array[], k: number): number {
  let hit = 0;
  exact.forEach((row, i) => {
    const got = new Set(found.subarray(i * k, i * k + k));
    for (const j of row) if (got.has(j)) hit++;
  });
  return hit / (exact.length * k);
}

describe('nearestNeighbours', () => {
  const d = 24;
  const data = clumps(600, d, 12, 1);
  const exact = bruteForce(data, d, 10);

  for (const [name, kernel] of backends) {
    it(`${name}: one list, or every list probed, is the exact search; distances ascend`, () => {
      for (const options of [{ k: 10 }, { k: 10, lists: 8, probes: 8 }]) {
        const r = kernel.nearestNeighbours(main, data, d, options);
        assert.equal(recall(r.indices, exact, 10), 1, JSON.stringify(options));
        for (let i = 0; i < 600; i++) {
          for (let q = 1; q < 10; q++) assert.ok(r.distances[i * 10 + q]! >= r.distances[i * 10 + q - 1]!);
          assert.ok(!r.indices.subarray(i * 10, i * 10 + 10).includes(i), `row ${i} lists itself`);
        }
      }
    });

    it(`${name}: few probes miss neighbours, and refinement finds most of them again`, () => {
      // Four broad clumps cut into 30 lists: a row's neighbours straddle lists.
      const noisy = clumps(800, d, 4, 2);
      const truth = bruteForce(noisy, d, 10);
      const bare = recall(kernel.nearestNeighbours(main, noisy, d, { k: 10, lists: 30, probes: 2, refinements: 0 }).indices, truth, 10);
      const refined = recall(kernel.nearestNeighbours(main, noisy, d, { k: 10, lists: 30, probes: 2, refinements: 2 }).indices, truth, 10);
      assert.ok(bare < 0.8, `two probes alone already find ${bare}`);
      assert.ok(refined > bare + 0.1 && refined > 0.85, `refined ${refined} against ${bare}`);
    });
  }

  it('gives the same neighbours in both backends', () => {
    const options = { k: 10, lists: 20, probes: 3, seed: 4 };
    const a = wasm.nearestNeighbours(main, data, d, options);
    const b = referenceUmapKernel.nearestNeighbours(main, data, d, options);
    assert.deepEqual(a.indices, b.indices);
    for (let t = 0; t < a.distances.length; t++) assert.ok(Math.abs(a.distances[t]! - b.distances[t]!) <= 1e-5 * b.distances[t]! + 1e-6);
  });

  it('refuses k out of range, NaN and a single row, naming the problem', () => {
    for (const [, kernel] of backends) {
      assert.throws(() => kernel.nearestNeighbours(main, data, d, { k: 600 }), /k = 600 is not accepted/);
      assert.throws(() => kernel.nearestNeighbours(main, data, d, { k: 0 }), InvalidInputError);
      const bad = data.slice();
      bad[30] = NaN;
      assert.throws(() => kernel.nearestNeighbours(main, bad, d, { k: 5 }), InvalidInputError);
      assert.throws(() => kernel.nearestNeighbours(main, data.subarray(0, d), d, { k: 1 }), InvalidInputError);
    }
  });
});

/** Two clumps of 40 points, each linked as a ring of neighbours, started at random positions. */
function twoRings(seed: number): { start: Float32Array; graph: LayoutGraph } {
  const rng = new Rng(seed);
  const start = Float32Array.from({ length: 160 }, () => rng.nextFloat() * 20 - 10);
  const head: number[] = [];
  const tail: number[] = [];
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < 40; i++) {
      for (const step of [1, 2, 3]) {
        const a = c * 40 + i;
        const b = c * 40 + ((i + step) % 40);
        head.push(a, b);
        tail.push(b, a);
      }
    }
  }
  return { start, graph: { head: Int32Array.from(head), tail: Int32Array.from(tail), epochsPerSample: new Float32Array(head.length).fill(1) } };
}

const centreGap = (map: Float32Array): { gap: number; spread: number } => {
  const mean = (c: number, t: number): number => {
    let s = 0;
    for (let i = c * 40; i < c * 40 + 40; i++) s += map[i * 2 + t]!;
    return s / 40;
  };
  const gap = Math.hypot(mean(0, 0) - mean(1, 0), mean(0, 1) - mean(1, 1));
  let spread = 0;
  for (let c = 0; c < 2; c++) {
    const mx = mean(c, 0);
    const my = mean(c, 1);
    for (let i = c * 40; i < c * 40 + 40; i++) spread = Math.max(spread, Math.hypot(map[i * 2]! - mx, map[i * 2 + 1]! - my));
  }
  return { gap, spread };
};

describe('umapLayout', () => {
  const options = { a: 1.577, b: 0.895, epochs: 200, seed: 3 };

  for (const [name, kernel] of backends) {
    it(`${name}: pulls linked points together and pushes the two groups apart, the same way for the same seed`, async () => {
      const { start, graph } = twoRings(1);
      const before = start.slice();
      const map = await kernel.umapLayout(start, graph, options);
      assert.deepEqual(start, before, 'the start is not modified');
      assert.deepEqual(await kernel.umapLayout(start, graph, options), map);
      assert.notDeepEqual(await kernel.umapLayout(start, graph, { ...options, seed: 4 }), map);
      const { gap, spread } = centreGap(map);
      assert.ok(gap > spread, `groups ${gap} apart, each ${spread} wide`);
    });

    it(`${name}: reports progress and stops on abort between batches`, async () => {
      const { start, graph } = twoRings(2);
      const seen: number[] = [];
      await kernel.umapLayout(start, graph, { ...options, epochs: 20, onProgress: (p) => seen.push(p.epochs) });
      assert.equal(seen.at(-1), 20);
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(kernel.umapLayout(start, graph, { ...options, signal: controller.signal }), { name: 'AbortError' });
      const late = new AbortController();
      await assert.rejects(kernel.umapLayout(start, graph, {
        ...options, epochs: 1_000_000, signal: late.signal, onProgress: () => late.abort(),
      }), { name: 'AbortError' });
    });

    it(`${name}: refuses an edge out of range, a self-loop and bad epochs per sample`, async () => {
      const { start, graph } = twoRings(3);
      const broken = (patch: Partial<LayoutGraph>): LayoutGraph => ({ ...graph, ...patch });
      await assert.rejects(kernel.umapLayout(start, broken({ tail: graph.tail.map((t, e) => (e === 5 ? 80 : t)) }), options), /graph edge 5/);
      await assert.rejects(kernel.umapLayout(start, broken({ tail: graph.head.slice() }), options), /graph edge 0/);
      await assert.rejects(kernel.umapLayout(start, broken({ epochsPerSample: graph.epochsPerSample.map(() => 0.5) }), options), InvalidInputError);
      await assert.rejects(kernel.umapLayout(start, graph, { ...options, epochs: 0 }), /epochs = 0/);
    });
  }

  it('both backends lay the same graph out alike (float32 against float64 arithmetic, so not bit for bit)', async () => {
    const { start, graph } = twoRings(5);
    const a = await wasm.umapLayout(start, graph, { ...options, epochs: 2 });
    const b = await referenceUmapKernel.umapLayout(start, graph, { ...options, epochs: 2 });
    for (let t = 0; t < a.length; t++) assert.ok(Math.abs(a[t]! - b[t]!) < 1e-3, `coordinate ${t}: ${a[t]} and ${b[t]}`);
  });
});

describe('the map without WebAssembly SIMD (child process)', () => {
  it('falls back to the reference kernels and still draws a map', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fap-umap-nosimd-'));
    try {
      const script = join(dir, 'no-simd.mts');
      writeFileSync(script, `
        const validate = WebAssembly.validate;
        WebAssembly.validate = (bytes) => !Buffer.from(bytes).includes(0x7b) && validate(bytes);
        const { loadUmapKernel } = await import(${JSON.stringify(join(projectRoot, 'src/kernel/umap-kernel.ts'))});
        const { projectUmap } = await import(${JSON.stringify(join(projectRoot, 'src/analysis/projection/umap-projection.ts'))});
        const kernel = await loadUmapKernel();
        const vectors = Float32Array.from({ length: 40 * 4 }, (_, t) => Math.floor(t / 80) * 5 + Math.sin(t));
        const map = await projectUmap(vectors, 4, { nEpochs: 20 });
        console.log(JSON.stringify({ backend: kernel.backend, finite: map.every(Number.isFinite), length: map.length }));
      `);
      const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: projectRoot, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop()!), { backend: 'js-reference', finite: true, length: 80 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

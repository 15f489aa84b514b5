/**
 * The kernel suite: the WASM SIMD core against the pure-TypeScript reference on seeded data, the
 * k-means properties, every bad input, and memory that stays flat. Portable (node:test and
 * node:assert/strict only): kernel.test.ts runs it in Node, kernel.browser.test.ts in Chromium.
 *
 * Tolerances, per kernel (float32 SIMD lanes against float64 accumulation in the reference):
 * - squared L2: 1e-5 relative (every term is ≥ 0, so the error is relative to the result);
 * - dot and projections: 1e-5 × Σ|terms| (the scale float32 rounding is relative to);
 * - cosine: 1e-5 absolute;
 * - nearest-centroid labels: equal, except that a differing label must be a tie within 1e-5;
 * - k-means and mini-batch on the seeded data below: labels and iteration counts equal, centroids
 *   within 1e-4 absolute, inertia within 1e-5 relative;
 * - mean 1e-6 absolute, variance 1e-5 relative (+1e-7), standardised values 1e-5 absolute;
 * - PCA: variances 1e-4 relative to the largest, components within 1e-3 wherever the eigenvalue
 *   is separated from its neighbours (elsewhere the eigenvectors are not unique).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError, UnsupportedEnvironmentError } from '../../src/errors.ts';
import {
  detectSimd, kernelInfo, loadKernel, referenceKernel, WasmKernel, type Kernel, type ResidentKernel,
} from '../../src/kernel/index.ts';
import { compileKernelModule } from '../../src/kernel/wasm-module.ts';
import { Rng } from '../../src/kernel/rng.ts';
import {
  absDotScale, allFinite, assertClose, assertSamePartition, blobs, gaussian, uniform,
} from './fixtures.ts';

const DIMS = [1, 3, 4, 5, 127, 128, 512];
const ROWS = [1, 2, 4, 300];

let wasmPromise: Promise<ResidentKernel> | undefined;
/** The WASM kernel; the whole suite requires SIMD, which both Node 20 and Chromium have. */
function wasm(): Promise<ResidentKernel> {
  wasmPromise ??= loadKernel({ backend: 'wasm-simd' });
  return wasmPromise;
}
const ref = referenceKernel;

describe('kernel loader', () => {
  it('detects SIMD, loads the WASM backend by default, and caches it', async () => {
    assert.equal(detectSimd(), true);
    const a = await loadKernel();
    assert.equal(a.backend, 'wasm-simd');
    assert.equal(await loadKernel(), a);
    assert.equal(await loadKernel({ backend: 'wasm-simd' }), a);
    assert.deepEqual(kernelInfo(), { simd: true, backend: 'wasm-simd', fallbackReason: undefined });
  });

  it('gives the reference when asked, and rejects an unknown backend', async () => {
    assert.equal(await loadKernel({ backend: 'js-reference' }), referenceKernel);
    await assert.rejects(loadKernel({ backend: 'gpu' as never }), (e: unknown) =>
      e instanceof InvalidInputError && /backend = gpu/.test(e.message));
  });

  it('validates the v128 probe, and reports false for an unknown SIMD opcode or non-wasm bytes', () => {
    // (func (result v128) i32.const 0 i8x16.splat): what detectSimd() validates by default.
    const probe = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 0x7b, 3, 2, 1, 0];
    assert.equal(detectSimd(new Uint8Array([...probe, 10, 8, 1, 6, 0, 0x41, 0, 0xfd, 0x0f, 0x0b])), true);
    // The same function with SIMD opcode 2047, which no engine defines: validation must fail.
    assert.equal(detectSimd(new Uint8Array([...probe, 10, 9, 1, 7, 0, 0x41, 0, 0xfd, 0xff, 0x0f, 0x0b])), false);
    assert.equal(detectSimd(new Uint8Array([1, 2, 3])), false);
  });
});

describe('distances: WASM vs reference', () => {
  it('one-to-many squared L2, dot and cosine for every d and n', async () => {
    const w = await wasm();
    for (const d of DIMS) {
      for (const n of ROWS) {
        const data = uniform(n, d, 1000 * d + n);
        const query = uniform(1, d, 7 * d + n);
        const at = `d=${d} n=${n}`;
        assertClose(w.l2sqOneToMany(query, data, d), ref.l2sqOneToMany(query, data, d), { rel: 1e-5, abs: 1e-12 }, `l2sq ${at}`);
        assertClose(w.dotOneToMany(query, data, d), ref.dotOneToMany(query, data, d),
          { rel: 1e-5, abs: 1e-12, scale: absDotScale(query, data, d) }, `dot ${at}`);
        assertClose(w.cosineOneToMany(query, data, d), ref.cosineOneToMany(query, data, d), { abs: 1e-5 }, `cosine ${at}`);
        const resident = w.residentMatrix(data, d);
        assertClose(resident.l2sqOneToMany(query), ref.l2sqOneToMany(query, data, d), { rel: 1e-5, abs: 1e-12 }, `resident l2sq ${at}`);
        assertClose(resident.cosineOneToMany(query), ref.cosineOneToMany(query, data, d), { abs: 1e-5 }, `resident cosine ${at}`);
        resident.dispose();
      }
    }
  });

  it('pairwise squared L2, dot and cosine for every d, both ways round', async () => {
    const w = await wasm();
    for (const d of DIMS) {
      for (const [na, nb] of [[1, 1], [2, 7], [7, 2], [4, 4], [37, 101]] as const) {
        const a = uniform(na, d, 31 * d + na);
        const b = uniform(nb, d, 37 * d + nb);
        const at = `d=${d} ${na}×${nb}`;
        const scale = new Float64Array(na * nb);
        for (let i = 0; i < na; i++) scale.set(absDotScale(a.subarray(i * d, i * d + d), b, d), i * nb);
        assertClose(w.l2sqPairwise(a, b, d), ref.l2sqPairwise(a, b, d), { rel: 1e-5, abs: 1e-12 }, `l2sq ${at}`);
        assertClose(w.dotPairwise(a, b, d), ref.dotPairwise(a, b, d), { rel: 1e-5, abs: 1e-12, scale }, `dot ${at}`);
        assertClose(w.cosinePairwise(a, b, d), ref.cosinePairwise(a, b, d), { abs: 1e-5 }, `cosine ${at}`);
      }
    }
  });

  it('cosine is 0 against a zero vector and 1 against itself', async () => {
    const w = await wasm();
    for (const kernel of [w, ref]) {
      const data = new Float32Array([0, 0, 0, 1, 2, 3, -1, -2, -3]);
      const c = kernel.cosineOneToMany(new Float32Array([1, 2, 3]), data, 3);
      assert.deepEqual(Array.from(c), [0, 1, -1], kernel.backend);
      assert.deepEqual(Array.from(kernel.cosineOneToMany(new Float32Array(3), data, 3)), [0, 0, 0], kernel.backend);
    }
  });

  it('nearest-centroid assignment: same labels up to ties, same distances', async () => {
    const w = await wasm();
    for (const d of DIMS) {
      for (const k of [1, 3, 4, 9]) {
        const data = uniform(300, d, 11 * d + k);
        const cent = uniform(k, d, 13 * d + k);
        const got = w.assignNearest(data, cent, d);
        const want = ref.assignNearest(data, cent, d);
        assertClose(got.distances, want.distances, { rel: 1e-5, abs: 1e-12 }, `distances d=${d} k=${k}`);
        const all = ref.l2sqPairwise(data, cent, d);
        for (let i = 0; i < 300; i++) {
          if (got.labels[i] === want.labels[i]) continue;
          const gap = Math.abs(all[i * k + got.labels[i]!]! - all[i * k + want.labels[i]!]!);
          assert.ok(gap <= 1e-5 * all[i * k + want.labels[i]!]!, `row ${i}: labels ${got.labels[i]} vs ${want.labels[i]} are not a tie`);
        }
      }
    }
  });

  it('a tie goes to the lowest centroid index', async () => {
    const w = await wasm();
    for (const kernel of [w, ref]) {
      const cent = new Float32Array([1, 0, -1, 0, 0, 1, 0, -1, 1, 0]);
      const { labels } = kernel.assignNearest(new Float32Array([0, 0, 2, 0]), cent, 2);
      assert.deepEqual(Array.from(labels), [0, 0], kernel.backend);
    }
  });
});

describe('k-means: WASM vs reference', () => {
  it('same labels, centroids, inertia and iterations for every d and n (n = 1, 2, k, large)', async () => {
    const w = await wasm();
    for (const d of DIMS) {
      for (const [n, k] of [[1, 1], [2, 1], [2, 2], [4, 4], [300, 4]] as const) {
        const data = uniform(n, d, 17 * d + n + k);
        const options = { k, seed: d + n, restarts: 2 };
        const got = w.kmeans(data, d, options);
        const want = ref.kmeans(data, d, options);
        const at = `d=${d} n=${n} k=${k}`;
        assert.deepEqual(got.labels, want.labels, `labels ${at}`);
        assert.equal(got.iterations, want.iterations, `iterations ${at}`);
        assertClose(got.centroids, want.centroids, { abs: 1e-4 }, `centroids ${at}`);
        assertClose([got.inertia], [want.inertia], { rel: 1e-5, abs: 1e-9 }, `inertia ${at}`);
        assert.ok(allFinite(got.centroids), `finite centroids ${at}`);
      }
    }
  });

  it('recovers well-separated planted clusters exactly', async () => {
    const w = await wasm();
    for (const [k, d] of [[3, 2], [5, 16], [8, 128]] as const) {
      const { data, truth, centres } = blobs(k, 60, d, 5 * k + d);
      for (const kernel of [w, ref]) {
        const result = kernel.kmeans(data, d, { k, seed: 1, restarts: 3 });
        assertSamePartition(result.labels, truth, `${kernel.backend} k=${k} d=${d}`);
        // Each centroid sits on its planted centre (noise 0.05, 60 points: the mean is within ~0.03).
        for (let j = 0; j < k; j++) {
          const found = result.labels[j]!;
          assertClose(result.centroids.subarray(found * d, found * d + d), centres.subarray(j * d, j * d + d),
            { abs: 0.05 }, `${kernel.backend} centre ${j}`);
        }
      }
    }
  });

  it('is deterministic: the same seed gives the same result', async () => {
    const w = await wasm();
    const data = uniform(500, 8, 99);
    for (const kernel of [w, ref]) {
      const a = kernel.kmeans(data, 8, { k: 6, seed: 1234, restarts: 2 });
      const b = kernel.kmeans(data, 8, { k: 6, seed: 1234, restarts: 2 });
      assert.deepEqual(a, b, kernel.backend);
    }
  });

  it('more restarts never raise the inertia', async () => {
    const w = await wasm();
    const data = uniform(400, 6, 2024);
    for (const kernel of [w, ref]) {
      let previous = Infinity;
      const seen = new Set<number>();
      for (let restarts = 1; restarts <= 6; restarts++) {
        const { inertia } = kernel.kmeans(data, 6, { k: 7, seed: 8, restarts });
        assert.ok(inertia <= previous, `${kernel.backend}: ${restarts} restarts gave ${inertia} > ${previous}`);
        previous = inertia;
        seen.add(inertia);
      }
      // The data has several local optima, so restarts do find better ones (the test can fail).
      assert.ok(seen.size > 1, `${kernel.backend}: restarts never changed the inertia`);
    }
  });

  it('runs exactly maxIterations with tolerance 0 unless labels settle, and stops early with a tolerance', async () => {
    const w = await wasm();
    const data = uniform(2000, 4, 5);
    for (const kernel of [w, ref]) {
      const capped = kernel.kmeans(data, 4, { k: 12, seed: 3, maxIterations: 3, tolerance: 0 });
      assert.equal(capped.iterations, 3, kernel.backend);
      const loose = kernel.kmeans(data, 4, { k: 12, seed: 3, maxIterations: 500, tolerance: 1e-1 });
      const tight = kernel.kmeans(data, 4, { k: 12, seed: 3, maxIterations: 500, tolerance: 0 });
      assert.ok(loose.iterations < tight.iterations, `${kernel.backend}: ${loose.iterations} vs ${tight.iterations}`);
      assert.ok(tight.iterations < 500, `${kernel.backend}: tolerance 0 still stops when labels settle`);
      const zero = kernel.kmeans(data, 4, { k: 12, seed: 3, maxIterations: 0 });
      assert.equal(zero.iterations, 0);
      assert.ok(allFinite(zero.centroids));
    }
  });
});

describe('k-means: degenerate data and empty clusters', () => {
  it('all points identical: no NaN, inertia 0, every centroid on the point', async () => {
    const w = await wasm();
    const d = 5;
    const data = new Float32Array(50 * d);
    for (let i = 0; i < 50; i++) data.set([1.5, -2, 0, 3, 7], i * d);
    for (const kernel of [w, ref]) {
      const r = kernel.kmeans(data, d, { k: 3, seed: 9, restarts: 2 });
      assert.equal(r.inertia, 0, kernel.backend);
      for (let j = 0; j < 3; j++) assert.deepEqual(Array.from(r.centroids.subarray(j * d, j * d + d)), [1.5, -2, 0, 3, 7]);
    }
    assert.deepEqual(w.kmeans(data, d, { k: 3, seed: 9 }), ref.kmeans(data, d, { k: 3, seed: 9 }));
  });

  it('duplicates: k distinct points repeated are recovered with inertia 0', async () => {
    const w = await wasm();
    const d = 3;
    const distinct = uniform(6, d, 77);
    const data = new Float32Array(6 * 5 * d);
    for (let i = 0; i < 30; i++) data.set(distinct.subarray((i % 6) * d, (i % 6) * d + d), i * d);
    const truth = Int32Array.from({ length: 30 }, (_, i) => i % 6);
    for (const kernel of [w, ref]) {
      const r = kernel.kmeans(data, d, { k: 6, seed: 4, restarts: 3 });
      assertSamePartition(r.labels, truth, kernel.backend);
      assert.equal(r.inertia, 0, kernel.backend);
    }
  });

  it('k = n puts every point in its own cluster', async () => {
    const w = await wasm();
    const data = uniform(12, 4, 3);
    for (const kernel of [w, ref]) {
      const r = kernel.kmeans(data, 4, { k: 12, seed: 0 });
      assert.equal(new Set(r.labels).size, 12, kernel.backend);
      assert.equal(r.inertia, 0, kernel.backend);
    }
  });

  it('more clusters than distinct points: empty clusters are re-seeded, never NaN', async () => {
    const w = await wasm();
    // Two distinct points, five copies each, k = 4: two clusters must be re-seeded every iteration.
    const data = new Float32Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5].map((v, i) => (i % 2 ? v : -v)));
    for (const kernel of [w, ref]) {
      const r = kernel.kmeans(data, 2, { k: 4, seed: 2, maxIterations: 10 });
      assert.ok(allFinite(r.centroids), `${kernel.backend}: ${Array.from(r.centroids).join(',')}`);
      for (let j = 0; j < 4; j++) {
        const c = Array.from(r.centroids.subarray(j * 2, j * 2 + 2));
        assert.ok([[0, 0], [-5, 5]].some((p) => p[0] === c[0] && p[1] === c[1]), `${kernel.backend}: centroid ${c} is not a data point`);
      }
      assert.equal(r.inertia, 0);
    }
  });

  it('a cluster emptied by a Lloyd update takes the farthest point', async () => {
    const w = await wasm();
    // Found by search. Seed 0 picks 8.75, 1.75 and 0.5; the first update moves them to 6.5625,
    // 3.375 and 0.5, and the next assignment sends 1.75 to 0.5 and 5 to 6.5625, leaving the
    // centroid at 3.375 with no rows. The repair gives it 8.75, the row farthest from its centroid,
    // which stays a cluster of its own; without the repair 8.75 would stay with 5–6.25.
    const data = new Float32Array([1.75, 0.5, 5, 6.25, 5.5, 5.75, 8.75]);
    for (const kernel of [w, ref]) {
      const r = kernel.kmeans(data, 1, { k: 3, seed: 0 });
      assert.deepEqual(Array.from(r.centroids).sort((a, b) => a - b), [1.125, 5.625, 8.75], kernel.backend);
      assert.equal(new Set(r.labels).size, 3, kernel.backend);
    }
    assert.deepEqual(w.kmeans(data, 1, { k: 3, seed: 0 }), ref.kmeans(data, 1, { k: 3, seed: 0 }));
  });
});

/** A re-iterable chunked source over `data` with chunks of `rows` rows (sync or async). */
function chunked(data: Float32Array, d: number, rows: number, async = false): () => Iterable<Float32Array> | AsyncIterable<Float32Array> {
  const n = data.length / d;
  function* sync(): Generator<Float32Array> {
    for (let i = 0; i < n; i += rows) yield data.subarray(i * d, Math.min(n, i + rows) * d);
  }
  async function* asyncGen(): AsyncGenerator<Float32Array> {
    for (const chunk of sync()) {
      await Promise.resolve();
      yield chunk;
    }
  }
  return () => (async ? asyncGen() : sync());
}

describe('mini-batch k-means', () => {
  it('matches the reference and recovers planted clusters from a chunked source', async () => {
    const w = await wasm();
    const d = 8;
    const { data, truth } = blobs(4, 500, d, 21);
    for (const [rows, batchSize, async] of [[300, 128, false], [1000, 1000, true], [7, 64, false]] as const) {
      const options = { k: 4, seed: 6, batchSize, initSize: 200, labels: true };
      const got = await w.miniBatchKMeans(chunked(data, d, rows, async), d, options);
      const want = await ref.miniBatchKMeans(chunked(data, d, rows, async), d, options);
      const at = `chunks of ${rows}, batches of ${batchSize}`;
      assert.equal(got.rows, 2000);
      assertClose(got.centroids, want.centroids, { abs: 1e-4 }, `centroids ${at}`);
      assertClose([got.inertia], [want.inertia], { rel: 1e-5 }, `inertia ${at}`);
      assert.deepEqual(got.labels, want.labels, `labels ${at}`);
      assertSamePartition(got.labels!, truth, at);
      // The final pass's inertia is that of assigning every row to the returned centroids.
      const check = ref.assignNearest(data, got.centroids, d);
      assertClose([got.inertia], [check.distances.reduce((s, v) => s + v, 0)], { rel: 1e-4 }, `inertia check ${at}`);
    }
  });

  it('reports progress per chunk and stops on abort', async () => {
    const w = await wasm();
    const d = 4;
    const data = uniform(1000, d, 8);
    for (const kernel of [w, ref]) {
      const seen: string[] = [];
      await kernel.miniBatchKMeans(chunked(data, d, 400), d, {
        k: 3, epochs: 2, onProgress: ({ epoch, rows }) => seen.push(`${epoch}:${rows}`),
      });
      // Two epochs and the final assignment pass (reported as epoch 2), three chunks each.
      assert.deepEqual(seen, ['0:400', '0:800', '0:1000', '1:400', '1:800', '1:1000', '2:400', '2:800', '2:1000']);
      const controller = new AbortController();
      await assert.rejects(
        kernel.miniBatchKMeans(chunked(data, d, 100, true), d, {
          k: 3, signal: controller.signal, onProgress: ({ rows }) => { if (rows === 300) controller.abort(); },
        }),
        (e: unknown) => e instanceof DOMException && e.name === 'AbortError',
      );
    }
  });

  it('holds only a batch in WASM memory, not the source', async () => {
    const kernel = new WasmKernel(await compileKernelModule());
    const d = 128;
    const rows = 1000;
    // 40 chunks of 1000 × 128 generated on the fly: 20 MB in all, never one array.
    const source = function* (): Generator<Float32Array> {
      const rng = new Rng(5);
      const chunk = new Float32Array(rows * d);
      for (let c = 0; c < 40; c++) {
        for (let i = 0; i < chunk.length; i++) chunk[i] = gaussian(rng) + (i % 3);
        yield chunk;
      }
    };
    const result = await kernel.miniBatchKMeans(source, d, { k: 8, epochs: 1, batchSize: 512 });
    assert.equal(result.rows, 40_000);
    assert.ok(kernel.memoryBytes < 4 * 2 ** 20, `WASM memory grew to ${kernel.memoryBytes} bytes`);
  });
});

describe('statistics and PCA: WASM vs reference', () => {
  it('mean, variance and standardisation for every d and n', async () => {
    const w = await wasm();
    for (const d of DIMS) {
      for (const n of ROWS) {
        const data = uniform(n, d, 3 * d + n).map((v, i) => v * (1 + (i % d)) + (i % 7));
        const at = `d=${d} n=${n}`;
        const got = w.meanVariance(data, d);
        const want = ref.meanVariance(data, d);
        assertClose(got.mean, want.mean, { rel: 1e-6, abs: 1e-6 }, `mean ${at}`);
        assertClose(got.variance, want.variance, { rel: 1e-5, abs: 1e-7 }, `variance ${at}`);
        assertClose(w.standardize(data, d, want), ref.standardize(data, d, want), { abs: 1e-5 }, `standardize ${at}`);
      }
    }
  });

  it('standardisation maps zero-variance columns to 0 and the rest to mean 0, variance 1', async () => {
    const w = await wasm();
    const data = new Float32Array([1, 5, 2, 5, 3, 5, 4, 5]);
    for (const kernel of [w, ref]) {
      const stats = kernel.meanVariance(data, 2);
      assert.deepEqual(Array.from(stats.variance), [1.25, 0]);
      const z = kernel.standardize(data, 2, stats);
      assert.deepEqual(Array.from(z.filter((_, i) => i % 2 === 1)), [0, 0, 0, 0]);
      const again = kernel.meanVariance(z, 2);
      assertClose(again.mean, [0, 0], { abs: 1e-6 }, 'mean');
      assertClose(again.variance, [1, 0], { abs: 1e-6 }, 'variance');
    }
  });

  /** n rows with variances ≈ 9, 2.25, 1 on three directions and 0.01 elsewhere, rotated by a reflection. */
  function spectrum(n: number, d: number, seed: number): Float32Array {
    const rng = new Rng(seed);
    const v = Array.from({ length: d }, () => gaussian(rng));
    const norm = Math.hypot(...v);
    const u = v.map((x) => x / norm);
    const out = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const z = Array.from({ length: d }, (_, t) => gaussian(rng) * (t < 3 ? 3 / (1 + t * 0.5) ** 2 : 0.1));
      const proj = z.reduce((s, x, t) => s + x * u[t]!, 0);
      for (let t = 0; t < d; t++) out[i * d + t] = z[t]! - 2 * proj * u[t]! + 1;
    }
    return out;
  }

  it('PCA: variances, components and projections for every d and n', async () => {
    const w = await wasm();
    for (const d of DIMS) {
      for (const n of [1, 2, Math.max(60, d + 40)]) {
        const data = spectrum(n, d, 41 * d + n);
        const c = Math.min(3, d);
        const got = w.pca(data, d, c);
        const want = ref.pca(data, d, c);
        const at = `d=${d} n=${n}`;
        const top = Math.max(want.variances[0]!, 1e-12);
        assertClose(got.variances, want.variances, { abs: 1e-4 * top }, `variances ${at}`);
        assertClose(got.mean, want.mean, { abs: 1e-5 }, `mean ${at}`);
        assertClose([got.totalVariance], [want.totalVariance], { rel: 1e-5, abs: 1e-9 }, `total ${at}`);
        for (let j = 0; j < c; j++) {
          const row = got.components.subarray(j * d, j * d + d);
          assertClose([Math.hypot(...row)], [1], { abs: 1e-5 }, `unit component ${j} ${at}`);
          const all = [...want.variances];
          const separated = all.every((v, m) => m === j || Math.abs(v - all[j]!) > 1e-2 * top)
            && (j < c - 1 || d === c || all[j]! - 0.01 > 0.05 * top);
          if (separated) {
            assertClose(row, want.components.subarray(j * d, j * d + d), { abs: 1e-3 }, `component ${j} ${at}`);
          }
        }
        for (let j = 1; j < c; j++) assert.ok(got.variances[j]! <= got.variances[j - 1]!, `sorted ${at}`);
        const projected = w.projectPca(data, d, want);
        const expected = ref.projectPca(data, d, want);
        assertClose(projected, expected, { abs: 1e-4 * Math.sqrt(d) }, `projection ${at}`);
      }
    }
  });

  it('PCA of a line finds the line and its variance', async () => {
    const w = await wasm();
    const data = new Float32Array(200 * 2);
    for (let i = 0; i < 200; i++) data.set([i / 10, -2 * (i / 10) + 1], i * 2);
    for (const kernel of [w, ref]) {
      const p = kernel.pca(data, 2, 2);
      assertClose(p.components.subarray(0, 2), [-1 / Math.sqrt(5), 2 / Math.sqrt(5)], { abs: 1e-5 }, kernel.backend);
      assertClose([p.variances[1]!], [0], { abs: 1e-4 }, kernel.backend);
      assertClose([p.variances[0]!], [p.totalVariance], { rel: 1e-5 }, kernel.backend);
    }
  });
});

/** Runs `fn` and returns the InvalidInputError it throws (failing if it throws anything else or nothing). */
async function invalid(fn: () => unknown): Promise<InvalidInputError> {
  try {
    await fn();
  } catch (error: unknown) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  assert.fail('expected an InvalidInputError');
}

describe('bad input: InvalidInputError naming the value, identical in both backends', () => {
  const d3 = new Float32Array(6);
  const withNaN = new Float32Array([0, 1, 2, 3, Number.NaN, 5]);
  const withInf = new Float32Array([0, 1, 2, 3, 4, -Infinity]);
  const cases: Array<[string, RegExp, (k: Kernel) => unknown]> = [
    ['k = 0', /k = 0 .*1 ≤ k ≤ n/, (k) => k.kmeans(d3, 3, { k: 0 })],
    ['k > n', /k = 3 .*n = 2 rows/, (k) => k.kmeans(d3, 3, { k: 3 })],
    ['k not an integer', /k = 1.5/, (k) => k.kmeans(d3, 3, { k: 1.5 })],
    ['zero rows', /data has zero rows/, (k) => k.kmeans(new Float32Array(0), 3, { k: 1 })],
    ['length not n × d', /length 7, which is not n × d for d = 3/, (k) => k.l2sqOneToMany(new Float32Array(3), new Float32Array(7), 3)],
    ['query of the wrong length', /query has length 4 but d = 3/, (k) => k.dotOneToMany(new Float32Array(4), d3, 3)],
    ['pairwise with mismatched widths', /b has length 4, which is not n × d for d = 3/, (k) => k.l2sqPairwise(d3, new Float32Array(4), 3)],
    ['centroids of another width', /centroids has length 4/, (k) => k.assignNearest(d3, new Float32Array(4), 3)],
    ['NaN', /data\[4\] \(row 1, column 1\) is NaN/, (k) => k.meanVariance(withNaN, 3)],
    ['-Infinity', /data\[5\] \(row 1, column 2\) is -Infinity/, (k) => k.kmeans(withInf, 3, { k: 1 })],
    ['NaN in a query', /query\[1\] \(row 0, column 1\) is NaN/, (k) => k.cosineOneToMany(new Float32Array([0, Number.NaN, 0]), d3, 3)],
    ['d = 0', /d = 0 is not accepted/, (k) => k.l2sqOneToMany(new Float32Array(0), d3, 0)],
    ['d not an integer', /d = 2.5/, (k) => k.pca(d3, 2.5, 1)],
    ['a plain array', /data must be a Float32Array .* got Array/, (k) => k.l2sqOneToMany(new Float32Array(3), [1, 2, 3] as never, 3)],
    ['restarts = 0', /restarts = 0/, (k) => k.kmeans(d3, 3, { k: 1, restarts: 0 })],
    ['maxIterations beyond i32', /maxIterations = 4294967296 .*0 ≤ maxIterations ≤ 2147483647/, (k) => k.kmeans(d3, 3, { k: 1, maxIterations: 2 ** 32 })],
    ['negative tolerance', /tolerance = -1/, (k) => k.kmeans(d3, 3, { k: 1, tolerance: -1 })],
    ['seed not an integer', /seed = 0.5/, (k) => k.kmeans(d3, 3, { k: 1, seed: 0.5 })],
    ['components > d', /components = 4 .*1 ≤ components ≤ 3/, (k) => k.pca(d3, 3, 4)],
    ['stats of another width', /stats.mean has length 2 but d = 3/, (k) => k.standardize(d3, 3, { mean: new Float32Array(2), variance: new Float32Array(3) })],
    ['negative variance', /stats.variance\[1\] = -1/, (k) => k.standardize(d3, 3, { mean: new Float32Array(3), variance: new Float32Array([1, -1, 1]) })],
    ['PCA basis of another width', /pca.components has length 4/, (k) => k.projectPca(d3, 3, { mean: new Float32Array(3), components: new Float32Array(4), variances: new Float32Array(1), totalVariance: 1 })],
    ['mini-batch k > rows', /k = 3 .*n = 2 rows/, (k) => k.miniBatchKMeans(() => [d3], 3, { k: 3 })],
    ['mini-batch chunk of a partial row', /length 5, which is not a whole number of rows of d = 3/, (k) => k.miniBatchKMeans(() => [new Float32Array(5)], 3, { k: 1 })],
    ['mini-batch NaN after the seeding sample', /source\[1804\] \(row 601, column 1\) is NaN/, (k) => {
      const rows = new Float32Array(700 * 3);
      rows[1804] = Number.NaN;
      return k.miniBatchKMeans(() => [rows.subarray(0, 1800), rows.subarray(1800)], 3, { k: 2, initSize: 100 });
    }],
    ['mini-batch source of changing length', /yielded 2 rows in the epoch 1 but 4 in epoch 0/, (k) => {
      let calls = 0;
      return k.miniBatchKMeans(() => (calls++ < 2 ? [new Float32Array(12)] : [d3]), 3, { k: 1 });
    }],
    ['mini-batch source that is not iterable', /source\(\) must return an Iterable/, (k) => k.miniBatchKMeans(() => 5 as never, 3, { k: 1 })],
    ['mini-batch epochs = 0', /epochs = 0/, (k) => k.miniBatchKMeans(() => [d3], 3, { k: 1, epochs: 0 })],
    ['mini-batch initSize < k', /initSize = 1 .*≥ 2/, (k) => k.miniBatchKMeans(() => [d3], 3, { k: 2, initSize: 1 })],
  ];

  for (const [name, pattern, call] of cases) {
    it(name, async () => {
      const fromWasm = await invalid(async () => call(await wasm()));
      const fromReference = await invalid(() => call(ref));
      assert.match(fromWasm.message, pattern);
      assert.equal(fromWasm.message, fromReference.message);
      assert.equal(fromWasm.code, 'invalid-input');
    });
  }
});

describe('WASM memory', () => {
  it('does not grow across 10,000 calls', async () => {
    const kernel = new WasmKernel(await compileKernelModule());
    const data = uniform(200, 16, 1);
    const query = uniform(1, 16, 2);
    const calls = [
      () => kernel.l2sqOneToMany(query, data, 16),
      () => kernel.cosinePairwise(data.subarray(0, 160), data, 16),
      () => kernel.kmeans(data, 16, { k: 3, maxIterations: 2 }),
      () => kernel.meanVariance(data, 16),
      () => kernel.pca(data.subarray(0, 320), 16, 2),
      () => kernel.assignNearest(data, data.subarray(0, 64), 16),
      () => kernel.standardize(data, 16, { mean: query, variance: query.map(Math.abs) }),
    ];
    for (let i = 0; i < 100; i++) calls[i % calls.length]!();
    const before = kernel.memoryBytes;
    assert.ok(before > 0);
    for (let i = 0; i < 10_000; i++) calls[i % calls.length]!();
    assert.equal(kernel.memoryBytes, before);
    // Failed calls free what they allocated too.
    const bad = new Float32Array(data);
    bad[3000] = Number.NaN;
    for (let i = 0; i < 1000; i++) assert.throws(() => kernel.kmeans(bad, 16, { k: 2 }), InvalidInputError);
    assert.equal(kernel.memoryBytes, before);
  });

  it('resident matrices are freed by dispose() and refuse queries afterwards', async () => {
    const kernel = new WasmKernel(await compileKernelModule());
    const data = uniform(1000, 32, 3);
    const query = uniform(1, 32, 4);
    kernel.residentMatrix(data, 32).dispose();
    const before = kernel.memoryBytes;
    for (let i = 0; i < 200; i++) {
      const m = kernel.residentMatrix(data, 32);
      m.dotOneToMany(query);
      m.dispose();
      m.dispose();
    }
    assert.equal(kernel.memoryBytes, before);
    const m = kernel.residentMatrix(data, 32);
    m.dispose();
    assert.throws(() => m.l2sqOneToMany(query), /disposed/);
    for (const resident of [kernel.residentMatrix(data, 32), ref.residentMatrix(data, 32)]) {
      assert.throws(() => resident.l2sqOneToMany(new Float32Array(3)), /query has length 3 but d = 32/);
    }
  });

  it('a trap drops the instance, and the next call runs on a fresh one', async () => {
    const kernel = new WasmKernel(await compileKernelModule());
    const data = uniform(100, 4, 1);
    const before = kernel.kmeans(data, 4, { k: 3 });
    // Stand-in for memory that cannot grow: the allocator traps with "unreachable".
    const live = (kernel as unknown as { instance: Record<string, unknown> }).instance;
    (kernel as unknown as { instance: Record<string, unknown> }).instance = {
      ...live,
      alloc: () => {
        throw new WebAssembly.RuntimeError('unreachable');
      },
    };
    assert.throws(() => kernel.kmeans(data, 4, { k: 3 }), (e: unknown) =>
      e instanceof UnsupportedEnvironmentError && /stopped \(unreachable\).*reset/.test(e.message));
    assert.equal(kernel.memoryBytes, 0);
    assert.deepEqual(kernel.kmeans(data, 4, { k: 3 }), before);
  });

  it('an input too large for one allocation is refused before any copy', async () => {
    const w = await wasm();
    // A view claiming 2^28 floats (1 GiB) would not fit one WebAssembly block.
    const huge = new Float32Array(2 ** 28);
    assert.throws(() => w.l2sqOneToMany(new Float32Array(1), huge, 1), (e: unknown) =>
      e instanceof InvalidInputError && /more than the \d+ bytes one WebAssembly block can hold/.test(e.message));
  });
});

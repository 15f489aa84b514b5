/**
 * Kernel benchmark: `npm run bench:kernel -- --json` prints one JSON object; without --json, a table.
 *
 * - kmeans: n = 100,000, d = 128, k = 8, 20 fixed iterations (tolerance 0), one restart, on the
 *   same seeded data for the WASM core, the TypeScript reference and ml-kmeans (the npm library a
 *   JavaScript user would pick), run interleaved so machine load hits all three alike.
 * - distances: one query against 100,000 × 128 (squared L2): the WASM kernel on a resident matrix,
 *   the full facade call (copy in, validate, compute, copy out), the TypeScript reference, and
 *   native C (when a C compiler is on PATH) on the same data.
 * - minibatch: 1,000,000 × 128 generated chunk by chunk (never one array), in a child process so
 *   its peak resident memory is its own.
 *
 * Options: --json, --repeat N (k-means runs per peer, default 2), --no-native, --section NAME.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { loadKernel, referenceKernel, WasmKernel } from '../src/kernel/index.ts';
import { Rng } from '../src/kernel/rng.ts';
import { benchArgv, json, option } from './args.ts';

const repeat = Math.max(1, Number(option('--repeat') ?? 2));
const section = option('--section');

/** Seeded mixture of 8 Gaussians in d dimensions, heavily overlapping so Lloyd keeps moving for 20 iterations. */
function mixture(n: number, d: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const centres = Float64Array.from({ length: 8 * d }, () => rng.nextFloat() * 2 - 1);
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.nextU32() & 7;
    for (let t = 0; t < d; t += 2) {
      // Box–Muller gives two normals per pair of uniforms.
      const r = Math.sqrt(-2 * Math.log(1 - rng.nextFloat()));
      const a = 2 * Math.PI * rng.nextFloat();
      out[i * d + t] = centres[c * d + t]! + r * Math.cos(a);
      if (t + 1 < d) out[i * d + t + 1] = centres[c * d + t + 1]! + r * Math.sin(a);
    }
  }
  return out;
}

function seconds(start: number): number {
  return (performance.now() - start) / 1000;
}

const best = (runs: number[]): number => Math.min(...runs);
const round = (x: number, digits = 4): number => Number(x.toPrecision(digits));

async function benchKmeans(): Promise<Record<string, unknown>> {
  const n = 100_000;
  const d = 128;
  const k = 8;
  const data = mixture(n, d, 1);
  // ml-kmeans takes number[][]; converting is the caller's cost, kept out of its timing.
  const rows = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * d, i * d + d)));
  const wasm = await loadKernel({ backend: 'wasm-simd' });
  const options = { k, seed: 1, maxIterations: 20, tolerance: 0, restarts: 1 };
  const runs = { wasm: [] as number[], js: [] as number[], ml: [] as number[] };
  const iterations = { wasm: 0, js: 0, ml_kmeans: 0 };
  const inertia = { wasm: 0, js: 0, ml_kmeans: 0 };
  for (let r = 0; r < repeat; r++) {
    let t = performance.now();
    const w = wasm.kmeans(data, d, options);
    runs.wasm.push(seconds(t));
    t = performance.now();
    const j = referenceKernel.kmeans(data, d, options);
    runs.js.push(seconds(t));
    t = performance.now();
    const m = mlKmeans(rows, k, { maxIterations: 20, tolerance: 0, initialization: 'kmeans++', seed: 1 });
    runs.ml.push(seconds(t));
    Object.assign(iterations, { wasm: w.iterations, js: j.iterations, ml_kmeans: m.iterations });
    const mlCentroids = Float32Array.from(m.centroids.flat());
    const mlInertia = referenceKernel.assignNearest(data, mlCentroids, d).distances.reduce((s, v) => s + v, 0);
    Object.assign(inertia, { wasm: round(w.inertia, 7), js: round(j.inertia, 7), ml_kmeans: round(mlInertia, 7) });
  }
  const wasmS = best(runs.wasm);
  return {
    n, d, k, max_iterations: 20, restarts: 1, runs_per_peer: repeat,
    wasm_s: round(wasmS), js_s: round(best(runs.js)), ml_kmeans_s: round(best(runs.ml)),
    speedup_vs_ml_kmeans: round(best(runs.ml) / wasmS, 3),
    speedup_vs_js: round(best(runs.js) / wasmS, 3),
    runs_s: { wasm: runs.wasm.map((x) => round(x)), js: runs.js.map((x) => round(x)), ml_kmeans: runs.ml.map((x) => round(x)) },
    iterations_run: iterations,
    inertia,
    notes: 'best of runs_per_peer; each peer seeds with its own k-means++; ml-kmeans timed on number[][] (conversion excluded)',
  };
}

/** C reference for one-to-many squared L2, compiled at bench time when a compiler exists. */
const NATIVE_SOURCE = `
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(int argc, char **argv) {
  long n = atol(argv[2]), d = atol(argv[3]), reps = atol(argv[4]);
  float *buf = malloc(sizeof(float) * (n + 1) * d), *out = malloc(sizeof(float) * n);
  FILE *f = fopen(argv[1], "rb");
  if (!f || fread(buf, sizeof(float), (n + 1) * d, f) != (size_t)((n + 1) * d)) return 1;
  const float *q = buf, *x = buf + d;
  double bestMs = 1e30, sink = 0;
  for (long r = 0; r < reps; r++) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < n; i++) {
      const float *row = x + i * d;
      float s = 0;
      for (long t = 0; t < d; t++) { float e = q[t] - row[t]; s += e * e; }
      out[i] = s;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
    if (ms < bestMs) bestMs = ms;
    sink += out[r % n];
  }
  printf("%f %f\\n", bestMs, sink);
  return 0;
}
`;
const NATIVE_FLAGS = ['-O3', '-march=native', '-ffast-math'];

function nativeMs(query: Float32Array, data: Float32Array, n: number, d: number, reps: number): number | null {
  if (benchArgv.includes('--no-native')) return null;
  const dir = mkdtempSync(join(tmpdir(), 'fap-bench-native-'));
  try {
    writeFileSync(join(dir, 'l2sq.c'), NATIVE_SOURCE);
    const cc = spawnSync('cc', [...NATIVE_FLAGS, '-o', join(dir, 'l2sq'), join(dir, 'l2sq.c')], { encoding: 'utf8' });
    if (cc.status !== 0) return null;
    const bytes = new Float32Array((n + 1) * d);
    bytes.set(query, 0);
    bytes.set(data, d);
    writeFileSync(join(dir, 'data.bin'), bytes);
    const run = spawnSync(join(dir, 'l2sq'), [join(dir, 'data.bin'), String(n), String(d), String(reps)], { encoding: 'utf8' });
    return run.status === 0 ? Number(run.stdout.split(' ')[0]) : null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchDistances(): Promise<Record<string, unknown>> {
  const n = 100_000;
  const d = 128;
  const data = mixture(n, d, 2);
  const query = mixture(1, d, 3);
  const wasm = await loadKernel({ backend: 'wasm-simd' });
  const resident = wasm.residentMatrix(data, d);
  const time = (fn: () => unknown, reps: number): number[] => {
    fn();
    return Array.from({ length: reps }, () => {
      const t = performance.now();
      fn();
      return performance.now() - t;
    });
  };
  const residentRuns = time(() => resident.l2sqOneToMany(query), 50);
  const callRuns = time(() => wasm.l2sqOneToMany(query, data, d), 10);
  const jsRuns = time(() => referenceKernel.l2sqOneToMany(query, data, d), 10);
  resident.dispose();
  const native = nativeMs(query, data, n, d, 50);
  const ms = best(residentRuns);
  const flops = 3 * n * d;
  const spread = (runs: number[]): { best: number; median: number } => {
    const sorted = [...runs].sort((a, b) => a - b);
    return { best: round(sorted[0]!), median: round(sorted[sorted.length >> 1]!) };
  };
  return {
    n, d,
    ms: round(ms),
    gflops: round(flops / (ms * 1e6), 3),
    gbytes_per_s: round((n * d * 4) / (ms * 1e6), 3),
    wasm_resident_ms: spread(residentRuns),
    wasm_call_ms: spread(callRuns),
    js_ms: spread(jsRuns),
    native_ms: native === null ? null : round(native),
    native_build: native === null ? 'no C compiler (or --no-native)' : `cc ${NATIVE_FLAGS.join(' ')}`,
    ratio_vs_native: native === null ? null : round(ms / native, 3),
    notes: 'ms = best WASM kernel time on a resident matrix (residentMatrix); wasm_call_ms adds copying 51 MB in, the finiteness check and copying out; gflops counts sub+mul+add per element',
  };
}

/**
 * Peak resident memory of this process in MB. On Linux, VmHWM of /proc/self/status: getrusage's
 * maxrss survives fork + exec, so a child started by a big parent would report the parent's peak.
 */
function peakRssMb(): number {
  if (existsSync('/proc/self/status')) {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  }
  return process.resourceUsage().maxRSS / 1024;
}

async function benchMiniBatch(): Promise<Record<string, unknown>> {
  const baselineRss = process.memoryUsage().rss;
  const rows = 1_000_000;
  const d = 128;
  const chunkRows = 8192;
  const k = 8;
  const epochs = 3;
  const batchSize = 1024;
  // 16,384 distinct rows (8 MB: 8 Gaussian clusters) are drawn once; row i of a pass is pool row
  // (i · 40503) mod 16384, copied into a reused chunk, so generating a pass costs a copy and no
  // pass ever materialises the 488 MB data set. The kernel cannot tell repeated rows apart.
  const poolRows = 16_384;
  const pool = mixture(poolRows, d, 4);
  const chunk = new Float32Array(chunkRows * d);
  const fill = (start: number, m: number): void => {
    for (let r = 0; r < m; r++) {
      const p = ((start + r) * 40503) % poolRows;
      chunk.set(pool.subarray(p * d, p * d + d), r * d);
    }
  };
  // Time spent generating chunks during the run, so the kernel's share can be reported alone.
  let sourceMs = 0;
  const source = function* (): Generator<Float32Array> {
    for (let start = 0; start < rows; start += chunkRows) {
      const m = Math.min(chunkRows, rows - start);
      const t0 = performance.now();
      fill(start, m);
      sourceMs += performance.now() - t0;
      yield m === chunkRows ? chunk : chunk.subarray(0, m * d);
    }
  };
  const kernel = await loadKernel({ backend: 'wasm-simd' });
  const t = performance.now();
  const result = await kernel.miniBatchKMeans(source, d, { k, seed: 1, epochs, batchSize });
  const totalS = seconds(t);
  return {
    rows: result.rows, d, k, epochs, batch_size: batchSize, chunk_rows: chunkRows,
    seconds: round(totalS),
    source_s: round(sourceMs / 1000),
    seconds_excluding_source: round(totalS - sourceMs / 1000),
    passes_over_source: `${epochs + 1} (+ the seeding sample)`,
    peak_rss_mb: round(peakRssMb(), 4),
    baseline_rss_mb: round(baselineRss / 2 ** 20, 4),
    wasm_memory_mb: round((kernel as WasmKernel).memoryBytes / 2 ** 20, 4),
    data_set_mb: (rows * d * 4) / 2 ** 20,
    inertia: round(result.inertia, 7),
  };
}

async function main(): Promise<void> {
  if (section === 'minibatch') {
    console.log(JSON.stringify(await benchMiniBatch()));
    return;
  }
  const report: Record<string, unknown> = {
    machine: {
      cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version,
      loadavg_at_start: loadavg().map((x) => round(x, 3)),
    },
  };
  report.kmeans = await benchKmeans();
  report.distances = await benchDistances();
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--section', 'minibatch'], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`the minibatch section failed:\n${child.stderr}`);
  report.minibatch = JSON.parse(child.stdout.trim().split('\n').pop()!) as unknown;
  const km = report.kmeans as { speedup_vs_ml_kmeans: number; speedup_vs_js: number };
  const dist = report.distances as { ratio_vs_native: number | null; ms: number };
  report.targets = {
    kmeans_vs_ml_kmeans_ge_10x: km.speedup_vs_ml_kmeans >= 10,
    kmeans_vs_js_ge_3x: km.speedup_vs_js >= 3,
    distances_within_1_5x_native: dist.ratio_vs_native === null ? null : dist.ratio_vs_native <= 1.5,
    distances_within_1_5x_of_2_4ms: dist.ms <= 1.5 * 2.4,
  };
  if (json) {
    console.log(JSON.stringify(report));
    return;
  }
  const k = report.kmeans as Record<string, unknown>;
  const mb = report.minibatch as Record<string, unknown>;
  const dd = report.distances as Record<string, { best: number; median: number } | number | null>;
  const median = (x: unknown): string => {
    const s = x as { best: number; median: number };
    return `${s.best} ms (median ${s.median})`;
  };
  console.table({
    'k-means WASM (s)': k.wasm_s,
    'k-means TS reference (s)': k.js_s,
    'k-means ml-kmeans (s)': k.ml_kmeans_s,
    'speedup vs ml-kmeans': k.speedup_vs_ml_kmeans,
    'speedup vs TS reference': k.speedup_vs_js,
    'distances WASM resident': median(dd.wasm_resident_ms),
    'distances WASM call (copy in/out)': median(dd.wasm_call_ms),
    'distances TS reference': median(dd.js_ms),
    'distances native C (ms)': dd.native_ms,
    'distances GFLOP/s': dd.gflops,
    'mini-batch 1M × 128 (s)': mb.seconds,
    'mini-batch peak RSS (MB)': mb.peak_rss_mb,
    'mini-batch WASM memory (MB)': mb.wasm_memory_mb,
  });
  console.log('targets', report.targets);
}

await main();

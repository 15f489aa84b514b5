/**
 * Store benchmark, in headless Chromium's real IndexedDB: `npm run bench:store -- --json` prints one
 * JSON object; without --json, a short report.
 *
 * - io: n = 100,000 vectors of d = 128 written in transactions of 10,000 and read back, chunked (the
 *   store's code, DEFAULT_CHUNK_SIZE vectors per record) vs naive (one record per vector) in the same run.
 *   Chunked runs `--runs` times (median reported), interleaved with one naive run.
 *   Targets: ≥ 500,000 vectors/s each way chunked, and ≥ 10× naive. `floor`: the same writes without the store's
 *   code (one plain Blob put per transaction of 10,000), and all 100,000 in one transaction, in the same run: what
 *   this browser's IndexedDB allows at this transaction size.
 * - stream: 1,000,000 × 128 written chunk by chunk, then streamed out of the store into the kernel's
 *   mini-batch k-means (loadKernel(); k = 16, 2 epochs + the final assignment pass), never one array.
 *   Memory is sampled every 100 ms during the stream: the page's JS heap (CDP Performance.getMetrics
 *   JSHeapUsedSize) and the resident set of its renderer process (/proc VmRSS); target: < 300 MB.
 *
 * Options: --json, --n N, --stream-n N, --runs N (default 3), --section io|stream, --chunk-size N.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { CDPSession, Page } from 'playwright-core';
import { startStaticServer } from '../scripts/static-server.mjs';
import { launchChromium } from '../test/helpers/chromium.ts';
import { DEFAULT_CHUNK_SIZE } from '../src/store/embeddings.ts';
import { projectRoot } from '../test/helpers/datasets.ts';
import { json, option } from './args.ts';

const n = Number(option('--n') ?? 100_000);
const streamN = Number(option('--stream-n') ?? 1_000_000);
const runs = Math.max(1, Number(option('--runs') ?? 3));
const section = option('--section');
const d = 128;
const perTx = 10_000;
const chunkSize = Number(option('--chunk-size') ?? DEFAULT_CHUNK_SIZE);
const MB = 1024 * 1024;

const log = (line: string): void => {
  if (!json) console.log(line);
  else console.error(line);
};
const round = (x: number, digits = 4): number => Number(x.toPrecision(digits));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

interface Timing {
  write_s: number;
  read_s: number;
}

interface StorePageApi {
  storeBench: {
    chunked(n: number, d: number, perTx: number, chunkSize: number): Promise<Timing>;
    naive(n: number, d: number, perTx: number, chunkSize: number): Promise<Timing>;
    floor(n: number, d: number, perTx: number, perRecord: number): Promise<{ write_s: number }>;
    writeMillion(n: number, d: number, perTx: number, chunkSize: number): Promise<{ write_s: number }>;
    streamKMeans(d: number, k: number, epochs: number): Promise<{ seconds: number; rows: number; inertia: number; chunks_read: number; backend: string }>;
    streamOnly(): Promise<{ seconds: number; rows: number }>;
  };
}

/** Memory of one process, in bytes. */
interface ProcessMemory {
  pid: number;
  /** Chromium's --type (renderer, gpu-process, utility, …) or 'browser'. */
  type: string;
  /** Resident set: every page in RAM, shared library pages included. */
  rss: number;
  /** Proportional set: shared pages divided among the processes sharing them. */
  pss: number;
  /** Anonymous resident memory plus swap: what Chrome's task manager calls the memory footprint. */
  footprint: number;
}

/** Memory of every process below `root`, with its Chromium process type. */
function processTree(root: number): ProcessMemory[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // The process ended between listing and reading: it is no longer part of the tree.
    }
  }
  const out: ProcessMemory[] = [];
  for (const pid of parents.keys()) {
    let p: number | undefined = pid;
    while (p !== undefined && p > 1 && p !== root) p = parents.get(p);
    if (p !== root || pid === root) continue;
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) * 1024;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const statusKb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const type = /--type=([\w-]+)/.exec(cmdline)?.[1] ?? (cmdline.includes('chrom') ? 'browser' : 'other');
      out.push({ pid, type, rss: kb('Rss'), pss: kb('Pss'), footprint: statusKb('RssAnon') + statusKb('VmSwap') });
    } catch {
      // As above: a process that just exited has no memory to count.
    }
  }
  return out;
}

/** One memory sample. */
interface MemorySample {
  /** V8 heap in use (CDP Performance.getMetrics JSHeapUsedSize). */
  jsHeap: number;
  /** ArrayBuffer backing stores (CDP Runtime.getHeapUsage backingStorageSize): where the vectors live. */
  arrayBuffers: number;
  /** Resident set of the page's renderer (the largest renderer). */
  rendererRss: number;
  /** Its proportional set (shared pages divided among the processes sharing them). */
  rendererPss: number;
  /** Its private memory footprint (anonymous resident + swap), as Chrome's task manager shows it. */
  rendererFootprint: number;
  /** Resident sets of all Chromium processes summed (shared pages counted once per process). */
  totalRss: number;
}

const FIELDS = ['jsHeap', 'arrayBuffers', 'rendererRss', 'rendererPss', 'rendererFootprint', 'totalRss'] as const;

/** Samples the page's memory every 100 ms, keeping peaks. */
class MemorySampler {
  private timer: ReturnType<typeof setInterval> | undefined;
  peak: MemorySample = { jsHeap: 0, arrayBuffers: 0, rendererRss: 0, rendererPss: 0, rendererFootprint: 0, totalRss: 0 };
  samples = 0;

  constructor(private readonly cdp: CDPSession) {}

  async sample(): Promise<MemorySample> {
    const procs = processTree(process.pid);
    const renderer = procs.filter((p) => p.type === 'renderer').sort((a, b) => b.rss - a.rss)[0];
    const metrics = (await this.cdp.send('Performance.getMetrics')).metrics;
    const usage = (await this.cdp.send('Runtime.getHeapUsage')) as { backingStorageSize?: number };
    const s: MemorySample = {
      jsHeap: metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0,
      arrayBuffers: usage.backingStorageSize ?? 0,
      rendererRss: renderer?.rss ?? 0,
      rendererPss: renderer?.pss ?? 0,
      rendererFootprint: renderer?.footprint ?? 0,
      totalRss: procs.reduce((sum, p) => sum + p.rss, 0),
    };
    for (const f of FIELDS) this.peak[f] = Math.max(this.peak[f], s[f]);
    this.samples++;
    if (process.env.FAP_BENCH_TRACE) console.error(FIELDS.map((f) => `${f} ${(s[f] / MB).toFixed(1)}`).join('  '));
    return s;
  }

  reset(): void {
    for (const f of FIELDS) this.peak[f] = 0;
    this.samples = 0;
  }

  start(): void {
    let busy = false;
    this.timer = setInterval(() => {
      // CDP calls wait for the page's main thread; never stack samples behind a busy page.
      if (busy) return;
      busy = true;
      this.sample().finally(() => {
        busy = false;
      });
    }, 100);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Calls `storeBench[method](...args)` in the page. */
function pageCall<K extends keyof StorePageApi['storeBench']>(
  page: Page,
  method: K,
  ...args: Parameters<StorePageApi['storeBench'][K]>
): ReturnType<StorePageApi['storeBench'][K]> {
  return page.evaluate(
    ([m, a]) => {
      const bench = (globalThis as unknown as { storeBench: Record<string, (...x: unknown[]) => unknown> }).storeBench;
      return bench[m]!(...a);
    },
    [method as string, args as unknown[]] as const,
  ) as ReturnType<StorePageApi['storeBench'][K]>;
}

async function benchIo(page: Page): Promise<Record<string, unknown>> {
  const call = <K extends keyof StorePageApi['storeBench']>(method: K, ...args: Parameters<StorePageApi['storeBench'][K]>) =>
    pageCall(page, method, ...args);
  const chunkedRuns: Timing[] = [];
  const floorRuns: { perTx: number; onePerTx: number }[] = [];
  const oneTxRuns: number[] = [];
  let naiveRun: Timing | undefined;
  for (let r = 0; r < runs; r++) {
    chunkedRuns.push(await call('chunked', n, d, perTx, chunkSize));
    log(`chunked run ${r + 1}: write ${chunkedRuns[r]!.write_s.toFixed(3)} s, read ${chunkedRuns[r]!.read_s.toFixed(3)} s`);
    const floorTx = (await call('floor', n, d, perTx, perTx)).write_s;
    const floorOne = (await call('floor', n, d, n, chunkSize)).write_s;
    floorRuns.push({ perTx: floorTx, onePerTx: floorOne });
    // The store's own code with the whole batch in one transaction (as an import writes).
    oneTxRuns.push((await call('chunked', n, d, n, chunkSize)).write_s);
    log(`chunked, all ${n} in one batch: write ${oneTxRuns[r]!.toFixed(3)} s`);
    log(`floor run ${r + 1}: plain IndexedDB, one Blob per transaction of ${perTx}: ${floorTx.toFixed(3)} s; all ${n} in one transaction: ${floorOne.toFixed(3)} s`);
    if (r === 0) {
      naiveRun = await call('naive', n, d, perTx, chunkSize);
      log(`naive: write ${naiveRun.write_s.toFixed(3)} s, read ${naiveRun.read_s.toFixed(3)} s`);
    }
  }
  const naive = naiveRun!;
  const rates = chunkedRuns.map((x) => ({ write_per_s: round(n / x.write_s), read_per_s: round(n / x.read_s) }));
  const spread = (key: 'write_per_s' | 'read_per_s') => ({ min: Math.min(...rates.map((r) => r[key])), max: Math.max(...rates.map((r) => r[key])) });
  const chunked = {
    write_per_s: round(n / median(chunkedRuns.map((x) => x.write_s))),
    read_per_s: round(n / median(chunkedRuns.map((x) => x.read_s))),
    write_spread: spread('write_per_s'),
    /** The same store code writing all n vectors as one batch (one transaction), as an import of an export file does. */
    one_batch_write_per_s: round(n / median(oneTxRuns)),
    one_batch_runs: oneTxRuns.map((x) => round(n / x)),
    read_spread: spread('read_per_s'),
    runs: rates,
  };
  const naiveRates = { write_per_s: round(n / naive.write_s), read_per_s: round(n / naive.read_s) };
  // What the browser allows without the store: the same transactions with one plain Blob put each, and one transaction.
  const floor = {
    blob_per_transaction_write_per_s: round(n / median(floorRuns.map((x) => x.perTx))),
    one_transaction_write_per_s: round(n / median(floorRuns.map((x) => x.onePerTx))),
    runs: floorRuns.map((x) => ({ blob_per_transaction_write_per_s: round(n / x.perTx), one_transaction_write_per_s: round(n / x.onePerTx) })),
  };
  const ratios = { write: round(chunked.write_per_s / naiveRates.write_per_s, 3), read: round(chunked.read_per_s / naiveRates.read_per_s, 3) };
  const targetRate = 500_000;
  const targetRatio = 10;
  return {
    n,
    d,
    vectors_per_transaction: perTx,
    chunk_size: chunkSize,
    chunked,
    naive: naiveRates,
    floor,
    ratios,
    targets: {
      chunked_per_s_at_least: targetRate,
      ratio_to_naive_at_least: targetRatio,
      chunked_write_met: chunked.write_per_s >= targetRate,
      chunked_read_met: chunked.read_per_s >= targetRate,
      ratio_write_met: ratios.write >= targetRatio,
      ratio_read_met: ratios.read >= targetRatio,
      chunked_at_least_500k_per_s_each_way: chunked.write_per_s >= targetRate && chunked.read_per_s >= targetRate,
      chunked_at_least_10x_naive_each_way: ratios.write >= targetRatio && ratios.read >= targetRatio,
    },
  };
}

async function benchStream(page: Page, cdp: CDPSession): Promise<Record<string, unknown>> {
  const k = 16;
  const epochs = 2;
  const written = await pageCall(page, 'writeMillion', streamN, d, perTx, chunkSize);
  log(`stream: wrote ${streamN} vectors in ${written.write_s.toFixed(2)} s`);
  const readOnly = await pageCall(page, 'streamOnly');
  log(`stream: read them back in ${readOnly.seconds.toFixed(2)} s`);
  await cdp.send('HeapProfiler.collectGarbage');
  const sampler = new MemorySampler(cdp);
  const before = await sampler.sample();
  sampler.reset();
  sampler.start();
  let kmeans: Awaited<ReturnType<StorePageApi['storeBench']['streamKMeans']>>;
  try {
    kmeans = await pageCall(page, 'streamKMeans', d, k, epochs);
  } finally {
    sampler.stop();
  }
  await sampler.sample();
  log(`stream: mini-batch k-means (${kmeans.backend}) over ${kmeans.rows} rows in ${kmeans.seconds.toFixed(2)} s`);
  const mb = (x: number): number => round(x / MB, 3);
  const memory = {
    js_heap_used_before_mb: mb(before.jsHeap),
    js_heap_used_peak_mb: mb(sampler.peak.jsHeap),
    array_buffers_peak_mb: mb(sampler.peak.arrayBuffers),
    renderer_rss_before_mb: mb(before.rendererRss),
    renderer_rss_peak_mb: mb(sampler.peak.rendererRss),
    renderer_pss_peak_mb: mb(sampler.peak.rendererPss),
    renderer_footprint_before_mb: mb(before.rendererFootprint),
    renderer_footprint_peak_mb: mb(sampler.peak.rendererFootprint),
    chromium_all_processes_rss_peak_mb: mb(sampler.peak.totalRss),
    samples: sampler.samples,
  };
  return {
    n: streamN,
    d,
    write_per_s: round(streamN / written.write_s),
    read_only_per_s: round(readOnly.rows / readOnly.seconds),
    kmeans: {
      k,
      epochs,
      backend: kmeans.backend,
      seconds: round(kmeans.seconds),
      rows: kmeans.rows,
      chunks_read: kmeans.chunks_read,
      // Each epoch plus the final assignment pass reads every row once (the seeding sample reads the first rows).
      rows_streamed_per_s: round(((epochs + 1) * kmeans.rows) / kmeans.seconds),
      inertia: round(kmeans.inertia, 6),
    },
    memory,
    targets: {
      js_heap_peak_below_300_mb: memory.js_heap_used_peak_mb < 300,
      renderer_footprint_peak_below_300_mb: memory.renderer_footprint_peak_mb < 300,
      renderer_rss_peak_below_300_mb: memory.renderer_rss_peak_mb < 300,
    },
  };
}

async function main(): Promise<void> {
  if (!existsSync(join(projectRoot, 'src/kernel/wasm-bytes.generated.ts'))) {
    const built = spawnSync(process.execPath, [join(projectRoot, 'scripts/build.mjs'), 'kernel'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('bench:store needs the kernel build (node scripts/build.mjs kernel), which failed');
  }
  const dir = await mkdtemp(join(tmpdir(), 'fap-bench-store-'));
  await build({
    entryPoints: [join(projectRoot, 'bench/store-page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(dir, 'bench.js'),
    logLevel: 'error',
  });
  await writeFile(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="bench.js"></script>');
  const server = await startStaticServer({ mounts: { '/': dir } });
  const browser = await launchChromium();
  const result: Record<string, unknown> = {
    machine: { cpus: cpus().length, loadavg_1m: round(loadavg()[0] ?? 0, 3) },
  };
  try {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => 'storeBench' in globalThis);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    result.chromium = (await cdp.send('Browser.getVersion')).product;
    if (!section || section === 'io') Object.assign(result, await benchIo(page));
    if (!section || section === 'stream') result.stream = await benchStream(page, cdp);
  } finally {
    await browser.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  if (json) console.log(JSON.stringify(result));
  else console.log(JSON.stringify(result, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * Runs portable node:test files in real headless Chromium under mocha and reports every browser test
 * back as a node:test subtest, so one `npm test` covers both places with one summary.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { build } from 'esbuild';
import { startStaticServer } from '../../scripts/static-server.mjs';
import { chromiumOrSkip, launchChromium } from './chromium.ts';
import { datasetsRoot, projectRoot } from './datasets.ts';

interface BrowserResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  error?: string;
  duration?: number;
}

/** Options for {@link runInChromium}. */
export interface BrowserSuiteOptions {
  /** Test files (relative to the project root) to bundle and run in the page. */
  files: string[];
  /** Overall time limit for the page's run. */
  timeoutMs?: number;
  /** Start Chromium with a software WebGPU adapter. */
  webgpu?: boolean;
  /** Extra URL prefix → directory mounts (e.g. fixtures a test wrote to a temporary folder). */
  mounts?: Record<string, string>;
  /** Extra bundles served beside the tests: output name (e.g. 'worker') → source file relative to the root. */
  entries?: Record<string, string>;
}

/** Bundles `files`, runs them in Chromium, and adds one subtest per browser test to `t`. */
export async function runInChromium(t: TestContext, options: BrowserSuiteOptions): Promise<void> {
  if (!chromiumOrSkip(t, 'browser tests skipped')) return;
  const dir = await mkdtemp(join(tmpdir(), 'fap-browser-suite-'));
  try {
    const entry = options.files.map((f) => `import ${JSON.stringify(join(projectRoot, f))};`).join('\n');
    await build({
      stdin: { contents: entry, resolveDir: projectRoot, sourcefile: 'browser-entry.ts', loader: 'ts' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: join(dir, 'tests.js'),
      sourcemap: 'inline',
      alias: {
        'node:test': join(projectRoot, 'test/browser/node-test-shim.ts'),
        'node:assert/strict': join(projectRoot, 'test/browser/assert-shim.ts'),
        'node:assert': join(projectRoot, 'test/browser/assert-shim.ts'),
      },
      define: { 'process.env.NODE_DEBUG': 'false', 'process.env.CI': JSON.stringify(process.env.CI ?? '') },
      logLevel: 'error',
    });
    if (options.entries && Object.keys(options.entries).length) {
      await build({
        entryPoints: Object.fromEntries(Object.entries(options.entries).map(([name, file]) => [name, join(projectRoot, file)])),
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        outdir: dir,
        sourcemap: 'inline',
        logLevel: 'error',
      });
    }
    await writeFile(
      join(dir, 'index.html'),
      `<!doctype html><meta charset="utf-8"><title>browser tests</title>
<link rel="icon" href="data:,"><div id="mocha"></div>
<script src="/mocha/mocha.js"></script>
<script>
  window.__results = [];
  mocha.setup({ ui: 'bdd', timeout: 180000, reporter: function (runner) {
    runner.on('pass', (t) => __results.push({ title: t.fullTitle(), state: 'passed', duration: t.duration }));
    runner.on('fail', (t, err) => __results.push({ title: t.fullTitle(), state: 'failed', error: String(err && (err.stack || err.message) || err) }));
    runner.on('pending', (t) => __results.push({ title: t.fullTitle(), state: 'pending' }));
    runner.on('end', () => { window.__done = true; });
  } });
</script>
<script type="module">
  try { await import('./tests.js'); } catch (e) { window.__loadError = String(e && e.stack || e); }
  mocha.run();
</script>`,
    );
    const server = await startStaticServer({
      mounts: {
        '/': dir,
        '/mocha/': join(projectRoot, 'node_modules/mocha'),
        '/build/': join(projectRoot, 'build'),
        '/datasets/': datasetsRoot,
        // onnxruntime-web's .wasm/.mjs files, for pages that set ort.env.wasm.wasmPaths = '/ort/'.
        '/ort/': join(projectRoot, 'node_modules/onnxruntime-web/dist'),
        ...options.mounts,
      },
    });
    const browser = await launchChromium({ webgpu: options.webgpu ?? false });
    try {
      const page = await browser.context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(String(e.stack ?? e)));
      page.on('console', (m) => {
        if (m.type() === 'error' || process.env.FAP_BROWSER_LOG) t.diagnostic(`[chromium ${m.type()}] ${m.text()}`);
      });
      await page.goto(`${server.url}index.html`);
      await page.waitForFunction(() => (globalThis as { __done?: boolean }).__done === true, null, {
        timeout: options.timeoutMs ?? 300_000,
      });
      const loadError = await page.evaluate(() => (globalThis as { __loadError?: string }).__loadError);
      if (loadError) throw new Error(`the test bundle failed to load in Chromium: ${loadError}`);
      const results = await page.evaluate(() => (globalThis as unknown as { __results: BrowserResult[] }).__results);
      if (results.length === 0) throw new Error(`no browser tests ran; page errors: ${pageErrors.join('\n')}`);
      for (const r of results) {
        await t.test(`[chromium] ${r.title}`, (st) => {
          if (r.state === 'pending') st.skip('skipped in the browser');
          if (r.state === 'failed') throw new Error(r.error ?? 'failed');
        });
      }
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

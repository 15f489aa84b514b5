/**
 * The browser half of bench/embed.ts: the same images through the Web Worker engine in headless Chromium,
 * on wasm (threads, since the page is crossOriginIsolated) and on WebGPU when a hardware adapter exists.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startStaticServer } from '../scripts/static-server.mjs';
import type { ImageInput } from '../src/embedding/types.ts';
import { launchChromium } from '../test/helpers/chromium.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

const pageScript = `
import { WorkerEngineClient } from ${JSON.stringify(join(root, 'src/embedding/client.ts'))};
globalThis.runBench = async (names, passes, backend, model) => {
  const inputs = await Promise.all(names.map(async (name) => ({ name, bytes: new Uint8Array(await (await fetch('/images/' + name)).arrayBuffer()) })));
  const engine = await WorkerEngineClient.start(new URL('/worker.js', location.href), {
    modelsBaseUrl: new URL('/models/', location.href).href,
    ortWasmBaseUrl: new URL('/ort/', location.href).href,
    backend,
    ...(model ? { model } : {}),
  });
  try {
    await engine.process(inputs);
    let best;
    for (let p = 0; p < passes; p++) {
      const started = performance.now();
      const { outcomes } = await engine.process(inputs);
      const ms = performance.now() - started;
      const faces = outcomes.reduce((n, o) => n + (o.ok ? o.faces.length : 0), 0);
      const embed = outcomes.reduce((n, o) => n + (o.ok ? o.timings.embed : 0), 0);
      const f = { ms_per_image: ms / inputs.length, images_per_s: inputs.length * 1000 / ms, faces_per_s: faces * 1000 / ms, faces, embed_ms_per_face: embed / faces };
      if (!best || f.ms_per_image < best.ms_per_image) best = f;
    }
    return { ...best, model: engine.info.modelId, backend: engine.info.backend, threads: engine.info.threads, reason: engine.info.backendReason, crossOriginIsolated };
  } finally {
    await engine.dispose();
  }
};
globalThis.adapterInfo = async () => {
  if (!navigator.gpu) return { adapter: false };
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) return { adapter: false };
  return { adapter: true, fallback: Boolean(adapter.info?.isFallbackAdapter), description: adapter.info?.description ?? '' };
};
`;

/**
 * Runs the images through the worker engine in Chromium; returns figures per backend.
 * @param options.model a built-in embedding model (default: the default model); options.webgpu false skips WebGPU.
 */
export async function runEngineInChromium(inputs: ImageInput[], passes: number, options: { model?: string; webgpu?: boolean } = {}): Promise<Record<string, unknown>> {
  const model = options.model ?? '';
  const dir = await mkdtemp(join(tmpdir(), 'fap-bench-embed-'));
  const imagesDir = join(dir, 'images');
  try {
    await build({
      stdin: { contents: pageScript, resolveDir: root, sourcefile: 'bench-page.ts', loader: 'ts' },
      bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outfile: join(dir, 'page.js'), logLevel: 'error',
    });
    await build({
      entryPoints: { worker: join(root, 'src/embedding/worker.ts') },
      bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outdir: dir, logLevel: 'error',
    });
    await writeFile(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>');
    await mkdir(imagesDir);
    for (const input of inputs) await writeFile(join(imagesDir, input.name), input.bytes);
    const server = await startStaticServer({
      mounts: {
        '/': dir,
        '/models/': join(root, 'build/models'),
        '/ort/': join(root, 'node_modules/onnxruntime-web/dist'),
      },
    });
    const browser = await launchChromium({ webgpu: true });
    try {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}index.html`);
      await page.waitForFunction(() => typeof (globalThis as { runBench?: unknown }).runBench === 'function');
      const names = inputs.map((i) => i.name);
      const out: Record<string, unknown> = {};
      out.wasm = await page.evaluate(([n, p, m]) => (globalThis as unknown as { runBench: (a: string[], b: number, c: string, d: string) => Promise<unknown> }).runBench(n, p, 'wasm', m), [names, passes, model] as const);
      if (options.webgpu === false) return out;
      const adapter = await page.evaluate(() => (globalThis as unknown as { adapterInfo: () => Promise<{ adapter: boolean; fallback?: boolean; description?: string }> }).adapterInfo());
      out.webgpu_adapter = adapter;
      if (adapter.adapter && !adapter.fallback) {
        out.webgpu = await page.evaluate(([n, p, m]) => (globalThis as unknown as { runBench: (a: string[], b: number, c: string, d: string) => Promise<unknown> }).runBench(n, p, 'webgpu', m), [names, passes, model] as const);
      } else {
        out.webgpu = { skipped: adapter.adapter ? 'only a software (fallback) WebGPU adapter; measured ~90× slower than wasm here, so not benchmarked' : 'no WebGPU adapter in this browser' };
      }
      return out;
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A hostile export file against import in headless Chromium, on the main thread and in the import worker:
 * `node --import tsx bench/hostile-import-browser.ts [MB] [key]` (defaults 80, 'photos'; see
 * bench/hostile-import.ts for the keys) prints, per place, the seconds until the refusal and the longest
 * time the page's main thread was blocked (a MessageChannel heartbeat's largest gap).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { startStaticServer } from '../scripts/static-server.mjs';
import { launchChromium } from '../test/helpers/chromium.ts';
import { projectRoot } from '../test/helpers/datasets.ts';

const megabytes = Number(process.argv[2] ?? 80);
const key = process.argv[3] ?? 'photos';

const dir = await mkdtemp(join(tmpdir(), 'fap-bench-hostile-'));
const bundle = { bundle: true, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'error' } as const;
await build({ ...bundle, entryPoints: { bench: join(projectRoot, 'bench/hostile-import-page.ts') }, outdir: dir });
await build({ ...bundle, entryPoints: { 'import-worker': join(projectRoot, 'src/store/import-worker.ts') }, outdir: dir });
await writeFile(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="bench.js"></script>');
const server = await startStaticServer({ mounts: { '/': dir } });
const browser = await launchChromium();
try {
  const page = await browser.context.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => 'hostileBench' in globalThis);
  for (const where of ['main', 'worker'] as const) {
    const result = await page.evaluate(
      ([mb, k, w]) => (globalThis as unknown as { hostileBench: { run(mb: number, k: string, w: string): Promise<unknown> } }).hostileBench.run(mb, k, w),
      [megabytes, key, where] as const,
    );
    console.log(JSON.stringify({ key, ...(result as object) }));
  }
} finally {
  await browser.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
}

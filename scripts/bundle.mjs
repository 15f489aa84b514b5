#!/usr/bin/env node
// esbuild bundles:
//   build/web/   the demo page (scripts/demo/index.html + app.js), onnxruntime-web's wasm files, the models;
//   build/node/cli.mjs   the `face-probe` CLI (node_modules stay external: onnxruntime-node, sharp …).
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'build', 'web');
const demo = join(root, 'scripts', 'demo');

rmSync(web, { recursive: true, force: true });
mkdirSync(web, { recursive: true });

await build({
  entryPoints: { app: join(demo, 'app.ts') },
  outdir: web,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  metafile: false,
  logLevel: 'warning',
});
for (const file of readdirSync(demo)) {
  if (!file.endsWith('.ts')) cpSync(join(demo, file), join(web, file));
}

await build({
  entryPoints: { cli: join(root, 'src', 'cli', 'main.ts') },
  outdir: join(root, 'build', 'node'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});

const models = join(root, 'build', 'models');
if (existsSync(models)) cpSync(models, join(web, 'models'), { recursive: true });
console.log(`bundle: wrote ${web} and build/node/cli.mjs`);

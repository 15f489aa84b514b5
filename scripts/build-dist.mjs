#!/usr/bin/env node
// The package's compiled modules: TypeScript → dist/src and dist/components (ES2022 modules with .d.ts beside
// them, decorators compiled, `.ts` import extensions rewritten to `.js`), and dist/custom-elements.json, the
// components' manifest with paths pointing at those files. A consumer never compiles our TypeScript.
// The standalone build (dist/standalone) is written by scripts/bundle.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

for (const dir of ['src', 'components']) rmSync(join(dist, dir), { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.dist.json')],
  { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('build-dist: tsc -p tsconfig.dist.json failed');
  process.exit(1);
}

// tsc rewrites `.ts` specifiers in the .js it emits but keeps them in declarations (`import type` and
// `import('…')` types); a consumer without allowImportingTsExtensions cannot read those, so they become `.js`. It
// also leaves some `import('./x.ts')` calls in the .js as they are (seen in components/, whose decorators it
// compiles), which a browser would then fetch as .ts: those become `.js` too.
const relativeTs = /((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+?)\.ts(['"])/g;
let rewritten = 0;
for (const dir of ['src', 'components']) {
  for (const file of readdirSync(join(dist, dir), { recursive: true }).map(String).filter((f) => f.endsWith('.d.ts') || f.endsWith('.js'))) {
    const path = join(dist, dir, file);
    const text = readFileSync(path, 'utf8');
    const next = text.replace(relativeTs, (_, head, spec, tail) => `${head}${spec}.js${tail}`);
    if (next !== text) {
      writeFileSync(path, next);
      rewritten++;
    }
  }
}

// The manifest the analyzer wrote from components/*.ts (scripts/bundle.mjs), pointed at the shipped modules.
const manifestPath = join(root, 'custom-elements.json');
if (!existsSync(manifestPath)) {
  console.error('build-dist: custom-elements.json is missing; run `node scripts/build.mjs bundles` first');
  process.exit(1);
}
const manifest = readFileSync(manifestPath, 'utf8')
  .replace(/"(?:path|module)": "(components|src)\/([^"]+)\.ts"/g, (m, dir, rest) => m.replace(`${dir}/${rest}.ts`, `dist/${dir}/${rest}.js`));
mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, 'custom-elements.json'), manifest);
console.log(`build-dist: wrote dist/src, dist/components (${rewritten} files had .ts specifiers) and dist/custom-elements.json`);

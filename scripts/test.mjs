#!/usr/bin/env node
// `npm test`: brings the build up to date, type-checks, then runs every test/**/*.test.ts with
// node:test (browser suites launch Chromium from inside their node:test files) and ends with
// one "N passed, N failed" line. Exit status is non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const skipBuild = args.includes('--no-build');
const skipTypecheck = args.includes('--no-typecheck') || only.length > 0;

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: process.env });
  return r.status ?? 1;
}

if (!skipBuild && run(process.execPath, [join(root, 'scripts/build.mjs')]) !== 0) {
  console.error('npm test: the build failed, so no tests ran.\n0 passed, 1 failed');
  process.exit(1);
}

let typecheckFailed = 0;
if (!skipTypecheck) {
  console.log('▶ typecheck (tsc --noEmit, then the worker code against the webworker lib, without the DOM)');
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  typecheckFailed = run(process.execPath, [tsc, '--noEmit', '-p', root]) === 0
    && run(process.execPath, [tsc, '--noEmit', '-p', join(root, 'tsconfig.worker.json')]) === 0 ? 0 : 1;
  console.log(typecheckFailed ? '✖ typecheck failed' : '✔ typecheck');
}

const files = (only.length ? only : readdirSync(join(root, 'test'), { recursive: true })
  .map((f) => join('test', String(f)))
  .filter((f) => f.endsWith('.test.ts'))
  .sort());
if (files.length === 0) {
  console.error('npm test: no test files found');
  process.exit(1);
}

const status = run(process.execPath, [
  '--import', 'tsx',
  '--test',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  `--test-reporter=${join(root, 'scripts/summary-reporter.mjs')}`, '--test-reporter-destination=stdout',
  ...files.map((f) => relative(root, resolve(root, f))),
]);
if (typecheckFailed) console.log('(plus 1 failed: typecheck)');
process.exit(status !== 0 || typecheckFailed ? 1 : 0);

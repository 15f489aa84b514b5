#!/usr/bin/env node
// The `face-probe` command. `face-probe assets --out <dir>` copies the element's run-time files and needs no other
// dependency; every other command runs the CLI: the bundle `npm run build` writes to build/node/cli.mjs in the
// project, or the compiled modules in dist/ in the installed package (which read images with sharp).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
if (argv[0] === 'assets') {
  const { assetsCommand } = await import('./face-probe-assets.mjs');
  process.exit(assetsCommand(argv.slice(1)));
}

const bundle = fileURLToPath(new URL('../build/node/cli.mjs', import.meta.url));
const compiled = fileURLToPath(new URL('../dist/src/node.js', import.meta.url));
const entry = existsSync(bundle) ? bundle : compiled;
if (!existsSync(entry)) {
  console.error(`face-probe: neither ${bundle} nor ${compiled} exists; run \`npm run build\` in the project first.`);
  process.exit(1);
}
let run;
try {
  const cli = await import(pathToFileURL(entry).href);
  run = cli.main ?? cli.runCli;
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && /'sharp'/.test(String(error.message))) {
    console.error('face-probe: the CLI reads images with sharp, which is not installed: run `npm install sharp` (and, for speed, `npm install onnxruntime-node`).');
    process.exit(1);
  }
  throw error;
}
process.exitCode = await run(argv);
if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
  console.log('\nAlso: face-probe assets --out <dir>   copies the element\'s standalone script, worker, onnxruntime wasm files and models into <dir>');
}

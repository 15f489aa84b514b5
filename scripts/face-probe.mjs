#!/usr/bin/env node
// The `face-probe` command: runs the CLI bundle that `npm run build` writes to build/node/cli.mjs.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../build/node/cli.mjs', import.meta.url));
if (!existsSync(cli)) {
  console.error(`face-probe: ${cli} is missing; run \`npm run build\` in the project first.`);
  process.exit(1);
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));

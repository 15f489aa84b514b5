// `face-probe assets --out <dir>`: copies what <face-attribute-probe> loads at run time (the inference worker and
// its chunks, onnxruntime-web's wasm files, the models) and the standalone script into <dir>, from the installed
// package alone. Needs none of the CLI's dependencies (no sharp), so a page author can run it.
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const usage = 'usage: face-probe assets --out <dir>   copies face-attribute-probe.js, face-probe-worker.js, chunks/, ort/ and models/ into <dir>';

/**
 * Runs the command with `argv` (after `assets`) and resolves to the exit code: 0 done, 1 error (printed).
 * @param {string[]} argv
 * @returns {number}
 */
export function assetsCommand(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    return 0;
  }
  const at = argv.indexOf('--out');
  const out = at >= 0 ? argv[at + 1] : undefined;
  const extra = argv.filter((a, i) => i !== at && i !== at + 1);
  if (!out || out.startsWith('-') || extra.length > 0) {
    console.error(`face-probe assets: ${out ? `unexpected ${extra.join(' ')}` : '--out <dir> is required'}\n${usage}`);
    return 1;
  }
  const from = fileURLToPath(new URL('../dist/standalone/', import.meta.url));
  if (!existsSync(join(from, 'face-probe-worker.js')) || !existsSync(join(from, 'models', 'index.json'))) {
    console.error(`face-probe assets: ${from} is incomplete; in the project, run \`npm run build\` first`);
    return 1;
  }
  const target = resolve(out);
  cpSync(from, target, { recursive: true });
  const files = readdirSync(target, { recursive: true }).length;
  console.log(`face-probe assets: copied the worker, onnxruntime's wasm files, the models and face-attribute-probe.js into ${target} (${files} entries)`);
  return 0;
}

/**
 * Converts @vladmandic/face-api's TF.js weights (node_modules/@vladmandic/face-api/model) into ONNX models in
 * build/models/<name>.onnx, and writes build/models/index.json with every manifest (sha256 and size included).
 * Run by `node scripts/build.mjs models` (which skips it when its inputs are unchanged) and by `npm install`.
 * Usage: node --import tsx scripts/build-models.ts [--out DIR] [--source DIR]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_MODELS, type BuiltinModelName } from '../src/models/builtin.ts';
import { convertModel } from '../src/models/convert.ts';
import type { ModelIndex, ModelManifest } from '../src/models/manifest.ts';
import { parseModelIndex } from '../src/models/manifest.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};

function main(): void {
  const started = Date.now();
  const require = createRequire(join(root, 'package.json'));
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('@vladmandic/face-api/package.json'));
  } catch {
    fail('@vladmandic/face-api is not installed (it ships the weights the models are converted from): run npm install');
  }
  const sourceDir = resolve(option('--source') ?? join(packageDir, 'model'));
  const outDir = resolve(option('--out') ?? join(root, 'build', 'models'));
  const sourceVersion = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
  const read = (file: string) => {
    const path = join(sourceDir, file);
    return existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined;
  };

  mkdirSync(outDir, { recursive: true });
  const models: ModelManifest[] = [];
  for (const name of Object.keys(BUILTIN_MODELS) as BuiltinModelName[]) {
    let bytes: Uint8Array;
    try {
      bytes = convertModel(name, read, sourceVersion, sha256);
    } catch (error) {
      fail(`${name}: ${(error as Error).message} [source folder: ${sourceDir}]`);
    }
    const base = BUILTIN_MODELS[name];
    // Write to a temporary name first, so an interrupted build never leaves a half-written model behind.
    const file = join(outDir, base.file);
    writeFileSync(`${file}.tmp`, bytes);
    renameSync(`${file}.tmp`, file);
    models.push({ ...base, source: { ...base.source, version: sourceVersion }, sha256: sha256(bytes), bytes: bytes.length });
    console.log(`build-models: ${base.file} ${(bytes.length / 1e6).toFixed(2)} MB`);
  }
  const index: ModelIndex = parseModelIndex({ format: 1, models });
  writeFileSync(join(outDir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  console.log(`build-models: ${models.length} models from ${sourceDir} → ${outDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function fail(message: string): never {
  console.error(`build-models: ${message}`);
  process.exit(1);
}

main();

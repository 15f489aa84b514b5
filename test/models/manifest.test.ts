/**
 * Manifests and model validation: the built index is well-formed, and a user's own embedding model is refused
 * with a ModelLoadError that names the mismatch (wrong shapes, truncated file, hash mismatch, …) or accepted and
 * run with the manifest's input spec, its embeddings carrying the model's id.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { computeDescriptor } from '../../src/vision/descriptor.ts';
import { InvalidInputError, ModelLoadError } from '../../src/errors.ts';
import { BUILTIN_MODELS } from '../../src/models/builtin.ts';
import { MOBILEFACENET_MANIFEST } from '../../src/models/mobilefacenet.ts';
import { loadModel } from '../../src/models/load.ts';
import { type ModelManifest, parseManifest, parseModelIndex } from '../../src/models/manifest.ts';
import { OnnxGraph } from '../../src/models/onnx-graph.ts';
import { projectRoot } from '../helpers/datasets.ts';

const modelsDir = join(projectRoot, 'build', 'models');
const index = () => parseModelIndex(JSON.parse(readFileSync(join(modelsDir, 'index.json'), 'utf8')));
const recognition = () => structuredClone(index().models.find((m) => m.file === 'face-recognition.onnx')!);
const recognitionBytes = () => new Uint8Array(readFileSync(join(modelsDir, 'face-recognition.onnx')));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const opts = { backend: 'wasm' as const, threads: 1 };

/** Asserts a ModelLoadError whose message matches `pattern` and whose details name `field`. */
const loadError = (pattern: RegExp, field?: string) => (e: unknown) => {
  assert.ok(e instanceof ModelLoadError, `expected ModelLoadError, got ${String(e)}`);
  assert.match(e.message, pattern);
  if (field) assert.equal(e.details?.field, field);
  return true;
};

describe('model index and manifests', () => {
  it('build/models/index.json lists every built-in model with its real size and sha256', () => {
    const { models } = index();
    assert.deepEqual(models.map((m) => m.file).sort(), [...Object.values(BUILTIN_MODELS), MOBILEFACENET_MANIFEST].map((m) => m.file).sort());
    for (const m of models) {
      const bytes = readFileSync(join(modelsDir, m.file));
      assert.equal(m.bytes, bytes.length, m.file);
      assert.equal(m.sha256, sha256(bytes), m.file);
    }
  });

  it('the recognition model stays under 8 MB and is a 128-D euclidean embedding', () => {
    const m = recognition();
    assert.ok(m.bytes <= 8 * 1024 * 1024, `face-recognition.onnx is ${m.bytes} bytes`);
    assert.deepEqual(m.embedding, { output: 'embedding', dimension: 128, metric: 'euclidean' });
    // dlib's divisor (see RECOGNITION_DIVISOR_EVIDENCE); face-api's 255 is used only to prove equality with it.
    assert.deepEqual(m.input.normalization, { mean: [122.782, 117.001, 104.298], divisor: 256 });
    assert.match(m.notes ?? '', /ROC AUC/);
    assert.deepEqual(m.alignment, { template: 'dlib', size: 150, padding: 0.25 });
  });

  it('parseManifest names the first missing or malformed field', () => {
    const cases: Array<[(m: Record<string, unknown>) => void, RegExp]> = [
      [(m) => { delete m.id; }, /"id" must be a non-empty string/],
      [(m) => { m.sha256 = 'abc'; }, /"sha256" must be 64 lower-case hex digits/],
      [(m) => { m.task = 'classifier'; }, /"task" must be one of/],
      [(m) => { (m.input as Record<string, unknown>).layout = 'CHW'; }, /"input.layout"/],
      [(m) => { (m.input as Record<string, unknown>).shape = ['batch', 150, 150]; }, /"input.shape"/],
      [(m) => { ((m.input as Record<string, unknown>).normalization as Record<string, unknown>).divisor = 0; }, /"input.normalization.divisor"/],
      [(m) => { (m.embedding as Record<string, unknown>).output = 'features'; }, /"embedding.output" must be the name of one of the outputs \(embedding\)/],
      [(m) => { (m.embedding as Record<string, unknown>).dimension = 512; }, /\[batch, 512\] to match embedding.dimension/],
      [(m) => { m.alignment = { template: 'mtcnn', size: 112 }; }, /"alignment.template" must be 'dlib' or 'arcface-5'/],
      [(m) => { (m.embedding as Record<string, unknown>).samePersonDistance = 3; }, /"embedding.samePersonDistance" must be a distance between unit vectors/],
      [(m) => { m.alignment = { template: 'arcface-5', size: 0 }; }, /"alignment.size" must be a positive integer/],
      [(m) => { m.alignment = { template: 'dlib', size: 150, padding: -1 }; }, /"alignment.padding"/],
    ];
    for (const [mutate, pattern] of cases) {
      const m = recognition() as unknown as Record<string, unknown>;
      mutate(m);
      assert.throws(() => parseManifest(m), loadError(pattern));
    }
    assert.throws(() => parseModelIndex({ models: [] }), ModelLoadError);
  });
});

describe('loading a user-supplied embedding model', () => {
  it('accepts a model that matches its manifest, and its embeddings carry the model id', async () => {
    const manifest = { ...recognition(), id: 'my-recognition-model' };
    const model = await loadModel(manifest, recognitionBytes(), { ...opts, task: 'embedding' });
    try {
      const chip = { width: 150, height: 150, data: new Uint8Array(150 * 150 * 3).fill(128) };
      const e = await computeDescriptor(model, chip);
      assert.equal(e.modelId, 'my-recognition-model');
      assert.equal(e.vector.length, 128);
    } finally {
      await model.session.dispose();
    }
  });

  it('refuses wrong shapes, naming the value and the manifest', async () => {
    const wrongInput = recognition();
    wrongInput.input.shape = ['batch', 3, 112, 112];
    await assert.rejects(loadModel(wrongInput, recognitionBytes(), opts),
      loadError(/input "input" has shape \[batch, 3, 150, 150\] in the model but \[batch, 3, 112, 112\] in the manifest/, 'input'));
    const wrongDim = recognition();
    wrongDim.outputs[0]!.shape = ['batch', 512];
    wrongDim.embedding!.dimension = 512;
    await assert.rejects(loadModel(wrongDim, recognitionBytes(), opts),
      loadError(/output "embedding" has shape \[batch, 128\] in the model but \[batch, 512\] in the manifest/, 'output'));
    const wrongName = recognition();
    wrongName.input.name = 'image';
    await assert.rejects(loadModel(wrongName, recognitionBytes(), opts), loadError(/input "image" is not in the model, whose inputs are input/, 'input'));
  });

  it('refuses a truncated file', async () => {
    const truncated = recognitionBytes().subarray(0, 1_000_000);
    await assert.rejects(loadModel(recognition(), truncated, opts), loadError(/1000000 bytes but the manifest says \d+ \(truncated\?\)/, 'bytes'));
    // Even with a manifest written for the truncated file, it does not open as ONNX.
    const forTruncated = { ...recognition(), bytes: truncated.length, sha256: sha256(truncated) };
    await assert.rejects(loadModel(forTruncated, truncated, opts), loadError(/does not open as an ONNX model/));
  });

  it('refuses a file whose sha256 differs from the manifest', async () => {
    const bytes = recognitionBytes();
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    await assert.rejects(loadModel(recognition(), bytes, opts), loadError(/sha256 mismatch: the file hashes to [0-9a-f]{64}, the manifest says [0-9a-f]{64}/, 'sha256'));
  });

  it('refuses a model of another task and a missing file', async () => {
    const ssd = index().models.find((m) => m.task === 'detector-ssd')!;
    await assert.rejects(loadModel(ssd, new Uint8Array(1), { ...opts, task: 'embedding' }), loadError(/is a detector-ssd model; this needs a model of task embedding/, 'task'));
    await assert.rejects(loadModel(recognition(), join(modelsDir, 'missing.onnx'), opts), loadError(/could not read .*missing\.onnx/));
  });

  it("feeds a model as its manifest says: NHWC layout, BGR order, the model's own mean and divisor", async () => {
    // A stand-in embedding model: the per-channel mean of a 4×4 NHWC input, so the output shows the preprocessing.
    const g = new OnnxGraph('mean-colour');
    const x = g.input('pixels', ['batch', 4, 4, 3]);
    g.output(g.op('ReduceMean', [x], { axes: [1, 2], keepdims: 0 }), 'vector', ['batch', 3]);
    const bytes = g.toBytes();
    const manifest: ModelManifest = {
      id: 'mean-colour', version: '1', task: 'embedding', file: 'mean-colour.onnx', license: 'MIT',
      source: { package: 'test', version: '1', files: [], converter: 'test' },
      input: { name: 'pixels', shape: ['batch', 4, 4, 3], layout: 'NHWC', channelOrder: 'BGR', normalization: { mean: [10, 20, 30], divisor: 2 }, resize: 'pad-center' },
      outputs: [{ name: 'vector', shape: ['batch', 3], meaning: 'mean colour' }],
      embedding: { output: 'vector', dimension: 3, metric: 'cosine' },
      sha256: sha256(bytes), bytes: bytes.length,
    };
    const model = await loadModel(manifest, bytes, { ...opts, task: 'embedding' });
    try {
      const data = new Uint8Array(4 * 4 * 3);
      for (let i = 0; i < 16; i++) data.set([200, 100, 50], i * 3);
      const e = await computeDescriptor(model, { width: 4, height: 4, data });
      // BGR: (B − 10) / 2, (G − 20) / 2, (R − 30) / 2.
      assert.deepEqual(Array.from(e.vector), [20, 40, 85]);
      assert.equal(e.modelId, 'mean-colour');
      await assert.rejects(computeDescriptor(model, { width: 4, height: 4, data: new Uint8Array(5) }), InvalidInputError);
    } finally {
      await model.session.dispose();
    }
  });
});

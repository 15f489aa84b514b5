/**
 * Model manifests: what a model file is, where it came from, and how to feed it. Every converted model is
 * described by one (build/models/index.json holds them all, with their sha256 and size), and a user who brings
 * their own ONNX embedding model supplies one too; {@link parseManifest} checks its structure.
 */
import { ModelLoadError } from '../errors.ts';

/** What a model does, which decides the runner that drives it. */
export type ModelTask = 'embedding' | 'detector-ssd' | 'detector-tiny' | 'landmarks-68' | 'age-gender' | 'expression';

/** How a model's input tensor is made from RGB pixels. */
export interface ModelInputSpec {
  /** Input name in the ONNX graph. */
  name: string;
  /** Input shape; strings are symbolic (e.g. 'batch'). Image models: [batch, 3, H, W] (NCHW) or [batch, H, W, 3]. */
  shape: Array<number | string>;
  layout: 'NCHW' | 'NHWC';
  /** Order of the three colour channels in the tensor. */
  channelOrder: 'RGB' | 'BGR';
  /** value = (pixel − mean[c]) / divisor, with pixel in 0..255 and mean in the tensor's channel order. */
  normalization: { mean: [number, number, number]; divisor: number };
  /**
   * How a non-square image or crop becomes the square input: zero padding on both sides of the shorter axis
   * ('pad-center') or after it ('pad-end'), then a bilinear resize (TF semantics, no corner alignment).
   */
  resize: 'pad-center' | 'pad-end';
}

/** One output of a model. */
export interface ModelOutputSpec {
  name: string;
  shape: Array<number | string>;
  /** What the numbers mean, units included. */
  meaning: string;
}

/** How to read an embedding model's vectors. */
export interface EmbeddingSpec {
  /** The output that holds the vectors [batch, dimension]. */
  output: string;
  dimension: number;
  /** The distance the model was trained for. */
  metric: 'euclidean' | 'cosine';
  /**
   * Euclidean distance between L2-normalised embeddings below which two faces are taken as one person, as the
   * model's source publishes it (grouping faces by person uses it); when absent, dlib's threshold carried over.
   */
  samePersonDistance?: number;
}

/**
 * How faces are aligned into the chip an embedding model was trained on:
 * - 'dlib': dlib's mean face (fitted with 68 or 5 landmarks, as the engine's `align` option says), `padding`
 *   around it as a fraction of its size (dlib's recognition model: 150 px, padding 0.25);
 * - 'arcface-5': InsightFace's ArcFace template, five points (eye centres, nose tip, mouth corners) at 112 px.
 */
export interface AlignmentSpec {
  template: 'dlib' | 'arcface-5';
  /** Side of the chip in pixels (the model's input side). */
  size: number;
  /** 'dlib' only: padding around the template, as a fraction of its size. */
  padding?: number;
}

/** A model manifest. */
export interface ModelManifest {
  /** Stable identifier; embeddings carry it so vectors from different models are never compared. */
  id: string;
  /** Version of this model file (source version + converter revision for converted models). */
  version: string;
  task: ModelTask;
  /** File name of the ONNX model (relative to the manifest's folder). */
  file: string;
  /** Where the weights come from and how they were converted. */
  source: { package: string; version: string; files: string[]; converter: string };
  /** SPDX licence of the weights, plus any note. */
  license: string;
  input: ModelInputSpec;
  outputs: ModelOutputSpec[];
  /** Present for embedding models. */
  embedding?: EmbeddingSpec;
  /** Embedding models: the alignment their chips need. When absent, dlib's 150-pixel chip (padding 0.25). */
  alignment?: AlignmentSpec;
  /** Lower-case hex sha256 of the ONNX file. */
  sha256: string;
  /** Size of the ONNX file in bytes. */
  bytes: number;
  /** Free-text notes (e.g. evidence behind the normalisation). */
  notes?: string;
}

/** The content of build/models/index.json. */
export interface ModelIndex {
  /** Format version of the index file. */
  format: 1;
  models: ModelManifest[];
}

/**
 * Checks that `value` (parsed JSON) is a complete, well-formed manifest.
 * @throws ModelLoadError naming the first missing or malformed field.
 */
export function parseManifest(value: unknown, what = 'model manifest'): ModelManifest {
  const bad = (field: string, expected: string): never => {
    throw new ModelLoadError(`${what}: field "${field}" must be ${expected}`, { details: { field } });
  };
  if (typeof value !== 'object' || value === null) bad('(root)', 'an object');
  const m = value as Record<string, unknown>;
  const str = (obj: Record<string, unknown>, key: string, path: string) => {
    if (typeof obj[key] !== 'string' || obj[key] === '') bad(path, 'a non-empty string');
    return obj[key] as string;
  };
  str(m, 'id', 'id');
  str(m, 'version', 'version');
  str(m, 'file', 'file');
  str(m, 'license', 'license');
  const tasks: ModelTask[] = ['embedding', 'detector-ssd', 'detector-tiny', 'landmarks-68', 'age-gender', 'expression'];
  if (!tasks.includes(m.task as ModelTask)) bad('task', `one of ${tasks.join(', ')}`);
  if (typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256)) bad('sha256', '64 lower-case hex digits');
  if (!Number.isInteger(m.bytes) || (m.bytes as number) <= 0) bad('bytes', 'a positive integer');
  const source = m.source as Record<string, unknown> | undefined;
  if (typeof source !== 'object' || source === null) bad('source', 'an object');
  str(source!, 'package', 'source.package');
  str(source!, 'version', 'source.version');
  const input = m.input as Record<string, unknown> | undefined;
  if (typeof input !== 'object' || input === null) bad('input', 'an object');
  str(input!, 'name', 'input.name');
  if (!isShape(input!.shape) || (input!.shape as unknown[]).length !== 4) bad('input.shape', 'an array of 4 dimensions (numbers or names)');
  if (input!.layout !== 'NCHW' && input!.layout !== 'NHWC') bad('input.layout', "'NCHW' or 'NHWC'");
  if (input!.channelOrder !== 'RGB' && input!.channelOrder !== 'BGR') bad('input.channelOrder', "'RGB' or 'BGR'");
  if (input!.resize !== 'pad-center' && input!.resize !== 'pad-end') bad('input.resize', "'pad-center' or 'pad-end'");
  const norm = input!.normalization as Record<string, unknown> | undefined;
  if (typeof norm !== 'object' || norm === null) bad('input.normalization', 'an object');
  const mean = norm!.mean;
  if (!Array.isArray(mean) || mean.length !== 3 || !mean.every((v) => Number.isFinite(v))) bad('input.normalization.mean', 'three finite numbers');
  if (typeof norm!.divisor !== 'number' || !(norm!.divisor > 0) || !Number.isFinite(norm!.divisor)) bad('input.normalization.divisor', 'a positive finite number');
  const channelsAt = input!.layout === 'NCHW' ? 1 : 3;
  if ((input!.shape as unknown[])[channelsAt] !== 3) bad('input.shape', `an image shape with 3 channels at axis ${channelsAt} (${String(input!.layout)})`);
  if (!Array.isArray(m.outputs) || m.outputs.length === 0) bad('outputs', 'a non-empty array');
  (m.outputs as unknown[]).forEach((o, i) => {
    if (typeof o !== 'object' || o === null) bad(`outputs[${i}]`, 'an object');
    str(o as Record<string, unknown>, 'name', `outputs[${i}].name`);
    if (!isShape((o as Record<string, unknown>).shape)) bad(`outputs[${i}].shape`, 'an array of dimensions (numbers or names)');
  });
  if (m.task === 'embedding') {
    const e = m.embedding as Record<string, unknown> | undefined;
    if (typeof e !== 'object' || e === null) bad('embedding', 'an object for an embedding model');
    str(e!, 'output', 'embedding.output');
    if (!Number.isInteger(e!.dimension) || (e!.dimension as number) < 1) bad('embedding.dimension', 'a positive integer');
    if (e!.metric !== 'euclidean' && e!.metric !== 'cosine') bad('embedding.metric', "'euclidean' or 'cosine'");
    if (e!.samePersonDistance !== undefined && !(typeof e!.samePersonDistance === 'number' && e!.samePersonDistance > 0 && e!.samePersonDistance <= 2)) {
      bad('embedding.samePersonDistance', 'a distance between unit vectors, in (0, 2]');
    }
    const out = (m.outputs as ModelOutputSpec[]).find((o) => o.name === e!.output);
    if (!out) bad('embedding.output', `the name of one of the outputs (${(m.outputs as ModelOutputSpec[]).map((o) => o.name).join(', ')})`);
    if (out!.shape.length !== 2 || out!.shape[1] !== e!.dimension) bad(`outputs[${out!.name}].shape`, `[batch, ${String(e!.dimension)}] to match embedding.dimension`);
  }
  if (m.alignment !== undefined) {
    const a = m.alignment as Record<string, unknown> | null;
    if (typeof a !== 'object' || a === null) bad('alignment', 'an object');
    if (a!.template !== 'dlib' && a!.template !== 'arcface-5') bad('alignment.template', "'dlib' or 'arcface-5'");
    if (!Number.isInteger(a!.size) || (a!.size as number) < 1) bad('alignment.size', 'a positive integer');
    if (a!.padding !== undefined && (typeof a!.padding !== 'number' || !(a!.padding >= 0) || !Number.isFinite(a!.padding))) {
      bad('alignment.padding', 'a finite number ≥ 0');
    }
  }
  return value as ModelManifest;
}

/**
 * Checks build/models/index.json's content.
 * @throws ModelLoadError when it is not a format-1 index of valid manifests.
 */
export function parseModelIndex(value: unknown): ModelIndex {
  const index = value as Partial<ModelIndex> | null;
  if (typeof index !== 'object' || index === null || index.format !== 1 || !Array.isArray(index.models)) {
    throw new ModelLoadError('model index: expected {"format": 1, "models": [...]}');
  }
  index.models.forEach((m, i) => parseManifest(m, `model index entry ${i}`));
  return index as ModelIndex;
}

/** Side of the square image input: the static H (= W) of the manifest's input shape, or undefined when symbolic. */
export function inputSide(manifest: Pick<ModelManifest, 'input'>): number | undefined {
  const { shape, layout } = manifest.input;
  const [h, w] = layout === 'NCHW' ? [shape[2], shape[3]] : [shape[1], shape[2]];
  return typeof h === 'number' && h === w ? h : undefined;
}

function isShape(value: unknown): boolean {
  return Array.isArray(value) && value.every((d) => (Number.isInteger(d) && (d as number) > 0) || (typeof d === 'string' && d !== ''));
}

/**
 * The models converted from @vladmandic/face-api at install time, described without their hash and size
 * (scripts/build-models.ts adds those when it writes build/models/index.json). Data only: importing this
 * pulls in neither the converter nor onnxruntime.
 */
import type { ModelManifest } from './manifest.ts';

/** Source package of every built-in model. */
export const SOURCE_PACKAGE = '@vladmandic/face-api';
/** Version of the source package the converter was written and tested against. */
export const SOURCE_VERSION = '1.7.15';
/** Revision of our converter; bump it whenever a converted graph changes. */
export const CONVERTER_REVISION = 1;

/** face-api's expression classes, in the order of the expression model's output. */
export const EXPRESSION_LABELS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'] as const;

/** One of {@link EXPRESSION_LABELS}. */
export type ExpressionLabel = (typeof EXPRESSION_LABELS)[number];

/** A built-in manifest before the build adds `sha256` and `bytes`. */
export type BuiltinManifest = Omit<ModelManifest, 'sha256' | 'bytes'>;

/** Names of the built-in models (also their file stems in build/models/). */
export type BuiltinModelName =
  | 'face-recognition' | 'ssd-mobilenetv1' | 'tiny-face-detector' | 'face-landmark-68' | 'face-landmark-68-tiny'
  | 'age-gender' | 'face-expression';

/** face-api's per-channel means for the 150/112-pixel face nets (RGB, 0..255). */
const FACE_MEAN: [number, number, number] = [122.782, 117.001, 104.298];
const LICENSE = 'MIT (weights as shipped by @vladmandic/face-api; the recognition weights are ported from dlib)';

const common = (name: BuiltinModelName, weights: string) => ({
  id: `face-api-${name}`,
  version: `${SOURCE_VERSION}+onnx.${CONVERTER_REVISION}`,
  file: `${name}.onnx`,
  source: {
    package: SOURCE_PACKAGE,
    version: SOURCE_VERSION,
    files: [`model/${weights}-weights_manifest.json`, `model/${weights}.bin`],
    converter: `face-attribute-probe src/models (revision ${CONVERTER_REVISION})`,
  },
  license: LICENSE,
});

const faceInput = (size: number, divisor = 255) => ({
  name: 'input',
  shape: ['batch', 3, size, size],
  layout: 'NCHW' as const,
  channelOrder: 'RGB' as const,
  normalization: { mean: FACE_MEAN, divisor },
  resize: 'pad-center' as const,
});

/**
 * Why the recognition model divides by 256 while @vladmandic/face-api divides by 255 (face-api.js divides by 256).
 * Recorded in its manifest's `notes`.
 */
export const RECOGNITION_DIVISOR_EVIDENCE =
  'Divisor 256: the weights are dlib\'s dlib_face_recognition_resnet_model_v1, trained behind dlib\'s input_rgb_image layer, which '
  + 'computes (pixel - mean) / 256 with exactly these means (122.782, 117.001, 104.298). Measured on real faces with '
  + 'test/models/normalization-evidence.ts (lfw-attributes, 882 aligned faces of 62 people, 5,867 same-person and 23,468 '
  + 'different-person pairs, L2-normalised descriptors): /256 gives ROC AUC 0.994058, best balanced accuracy 98.651 %, '
  + "d' 4.5353; /255 gives 0.994054, 98.647 %, 4.5351. The two differ by at most 5.0e-4 per dimension, so the "
  + 'separation barely tells them apart, but every normalised figure favours 256, as the provenance does. '
  + '@vladmandic/face-api divides by 255: to reproduce its descriptors exactly, use divisor 255.';

/** Every built-in model. */
export const BUILTIN_MODELS: Record<BuiltinModelName, BuiltinManifest> = {
  'face-recognition': {
    ...common('face-recognition', 'face_recognition_model'),
    task: 'embedding',
    input: faceInput(150, 256),
    notes: RECOGNITION_DIVISOR_EVIDENCE,
    outputs: [{ name: 'embedding', shape: ['batch', 128], meaning: '128-D face descriptor (not L2-normalised; same person ≈ distance < 0.6)' }],
    embedding: { output: 'embedding', dimension: 128, metric: 'euclidean' },
    alignment: { template: 'dlib', size: 150, padding: 0.25 },
  },
  'ssd-mobilenetv1': {
    ...common('ssd-mobilenetv1', 'ssd_mobilenetv1_model'),
    task: 'detector-ssd',
    input: {
      name: 'input',
      shape: ['batch', 3, 512, 512],
      layout: 'NCHW',
      channelOrder: 'RGB',
      normalization: { mean: [127.5, 127.5, 127.5], divisor: 127.5 },
      resize: 'pad-end',
    },
    outputs: [
      { name: 'boxes', shape: ['batch', 5118, 4], meaning: 'decoded anchor boxes (ymin, xmin, ymax, xmax), relative to the padded square' },
      { name: 'scores', shape: ['batch', 5118], meaning: 'face probability per anchor (sigmoid)' },
    ],
  },
  'tiny-face-detector': {
    ...common('tiny-face-detector', 'tiny_face_detector_model'),
    task: 'detector-tiny',
    input: {
      name: 'input',
      shape: ['batch', 3, 'size', 'size'],
      layout: 'NCHW',
      channelOrder: 'RGB',
      normalization: { mean: [117.001, 114.697, 97.404], divisor: 255 },
      resize: 'pad-end',
    },
    outputs: [{
      name: 'grid', shape: ['batch', 'cells', 'cells', 25],
      meaning: 'YOLO grid (size / 32 cells a side): per cell 5 anchors × (x, y, w, h, objectness logits)',
    }],
  },
  'face-landmark-68': {
    ...common('face-landmark-68', 'face_landmark_68_model'),
    task: 'landmarks-68',
    input: faceInput(112),
    outputs: [{ name: 'landmarks', shape: ['batch', 136], meaning: '68 (x, y) points as fractions of the padded 112-pixel square' }],
  },
  'face-landmark-68-tiny': {
    ...common('face-landmark-68-tiny', 'face_landmark_68_tiny_model'),
    task: 'landmarks-68',
    input: faceInput(112),
    outputs: [{ name: 'landmarks', shape: ['batch', 136], meaning: '68 (x, y) points as fractions of the padded 112-pixel square' }],
  },
  'age-gender': {
    ...common('age-gender', 'age_gender_model'),
    task: 'age-gender',
    input: faceInput(112),
    outputs: [
      { name: 'age', shape: ['batch', 1], meaning: 'estimated age in years' },
      { name: 'gender', shape: ['batch', 2], meaning: 'probabilities of (male, female)' },
    ],
  },
  'face-expression': {
    ...common('face-expression', 'face_expression_model'),
    task: 'expression',
    input: faceInput(112),
    outputs: [{
      name: 'expressions', shape: ['batch', 7],
      meaning: 'probabilities of neutral, happy, sad, angry, fearful, disgusted, surprised',
    }],
  },
};

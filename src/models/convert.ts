/**
 * The converter's entry point: TF.js weights (a manifest and its .bin shards) → ONNX bytes, for each built-in
 * model. Build-time only (scripts/build-models.ts and the tests); it depends on onnx-proto, not onnxruntime.
 */
import { ModelLoadError } from '../errors.ts';
import type { BuiltinModelName } from './builtin.ts';
import { BUILTIN_MODELS, SOURCE_VERSION } from './builtin.ts';
import type { OnnxGraph } from './onnx-graph.ts';
import { parseWeightsManifest, readWeights, type TfjsWeight } from './tfjs-weights.ts';
import { buildAgeGender } from './nets/age-gender.ts';
import { buildFaceExpression } from './nets/face-expression.ts';
import { buildFaceLandmark68 } from './nets/face-landmark-68.ts';
import { buildFaceRecognition } from './nets/face-recognition.ts';
import { buildSsdMobilenetv1 } from './nets/ssd-mobilenetv1.ts';
import { buildTinyFaceDetector } from './nets/tiny-face-detector.ts';

/** For each built-in model: the face-api weights it reads (file stem in model/) and its graph builder. */
export const CONVERTERS: Record<BuiltinModelName, { weights: string; build: (w: Map<string, TfjsWeight>) => OnnxGraph }> = {
  'face-recognition': { weights: 'face_recognition_model', build: buildFaceRecognition },
  'ssd-mobilenetv1': { weights: 'ssd_mobilenetv1_model', build: buildSsdMobilenetv1 },
  'tiny-face-detector': { weights: 'tiny_face_detector_model', build: buildTinyFaceDetector },
  'face-landmark-68': { weights: 'face_landmark_68_model', build: (w) => buildFaceLandmark68(w, false) },
  'face-landmark-68-tiny': { weights: 'face_landmark_68_tiny_model', build: (w) => buildFaceLandmark68(w, true) },
  'age-gender': { weights: 'age_gender_model', build: buildAgeGender },
  'face-expression': { weights: 'face_expression_model', build: buildFaceExpression },
};

/**
 * sha256 of face-api 1.7.15's model files: with that version installed, a file that differs is corrupt
 * (a size check alone would miss flipped bytes).
 */
export const SOURCE_SHA256: Readonly<Record<string, string>> = {
  'age_gender_model-weights_manifest.json': '74b60bf3ebf981bf4e661e9cca3a185614e10b25d797118b62e2a68d3ff2569f',
  'age_gender_model.bin': '49f92bbc0afef2342c4385e4a2b0acb6d7a727c6f0aa539499719a81acf9abaa',
  'face_expression_model-weights_manifest.json': '5b349c17c7836da506e03422cd6461c74085d8bb2713ad4114647dc5d28174c8',
  'face_expression_model.bin': '9a9840f2cf1f4c7eab95f197512569345c00d2426754d4608b92af30e0300f3d',
  'face_landmark_68_model-weights_manifest.json': 'ca4886639f86e99b39fed0c155f81b63317225773bd9616716e887b0153389c9',
  'face_landmark_68_model.bin': '4611ef65c87d836d03d684b30eec4d195d8b219fa1dd58fc58945831c6b9299b',
  'face_landmark_68_tiny_model-weights_manifest.json': '9a1a5dd19fd814fd5095c3cb58f8e0d3193b8c5b9a6715b30a69d559aea31ad4',
  'face_landmark_68_tiny_model.bin': 'b98e9f2f7da76f8a6dda9741a36ed485b224b889d552de2b2c1bb16217f67bfc',
  'face_recognition_model-weights_manifest.json': 'cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b',
  'face_recognition_model.bin': 'b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589',
  'ssd_mobilenetv1_model-weights_manifest.json': '888f744dffbc84f5f060d1f8427d9742341943a2dfaaf9205d10029b7e7a2955',
  'ssd_mobilenetv1_model.bin': '2835640602d53718aa6ae9a42896327eaa21beefed056c218d32ca7d79e1e2f8',
  'tiny_face_detector_model-weights_manifest.json': '5d1af4849ac48d5b985f4a9b16010c512353ddd6fcc63d50fd0bc9e9e64296e5',
  'tiny_face_detector_model.bin': 'b7503ce7df31039b1c43316a9b865cab6a70dd748cc602d3fa28b551503c3871',
};

/** Reads a source file by its name in face-api's model/ folder; returns undefined when it does not exist. */
export type SourceReader = (file: string) => Uint8Array | undefined;

/** Hashes bytes to lower-case hex sha256 (injected so this module stays free of node:crypto). */
export type Sha256 = (bytes: Uint8Array) => string;

/**
 * Converts one built-in model.
 * @param read reads face-api's model files.
 * @param sourceVersion the installed face-api version; at {@link SOURCE_VERSION} every file's hash is checked.
 * @returns the ONNX bytes.
 * @throws ModelLoadError naming the file when a source file is missing, corrupt or truncated.
 */
export function convertModel(name: BuiltinModelName, read: SourceReader, sourceVersion: string, sha256: Sha256): Uint8Array {
  const { weights, build } = CONVERTERS[name];
  const load = (file: string): Uint8Array => {
    const bytes = read(file);
    if (!bytes) throw new ModelLoadError(`source weight file model/${file} is missing (needed for ${name})`, { details: { file } });
    const expected = SOURCE_SHA256[file];
    if (sourceVersion === SOURCE_VERSION && expected && sha256(bytes) !== expected) {
      throw new ModelLoadError(
        `source weight file model/${file} is corrupt: its sha256 differs from @vladmandic/face-api ${SOURCE_VERSION}'s (reinstall the package)`,
        { details: { file } });
    }
    return bytes;
  };
  const manifestFile = `${weights}-weights_manifest.json`;
  const groups = parseWeightsManifest(new TextDecoder().decode(load(manifestFile)), `model/${manifestFile}`);
  const shards = new Map(groups.flatMap((g) => g.paths).map((p) => [p, load(p)]));
  const graph = build(readWeights(groups, shards));
  const manifest = BUILTIN_MODELS[name];
  return graph.toBytes({
    docString: `${manifest.id} ${manifest.version}: converted from ${manifest.source.package} ${sourceVersion} model/${weights}`,
    metadata: { id: manifest.id, version: manifest.version, source: `${manifest.source.package}@${sourceVersion}`, license: manifest.license },
  });
}

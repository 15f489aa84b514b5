/**
 * face-api's own pipeline, as its README runs it, in Node on @tensorflow/tfjs-backend-wasm: SSD MobileNet v1
 * detection, 68 landmarks, the aligned face through the recognition net, for the largest face of a photo.
 * Photos where face-api's default threshold finds nothing are tried again at a lower threshold, then on a
 * padded canvas (PROTOCOL.md allows both for tight crops); a photo still without a face is left out.
 * Development only: face-api and tfjs are dev dependencies and never reach the app.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const require = createRequire(fileURLToPath(import.meta.url));

interface Tensor { dispose(): void }
interface Detection { box: { width: number; height: number } }
interface FullFace { detection: Detection; descriptor: Float32Array }
interface FaceApi {
  tf: {
    setBackend(name: string): Promise<boolean>;
    ready(): Promise<void>;
    getBackend(): string;
    tensor3d(values: Uint8Array, shape: [number, number, number], dtype: 'int32'): Tensor;
  };
  nets: Record<'ssdMobilenetv1' | 'faceLandmark68Net' | 'faceRecognitionNet', { loadFromDisk(dir: string): Promise<void> }>;
  SsdMobilenetv1Options: new (o: { minConfidence: number; maxResults: number }) => unknown;
  detectAllFaces(input: Tensor, options: unknown): { withFaceLandmarks(): { withFaceDescriptors(): Promise<FullFace[]> } };
  version: string;
}

/** face-api's default SSD threshold, and the lower one tried when it finds nothing. */
export const DEFAULT_MIN_CONFIDENCE = 0.5;
export const LOW_MIN_CONFIDENCE = 0.1;
/** Padding added on each side, as a fraction of the photo's larger side, for the last attempt. */
export const PAD_FRACTION = 0.5;

/** How a reference face was found. */
export type ReferenceFoundBy = 'detected' | 'lower-threshold' | 'padded';

/** The reference embedding of one photo, or null when face-api finds no face. */
export interface ReferenceEmbedding {
  foundBy: ReferenceFoundBy;
  /** L2-normalised, 128 values. */
  embedding: number[];
}

/** face-api on the wasm backend with the three nets its recognition pipeline uses. */
export interface FaceApiPipeline {
  /** Library, version, backend and settings, in words. */
  description: string;
  embed(path: string): Promise<ReferenceEmbedding | null>;
}

function normalise(v: Float32Array): number[] {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s) || 1;
  return Array.from(v, (x) => x / n);
}

/** Loads face-api (once per call) and returns its pipeline. */
export async function loadFaceApiPipeline(): Promise<FaceApiPipeline> {
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(p: string): void };
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
  wasm.setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
  await faceapi.tf.setBackend('wasm');
  await faceapi.tf.ready();
  if (faceapi.tf.getBackend() !== 'wasm') throw new Error(`tfjs backend is ${faceapi.tf.getBackend()}, expected wasm`);
  const models = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  for (const net of ['ssdMobilenetv1', 'faceLandmark68Net', 'faceRecognitionNet'] as const) await faceapi.nets[net].loadFromDisk(models);

  const largest = async (pixels: Uint8Array, width: number, height: number, minConfidence: number): Promise<FullFace | undefined> => {
    const input = faceapi.tf.tensor3d(pixels, [height, width, 3], 'int32');
    try {
      const faces = await faceapi.detectAllFaces(input, new faceapi.SsdMobilenetv1Options({ minConfidence, maxResults: 100 })).withFaceLandmarks().withFaceDescriptors();
      return faces.sort((a, b) => b.detection.box.width * b.detection.box.height - a.detection.box.width * a.detection.box.height)[0];
    } finally {
      input.dispose();
    }
  };

  return {
    description: `@vladmandic/face-api ${faceapi.version} (detectAllFaces → withFaceLandmarks → withFaceDescriptors, largest face) on @tensorflow/tfjs-backend-wasm; SSD MobileNet v1 at minConfidence ${DEFAULT_MIN_CONFIDENCE}, then ${LOW_MIN_CONFIDENCE}, then ${LOW_MIN_CONFIDENCE} on a canvas padded by ${PAD_FRACTION * 100} % per side; decoded with sharp (EXIF orientation applied)`,
    async embed(path) {
      const { data, info } = await sharp(await readFile(path)).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      const pixels = new Uint8Array(data.buffer, data.byteOffset, data.length);
      const { width, height } = info;
      const first = await largest(pixels, width, height, DEFAULT_MIN_CONFIDENCE);
      if (first) return { foundBy: 'detected', embedding: normalise(first.descriptor) };
      const lower = await largest(pixels, width, height, LOW_MIN_CONFIDENCE);
      if (lower) return { foundBy: 'lower-threshold', embedding: normalise(lower.descriptor) };
      const pad = Math.round(Math.max(width, height) * PAD_FRACTION);
      const { data: padded, info: p } = await sharp(pixels, { raw: { width, height, channels: 3 } })
        .extend({ top: pad, bottom: pad, left: pad, right: pad, extendWith: 'copy' })
        .raw().toBuffer({ resolveWithObject: true });
      const last = await largest(new Uint8Array(padded.buffer, padded.byteOffset, padded.length), p.width, p.height, LOW_MIN_CONFIDENCE);
      return last ? { foundBy: 'padded', embedding: normalise(last.descriptor) } : null;
    },
  };
}

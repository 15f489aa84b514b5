/**
 * The reference side of the equality tests: face-api's own TF.js implementation (dist/face-api.node-wasm.js on
 * @tensorflow/tfjs-backend-wasm, the same XNNPACK kernels face-api uses in browsers) run on real faces:
 * face-api's demo photos and ../shared/datasets/smoke, decoded with sharp.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { Box, Point, RgbImage } from '../../src/vision/image.ts';
import { type FaceReference, type ImageReference, SSD_MIN_CONFIDENCE, TINY_SCORE_THRESHOLD } from './reference-types.ts';
import { clipBox, cropImage } from '../../src/vision/resize.ts';
import { projectRoot } from '../helpers/datasets.ts';

const require = createRequire(join(projectRoot, 'package.json'));

/** Where face-api's package (weights, demo photos) is installed. */
export const faceApiDir = dirname(require.resolve('@vladmandic/face-api/package.json'));

/** A decoded test photo. */
export interface NamedImage extends RgbImage {
  name: string;
  data: Uint8Array;
}

/** Decodes a JPEG/PNG to packed RGB with sharp. */
export async function decodeFile(path: string, name: string): Promise<NamedImage> {
  const { data, info } = await sharp(readFileSync(path)).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { name, width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** face-api's six demo photos and the smoke set's twenty, decoded. */
export async function loadTestImages(smokeDir: string | undefined): Promise<NamedImage[]> {
  const demo = join(faceApiDir, 'demo');
  const files = readdirSync(demo).filter((f) => /^sample\d\.jpg$/.test(f)).sort().map((f) => ({ path: join(demo, f), name: `demo/${f}` }));
  if (smokeDir) {
    const images = join(smokeDir, 'images');
    files.push(...readdirSync(images).filter((f) => f.endsWith('.jpg')).sort().map((f) => ({ path: join(images, f), name: `smoke/${f}` })));
  }
  return Promise.all(files.map((f) => decodeFile(f.path, f.name)));
}

interface Tensor3D { dispose(): void }
interface FaceApiBox { x: number; y: number; width: number; height: number }
interface FaceApi {
  tf: {
    setBackend(name: string): Promise<boolean>;
    ready(): Promise<void>;
    getBackend(): string;
    tensor3d(values: Uint8Array, shape: [number, number, number], dtype: 'int32'): Tensor3D;
  };
  nets: Record<string, {
    loadFromDisk(dir: string): Promise<void>;
    locateFaces(input: Tensor3D, options: unknown): Promise<Array<{ score: number; box: FaceApiBox }>>;
    computeFaceDescriptor(input: Tensor3D): Promise<Float32Array>;
    detectLandmarks(input: Tensor3D): Promise<{ positions: Point[] }>;
    predictAgeAndGender(input: Tensor3D): Promise<{ age: number; gender: string; genderProbability: number }>;
    predictExpressions(input: Tensor3D): Promise<Record<string, number>>;
  }>;
  TinyFaceDetectorOptions: new (o: { inputSize: number; scoreThreshold: number }) => unknown;
  version: string;
}

let loaded: Promise<FaceApi> | undefined;

/** Loads face-api on the tfjs wasm backend with all seven nets (once per process). */
export function loadFaceApi(): Promise<FaceApi> {
  loaded ??= (async () => {
    const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(p: string): void };
    const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
    wasm.setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
    await faceapi.tf.setBackend('wasm');
    await faceapi.tf.ready();
    if (faceapi.tf.getBackend() !== 'wasm') throw new Error(`tfjs backend is ${faceapi.tf.getBackend()}, expected wasm`);
    const dir = join(faceApiDir, 'model');
    for (const net of ['ssdMobilenetv1', 'tinyFaceDetector', 'faceLandmark68Net', 'faceLandmark68TinyNet', 'faceRecognitionNet', 'ageGenderNet', 'faceExpressionNet']) {
      await faceapi.nets[net]!.loadFromDisk(dir);
    }
    return faceapi;
  })();
  return loaded;
}

const plainBox = (b: FaceApiBox): Box => ({ x: b.x, y: b.y, width: b.width, height: b.height });

/** Runs every face-api net on `image`: both detectors, then each face crop through the five face nets. */
export async function referenceFor(image: NamedImage): Promise<ImageReference> {
  const faceapi = await loadFaceApi();
  const { tf, nets } = faceapi;
  const full = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  try {
    const ssd = (await nets.ssdMobilenetv1!.locateFaces(full, { minConfidence: SSD_MIN_CONFIDENCE, maxResults: 100 }))
      .map((d) => ({ score: d.score, box: plainBox(d.box) }));
    // Small photos (the smoke set) run the tiny detector at 224 to cover a second input size.
    const tinyInputSize = Math.max(image.width, image.height) > 400 ? 416 : 224;
    const tiny = (await nets.tinyFaceDetector!.locateFaces(full, new faceapi.TinyFaceDetectorOptions({ inputSize: tinyInputSize, scoreThreshold: TINY_SCORE_THRESHOLD })))
      .map((d) => ({ score: d.score, box: plainBox(d.box) }));
    // Faces: SSD's confident detections, or the whole photo when there are none (the smoke set's tight chips).
    const confident = ssd.filter((d) => d.score >= 0.5).map((d) => d.box);
    const boxes = confident.length > 0 ? confident : [{ x: 0, y: 0, width: image.width, height: image.height }];
    const faces: FaceReference[] = [];
    for (const box of boxes) {
      const crop = clipBox(box, image.width, image.height);
      if (crop.width < 1 || crop.height < 1) continue;
      const pixels = cropImage(image, crop).image;
      const t = tf.tensor3d(pixels.data as Uint8Array, [crop.height, crop.width, 3], 'int32');
      try {
        const shift = (pts: Point[]) => pts.map((p) => ({ x: p.x + crop.x, y: p.y + crop.y }));
        const ag = await nets.ageGenderNet!.predictAgeAndGender(t);
        const ex = await nets.faceExpressionNet!.predictExpressions(t);
        faces.push({
          crop,
          descriptor: Array.from(await nets.faceRecognitionNet!.computeFaceDescriptor(t)),
          landmarks: shift((await nets.faceLandmark68Net!.detectLandmarks(t)).positions.map((p) => ({ x: p.x, y: p.y }))),
          landmarksTiny: shift((await nets.faceLandmark68TinyNet!.detectLandmarks(t)).positions.map((p) => ({ x: p.x, y: p.y }))),
          age: ag.age,
          male: ag.gender === 'male' ? ag.genderProbability : 1 - ag.genderProbability,
          expressions: ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'].map((k) => ex[k]!),
        });
      } finally {
        t.dispose();
      }
    }
    return { name: image.name, ssd, tiny, tinyInputSize, faces };
  } finally {
    full.dispose();
  }
}

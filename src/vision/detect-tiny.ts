/**
 * Runs the converted tiny face detector (Tiny-YOLOv2 with separable convolutions) and decodes its grid exactly as
 * face-api's TinyYolov2Base.extractBoxes does, then applies face-api's NMS (IoU 0.4).
 */
import { InvalidInputError, throwIfAborted } from '../errors.ts';
import { assertTask, type LoadedModel } from '../models/load.ts';
import { type FaceDetection, nmsTiny, reshapedDimensions } from './detection.ts';
import { assertRgbImage, type Box, type RgbImage } from './image.ts';
import { batchTensor } from './resize.ts';

/** Options of {@link detectFacesTiny} (face-api's TinyFaceDetectorOptions). */
export interface TinyDetectOptions {
  /** Side the image is resized to; a multiple of 32 (128–608 are typical). Default 416. */
  inputSize?: number;
  /** Minimum face score, in (0, 1). Default 0.5. */
  scoreThreshold?: number;
  signal?: AbortSignal;
}

/** face-api's tiny face detector anchors (width, height in grid cells). */
const ANCHORS: ReadonlyArray<readonly [number, number]> = [
  [1.603231, 2.094468], [6.041143, 7.080126], [2.882459, 3.518061], [4.266906, 5.178857], [9.041765, 10.66308],
];
const IOU_THRESHOLD = 0.4;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The tiny detector's raw output for one image: its grid, before any score threshold. */
export interface TinyGrid {
  /** cells × cells × 5 anchors × (x, y, w, h, score logits). */
  data: Float32Array;
  cells: number;
  inputSize: number;
  /** The image's size in pixels. */
  width: number;
  height: number;
}

/**
 * Runs the tiny face detector's network on an image (the costly part, the same at every threshold).
 * @throws InvalidInputError for a malformed image, a wrong model or input size; InferenceError when the runtime
 *   fails; an AbortError on abort.
 */
export async function runTinyDetector(model: LoadedModel, image: RgbImage, inputSize = 416, signal?: AbortSignal): Promise<TinyGrid> {
  assertTask(model, 'detector-tiny', 'detectFacesTiny');
  assertRgbImage(image);
  if (!Number.isInteger(inputSize) || inputSize < 32 || inputSize % 32 !== 0) {
    throw new InvalidInputError(`inputSize must be a positive multiple of 32 (e.g. 128, 224, 320, 416, 512, 608); got ${inputSize}`);
  }
  throwIfAborted(signal);
  const { manifest, session } = model;
  const out = await session.run({ [manifest.input.name]: batchTensor(manifest.input, [image], inputSize) }, signal);
  const grid = out.grid;
  if (!grid || grid.dims.length !== 4 || grid.dims[3] !== ANCHORS.length * 5) {
    throw new InvalidInputError(`model ${manifest.id} lacks the output "grid" [1, cells, cells, 25] of the tiny face detector`);
  }
  return { data: grid.data, cells: grid.dims[1]!, inputSize, width: image.width, height: image.height };
}

/**
 * The faces in a grid scoring above `scoreThreshold`, after face-api's NMS. Decoding one grid at a lower
 * threshold keeps every face a higher one keeps (NMS is greedy by score), so one network run serves every
 * threshold.
 * @returns faces by descending score; boxes in image pixels (not clipped to the image, as in face-api).
 * @throws InvalidInputError for a threshold outside (0, 1).
 */
export function decodeTinyGrid(grid: TinyGrid, scoreThreshold = 0.5): FaceDetection[] {
  if (!(scoreThreshold > 0 && scoreThreshold < 1)) throw new InvalidInputError(`scoreThreshold must be in (0, 1); got ${scoreThreshold}`);
  const { cells, inputSize } = grid;
  const reshaped = reshapedDimensions(grid.width, grid.height, inputSize);
  const side = Math.max(reshaped.width, reshaped.height);
  const fx = side / reshaped.width;
  const fy = side / reshaped.height;
  const boxes: Box[] = [];
  const scores: number[] = [];
  const g = grid.data;
  for (let row = 0; row < cells; row++) {
    for (let col = 0; col < cells; col++) {
      for (let a = 0; a < ANCHORS.length; a++) {
        const at = ((row * cells + col) * ANCHORS.length + a) * 5;
        const score = sigmoid(g[at + 4]!);
        if (score <= scoreThreshold) continue;
        const ctX = ((col + sigmoid(g[at]!)) / cells) * fx;
        const ctY = ((row + sigmoid(g[at + 1]!)) / cells) * fy;
        const w = ((Math.exp(g[at + 2]!) * ANCHORS[a]![0]) / cells) * fx;
        const h = ((Math.exp(g[at + 3]!) * ANCHORS[a]![1]) / cells) * fy;
        // Relative box as face-api's BoundingBox(x, y, x + w, y + h) holds it.
        const x = ctX - w / 2;
        const y = ctY - h / 2;
        boxes.push({ x, y, width: x + w - x, height: y + h - y });
        scores.push(score);
      }
    }
  }
  const scaled = boxes.map((b) => ({ x: b.x * inputSize, y: b.y * inputSize, width: b.width * inputSize, height: b.height * inputSize }));
  return nmsTiny(scaled, scores, IOU_THRESHOLD).map((i) => {
    const b = boxes[i]!;
    return { score: scores[i]!, box: { x: b.x * grid.width, y: b.y * grid.height, width: b.width * grid.width, height: b.height * grid.height } };
  });
}

/**
 * Detects faces with the tiny face detector ({@link runTinyDetector}, then {@link decodeTinyGrid}).
 * @returns faces by descending score; boxes in image pixels (not clipped to the image, as in face-api).
 * @throws InvalidInputError for a malformed image, a wrong model, or out-of-range options;
 *   InferenceError when the runtime fails; an AbortError on abort.
 */
export async function detectFacesTiny(model: LoadedModel, image: RgbImage, options: TinyDetectOptions = {}): Promise<FaceDetection[]> {
  const scoreThreshold = options.scoreThreshold ?? 0.5;
  if (!(scoreThreshold > 0 && scoreThreshold < 1)) throw new InvalidInputError(`scoreThreshold must be in (0, 1); got ${scoreThreshold}`);
  return decodeTinyGrid(await runTinyDetector(model, image, options.inputSize ?? 416, options.signal), scoreThreshold);
}

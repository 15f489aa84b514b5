/**
 * Runs the converted SSD MobileNet v1 face detector on an image and returns face-api's detections: the image is
 * padded (bottom/right) to a square and resized to 512, the graph decodes the anchor boxes, and face-api's NMS
 * picks the faces, whose boxes are mapped back to image pixels exactly as face-api's `locateFaces` does.
 */
import { InvalidInputError, throwIfAborted } from '../errors.ts';
import { inputSide } from '../models/manifest.ts';
import { assertTask, type LoadedModel } from '../models/load.ts';
import { type FaceDetection, nmsSsd, reshapedDimensions } from './detection.ts';
import { assertRgbImage, type RgbImage } from './image.ts';
import { batchTensor } from './resize.ts';

/** Options of {@link detectFacesSsd} (face-api's SsdMobilenetv1Options). */
export interface SsdDetectOptions {
  /** Minimum face score, in (0, 1). Default 0.5. */
  minConfidence?: number;
  /** Most faces returned. Default 100. */
  maxResults?: number;
  signal?: AbortSignal;
}

/** IoU above which face-api's SSD suppresses the weaker of two boxes. */
const SSD_IOU_THRESHOLD = 0.5;

/** The SSD detector's raw output for one image: every anchor's box and score, before any threshold. */
export interface SsdOutput {
  /** n × 4 (ymin, xmin, ymax, xmax), relative to the padded square. */
  boxes: Float32Array;
  scores: Float32Array;
  /** The network's input side. */
  size: number;
  /** The image's size in pixels. */
  width: number;
  height: number;
}

/**
 * Runs the SSD network on an image (the costly part, the same at every threshold).
 * @throws InvalidInputError for a malformed image or a non-SSD model; InferenceError when the runtime fails;
 *   an AbortError on abort.
 */
export async function runSsdDetector(model: LoadedModel, image: RgbImage, signal?: AbortSignal): Promise<SsdOutput> {
  assertTask(model, 'detector-ssd', 'detectFacesSsd');
  assertRgbImage(image);
  throwIfAborted(signal);
  const { manifest, session } = model;
  const size = inputSide(manifest);
  if (size === undefined) throw new InvalidInputError(`model ${manifest.id} has no fixed square input size`);
  const input = batchTensor(manifest.input, [image], size);
  const out = await session.run({ [manifest.input.name]: input }, signal);
  const boxes = out.boxes?.data;
  const scores = out.scores?.data;
  if (!boxes || !scores) throw new InvalidInputError(`model ${manifest.id} lacks the outputs "boxes" and "scores" of an SSD detector`);
  return { boxes, scores, size, width: image.width, height: image.height };
}

/**
 * The faces in an SSD output scoring above `minConfidence`, after face-api's NMS. Decoding one output at a
 * lower threshold keeps every face a higher one keeps (NMS is greedy by score), so one network run serves
 * every threshold.
 * @returns faces by descending score; boxes in image pixels (clipped to the padded square, as face-api does).
 * @throws InvalidInputError for out-of-range options.
 */
export function decodeSsdOutput(output: SsdOutput, options: { minConfidence?: number; maxResults?: number } = {}): FaceDetection[] {
  const { minConfidence, maxResults } = checkedOptions(options);
  const { boxes, scores, size, width, height } = output;
  const picked = nmsSsd(boxes, scores, maxResults, SSD_IOU_THRESHOLD, minConfidence);
  const reshaped = reshapedDimensions(width, height, size);
  const padX = size / reshaped.width;
  const padY = size / reshaped.height;
  return picked.map((i) => {
    const top = Math.max(0, boxes[i * 4]!) * padY;
    const left = Math.max(0, boxes[i * 4 + 1]!) * padX;
    const bottom = Math.min(1, boxes[i * 4 + 2]!) * padY;
    const right = Math.min(1, boxes[i * 4 + 3]!) * padX;
    return {
      score: scores[i]!,
      box: { x: left * width, y: top * height, width: (right - left) * width, height: (bottom - top) * height },
    };
  });
}

/**
 * Detects faces with the SSD MobileNet v1 model ({@link runSsdDetector}, then {@link decodeSsdOutput}).
 * @returns faces by descending score; boxes in image pixels (clipped to the padded square, as face-api does).
 * @throws InvalidInputError for a malformed image, a non-SSD model or out-of-range options;
 *   InferenceError when the runtime fails; an AbortError on abort.
 */
export async function detectFacesSsd(model: LoadedModel, image: RgbImage, options: SsdDetectOptions = {}): Promise<FaceDetection[]> {
  const checked = checkedOptions(options);
  return decodeSsdOutput(await runSsdDetector(model, image, options.signal), checked);
}

/** The options with their defaults. @throws InvalidInputError for out-of-range values. */
function checkedOptions(options: { minConfidence?: number; maxResults?: number }): { minConfidence: number; maxResults: number } {
  const minConfidence = options.minConfidence ?? 0.5;
  const maxResults = options.maxResults ?? 100;
  if (!(minConfidence > 0 && minConfidence < 1)) throw new InvalidInputError(`minConfidence must be in (0, 1); got ${minConfidence}`);
  if (!Number.isInteger(maxResults) || maxResults < 1) throw new InvalidInputError(`maxResults must be a positive integer; got ${maxResults}`);
  return { minConfidence, maxResults };
}

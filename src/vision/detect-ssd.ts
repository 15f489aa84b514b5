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

/**
 * Detects faces with the SSD MobileNet v1 model.
 * @returns faces by descending score; boxes in image pixels (clipped to the padded square, as face-api does).
 * @throws InvalidInputError for a malformed image, a non-SSD model or out-of-range options;
 *   InferenceError when the runtime fails; an AbortError on abort.
 */
export async function detectFacesSsd(model: LoadedModel, image: RgbImage, options: SsdDetectOptions = {}): Promise<FaceDetection[]> {
  assertTask(model, 'detector-ssd', 'detectFacesSsd');
  assertRgbImage(image);
  const minConfidence = options.minConfidence ?? 0.5;
  const maxResults = options.maxResults ?? 100;
  if (!(minConfidence > 0 && minConfidence < 1)) throw new InvalidInputError(`minConfidence must be in (0, 1); got ${minConfidence}`);
  if (!Number.isInteger(maxResults) || maxResults < 1) throw new InvalidInputError(`maxResults must be a positive integer; got ${maxResults}`);
  throwIfAborted(options.signal);
  const { manifest, session } = model;
  const size = inputSide(manifest);
  if (size === undefined) throw new InvalidInputError(`model ${manifest.id} has no fixed square input size`);
  const input = batchTensor(manifest.input, [image], size);
  const out = await session.run({ [manifest.input.name]: input }, options.signal);
  const boxes = out.boxes?.data;
  const scores = out.scores?.data;
  if (!boxes || !scores) throw new InvalidInputError(`model ${manifest.id} lacks the outputs "boxes" and "scores" of an SSD detector`);
  const picked = nmsSsd(boxes, scores, maxResults, SSD_IOU_THRESHOLD, minConfidence);
  const reshaped = reshapedDimensions(image.width, image.height, size);
  const padX = size / reshaped.width;
  const padY = size / reshaped.height;
  return picked.map((i) => {
    const top = Math.max(0, boxes[i * 4]!) * padY;
    const left = Math.max(0, boxes[i * 4 + 1]!) * padX;
    const bottom = Math.min(1, boxes[i * 4 + 2]!) * padY;
    const right = Math.min(1, boxes[i * 4 + 3]!) * padX;
    return {
      score: scores[i]!,
      box: { x: left * image.width, y: top * image.height, width: (right - left) * image.width, height: (bottom - top) * image.height },
    };
  });
}

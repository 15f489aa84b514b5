/**
 * Runs a converted 68-point landmark model (full or tiny) on a face box and returns the points in image pixels.
 * The crop, resize and post-processing reproduce face-api's FaceLandmark68NetBase (float32 arithmetic included).
 */
import { InvalidInputError, throwIfAborted } from '../errors.ts';
import { inputSide } from '../models/manifest.ts';
import { assertTask, type LoadedModel } from '../models/load.ts';
import { assertRgbImage, type Box, type Point, type RgbImage } from './image.ts';
import { batchTensor, cropImage } from './resize.ts';

/** 68 facial landmarks (iBUG 300-W order: jaw 0–16, brows 17–26, nose 27–35, eyes 36–47, mouth 48–67). */
export interface FaceLandmarks68 {
  /** The 68 points in pixels of the input image. */
  points: Point[];
  /** The integer region of the image the model saw (the box clipped to the image and floored). */
  crop: Box;
}

const f = Math.fround;

/** A face box in an image. */
export interface FaceCrop {
  image: RgbImage;
  box: Box;
}

/**
 * Finds 68 landmarks in each face box of one image (one batched run). See {@link detectLandmarks68Crops}.
 * @throws as {@link detectLandmarks68Crops}.
 */
export async function detectLandmarks68Batch(model: LoadedModel, image: RgbImage, boxes: readonly Box[], options: { signal?: AbortSignal } = {}): Promise<FaceLandmarks68[]> {
  return detectLandmarks68Crops(model, boxes.map((box) => ({ image, box })), options);
}

/**
 * Finds 68 landmarks in each face box, of one image or of several (one batched run: across photos, the network
 * runs once for many faces, which costs less per face than a run per photo).
 * Points are placed relative to the pixels the model saw (the clipped, floored crop); face-api shifts by the
 * unfloored box corner instead, which differs by the box corner's fractional part (< 1 px).
 * @throws InvalidInputError for a malformed image, a box without pixels in its image, or a non-landmark model;
 *   InferenceError when the runtime fails; an AbortError on abort.
 */
export async function detectLandmarks68Crops(model: LoadedModel, faces: readonly FaceCrop[], options: { signal?: AbortSignal } = {}): Promise<FaceLandmarks68[]> {
  assertTask(model, 'landmarks-68', 'detectLandmarks68');
  for (const image of new Set(faces.map((f) => f.image))) assertRgbImage(image);
  throwIfAborted(options.signal);
  if (faces.length === 0) return [];
  const { manifest, session } = model;
  const size = inputSide(manifest);
  if (size === undefined) throw new InvalidInputError(`model ${manifest.id} has no fixed square input size`);
  const crops = faces.map((f) => cropImage(f.image, f.box));
  const out = await session.run({ [manifest.input.name]: batchTensor(manifest.input, crops.map((c) => c.image), size) }, options.signal);
  const raw = out.landmarks;
  if (!raw || raw.data.length !== faces.length * 136) throw new InvalidInputError(`model ${manifest.id} lacks the output "landmarks" [batch, 136]`);
  return crops.map(({ box }, n) => {
    // face-api's postProcess: undo the centred padding in the resized square, in float32 tensor arithmetic.
    const scale = size / Math.max(box.width, box.height);
    const w = box.width * scale;
    const h = box.height * scale;
    const padX = w < h ? Math.abs(w - h) / 2 : 0;
    const padY = h < w ? Math.abs(w - h) / 2 : 0;
    const points: Point[] = [];
    for (let i = 0; i < 68; i++) {
      const rx = f(f(f(raw.data[n * 136 + 2 * i]! * size) - f(padX)) / f(w));
      const ry = f(f(f(raw.data[n * 136 + 2 * i + 1]! * size) - f(padY)) / f(h));
      points.push({ x: rx * box.width + box.x, y: ry * box.height + box.y });
    }
    return { points, crop: box };
  });
}

/**
 * Finds 68 landmarks in one face box. See {@link detectLandmarks68Batch}.
 * @throws as {@link detectLandmarks68Batch}.
 */
export async function detectLandmarks68(model: LoadedModel, image: RgbImage, box: Box, options: { signal?: AbortSignal } = {}): Promise<FaceLandmarks68> {
  return (await detectLandmarks68Batch(model, image, [box], options))[0]!;
}

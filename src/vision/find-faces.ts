/**
 * Finding faces in every framing: uncropped photos with small faces, aligned 250×250 LFW images, and tight
 * 200×200 crops whose face fills the frame (photo-tuned detectors miss most of those at their usual
 * threshold). The strategy, in order, stopping at the first step that finds a face:
 *   1. detect at the normal threshold                      → foundBy 'detected'
 *      (a large photo where this finds no face, or one small face, is searched again in overlapping tiles at
 *      the same threshold, so small faces are not lost to the detector's shrinking; see tiles.ts) → also 'detected'
 *   2. pad the canvas (the face becomes smaller and gets context) and detect again → 'padded'; the padded copy is made
 *      at the side the detector gives the photo itself (its input size: padding adds margin, not detail), not at
 *      the larger side the canvas would get, so this step costs what step 1 costs
 *   3. lower the threshold in steps, padded and unpadded   → 'lower-threshold'
 *   4. only when asked (`wholeImageFallback`): take the whole image as the face → 'whole-image'
 * Without step 4 a photo with no face yields no face (a NoFaceError): a landscape must not become a person. Step 4
 * exists for `reproduce` on pre-cropped sets (PROTOCOL.md), which reports how each face was found.
 * Every face records how it was found, so analyses can report coverage honestly.
 */
import { NoFaceError, throwIfAborted } from '../errors.ts';
import type { Box, RgbImage } from './image.ts';
import { downscaleImage } from './downscale.ts';
import { cropImage } from './resize.ts';
import { TILING_DEFAULTS, type TilingOptions, mergeTileDetections, shouldTile, tileGrid } from './tiles.ts';

/** How a face was found (see the module comment). */
export const FoundBy = {
  Detected: 'detected',
  Padded: 'padded',
  LowerThreshold: 'lower-threshold',
  WholeImage: 'whole-image',
} as const;
/** One of {@link FoundBy}'s values. */
export type FoundBy = (typeof FoundBy)[keyof typeof FoundBy];

/** The accepted {@link FoundBy} values. */
export const FOUND_BY: readonly FoundBy[] = Object.values(FoundBy);

/** A detector's output: a box in the pixels of the image it was given, and a confidence in [0, 1]. */
export interface Detection {
  box: Box;
  score: number;
}

/**
 * Any face detector: all faces scoring at least `minConfidence`. When it says which input side it shrinks or
 * grows an image of a given size to (`inputSide`), {@link findFaces} builds its padded copy at that side.
 */
export type Detector = ((image: RgbImage, options: { minConfidence: number; signal?: AbortSignal }) => Promise<Detection[]>) & {
  inputSide?: (width: number, height: number) => number;
};

/** A face found by {@link findFaces}. */
export interface FoundFace extends Detection {
  foundBy: FoundBy;
}

/** Options for {@link findFaces}; the defaults are the pipeline's. */
export interface FindFacesOptions {
  /** The detector's normal threshold. Default 0.5. */
  minConfidence?: number;
  /** Lower thresholds tried in order when nothing is found. Default [0.3, 0.15]. */
  lowerThresholds?: readonly number[];
  /** Padding added on each side, as a fraction of the image's longer side. Default 0.5. 0 disables step 2. */
  padding?: number;
  /**
   * Take the whole image as the face when all else fails (for pre-cropped sets only). Default false: a photo
   * with no face throws NoFaceError.
   */
  wholeImageFallback?: boolean;
  /** Search large photos again in tiles (see tiles.ts). Default {@link TILING_DEFAULTS}; false: never. */
  tiling?: TilingOptions | false;
  signal?: AbortSignal;
}

/** Default pipeline settings for {@link findFaces}. */
export const FIND_FACES_DEFAULTS = {
  minConfidence: 0.5,
  lowerThresholds: [0.3, 0.15],
  padding: 0.5,
  wholeImageFallback: false,
} as const;

/**
 * Finds every face in `image` with `detect`, falling back as the module comment describes.
 * @throws NoFaceError when nothing is found and `wholeImageFallback` is false.
 */
export async function findFaces(image: RgbImage, detect: Detector, options: FindFacesOptions = {}): Promise<FoundFace[]> {
  const minConfidence = options.minConfidence ?? FIND_FACES_DEFAULTS.minConfidence;
  const lower = options.lowerThresholds ?? FIND_FACES_DEFAULTS.lowerThresholds;
  const padding = options.padding ?? FIND_FACES_DEFAULTS.padding;
  const signal = options.signal;
  const tag = (found: Detection[], foundBy: FoundBy): FoundFace[] => found.map((d) => ({ ...d, foundBy }));

  throwIfAborted(signal);
  let direct = await detect(image, { minConfidence, signal });
  const tiling = options.tiling ?? TILING_DEFAULTS;
  if (tiling && shouldTile(image.width, image.height, direct, tiling)) {
    const fromTiles: Detection[] = [];
    for (const tile of tileGrid(image.width, image.height, tiling)) {
      throwIfAborted(signal);
      for (const d of await detect(cropImage(image, tile).image, { minConfidence, signal })) {
        fromTiles.push({ box: { ...d.box, x: d.box.x + tile.x, y: d.box.y + tile.y }, score: d.score });
      }
    }
    direct = mergeTileDetections(direct, fromTiles);
  }
  if (direct.length) return tag(direct, FoundBy.Detected);

  const padded = padding > 0 ? padImage(image, padding, detect.inputSide?.(image.width, image.height)) : undefined;
  const detectPadded = async (threshold: number) => {
    if (!padded) return [];
    throwIfAborted(signal);
    return unpad(await detect(padded.image, { minConfidence: threshold, signal }), padded, image);
  };
  const viaPadding = await detectPadded(minConfidence);
  if (viaPadding.length) return tag(viaPadding, FoundBy.Padded);

  for (const threshold of lower) {
    if (threshold >= minConfidence) continue;
    throwIfAborted(signal);
    const found = await detect(image, { minConfidence: threshold, signal });
    const best = found.length ? found : await detectPadded(threshold);
    if (best.length) return tag(best, FoundBy.LowerThreshold);
  }

  if (options.wholeImageFallback ?? FIND_FACES_DEFAULTS.wholeImageFallback) {
    return [{ box: { x: 0, y: 0, width: image.width, height: image.height }, score: 0, foundBy: FoundBy.WholeImage }];
  }
  throw new NoFaceError(
    `no face found in this photo (searched at confidence ${minConfidence}, then ${lower.join(' and ')}, with and without a margin added)`,
  );
}

/** The face with the largest box area, or undefined for none. */
export function largestFace<T extends { box: Box }>(faces: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const face of faces) if (!best || face.box.width * face.box.height > best.box.width * best.box.height) best = face;
  return best;
}

/** A padded copy of an image: where the image sits in it, and its pixels per image pixel on each axis (≤ 1). */
export interface PaddedImage {
  image: RgbImage;
  offset: { x: number; y: number };
  scale: { x: number; y: number };
}

/**
 * Puts the image in the middle of a larger canvas filled with its mean colour (a neutral surround, unlike
 * black, which detectors read as an edge). `fraction` of the longer side is added on every side. With
 * `maxSide`, a canvas that would be larger is made at that side, the image shrunk into it by area averaging.
 */
export function padImage(image: RgbImage, fraction: number, maxSide?: number): PaddedImage {
  const pad = Math.round(Math.max(image.width, image.height) * fraction);
  const longer = Math.max(image.width, image.height) + 2 * pad;
  const s = maxSide !== undefined && longer > maxSide ? maxSide / longer : 1;
  const offset = Math.floor(pad * s);
  // Each side shrinks by the same factor; rounding never takes the canvas past maxSide.
  const limit = (maxSide ?? Infinity) - 2 * offset;
  const inner = s === 1 ? image : downscaleImage(
    image,
    Math.max(1, Math.min(limit, Math.round(image.width * s))),
    Math.max(1, Math.min(limit, Math.round(image.height * s))),
  );
  const width = inner.width + 2 * offset;
  const height = inner.height + 2 * offset;
  const mean = [0, 0, 0];
  const n = image.width * image.height;
  for (let i = 0; i < image.data.length; i += 3) {
    mean[0]! += image.data[i]!;
    mean[1]! += image.data[i + 1]!;
    mean[2]! += image.data[i + 2]!;
  }
  const fill = mean.map((v) => Math.round(v / n));
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) {
    data[i] = fill[0]!;
    data[i + 1] = fill[1]!;
    data[i + 2] = fill[2]!;
  }
  const rowBytes = inner.width * 3;
  for (let y = 0; y < inner.height; y++) {
    data.set(inner.data.subarray(y * rowBytes, (y + 1) * rowBytes), ((y + offset) * width + offset) * 3);
  }
  return {
    image: { width, height, data },
    offset: { x: offset, y: offset },
    scale: { x: inner.width / image.width, y: inner.height / image.height },
  };
}

/** Maps detections on a padded copy back to the original image; drops those centred in the padding. */
function unpad(found: Detection[], padded: PaddedImage, image: RgbImage): Detection[] {
  const { offset, scale } = padded;
  const out: Detection[] = [];
  for (const d of found) {
    const x = (d.box.x - offset.x) / scale.x;
    const y = (d.box.y - offset.y) / scale.y;
    const width = d.box.width / scale.x;
    const height = d.box.height / scale.y;
    const cx = x + width / 2;
    const cy = y + height / 2;
    if (cx < 0 || cy < 0 || cx > image.width || cy > image.height) continue;
    out.push({ box: { x, y, width, height }, score: d.score });
  }
  return out;
}

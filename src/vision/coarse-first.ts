/**
 * Coarse first: a small photo whose face fills much of it (a crop, a portrait, an aligned dataset image) needs no
 * fine detector grid to find that face. The tiny detector is fully convolutional with anchors of 1.6 to 9 cells
 * of 32 px, so at a 160 px input (face-api's suggested size for large faces) it finds faces of about 40 to 300
 * px of its input, at half the work of its 224 px input and a sixth of 416. {@link coarseFirstDetector} asks the
 * coarse detector first and the fine one only when the coarse one finds nothing at that threshold, so a photo it
 * finds a face in costs one small run instead of one or two larger ones (the padded retry of findFaces).
 *
 * Measured (tiny detector, onnxruntime-node, the first 400 of each set, findFaces's whole strategy): on 200 px
 * UTKFace crops 160 px found a face in 399 photos at 483 runs, the 224 px input in 398 at 574 runs (it needed
 * the padded retry for 149 photos, 160 px for 63); on 250 px LFW images 428 faces against 429.
 * Only photos shrunk at most 2× to the coarse input take this path (as tiles.ts shrinks at most 2×): in a larger
 * photo a face small enough to be missed at the coarse side is too likely to be the one that matters.
 */
import type { Detector } from './find-faces.ts';

/** The coarse detector's input side (a multiple of 32, the tiny detector's stride). */
export const COARSE_SIDE = 160;

/** Photos whose longer side is at most this many pixels are searched coarse first (at most a 2× shrink). */
export const COARSE_MAX_SIDE = 2 * COARSE_SIDE;

/**
 * A detector that asks `coarse` first on photos `useCoarse` picks, and `fine` when `coarse` finds nothing at the
 * threshold asked (and on every other photo). Its `inputSide` is the fine detector's, so findFaces's padded
 * canvas is built as before (the coarse detector shrinks it further).
 */
export function coarseFirstDetector(coarse: Detector, fine: Detector, useCoarse: (width: number, height: number) => boolean): Detector {
  const detect: Detector = async (image, options) => {
    if (useCoarse(image.width, image.height)) {
      const found = await coarse(image, options);
      if (found.length) return found;
    }
    return fine(image, options);
  };
  if (fine.inputSide) detect.inputSide = fine.inputSide;
  return detect;
}

/**
 * Face alignment: a similarity transform (rotation, uniform scale, translation) from landmarks onto one of
 * dlib's templates, and bilinear sampling of the 150×150 chip the recognition network was trained on
 * (dlib's `get_face_chip_details(shape, 150, 0.25)` convention).
 */
import { InvalidInputError } from '../errors.ts';
import type { Point, RgbImage } from './image.ts';
import { assertRgbImage } from './image.ts';
import { arcfacePoints, arcfaceTemplate } from './templates.ts';

/** Side of the chip the recognition model expects, in pixels. */
export const CHIP_SIZE = 150;
/** Padding around the template, as a fraction of the template's size (dlib's recognition example uses 0.25). */
export const CHIP_PADDING = 0.25;

/**
 * dlib's mean face for landmarks 17–67 (unit square), indexed by landmark − 17. These are the template
 * coordinates dlib publishes in `get_face_chip_details`; data, not code.
 */
const MEAN_FACE_X = [
  0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124, 0.904991, 0.98004, 0.490127,
  0.490127, 0.490127, 0.490127, 0.36688, 0.426036, 0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825,
  0.334606, 0.260918, 0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149, 0.340985,
  0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721, 0.490127, 0.423532, 0.338094, 0.290379,
  0.428096, 0.490127, 0.552157, 0.689874, 0.553364, 0.490127, 0.42689,
] as const;
const MEAN_FACE_Y = [
  0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891, 0.0187482, 0.038915, 0.106454,
  0.203352, 0.307009, 0.409805, 0.515625, 0.587326, 0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758,
  0.179852, 0.231733, 0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099, 0.780233,
  0.745405, 0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805, 0.902192, 0.909281, 0.902192, 0.864805,
  0.784792, 0.778746, 0.785343, 0.778746, 0.784792, 0.824182, 0.831803, 0.824182,
] as const;

/**
 * How a face is aligned onto the chip:
 * - 'dlib-68' (the default): dlib's 68-point fit: nose, eyes, outer lips and upper inner lip (27–54, 60–64) onto
 *   the mean face above;
 * - 'dlib-5': the four eye corners and the base of the nose (landmarks 36, 39, 42, 45, 33) onto dlib's 5-point
 *   template (the points dlib's 5-point shape predictor finds), which ignores the mouth.
 * Measured with face-api's landmarks on 3,000 LFW-format pairs from lfw-attributes (10 folds): 99.17 % verification
 * accuracy with 'dlib-68', 98.73 % with 'dlib-5'.
 * - 'arcface-5': eye centres, nose tip and mouth corners onto InsightFace's ArcFace template (templates.ts), for
 *   models trained on ArcFace-style 112-pixel chips; the padding is ignored.
 */
export type AlignmentMethod = 'dlib-5' | 'dlib-68' | 'arcface-5';

/** Landmarks the 68-point fit uses: eyebrows and the lower lip move with expression, so dlib leaves them out. */
export const ALIGNMENT_LANDMARKS: readonly number[] = Array.from({ length: 51 }, (_, i) => i + 17).filter(
  (i) => !(i <= 26 || (i >= 55 && i <= 59) || i >= 65),
);

/**
 * dlib's 5-point template (unit square) as [68-point landmark index, x, y]: the outer and inner corners of the
 * eye on the image's right, of the eye on the image's left, and the base of the nose. Data from dlib's
 * `get_face_chip_details`.
 */
const DLIB_5_TEMPLATE: ReadonlyArray<readonly [number, number, number]> = [
  [45, 0.8595674595992, 0.2134981538014],
  [42, 0.6460604764104, 0.2289674387677],
  [36, 0.1205750620789, 0.2137274526848],
  [39, 0.3340850613712, 0.2290642403242],
  [33, 0.4901123135679, 0.6277975316475],
];

/**
 * A similarity transform `p' = [a −b; b a]·p + [tx, ty]`: rotation by atan2(b, a), scale hypot(a, b).
 */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/** Applies a similarity transform to a point. */
export function applySimilarity(t: Similarity, p: Point): Point {
  return { x: t.a * p.x - t.b * p.y + t.tx, y: t.b * p.x + t.a * p.y + t.ty };
}

/** The inverse of a similarity transform. @throws InvalidInputError when its scale is 0. */
export function invertSimilarity(t: Similarity): Similarity {
  const det = t.a * t.a + t.b * t.b;
  if (!(det > 0)) throw new InvalidInputError('cannot invert a similarity transform with zero scale');
  const a = t.a / det;
  const b = -t.b / det;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/**
 * Least-squares similarity transform taking `from[i]` to `to[i]` (Umeyama's closed form without reflection).
 * @throws InvalidInputError for fewer than 2 pairs, different lengths, or coincident `from` points.
 */
export function fitSimilarity(from: readonly Point[], to: readonly Point[]): Similarity {
  if (from.length !== to.length || from.length < 2) {
    throw new InvalidInputError(`fitSimilarity needs ≥ 2 point pairs of equal count; got ${from.length} and ${to.length}`);
  }
  const n = from.length;
  let fx = 0, fy = 0, gx = 0, gy = 0;
  for (let i = 0; i < n; i++) {
    fx += from[i]!.x; fy += from[i]!.y; gx += to[i]!.x; gy += to[i]!.y;
  }
  fx /= n; fy /= n; gx /= n; gy /= n;
  // For centred points, the best [a −b; b a] minimises Σ|R p − q|²: a = Σ(p·q)/Σ|p|², b = Σ(p×q)/Σ|p|².
  let dot = 0, cross = 0, norm = 0;
  for (let i = 0; i < n; i++) {
    const px = from[i]!.x - fx, py = from[i]!.y - fy;
    const qx = to[i]!.x - gx, qy = to[i]!.y - gy;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
    norm += px * px + py * py;
  }
  if (!(norm > 0)) throw new InvalidInputError('fitSimilarity: the source points all coincide');
  const a = dot / norm;
  const b = cross / norm;
  return { a, b, tx: gx - (a * fx - b * fy), ty: gy - (b * fx + a * fy) };
}

/** Landmarks as points, from a flat [x0, y0, x1, y1, …] array or a point list; checks there are 68. */
export function landmarkPoints(landmarks: ArrayLike<number> | readonly Point[]): Point[] {
  const points: Point[] = [];
  if (landmarks.length > 0 && typeof (landmarks as ArrayLike<unknown>)[0] === 'object') {
    for (const p of landmarks as readonly Point[]) points.push({ x: p.x, y: p.y });
  } else {
    const flat = landmarks as ArrayLike<number>;
    for (let i = 0; i + 1 < flat.length; i += 2) points.push({ x: flat[i]!, y: flat[i + 1]! });
  }
  if (points.length !== 68) throw new InvalidInputError(`alignment needs 68 landmarks; got ${points.length}`);
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) throw new InvalidInputError('landmarks contain NaN or Infinity');
  }
  return points;
}

/** Where landmark `i` (17–67) of dlib's mean face lands in a chip of `size` px with `padding`. */
export function templatePoint(i: number, size = CHIP_SIZE, padding = CHIP_PADDING): Point {
  const x = MEAN_FACE_X[i - 17];
  const y = MEAN_FACE_Y[i - 17];
  if (x === undefined || y === undefined) throw new InvalidInputError(`dlib's template covers landmarks 17–67; got ${i}`);
  return onChip(x, y, size, padding);
}

/** A unit-square template point placed on a chip of `size` px with `padding` on every side. */
function onChip(x: number, y: number, size: number, padding: number): Point {
  return { x: ((padding + x) / (2 * padding + 1)) * size, y: ((padding + y) / (2 * padding + 1)) * size };
}

/**
 * The transform from chip pixels to image pixels that puts a face's landmarks onto dlib's template.
 * @param landmarks 68 points in image pixels (flat x,y pairs or points).
 */
export function chipTransform(
  landmarks: ArrayLike<number> | readonly Point[],
  size = CHIP_SIZE,
  padding = CHIP_PADDING,
  method: AlignmentMethod = 'dlib-68',
): Similarity {
  const points = landmarkPoints(landmarks);
  if (method === 'dlib-5') {
    const from = DLIB_5_TEMPLATE.map(([, x, y]) => onChip(x, y, size, padding));
    return fitSimilarity(from, DLIB_5_TEMPLATE.map(([i]) => points[i]!));
  }
  if (method === 'arcface-5') return fitSimilarity(arcfaceTemplate(size), arcfacePoints(points));
  if (method !== 'dlib-68') throw new InvalidInputError(`alignment must be 'dlib-5', 'dlib-68' or 'arcface-5'; got ${JSON.stringify(method)}`);
  const from = ALIGNMENT_LANDMARKS.map((i) => templatePoint(i, size, padding));
  return fitSimilarity(from, ALIGNMENT_LANDMARKS.map((i) => points[i]!));
}

/**
 * Samples a `size`×`size` chip whose pixel (u, v) comes from image point `chipToImage(u, v)`. Bilinear
 * interpolation; when the chip shrinks the face by more than 1.5×, each chip pixel averages an s×s grid of
 * bilinear samples (s = ceil(scale)) so small chips of large faces are not aliased. Points outside the
 * image read as black, as in dlib.
 */
export function extractChip(image: RgbImage, chipToImage: Similarity, size = CHIP_SIZE): RgbImage {
  assertRgbImage(image);
  if (!Number.isInteger(size) || size < 1) throw new InvalidInputError(`chip size must be a positive integer; got ${size}`);
  const { width, height, data } = image;
  const out = new Uint8Array(size * size * 3);
  const { a, b, tx, ty } = chipToImage;
  const scale = Math.hypot(a, b);
  const taps = scale > 1.5 ? Math.ceil(scale) : 1;
  const weight = 1 / (taps * taps);
  // Sub-sample offsets in chip pixels, centred on the pixel: (s + 0.5) / taps − 0.5.
  const offsets = Array.from({ length: taps }, (_, s) => (s + 0.5) / taps - 0.5);
  let r = 0, g = 0, bl = 0;
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      r = g = bl = 0;
      for (const dv of offsets) {
        for (const du of offsets) {
          const cu = u + du;
          const cv = v + dv;
          const x = a * cu - b * cv + tx;
          const y = b * cu + a * cv + ty;
          // Bilinear: pixel centres at integer coordinates; taps outside the image read as black.
          const x0 = Math.floor(x);
          const y0 = Math.floor(y);
          const fx = x - x0;
          const fy = y - y0;
          const inX0 = x0 >= 0 && x0 < width;
          const inX1 = x0 + 1 >= 0 && x0 + 1 < width;
          if (y0 >= 0 && y0 < height) {
            const row = y0 * width;
            const wy = 1 - fy;
            if (inX0) {
              const i = (row + x0) * 3, w = wy * (1 - fx);
              r += w * data[i]!; g += w * data[i + 1]!; bl += w * data[i + 2]!;
            }
            if (inX1) {
              const i = (row + x0 + 1) * 3, w = wy * fx;
              r += w * data[i]!; g += w * data[i + 1]!; bl += w * data[i + 2]!;
            }
          }
          if (y0 + 1 >= 0 && y0 + 1 < height) {
            const row = (y0 + 1) * width;
            if (inX0) {
              const i = (row + x0) * 3, w = fy * (1 - fx);
              r += w * data[i]!; g += w * data[i + 1]!; bl += w * data[i + 2]!;
            }
            if (inX1) {
              const i = (row + x0 + 1) * 3, w = fy * fx;
              r += w * data[i]!; g += w * data[i + 1]!; bl += w * data[i + 2]!;
            }
          }
        }
      }
      const o = (v * size + u) * 3;
      out[o] = Math.round(r * weight);
      out[o + 1] = Math.round(g * weight);
      out[o + 2] = Math.round(bl * weight);
    }
  }
  return { width: size, height: size, data: out };
}

/** An aligned face: the chip and the transform that made it. */
export interface AlignedFace {
  chip: RgbImage;
  /** Chip pixels → image pixels. */
  chipToImage: Similarity;
}

/** Aligns one face: fits the template to its 68 landmarks and samples the chip. */
export function alignFace(
  image: RgbImage,
  landmarks: ArrayLike<number> | readonly Point[],
  size = CHIP_SIZE,
  padding = CHIP_PADDING,
  method: AlignmentMethod = 'dlib-68',
): AlignedFace {
  const chipToImage = chipTransform(landmarks, size, padding, method);
  return { chip: extractChip(image, chipToImage, size), chipToImage };
}

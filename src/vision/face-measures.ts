/**
 * Cheap per-face measurements that describe what a split of the embedding follows: head pose from the
 * 68 landmarks, and brightness, contrast and sharpness of the aligned chip's inner face.
 *
 * Head pose: a scaled-orthographic camera fitted by least squares to six landmarks (nose tip, chin,
 * outer eye corners, mouth corners) of a generic 3-D face (the model points commonly used with
 * OpenCV's solvePnP), then the nearest rotation. Faces in photos are far from the camera compared
 * with their depth, so the orthographic fit is close; the generic face adds a constant bias that is
 * the same for every photo, so differences between faces are what the angles are good for.
 */
import type { RgbImage } from './image.ts';

/** What {@link measureFace} reports. Angles in degrees; image figures on the 0–255 luma scale. */
export interface FaceMeasures {
  /** Turn about the vertical axis: positive = the nose points to the image's right. */
  yaw: number;
  /** Nod: positive = the face looks down. */
  pitch: number;
  /** Tilt in the image plane: positive = counter-clockwise as seen in the image. */
  roll: number;
  /** Mean luma of the inner face. */
  brightness: number;
  /** Standard deviation of luma (RMS contrast) of the inner face. */
  contrast: number;
  /** Variance of the 4-neighbour Laplacian of luma (higher = sharper; a blurred or upscaled face scores low). */
  sharpness: number;
}

/** Indices (68-point iBUG scheme, 0-based) of the pose landmarks and their generic 3-D positions (x right, y up, z toward the camera). */
const POSE_POINTS: ReadonlyArray<readonly [number, number, number, number]> = [
  [30, 0, 0, 0], // nose tip
  [8, 0, -330, -65], // chin
  [36, -225, 170, -135], // outer corner of the eye on the image's left
  [45, 225, 170, -135], // outer corner of the eye on the image's right
  [48, -150, -150, -125], // mouth corner, image left
  [54, 150, -150, -125], // mouth corner, image right
];

/** The generic model's pose points, for tests that project a known rotation. */
export const POSE_MODEL: ReadonlyArray<{ landmark: number; point: readonly [number, number, number] }> =
  POSE_POINTS.map(([landmark, x, y, z]) => ({ landmark, point: [x, y, z] as const }));

const DEG = 180 / Math.PI;

function solve3(a: number[][], b: number[]): number[] | null {
  // Cramer's rule on a 3×3 system (the normal equations of the camera fit).
  const det = (m: number[][]) => m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!)
    - m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!)
    + m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
  const d = det(a);
  if (Math.abs(d) < 1e-9) return null;
  return [0, 1, 2].map((c) => det(a.map((row, r) => row.map((v, k) => (k === c ? b[r]! : v)))) / d);
}

/**
 * Yaw, pitch and roll (degrees) from 68 landmarks in image pixels (x0, y0, x1, y1, …).
 * @returns NaN angles when the landmarks are degenerate (e.g. all on one point).
 */
export function headPose(landmarks: ArrayLike<number>): { yaw: number; pitch: number; roll: number } {
  const m = POSE_POINTS.length;
  const model = POSE_POINTS.map(([, x, y, z]) => [x, y, z]);
  const image = POSE_POINTS.map(([i]) => [landmarks[2 * i] as number, -(landmarks[2 * i + 1] as number)]);
  const mean = (rows: number[][], k: number) => rows.reduce((s, r) => s + r[k]!, 0) / m;
  const pm = [0, 1, 2].map((k) => mean(model, k));
  const im = [0, 1].map((k) => mean(image, k));
  const P = model.map((r) => r.map((v, k) => v - pm[k]!));
  const Q = image.map((r) => r.map((v, k) => v - im[k]!));
  const ppt = [0, 1, 2].map((a) => [0, 1, 2].map((b) => P.reduce((s, r) => s + r[a]! * r[b]!, 0)));
  const rows = [0, 1].map((k) => solve3(ppt, [0, 1, 2].map((a) => P.reduce((s, r, i) => s + r[a]! * Q[i]![k]!, 0))));
  const nan = { yaw: Number.NaN, pitch: Number.NaN, roll: Number.NaN };
  if (!rows[0] || !rows[1]) return nan;
  const norm = (v: number[]) => Math.hypot(...v);
  const r1 = rows[0].map((v) => v / norm(rows[0]!));
  let r2 = rows[1].map((v) => v / norm(rows[1]!));
  if (!r1.every(Number.isFinite) || !r2.every(Number.isFinite)) return nan;
  // Nearest orthonormal pair: remove r2's component along r1 (the fit's rows are nearly orthogonal).
  const dot = r1.reduce((s, v, k) => s + v * r2[k]!, 0);
  r2 = r2.map((v, k) => v - dot * r1[k]!);
  r2 = r2.map((v) => v / norm(r2));
  const r3 = [r1[1]! * r2[2]! - r1[2]! * r2[1]!, r1[2]! * r2[0]! - r1[0]! * r2[2]!, r1[0]! * r2[1]! - r1[1]! * r2[0]!];
  // R = Rz(roll) · Ry(yaw) · Rx(pitch), rows r1, r2, r3.
  const yaw = Math.asin(Math.max(-1, Math.min(1, -r3[0]!))) * DEG;
  const pitch = Math.atan2(r3[1]!, r3[2]!) * DEG;
  const roll = Math.atan2(r2[0]!, r1[0]!) * DEG;
  return { yaw, pitch, roll };
}

/**
 * Brightness, contrast and sharpness of the inner face: the central half (each way) of an aligned chip,
 * where the template puts the eyes, nose and mouth.
 */
export function chipMeasures(chip: RgbImage): { brightness: number; contrast: number; sharpness: number } {
  const { width, height, data } = chip;
  const x0 = Math.floor(width / 4), x1 = Math.ceil((3 * width) / 4);
  const y0 = Math.floor(height / 4), y1 = Math.ceil((3 * height) / 4);
  const w = x1 - x0, h = y1 - y0;
  const luma = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = ((y + y0) * width + (x + x0)) * 3;
      luma[y * w + x] = 0.299 * (data[p] as number) + 0.587 * (data[p + 1] as number) + 0.114 * (data[p + 2] as number);
    }
  }
  let sum = 0;
  for (const v of luma) sum += v;
  const brightness = sum / luma.length;
  let sq = 0;
  for (const v of luma) sq += (v - brightness) ** 2;
  const contrast = Math.sqrt(sq / luma.length);
  let lSum = 0, lSq = 0, count = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const c = luma[y * w + x] as number;
      const lap = (luma[y * w + x - 1] as number) + (luma[y * w + x + 1] as number) + (luma[(y - 1) * w + x] as number) + (luma[(y + 1) * w + x] as number) - 4 * c;
      lSum += lap;
      lSq += lap * lap;
      count++;
    }
  }
  const sharpness = count ? lSq / count - (lSum / count) ** 2 : 0;
  return { brightness, contrast, sharpness };
}

/** Every measurement of one face: pose from its landmarks (image px), image figures from its aligned chip. */
export function measureFace(chip: RgbImage, landmarks: ArrayLike<number>): FaceMeasures {
  return { ...headPose(landmarks), ...chipMeasures(chip) };
}

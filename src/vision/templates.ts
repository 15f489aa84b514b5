/**
 * The ArcFace 5-point alignment template (InsightFace's `arcface_src`, the reference points of its 112 × 112
 * training chips) and the five points it needs, taken from the 68 landmarks.
 */
import type { Point } from './image.ts';

/** Side of the chip the ArcFace template is defined on, in pixels. */
export const ARCFACE_CHIP_SIZE = 112;

/**
 * InsightFace's ArcFace template in a 112 × 112 chip, pixel centres at integer coordinates (as OpenCV's
 * warpAffine, which InsightFace uses): the eye on the image's left, the eye on the image's right, the nose tip,
 * the mouth corner on the image's left, the mouth corner on the image's right. Data, not code.
 */
export const ARCFACE_TEMPLATE: readonly Point[] = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];

/**
 * The template's five points from 68 landmarks (dlib / iBUG numbering, as face-api returns them): the centres of
 * the eyes (means of 36–41 and of 42–47), the nose tip (30) and the mouth corners (48, 54).
 */
export function arcfacePoints(points: readonly Point[]): Point[] {
  const mean = (from: number, to: number): Point => {
    let x = 0, y = 0;
    for (let i = from; i <= to; i++) {
      x += points[i]!.x;
      y += points[i]!.y;
    }
    return { x: x / (to - from + 1), y: y / (to - from + 1) };
  };
  return [mean(36, 41), mean(42, 47), points[30]!, points[48]!, points[54]!];
}

/**
 * The template's points in a chip of `size` px (it scales with the chip; 112 is its native size). Pixel centres
 * sit at integer coordinates, so scaling keeps (−0.5, −0.5), the chip's corner, fixed.
 */
export function arcfaceTemplate(size = ARCFACE_CHIP_SIZE): Point[] {
  const scale = size / ARCFACE_CHIP_SIZE;
  return ARCFACE_TEMPLATE.map((p) => ({ x: (p.x + 0.5) * scale - 0.5, y: (p.y + 0.5) * scale - 0.5 }));
}

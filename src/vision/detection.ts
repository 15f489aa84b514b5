/**
 * Types shared by the face detectors, and face-api's two non-maximum-suppression variants (reproduced exactly,
 * including their tie-breaking, so our detections are face-api's).
 */
import type { Box } from './image.ts';

/** A detected face: its box in pixels of the input image and the detector's confidence in [0, 1]. */
export interface FaceDetection {
  box: Box;
  score: number;
}

/**
 * The SSD detector's NMS (face-api src/ssdMobilenetv1/nonMaxSuppression.ts): candidates above `scoreThreshold`
 * by descending score; a candidate is kept when no kept box overlaps it by IoU > `iouThreshold`.
 * @param boxes n × 4 (ymin, xmin, ymax, xmax).
 * @returns indices of the kept boxes, best first, at most `maxOutputSize`.
 */
export function nmsSsd(boxes: Float32Array, scores: Float32Array, maxOutputSize: number, iouThreshold: number, scoreThreshold: number): number[] {
  const n = scores.length;
  const outputSize = Math.min(maxOutputSize, n);
  const candidates: { score: number; index: number }[] = [];
  for (let i = 0; i < n; i++) if (scores[i]! > scoreThreshold) candidates.push({ score: scores[i]!, index: i });
  candidates.sort((a, b) => b.score - a.score);
  const selected: number[] = [];
  for (const c of candidates) {
    if (selected.length >= outputSize) break;
    let suppressed = false;
    for (let j = selected.length - 1; j >= 0; j--) {
      const iou = iouCorners(boxes, c.index, selected[j]!);
      if (iou === 0) continue;
      if (iou > iouThreshold) {
        suppressed = true;
        break;
      }
    }
    if (!suppressed) selected.push(c.index);
  }
  return selected;
}

function iouCorners(b: Float32Array, i: number, j: number): number {
  const yminI = Math.min(b[i * 4]!, b[i * 4 + 2]!);
  const xminI = Math.min(b[i * 4 + 1]!, b[i * 4 + 3]!);
  const ymaxI = Math.max(b[i * 4]!, b[i * 4 + 2]!);
  const xmaxI = Math.max(b[i * 4 + 1]!, b[i * 4 + 3]!);
  const yminJ = Math.min(b[j * 4]!, b[j * 4 + 2]!);
  const xminJ = Math.min(b[j * 4 + 1]!, b[j * 4 + 3]!);
  const ymaxJ = Math.max(b[j * 4]!, b[j * 4 + 2]!);
  const xmaxJ = Math.max(b[j * 4 + 1]!, b[j * 4 + 3]!);
  const areaI = (ymaxI - yminI) * (xmaxI - xminI);
  const areaJ = (ymaxJ - yminJ) * (xmaxJ - xminJ);
  if (areaI <= 0 || areaJ <= 0) return 0;
  const inter = Math.max(Math.min(ymaxI, ymaxJ) - Math.max(yminI, yminJ), 0) * Math.max(Math.min(xmaxI, xmaxJ) - Math.max(xminI, xminJ), 0);
  return inter / (areaI + areaJ - inter);
}

/**
 * The tiny detector's NMS (face-api src/ops/nonMaxSuppression.ts): repeatedly take the highest score (the last
 * of equal scores in index order) and drop every remaining box whose IoU with it exceeds `iouThreshold`.
 * @returns indices of the kept boxes, best first.
 */
export function nmsTiny(boxes: readonly Box[], scores: readonly number[], iouThreshold: number): number[] {
  let order = scores.map((score, index) => ({ score, index })).sort((a, b) => a.score - b.score).map((c) => c.index);
  const pick: number[] = [];
  while (order.length > 0) {
    const current = order.pop()!;
    pick.push(current);
    order = order.filter((i) => iouBoxes(boxes[current]!, boxes[i]!) <= iouThreshold);
  }
  return pick;
}

function iouBoxes(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/** face-api's computeReshapedDimensions: the image's size once its longer side is scaled to `inputSize`, rounded. */
export function reshapedDimensions(width: number, height: number, inputSize: number): { width: number; height: number } {
  const scale = inputSize / Math.max(width, height);
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

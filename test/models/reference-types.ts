/**
 * Plain-data shapes of face-api's reference figures (computed in Node by face-api-reference.ts, read by the
 * Node and Chromium comparisons), and the detector settings both sides use.
 */
import type { Box, Point } from '../../src/vision/image.ts';

/** face-api's outputs for one face crop. */
export interface FaceReference {
  /** The integer crop (image pixels) every face model saw. */
  crop: Box;
  descriptor: number[];
  /** 68 points in image pixels (face-api's crop-relative points + the crop's corner). */
  landmarks: Point[];
  landmarksTiny: Point[];
  age: number;
  /** Probability of male. */
  male: number;
  expressions: number[];
}

/** A detection as plain data. */
export interface DetectionReference {
  box: Box;
  score: number;
}

/** face-api's outputs for one photo. */
export interface ImageReference {
  name: string;
  ssd: DetectionReference[];
  tiny: DetectionReference[];
  /** Input side used for the tiny detector on this photo. */
  tinyInputSize: number;
  faces: FaceReference[];
}

/** Detector settings shared by the reference and our runners (low thresholds, so more boxes get compared). */
export const SSD_MIN_CONFIDENCE = 0.3;
export const TINY_SCORE_THRESHOLD = 0.3;


/**
 * Comparison of our runners' results with face-api's reference figures, shared by the Node and the Chromium
 * equality tests (portable: no Node modules). Each comparison records its largest difference in a
 * {@link Figures} table and returns the problems it found as readable strings.
 */
import { computeDescriptors } from '../../src/vision/descriptor.ts';
import { EXPRESSION_LABELS } from '../../src/models/builtin.ts';
import type { LoadedModel } from '../../src/models/load.ts';
import { predictAgeGenderBatch, predictExpressionsBatch } from '../../src/vision/attributes.ts';
import { detectFacesSsd } from '../../src/vision/detect-ssd.ts';
import { detectFacesTiny } from '../../src/vision/detect-tiny.ts';
import type { Box, Point, RgbImage } from '../../src/vision/image.ts';
import { detectLandmarks68Batch } from '../../src/vision/landmarks.ts';
import { cropImage } from '../../src/vision/resize.ts';
import { type ImageReference, SSD_MIN_CONFIDENCE, TINY_SCORE_THRESHOLD } from './reference-types.ts';

/** The tolerances of issue 3. */
export const TOLERANCE = {
  descriptorAbs: 1e-4,
  descriptorCosine: 0.99999,
  boxPx: 0.5,
  score: 1e-3,
  landmarkPx: 0.5,
  ageYears: 0.5,
  probability: 1e-3,
} as const;

/** Largest differences seen per metric (and the smallest cosine). */
export class Figures {
  readonly max = new Map<string, number>();
  readonly min = new Map<string, number>();
  readonly count = new Map<string, number>();

  /** Records a difference (keeps the maximum). */
  diff(metric: string, value: number): void {
    this.max.set(metric, Math.max(this.max.get(metric) ?? 0, Number.isNaN(value) ? Infinity : value));
    this.count.set(metric, (this.count.get(metric) ?? 0) + 1);
  }

  /** Records a similarity (keeps the minimum). */
  similarity(metric: string, value: number): void {
    this.min.set(metric, Math.min(this.min.get(metric) ?? 1, Number.isNaN(value) ? -Infinity : value));
    this.count.set(metric, (this.count.get(metric) ?? 0) + 1);
  }

  /** One line per metric: "metric: max 1.2e-7 over n values". */
  lines(): string[] {
    return [
      ...[...this.max].map(([k, v]) => `${k}: max ${v.toExponential(2)} over ${this.count.get(k)} values`),
      ...[...this.min].map(([k, v]) => `${k}: min ${v.toFixed(12)} (1 − min = ${(1 - v).toExponential(2)}) over ${this.count.get(k)} values`),
    ];
  }
}

const boxDiff = (a: Box, b: Box) =>
  Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y), Math.abs(a.x + a.width - b.x - b.width), Math.abs(a.y + a.height - b.y - b.height));

/**
 * Pairs detections by box and compares boxes (corners, px) and scores. A detection without a partner is only
 * accepted when its score is within the score tolerance of the threshold (it may fall on either side of it).
 */
export function compareDetections(
  what: string, metric: string, reference: Array<{ box: Box; score: number }>, ours: Array<{ box: Box; score: number }>, threshold: number, figures: Figures,
): string[] {
  const problems: string[] = [];
  const free = new Set(ours.map((_, i) => i));
  for (const ref of reference) {
    let best = -1;
    let bestDiff = Infinity;
    for (const i of free) {
      const d = boxDiff(ref.box, ours[i]!.box);
      if (d < bestDiff) {
        bestDiff = d;
        best = i;
      }
    }
    if (best < 0 || bestDiff > 10 * TOLERANCE.boxPx) {
      if (Math.abs(ref.score - threshold) > TOLERANCE.score) problems.push(`${what}: face-api's detection ${JSON.stringify(ref)} has no counterpart`);
      continue;
    }
    free.delete(best);
    figures.diff(`${metric} box corner |Δ| px`, bestDiff);
    figures.diff(`${metric} score |Δ|`, Math.abs(ref.score - ours[best]!.score));
    if (bestDiff > TOLERANCE.boxPx) problems.push(`${what}: box differs by ${bestDiff.toFixed(3)} px`);
    if (Math.abs(ref.score - ours[best]!.score) > TOLERANCE.score) problems.push(`${what}: score ${ours[best]!.score} vs face-api ${ref.score}`);
  }
  for (const i of free) {
    if (Math.abs(ours[i]!.score - threshold) > TOLERANCE.score) problems.push(`${what}: our detection ${JSON.stringify(ours[i])} is not in face-api's result`);
  }
  return problems;
}

/** Compares two descriptors: max |Δ| and cosine similarity. */
export function compareDescriptor(what: string, reference: ArrayLike<number>, ours: ArrayLike<number>, figures: Figures): string[] {
  if (reference.length !== ours.length) return [`${what}: ${ours.length} dimensions vs face-api's ${reference.length}`];
  let maxAbs = 0;
  let dot = 0;
  let nr = 0;
  let no = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i]!;
    const o = ours[i]!;
    maxAbs = Math.max(maxAbs, Math.abs(r - o));
    dot += r * o;
    nr += r * r;
    no += o * o;
  }
  const cosine = dot / Math.sqrt(nr * no);
  figures.diff('descriptor |Δ|', maxAbs);
  figures.similarity('descriptor cosine', cosine);
  const problems: string[] = [];
  if (!(maxAbs <= TOLERANCE.descriptorAbs)) problems.push(`${what}: descriptor differs by ${maxAbs}`);
  if (!(cosine >= TOLERANCE.descriptorCosine)) problems.push(`${what}: descriptor cosine ${cosine}`);
  return problems;
}

/** Compares 68 landmarks point by point (Euclidean distance in px). */
export function compareLandmarks(what: string, metric: string, reference: Point[], ours: Point[], figures: Figures): string[] {
  if (reference.length !== ours.length) return [`${what}: ${ours.length} points vs face-api's ${reference.length}`];
  let worst = 0;
  reference.forEach((r, i) => {
    worst = Math.max(worst, Math.hypot(r.x - ours[i]!.x, r.y - ours[i]!.y));
  });
  figures.diff(metric, worst);
  return worst <= TOLERANCE.landmarkPx ? [] : [`${what}: a landmark is ${worst.toFixed(3)} px from face-api's`];
}

/** Compares a scalar against a tolerance and records the difference. */
export function compareValue(what: string, metric: string, reference: number, ours: number, tolerance: number, figures: Figures): string[] {
  const d = Math.abs(reference - ours);
  figures.diff(metric, d);
  return d <= tolerance ? [] : [`${what}: ${metric} ${ours} vs face-api's ${reference} (|Δ| ${d})`];
}

/** The seven built-in models, loaded. */
export interface OurModels {
  ssd: LoadedModel;
  tiny: LoadedModel;
  landmarks: LoadedModel;
  landmarksTiny: LoadedModel;
  recognition: LoadedModel;
  ageGender: LoadedModel;
  expression: LoadedModel;
}

/** Stems of the built-in model files, keyed as in {@link OurModels}. */
export const MODEL_FILES: Record<keyof OurModels, string> = {
  ssd: 'ssd-mobilenetv1',
  tiny: 'tiny-face-detector',
  landmarks: 'face-landmark-68',
  landmarksTiny: 'face-landmark-68-tiny',
  recognition: 'face-recognition',
  ageGender: 'age-gender',
  expression: 'face-expression',
};

/** The divisor @vladmandic/face-api's FaceRecognitionNet uses. */
export const FACE_API_RECOGNITION_DIVISOR = 255;

/** The same model and session, fed with another input divisor. */
export function withDivisor(model: LoadedModel, divisor: number): LoadedModel {
  const { input } = model.manifest;
  return { session: model.session, manifest: { ...model.manifest, input: { ...input, normalization: { ...input.normalization, divisor } } } };
}

/** Runs every one of our models on `image` as face-api was run for `ref`, and compares. */
export async function checkImage(models: OurModels, image: RgbImage, ref: ImageReference, figures: Figures): Promise<string[]> {
  const problems: string[] = [];
  const ssd = await detectFacesSsd(models.ssd, image, { minConfidence: SSD_MIN_CONFIDENCE, maxResults: 100 });
  problems.push(...compareDetections(`${ref.name} ssd`, 'ssd', ref.ssd, ssd, SSD_MIN_CONFIDENCE, figures));
  const tiny = await detectFacesTiny(models.tiny, image, { inputSize: ref.tinyInputSize, scoreThreshold: TINY_SCORE_THRESHOLD });
  problems.push(...compareDetections(`${ref.name} tiny@${ref.tinyInputSize}`, `tiny@${ref.tinyInputSize}`, ref.tiny, tiny, TINY_SCORE_THRESHOLD, figures));
  if (ref.faces.length === 0) return problems;
  const boxes = ref.faces.map((f) => f.crop);
  const crops = boxes.map((b) => cropImage(image, b).image);
  const landmarks = await detectLandmarks68Batch(models.landmarks, image, boxes);
  const landmarksTiny = await detectLandmarks68Batch(models.landmarksTiny, image, boxes);
  // @vladmandic/face-api divides by 255 where our manifest (like dlib) divides by 256: compare the conversion
  // with face-api's normalisation; the manifest's choice is a separate, documented decision.
  const descriptors = await computeDescriptors(withDivisor(models.recognition, FACE_API_RECOGNITION_DIVISOR), crops);
  const ownDivisor = await computeDescriptors(models.recognition, crops);
  const ageGender = await predictAgeGenderBatch(models.ageGender, crops);
  const expressions = await predictExpressionsBatch(models.expression, crops);
  ref.faces.forEach((face, i) => {
    const what = `${ref.name} face ${i}`;
    problems.push(...compareLandmarks(what, 'landmark68 |Δ| px', face.landmarks, landmarks[i]!.points, figures));
    problems.push(...compareLandmarks(what, 'landmark68-tiny |Δ| px', face.landmarksTiny, landmarksTiny[i]!.points, figures));
    problems.push(...compareDescriptor(what, face.descriptor, descriptors[i]!.vector, figures));
    // Diagnostic only: how far the manifest's /256 input moves the descriptor from face-api's /255.
    figures.diff(`descriptor (manifest /${models.recognition.manifest.input.normalization.divisor}) vs face-api /255 |Δ|`,
      Math.max(...face.descriptor.map((v, k) => Math.abs(v - ownDivisor[i]!.vector[k]!))));
    problems.push(...compareValue(what, 'age |Δ| years', face.age, ageGender[i]!.age, TOLERANCE.ageYears, figures));
    problems.push(...compareValue(what, 'P(male) |Δ|', face.male, ageGender[i]!.male, TOLERANCE.probability, figures));
    const ex = expressions[i]!;
    EXPRESSION_LABELS.forEach((label, k) => {
      problems.push(...compareValue(what, 'expression probability |Δ|', face.expressions[k]!, ex[label], TOLERANCE.probability, figures));
    });
  });
  return problems;
}

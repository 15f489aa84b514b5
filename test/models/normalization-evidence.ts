/**
 * Evidence for the recognition model's input divisor (not a test; run it by hand):
 *   node --import tsx test/models/normalization-evidence.ts [perPerson]
 * @vladmandic/face-api divides pixels by 255, face-api.js and dlib by 256. This embeds the same aligned chips of
 * ../shared/datasets/lfw-attributes (62 people; `perPerson` photos each, default 15) with both divisors and
 * prints how well each separates same-person from different-person pairs: ROC AUC, best-threshold accuracy on
 * balanced pairs, and d′, on L2-normalised vectors (as the pipeline uses them) and on raw descriptors.
 * Pipeline: sharp decode → SSD (largest face) → 68 landmarks → dlib-template alignment (src/vision/align.ts).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { computeDescriptors } from '../../src/vision/descriptor.ts';
import { type LoadedModel, loadBuiltinModels } from '../../src/models/load.ts';
import { alignFace } from '../../src/vision/align.ts';
import { detectFacesSsd } from '../../src/vision/detect-ssd.ts';
import type { RgbImage } from '../../src/vision/image.ts';
import { detectLandmarks68 } from '../../src/vision/landmarks.ts';
import { datasetsRoot, projectRoot } from '../helpers/datasets.ts';
import { decodeFile } from './face-api-reference.ts';
import { createRng } from '../../src/analysis/rng.ts';

const perPerson = Number(process.argv[2] ?? 15);
const root = join(datasetsRoot, 'lfw-attributes', 'images');

/** Seeded uniform floats in [0, 1), from the project's own generator. */
function mulberry32(seed: number): () => number {
  const generator = createRng(seed);
  return () => generator.next();
}

function distance(a: Float32Array, b: Float32Array, normalise: boolean): number {
  let na = 1;
  let nb = 1;
  if (normalise) {
    na = Math.hypot(...a);
    nb = Math.hypot(...b);
  }
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! / na - b[i]! / nb) ** 2;
  return Math.sqrt(s);
}

/** AUC (probability a different pair is farther than a same pair), best balanced accuracy, and d′. */
function separation(same: number[], diff: number[]): { auc: number; accuracy: number; dPrime: number } {
  const all = [...same.map((d) => ({ d, same: true })), ...diff.map((d) => ({ d, same: false }))].sort((x, y) => x.d - y.d);
  let rankSum = 0;
  all.forEach((p, i) => { if (!p.same) rankSum += i + 1; });
  const auc = (rankSum - (diff.length * (diff.length + 1)) / 2) / (same.length * diff.length);
  // Balanced accuracy at the best threshold: mean of the same-pair and different-pair hit rates.
  let sameBelow = 0;
  let diffBelow = 0;
  let accuracy = 0.5;
  for (const p of all) {
    if (p.same) sameBelow++;
    else diffBelow++;
    accuracy = Math.max(accuracy, (sameBelow / same.length + (diff.length - diffBelow) / diff.length) / 2);
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const variance = (v: number[]) => mean(v.map((x) => (x - mean(v)) ** 2));
  const dPrime = (mean(diff) - mean(same)) / Math.sqrt((variance(same) + variance(diff)) / 2);
  return { auc, accuracy, dPrime };
}

async function main(): Promise<void> {
  const models = await loadBuiltinModels(join(projectRoot, 'build', 'models'), ['ssd-mobilenetv1', 'face-landmark-68', 'face-recognition']);
  const ssd = models.get('ssd-mobilenetv1')!;
  const landmarks = models.get('face-landmark-68')!;
  const rec255 = models.get('face-recognition')!;
  const rec256: LoadedModel = {
    session: rec255.session,
    manifest: { ...rec255.manifest, input: { ...rec255.manifest.input, normalization: { ...rec255.manifest.input.normalization, divisor: 256 } } },
  };
  const chips: RgbImage[] = [];
  const people: number[] = [];
  let missed = 0;
  const names = readdirSync(root).sort();
  for (const [p, person] of names.entries()) {
    for (const file of readdirSync(join(root, person)).sort().slice(0, perPerson)) {
      const image = await decodeFile(join(root, person, file), file);
      const faces = await detectFacesSsd(ssd, image, { minConfidence: 0.3 });
      if (faces.length === 0) {
        missed++;
        continue;
      }
      const face = faces.reduce((a, b) => (a.box.width * a.box.height >= b.box.width * b.box.height ? a : b));
      const { points } = await detectLandmarks68(landmarks, image, face.box);
      chips.push(alignFace(image, points).chip);
      people.push(p);
    }
  }
  const e255 = (await computeDescriptors(rec255, chips)).map((e) => e.vector);
  const e256 = (await computeDescriptors(rec256, chips)).map((e) => e.vector);
  const random = mulberry32(0);
  const samePairs: Array<[number, number]> = [];
  const diffPairs: Array<[number, number]> = [];
  for (let i = 0; i < chips.length; i++) for (let j = i + 1; j < chips.length; j++) if (people[i] === people[j]) samePairs.push([i, j]);
  while (diffPairs.length < 4 * samePairs.length) {
    const i = Math.floor(random() * chips.length);
    const j = Math.floor(random() * chips.length);
    if (people[i] !== people[j]) diffPairs.push([i, j]);
  }
  console.log(`${chips.length} aligned faces of ${names.length} people (${missed} photos without a detection); ` +
    `${samePairs.length} same-person pairs, ${diffPairs.length} different-person pairs (seed 0)`);
  let maxGap = 0;
  for (let i = 0; i < chips.length; i++) for (let k = 0; k < 128; k++) maxGap = Math.max(maxGap, Math.abs(e255[i]![k]! - e256[i]![k]!));
  console.log(`max |descriptor(/255) − descriptor(/256)| = ${maxGap.toExponential(2)}`);
  for (const normalise of [true, false]) {
    for (const [label, vectors] of [['/255', e255], ['/256', e256]] as const) {
      const s = separation(samePairs.map(([i, j]) => distance(vectors[i]!, vectors[j]!, normalise)),
        diffPairs.map(([i, j]) => distance(vectors[i]!, vectors[j]!, normalise)));
      console.log(`${normalise ? 'L2-normalised' : 'raw          '} ${label}: AUC ${s.auc.toFixed(6)}  best balanced accuracy ${(100 * s.accuracy).toFixed(3)} %  d′ ${s.dPrime.toFixed(4)}`);
    }
  }
  for (const m of models.values()) await m.session.dispose();
}

await main();

/**
 * Probes for a named split that learn the attribute, not the person, and state confidence that can be
 * trusted.
 * - Identity removed: each face minus its person's mean (as in the within-people view), so a probe
 *   trained on some people carries over to others. (Across-people probes keep the raw vectors.)
 * - Model: L2-regularised logistic regression on standardised vectors (logistic.ts).
 * - Calibration: Platt scaling (Platt 1999), a 1-D logistic fit of the true class on the model's score,
 *   fitted on held-out scores: the faces are cut into folds by person (so a fold's people are new to
 *   the model trained on the rest), each fold scored by a model trained without it. The reliability
 *   reported is itself cross-fitted: each fold's scores are calibrated with Platt fitted on the other folds.
 * - Warnings: fewer than 10 people means the probe may be learning who rather than what.
 * - With identity removed, faces of people whose faces all carry one name are left out (said in a
 *   warning): minus their own mean, they carry nothing of the difference.
 * - A link to an attribute head or measurement (the one that best tells the named classes apart, when
 *   one does), so an assignment can say where the probe and that head disagree.
 */
import { InvalidInputError } from '../../errors.ts';
import type { Kernel, MeanVariance } from '../../kernel/types.ts';
import { type LogisticModel, decisionFunction, fitLogistic, sigmoid } from '../logistic.ts';
import { checkBinaryClasses, checkMatrix, selectRows } from '../matrix.ts';
import { scoreMeasure } from './describe.ts';
import type { MeasurementTable } from './measurements.ts';
import { Rng, mixSeed, shuffle } from './random.ts';
import { type Reliability, reliabilityOf } from './reliability.ts';

/** Faces with their named classes and people. */
export interface ProbeTrainingSet {
  /** n × d embeddings (L2-normalised). */
  vectors: Float32Array;
  d: number;
  /** 0/1 per face: which of `names` it was put in. */
  classes: ArrayLike<number>;
  /** Person of each face (labels or identity groups). */
  persons: ArrayLike<string | number>;
  /** The two names, class 0 then class 1. */
  names: readonly [string, string];
}

/** Options of {@link trainCalibratedProbe}. */
export interface CalibratedProbeOptions {
  /** Subtract each face's person mean before training. Default true (a within-person split). */
  identityRemoved?: boolean;
  /** Inverse regularisation of the probe. Default 1. */
  c?: number;
  /** Held-out folds for calibration. Default 5 (fewer when there are fewer people). */
  folds?: number;
  seed?: number;
  /** The faces' measurements, to link the probe to the head that best matches it. */
  measurements?: MeasurementTable;
}

/** The head or measurement a probe agrees with, and how to read it as one of the names. */
export interface HeadLink {
  key: string;
  label: string;
  source: string;
  /** AUC of the measurement telling the named classes apart. */
  auc: number;
  /** Values above this point to `highClass`. */
  threshold: number;
  highClass: 0 | 1;
}

/** A trained probe: plain, structured-cloneable data (it can be stored and sent to a worker). */
export interface CalibratedProbe {
  d: number;
  names: [string, string];
  identityRemoved: boolean;
  standardization: MeanVariance;
  model: LogisticModel;
  /** Calibrated P(class 1) = sigmoid(a · score + b). */
  platt: { a: number; b: number };
  /** Mean of the training faces' raw vectors: a face seen alone is centred on it (its identity cannot be removed). */
  fallbackMean: Float32Array;
  /** People in the training faces, and faces per class. */
  people: number;
  faces: [number, number];
  /** Reliability of calibrated confidences on held-out people. */
  reliability: Reliability;
  /** Plain-words warnings, e.g. too few people. */
  warnings: string[];
  head: HeadLink | null;
}

/** One face's assignment. */
export interface ProbeAssignment {
  /** 0 or 1: index into `names`. */
  index: 0 | 1;
  name: string;
  /** Calibrated probability of `name`. */
  confidence: number;
  /** Calibrated P(names[1]). */
  probability: number;
  /** False for a face whose person has no other face here: its identity could not be removed. */
  identityRemoved: boolean;
  /** When the linked head points to the other name, says so in words; else null. */
  disagreement: string | null;
}

/** Fewer people than this, and the probe warns it may be learning who rather than what. */
export const MIN_PROBE_PEOPLE = 10;

function personIndex(persons: ArrayLike<string | number>): { of: Int32Array; count: number } {
  const map = new Map<string, number>();
  const of = Int32Array.from({ length: persons.length }, (_, i) => {
    const key = String(persons[i]);
    let p = map.get(key);
    if (p === undefined) { p = map.size; map.set(key, p); }
    return p;
  });
  return { of, count: map.size };
}

/** Each row minus the mean of the rows of its person (a person alone keeps a zero row; `alone` marks them). */
export function removeIdentity(vectors: Float32Array, d: number, persons: ArrayLike<string | number>): { residuals: Float32Array; alone: Uint8Array } {
  const n = vectors.length / d;
  const { of, count } = personIndex(persons);
  const sums = new Float64Array(count * d);
  const sizes = new Int32Array(count);
  for (let i = 0; i < n; i++) {
    const p = of[i] as number;
    sizes[p]!++;
    for (let j = 0; j < d; j++) sums[p * d + j] = (sums[p * d + j] as number) + (vectors[i * d + j] as number);
  }
  const residuals = new Float32Array(n * d);
  const alone = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = of[i] as number;
    alone[i] = sizes[p] === 1 ? 1 : 0;
    for (let j = 0; j < d; j++) residuals[i * d + j] = (vectors[i * d + j] as number) - (sums[p * d + j] as number) / (sizes[p] as number);
  }
  return { residuals, alone };
}

/** Folds by person: people shuffled (seeded) and dealt round-robin; k = min(folds, people). With one person, faces are dealt instead. */
function personFolds(personOf: Int32Array, people: number, folds: number, seed: number): { fold: Int32Array; k: number } {
  const rng = new Rng(seed);
  if (people >= 2) {
    const k = Math.min(folds, people);
    const order = shuffle(Array.from({ length: people }, (_, p) => p), rng);
    const foldOfPerson = new Int32Array(people);
    order.forEach((p, r) => { foldOfPerson[p] = r % k; });
    return { fold: Int32Array.from(personOf, (p) => foldOfPerson[p] as number), k };
  }
  const k = Math.min(folds, personOf.length);
  const order = shuffle(Array.from({ length: personOf.length }, (_, i) => i), rng);
  const fold = new Int32Array(personOf.length);
  order.forEach((i, r) => { fold[i] = r % k; });
  return { fold, k };
}

function fitScorer(kernel: Kernel, x: Float32Array, d: number, y: number[], c: number) {
  const standardization = kernel.meanVariance(x, d);
  const fit = fitLogistic(kernel.standardize(x, d, standardization), d, y, { c, kernel });
  return { standardization, model: { weights: fit.weights, intercept: fit.intercept } };
}

/** Platt's 1-D fit of classes on scores (nearly unregularised: C = 1e4). */
function fitPlatt(scores: ArrayLike<number>, classes: ArrayLike<number>, kernel: Kernel): { a: number; b: number } {
  const fit = fitLogistic(Float32Array.from(scores as ArrayLike<number>), 1, classes, { c: 1e4, kernel });
  return { a: fit.weights[0] as number, b: fit.intercept };
}

/**
 * Trains a calibrated probe on named faces (see the module comment).
 * @throws InvalidInputError for a bad shape, classes other than 0/1, fewer than 2 faces in a class,
 *   or persons of the wrong length.
 */
export function trainCalibratedProbe(kernel: Kernel, given: ProbeTrainingSet, options: CalibratedProbeOptions = {}): CalibratedProbe {
  const { d } = given;
  const all = checkMatrix(given.vectors, d, 'probe faces');
  const allCounts = checkBinaryClasses(given.classes, all, 'probe classes');
  if (Math.min(...allCounts) < 2) throw new InvalidInputError(`a probe needs at least 2 faces named "${given.names[0]}" and 2 named "${given.names[1]}"; got ${allCounts[0]} and ${allCounts[1]}`);
  if (given.persons.length !== all) throw new InvalidInputError(`persons: ${given.persons.length} given for ${all} faces; give one per face`);
  const identityRemoved = options.identityRemoved ?? true;
  // With identity removed, a person whose faces all carry one name has nothing of the difference left:
  // such faces only teach the probe who tends to carry which name. They are left out when enough remain.
  const notes: string[] = [];
  let set = given;
  let measurements = options.measurements;
  if (identityRemoved) {
    const { of: ofAll } = personIndex(given.persons);
    const seen = new Map<number, number>();
    for (let i = 0; i < all; i++) seen.set(ofAll[i] as number, (seen.get(ofAll[i] as number) ?? 0) | (given.classes[i] === 1 ? 2 : 1));
    const keep = [...ofAll.keys()].filter((i) => seen.get(ofAll[i] as number) === 3);
    const ones = keep.filter((i) => given.classes[i] === 1).length;
    if (keep.length < all && Math.min(ones, keep.length - ones) >= 2) {
      const dropped = [...seen.values()].filter((v) => v !== 3).length;
      notes.push(`${all - keep.length} faces of ${dropped} ${dropped === 1 ? 'person' : 'people'} whose faces all carry one name were left out: with who they are removed, they show nothing of the difference`);
      set = { ...given, vectors: selectRows(given.vectors, d, keep), classes: keep.map((i) => given.classes[i] as number), persons: keep.map((i) => given.persons[i] as string | number) };
      if (measurements) measurements = { faces: keep.length, columns: measurements.columns.map((c) => ({ ...c, values: Float64Array.from(keep, (i) => c.values[i] as number) })) };
    }
  }
  const n = set.vectors.length / d;
  const counts = checkBinaryClasses(set.classes, n, 'probe classes');
  const c = options.c ?? 1;
  const seed = options.seed ?? 0;
  const x = identityRemoved ? removeIdentity(set.vectors, d, set.persons).residuals : set.vectors;
  const y = Array.from(set.classes as ArrayLike<number>);
  const { of, count: people } = personIndex(set.persons);

  // Held-out scores: each fold (a set of people) scored by a model trained without it.
  const { fold, k } = personFolds(of, people, options.folds ?? 5, mixSeed(seed, 1));
  const scores = new Float64Array(n);
  const usable: boolean[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? test : train).push(i);
    const trainY = train.map((i) => y[i] as number);
    const ones = trainY.reduce((a, b) => a + b, 0);
    usable.push(ones > 0 && ones < trainY.length && test.length > 0);
    if (!usable[f]) continue;
    const scorer = fitScorer(kernel, selectRows(x, d, train), d, trainY, c);
    const z = decisionFunction(scorer.model, kernel.standardize(selectRows(x, d, test), d, scorer.standardization), d);
    test.forEach((i, r) => { scores[i] = z[r] as number; });
  }
  const held = Array.from({ length: n }, (_, i) => i).filter((i) => usable[fold[i] as number]);
  const heldClasses = held.map((i) => y[i] as number);
  const heldOnes = heldClasses.reduce((a, b) => a + b, 0);
  const platt = heldOnes > 0 && heldOnes < held.length
    ? fitPlatt(held.map((i) => scores[i] as number), heldClasses, kernel)
    : { a: 1, b: 0 };

  // Cross-fitted reliability: each fold calibrated by Platt fitted on the other folds' scores.
  const calibrated: number[] = [];
  const truth: number[] = [];
  for (let f = 0; f < k; f++) {
    if (!usable[f]) continue;
    const others = held.filter((i) => fold[i] !== f);
    const otherY = others.map((i) => y[i] as number);
    const ones = otherY.reduce((a, b) => a + b, 0);
    const p = ones > 0 && ones < otherY.length ? fitPlatt(others.map((i) => scores[i] as number), otherY, kernel) : platt;
    for (const i of held) {
      if (fold[i] !== f) continue;
      calibrated.push(sigmoid(p.a * (scores[i] as number) + p.b));
      truth.push(y[i] as number);
    }
  }

  const final = fitScorer(kernel, x, d, y, c);
  const warnings: string[] = [...notes];
  if (people < MIN_PROBE_PEOPLE) {
    warnings.push(`these faces come from only ${people} ${people === 1 ? 'person' : 'people'} (fewer than ${MIN_PROBE_PEOPLE}): the probe may be learning who is in the photo rather than "${set.names[1]}" against "${set.names[0]}"`);
  }
  if (calibrated.length === 0) warnings.push('no held-out group had both names, so the stated confidence could not be checked');
  let head: HeadLink | null = null;
  if (measurements) {
    const faces = Array.from({ length: n }, (_, i) => [i]);
    let best: HeadLink | null = null;
    for (const column of measurements.columns) {
      const s = scoreMeasure(column, faces, y);
      if (!s || s.strength < 0.5 || Math.abs(s.z) < 3) continue;
      if (best && Math.abs(2 * best.auc - 1) >= s.strength) continue;
      best = { key: s.key, label: s.label, source: s.source, auc: s.auc, threshold: column.kind === 'binary' ? 0.5 : (s.sideValues[0] + s.sideValues[1]) / 2, highClass: s.auc >= 0.5 ? 1 : 0 };
    }
    head = best;
  }
  const fallbackMean = kernel.meanVariance(set.vectors, d).mean;
  return {
    d, names: [set.names[0], set.names[1]], identityRemoved, standardization: final.standardization, model: final.model, platt,
    fallbackMean, people, faces: counts,
    reliability: calibrated.length ? reliabilityOf(calibrated, truth) : { faces: 0, accuracy: Number.NaN, ece: Number.NaN, bins: [] },
    warnings, head,
  };
}

/** Faces to assign. */
export interface ProbeInput {
  /** n × d embeddings. */
  vectors: Float32Array;
  /** Person of each face; each face's identity is removed with the mean of its person's faces given here. */
  persons?: ArrayLike<string | number>;
  /** The same faces' measurements, to flag disagreements with the linked head. */
  measurements?: MeasurementTable;
}

/**
 * Assigns faces with a calibrated probe. Without `persons` (or for a face whose person has no other
 * face here) an identity-removed probe cannot remove identity: it then centres the face on the
 * training mean and says so (`identityRemoved: false`).
 * @throws InvalidInputError for a bad shape or persons of the wrong length.
 */
export function applyCalibratedProbe(kernel: Kernel, probe: CalibratedProbe, input: ProbeInput): ProbeAssignment[] {
  const { d } = probe;
  const n = checkMatrix(input.vectors, d, 'faces to probe', 0);
  if (input.persons && input.persons.length !== n) throw new InvalidInputError(`persons: ${input.persons.length} given for ${n} faces; give one per face`);
  let x = input.vectors;
  let alone: Uint8Array = new Uint8Array(n).fill(probe.identityRemoved ? 1 : 0);
  if (probe.identityRemoved && input.persons) {
    const removed = removeIdentity(input.vectors, d, input.persons);
    x = removed.residuals;
    alone = removed.alone;
  }
  if (probe.identityRemoved) {
    x = Float32Array.from(x);
    for (let i = 0; i < n; i++) {
      if (!alone[i]) continue;
      for (let j = 0; j < d; j++) x[i * d + j] = (input.vectors[i * d + j] as number) - (probe.fallbackMean[j] as number);
    }
  }
  const z = decisionFunction(probe.model, kernel.standardize(x, d, probe.standardization), d);
  const headColumn = probe.head && input.measurements ? input.measurements.columns.find((c) => c.key === probe.head!.key) : undefined;
  return Array.from({ length: n }, (_, i): ProbeAssignment => {
    const probability = sigmoid(probe.platt.a * (z[i] as number) + probe.platt.b);
    const index: 0 | 1 = probability >= 0.5 ? 1 : 0;
    let disagreement: string | null = null;
    const value = headColumn?.values[i];
    if (probe.head && value !== undefined && !Number.isNaN(value)) {
      const headClass = value > probe.head.threshold ? probe.head.highClass : (1 - probe.head.highClass) as 0 | 1;
      if (headClass !== index) disagreement = `the ${probe.head.source} (${probe.head.label}) points to "${probe.names[headClass]}"`;
    }
    return { index, name: probe.names[index], confidence: index ? probability : 1 - probability, probability, identityRemoved: !alone[i], disagreement };
  });
}

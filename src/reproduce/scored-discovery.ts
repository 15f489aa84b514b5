/**
 * Scoring discovery on labels it never sees (issue 10's `*_discovered` experiments). For each seed the
 * view's splits are discovered without labels; then each experiment's label column is read, for the
 * first time, to score them under PROTOCOL.md's rules: a class-balanced sample drawn by the seed (the
 * larger class down-sampled, as protocol.ts does), accuracy under the best matching of sides to classes,
 * and chance as the same accuracy against that sample's labels shuffled. Reported: the top-ranked split
 * (the one shown first) and the best of the top three, chance beside each (for the top three, the best
 * of the same three splits against the same shuffled labels), mean and standard deviation over seeds.
 * The ranked list of seed 0 is listed with each split's balanced accuracy against every label column,
 * and a calibrated probe on the target column reports its reliability on held-out people.
 */
import { InvalidInputError, throwIfAborted } from '../errors.ts';
import type { Kernel } from '../kernel/types.ts';
import { meanStd, pick } from '../analysis/matrix.ts';
import { clusterAccuracy } from '../analysis/metrics.ts';
import { balancedSample } from './protocol.ts';
import { trainCalibratedProbe } from '../analysis/discovery/calibrated-probe.ts';
import { type ViewDiscovery, discoverSplits } from '../analysis/discovery/discover.ts';
import { type MeasurableFace, measurementTable } from '../analysis/discovery/measurements.ts';
import { Rng, mixSeed, shuffle } from '../analysis/discovery/random.ts';
import type { Reliability } from '../analysis/discovery/reliability.ts';
import { type DiscoveryView, buildViews } from '../analysis/discovery/views.ts';

/** One experiment on a shared view: which label column scores it. */
export interface ScoredExperimentSpec {
  name: string;
  /** 'per-person': each person with enough faces on their own, as the paper clusters them. */
  view: 'within-people' | 'across-people' | 'per-person';
  /** Key into `labels`: the column scored for top-1 and top-3. */
  target: string;
  /** Names of class 0 and class 1 of the target. */
  classNames: readonly [string, string];
  /** Issue 10's target for the best of the top three (fraction), or null. */
  goal: number | null;
}

/** Faces of one data set with every label column (null where a face has no label in that column). */
export interface ScoredDiscoveryInput {
  vectors: Float32Array;
  d: number;
  /** Box, how found, heads and measures of each face, to describe splits with. */
  faces: readonly MeasurableFace[];
  /** Person of each face; when absent the identity grouping decides (then no person label is read either). */
  persons?: ArrayLike<string | number>;
  /** Label column → 0/1/null per face. Read only to score. */
  labels: Record<string, ReadonlyArray<0 | 1 | null>>;
}

/** One split of the ranked list, with its scores. */
export interface ScoredSplit {
  rank: number;
  id: string;
  method: string;
  also_found_by: string[];
  description: string;
  described: boolean;
  stability: number;
  sizes: [number, number];
  spans_people: number;
  /** Faces (indices into the input) furthest along the split on side 0 and side 1. */
  strips: [number[], number[]];
  /** Balanced accuracy (mean of the two classes' recall, under the better matching) against each label column, on every labelled face of the view. */
  accuracy: Record<string, number>;
}

/** One `*_discovered` experiment's result. */
export interface ScoredExperimentResult {
  name: string;
  view: string;
  target: string;
  goal: number | null;
  accuracy_top1: number;
  accuracy_top1_std: number;
  chance_top1: number;
  accuracy_top3: number;
  accuracy_top3_std: number;
  chance_top3: number;
  /** Images per class in each seed's balanced sample. */
  n_per_class: number;
  /** Points in the view(s), and faces of the view(s) with a target label. */
  points: number;
  labelled_faces: number;
  /** People (groups) in the view. */
  people: number;
  /** The ranked splits of seed 0 (per person: of the largest person scored). */
  splits: ScoredSplit[];
  dropped: Array<{ id: string; reason: string }>;
  /** A calibrated probe on the target column, checked on held-out people. */
  probe: { accuracy: number; ece: number; bins: Reliability['bins']; people: number; warnings: string[] } | null;
  /** Per-seed figures when one view is scored (per-person experiments keep theirs per person). */
  runs: Array<{ seed: number; top1: number; top3: number; chance_top1: number; chance_top3: number }>;
  /** Per-person experiments: each person's means over seeds. */
  per_person: Array<{ person: string; top1: number; top3: number; n_per_class: number; top_split: { id: string; description: string; stability: number } }>;
}

/** A view an experiment is scored on, with its labelled faces. */
interface Unit {
  view: DiscoveryView;
  rows: number[];
  classes: Array<0 | 1>;
}

/** Options of {@link runScoredDiscovery}. */
export interface ScoredDiscoveryOptions {
  /** Default 0..9 (PROTOCOL.md). */
  seeds?: readonly number[];
  /** Bootstrap resamples per candidate. Default 6. */
  bootstraps?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Side of every face of the view (−1 for a face outside it). */
function faceSides(view: DiscoveryView, sides: Int32Array, faces: number): Int32Array {
  const out = new Int32Array(faces).fill(-1);
  view.faces.forEach((list, point) => { for (const f of list) out[f] = sides[point] as number; });
  return out;
}

/** max(b, 1 − b) of the balanced accuracy of `sides` against labels, over faces with both. */
function balancedAccuracy(sides: Int32Array, labels: ReadonlyArray<0 | 1 | null>): number {
  const counts = [[0, 0], [0, 0]];
  for (let i = 0; i < sides.length; i++) {
    const l = labels[i];
    if (sides[i]! < 0 || l === null || l === undefined) continue;
    counts[l]![sides[i]!]!++;
  }
  const r0 = counts[0]![0]! / Math.max(1, counts[0]![0]! + counts[0]![1]!);
  const r1 = counts[1]![1]! / Math.max(1, counts[1]![0]! + counts[1]![1]!);
  const b = (r0 + r1) / 2;
  return Math.max(b, 1 - b);
}

/** Lets timers and abort events run between seeds. */
const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Labelled faces of the view for a target column, or why the experiment cannot be scored. */
function labelledFaces(view: DiscoveryView | null, spec: ScoredExperimentSpec, target: ReadonlyArray<0 | 1 | null> | undefined, n: number): { rows: number[]; classes: Array<0 | 1> } | string {
  if (!view || view.vectors.length / view.d < 8) return `the ${spec.view} view has fewer than 8 points`;
  if (!target) return `no label column ${spec.target}`;
  const inView = new Uint8Array(n);
  for (const list of view.faces) for (const f of list) inView[f] = 1;
  const rows = [...target.keys()].filter((i) => inView[i] && target[i] !== null);
  const classes = rows.map((i) => target[i] as 0 | 1);
  const ones = classes.reduce<number>((a, b) => a + b, 0);
  if (Math.min(ones, classes.length - ones) < 2) {
    return `the ${spec.view} view has ${classes.length - ones} faces of "${spec.classNames[0]}" and ${ones} of "${spec.classNames[1]}"; at least 2 of each are needed`;
  }
  return { rows, classes };
}

/**
 * Discovers on one data set's view for each seed and scores every experiment on that view. An
 * experiment whose view is too small or whose target has fewer than 2 labelled faces of a class in
 * the view is skipped with the reason.
 * @throws InvalidInputError for mismatched lengths; an AbortError on abort.
 */
export async function runScoredDiscovery(kernel: Kernel, input: ScoredDiscoveryInput, specs: readonly ScoredExperimentSpec[], options: ScoredDiscoveryOptions = {}): Promise<{ results: ScoredExperimentResult[]; skipped: Array<{ name: string; reason: string }> }> {
  const n = input.vectors.length / input.d;
  if (input.faces.length !== n) throw new InvalidInputError(`faces: ${input.faces.length} given for ${n} vectors`);
  for (const [key, column] of Object.entries(input.labels)) {
    if (column.length !== n) throw new InvalidInputError(`label column ${key}: ${column.length} values for ${n} faces`);
  }
  const seeds = options.seeds ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const views = buildViews(kernel, input.vectors, input.d, input.persons ? { persons: input.persons } : {});
  const skipped: Array<{ name: string; reason: string }> = [];
  // The views each experiment is scored on, with their labelled faces: one pooled view, or every
  // person with enough faces and at least 2 labelled faces of each class.
  const units = new Map<string, Unit[]>();
  for (const spec of specs) {
    const target = input.labels[spec.target];
    if (spec.view === 'per-person') {
      const list: Unit[] = [];
      for (const view of views.perPerson) {
        const found = labelledFaces(view, spec, target, n);
        if (typeof found !== 'string') list.push({ view, ...found });
      }
      if (list.length) units.set(spec.name, list);
      else skipped.push({ name: spec.name, reason: `no person has ${8} or more faces with at least 2 labelled faces of each class in ${spec.target}` });
      continue;
    }
    const view = spec.view === 'within-people' ? views.within : views.across;
    const found = labelledFaces(view, spec, target, n);
    if (typeof found === 'string') skipped.push({ name: spec.name, reason: found });
    else units.set(spec.name, [{ view: view as DiscoveryView, ...found }]);
  }
  const experiments = specs.filter((spec) => units.has(spec.name));
  const measurements = measurementTable(input.faces);
  const needed = [...new Set(experiments.flatMap((e) => (units.get(e.name) as Unit[]).map((u) => u.view)))];
  const discoveries = new Map<DiscoveryView, ViewDiscovery[]>();
  const total = needed.length * seeds.length;
  let done = 0;
  for (const view of needed) {
    const list: ViewDiscovery[] = [];
    for (const seed of seeds) {
      await nextTask();
      throwIfAborted(options.signal);
      // Labels are not passed: discovery sees the points, the faces' measurements and the seed only.
      list.push(await discoverSplits(kernel, view, { seed, measurements, ...(options.bootstraps === undefined ? {} : { bootstraps: options.bootstraps }), ...(options.signal ? { signal: options.signal } : {}) }));
      options.onProgress?.(++done, total);
    }
    discoveries.set(view, list);
  }

  const results = experiments.map((spec): ScoredExperimentResult => {
    const scored = (units.get(spec.name) as Unit[]).map((unit) => {
      const { view, rows: labelledRows, classes } = unit;
      const found = discoveries.get(view) as ViewDiscovery[];
      const runs = found.map((discovery, s) => {
        const seed = seeds[s] as number;
        const sample = balancedSample(classes, seed);
        const y = pick(classes, sample);
        const shuffled = shuffle([...y], new Rng(mixSeed(seed, 77)));
        const scores = discovery.splits.slice(0, 3).map((split) => {
          const sides = faceSides(view, split.sides, n);
          const x = sample.map((r) => sides[labelledRows[r] as number] as number);
          return { accuracy: clusterAccuracy(y, x), chance: clusterAccuracy(shuffled, x) };
        });
        const top = scores[0] ?? { accuracy: 0.5, chance: 0.5 };
        return {
          seed, top1: top.accuracy, chance_top1: top.chance,
          top3: Math.max(0.5, ...scores.map((c) => c.accuracy)), chance_top3: Math.max(0.5, ...scores.map((c) => c.chance)),
        };
      });
      const ones = classes.reduce<number>((a, b) => a + b, 0);
      const stat = (f: (r: (typeof runs)[number]) => number) => meanStd(runs.map(f));
      return { unit, found, runs, nPerClass: Math.min(ones, classes.length - ones), top1: stat((r) => r.top1), top3: stat((r) => r.top3), chance1: stat((r) => r.chance_top1).mean, chance3: stat((r) => r.chance_top3).mean };
    });
    // Means over people of each person's mean (and of each person's spread over seeds), as protocol.ts does.
    const over = (f: (u: (typeof scored)[number]) => number) => scored.reduce((a, u) => a + f(u), 0) / scored.length;
    const main = scored[0] as (typeof scored)[number];
    const view = main.unit.view;
    const first = main.found[0] as ViewDiscovery;
    const splits = first.splits.map((split): ScoredSplit => {
      const sides = faceSides(view, split.sides, n);
      const accuracy: Record<string, number> = {};
      for (const [key, column] of Object.entries(input.labels)) {
        let c0 = 0, c1 = 0;
        for (let i = 0; i < n; i++) if (sides[i]! >= 0) { if (column[i] === 0) c0++; else if (column[i] === 1) c1++; }
        if (c0 >= 2 && c1 >= 2) accuracy[key] = balancedAccuracy(sides, column);
      }
      return {
        rank: split.rank, id: split.id, method: split.methodLabel, also_found_by: split.alsoFoundBy,
        description: split.description?.text ?? '', described: split.description?.described ?? false,
        stability: split.stability, sizes: split.sizes, spans_people: split.spansPeople, strips: split.strips, accuracy,
      };
    });
    const faceRows = scored.flatMap((u) => u.unit.rows);
    const classes = scored.flatMap((u) => u.unit.classes);
    const probeVectors = new Float32Array(faceRows.length * input.d);
    faceRows.forEach((i, r) => probeVectors.set(input.vectors.subarray(i * input.d, (i + 1) * input.d), r * input.d));
    const personOf = faceRows.map((i) => views.personOfFace[i] as number);
    const trained = trainCalibratedProbe(kernel, { vectors: probeVectors, d: input.d, classes, persons: personOf, names: spec.classNames }, { identityRemoved: spec.view !== 'across-people' });
    const probe = { accuracy: trained.reliability.accuracy, ece: trained.reliability.ece, bins: trained.reliability.bins, people: trained.people, warnings: trained.warnings };
    return {
      name: spec.name, view: spec.view, target: spec.target, goal: spec.goal,
      accuracy_top1: over((u) => u.top1.mean), accuracy_top1_std: over((u) => u.top1.std), chance_top1: over((u) => u.chance1),
      accuracy_top3: over((u) => u.top3.mean), accuracy_top3_std: over((u) => u.top3.std), chance_top3: over((u) => u.chance3),
      n_per_class: scored.reduce((a, u) => a + u.nPerClass, 0), points: scored.reduce((a, u) => a + u.unit.view.vectors.length / u.unit.view.d, 0),
      labelled_faces: classes.length,
      people: new Set(scored.flatMap((u) => [...u.unit.view.person])).size, splits, dropped: first.dropped, probe,
      runs: scored.length === 1 ? main.runs : [],
      per_person: spec.view === 'per-person'
        ? scored.map((u) => {
          const top = u.found[0]?.splits[0];
          return {
            person: u.unit.view.subject as string, top1: u.top1.mean, top3: u.top3.mean, n_per_class: u.nPerClass,
            top_split: { id: top?.id ?? '', description: top?.description?.text ?? '', stability: top?.stability ?? 0 },
          };
        })
        : [],
    };
  });
  return { results, skipped };
}

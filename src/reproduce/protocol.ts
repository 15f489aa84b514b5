/**
 * PROTOCOL.md on embeddings already computed: for each seed, a balanced sample (the larger class
 * down-sampled at random), k-means k = 2 (k-means++, 10 restarts, lowest inertia), matched accuracy,
 * its chance level, NMI, ARI, a linear probe (5-fold stratified), the split-half Fisher curve with
 * its shuffled baseline, and the project's own unsupervised method ("ours") on the same sample;
 * then mean and standard deviation over seeds. Within-person experiments run this per person and
 * average over people.
 *
 * The result objects carry the field names of issue 6's JSON (`accuracy_mean`, `fisher.top_m`, …);
 * the CLI adds `coverage` and `found_by`, which depend on face finding, not on this analysis.
 */
import { InvalidInputError, throwIfAborted } from '../errors.ts';
import type { Kernel } from '../kernel/types.ts';
import { splitHalfFisherCurve, topMValues } from '../analysis/fisher.ts';
import { checkBinaryClasses, checkMatrix, meanStd, pick, selectRows } from '../analysis/matrix.ts';
import { adjustedRandIndex, chanceAccuracy, clusterAccuracy, normalizedMutualInfo } from '../analysis/metrics.ts';
import { OURS_METHOD, oursClustering } from '../analysis/ours.ts';
import { linearProbe } from '../analysis/probe.ts';
import { createRng, deriveSeed, sampleIndices } from '../analysis/rng.ts';

/** What the runner needs to know about an experiment (a subset of an {@link ExperimentDefinition}). */
export interface ExperimentSpec {
  name: string;
  /** 'intra-class' runs per person; 'extra-class' clusters everything together. */
  kind: 'extra-class' | 'intra-class';
  paper?: number | null;
}

/** Embeddings with their classes (and persons, required for within-person experiments). */
export interface ExperimentData {
  /** n × d, row-major; the protocol's embeddings are L2-normalised. */
  embeddings: Float32Array;
  /** Dimension; default 128. */
  d?: number;
  /** 0/1 per row (1 = class A, see experiments.ts). */
  classes: ArrayLike<number>;
  /** Person per row; required when the spec is 'intra-class'. */
  persons?: ArrayLike<string>;
}

/** Options of the protocol; the defaults are PROTOCOL.md's. */
export interface ProtocolOptions {
  /** Default 0..9. */
  seeds?: readonly number[];
  /** k-means++ restarts, lowest inertia kept. Default 10. */
  restarts?: number;
  /** Linear-probe folds. Default 5. */
  probeFolds?: number;
  /** Linear-probe inverse regularisation. Default 1. */
  probeC?: number;
  /** m values of the Fisher curve. Default 1, 2, 4, …, d. */
  fisherMs?: readonly number[];
  /** Label permutations averaged for each run's chance level. Default 1 (PROTOCOL.md). */
  chanceShuffles?: number;
  /** A person (or the whole set) needs this many images in each class to be run. Default 2 (one per Fisher half). */
  minPerClass?: number;
  /** Also run the project's own method. Default true. */
  ours?: boolean;
  signal?: AbortSignal;
  /** Called after every run (one seed of one person). */
  onProgress?: (progress: ProtocolProgress) => void;
}

/** Progress of {@link runExperiment}. */
export interface ProtocolProgress {
  experiment: string;
  /** The person being run, or null for an across-people experiment. */
  person: string | null;
  /** Runs finished so far and in total (seeds × people). */
  done: number;
  total: number;
}

/** k-means figures of the project's own method. */
export interface OursFigures {
  /** Which method produced them (see ours.ts). */
  method: string;
  accuracy_mean: number;
  accuracy_std: number;
  nmi: number;
  ari: number;
}

/** Mean split-half curves, keyed by m. */
export interface FisherFigures {
  top_m: Record<string, number>;
  shuffled: Record<string, number>;
}

/** Scores of one seed. */
export interface RunFigures {
  seed: number;
  accuracy: number;
  chance: number;
  nmi: number;
  ari: number;
  probe: number;
  fisher: FisherFigures;
  /** null when the options turned "ours" off. */
  ours: { accuracy: number; nmi: number; ari: number } | null;
}

/** Figures over seeds for one group of images (the whole set, or one person). */
export interface GroupFigures {
  /** Images per class in each run's balanced sample. */
  n_per_class: number;
  accuracy_mean: number;
  /** Sample standard deviation over seeds. */
  accuracy_std: number;
  chance_mean: number;
  chance_std: number;
  /** Means over seeds. */
  nmi: number;
  ari: number;
  probe: number;
  probe_std: number;
  fisher: FisherFigures;
  ours: OursFigures | null;
  runs: RunFigures[];
}

/** One person's figures in a within-person experiment. */
export interface PersonFigures extends GroupFigures {
  person: string;
}

/**
 * One experiment's result, shaped like an entry of issue 6's `experiments` array (the CLI adds
 * `coverage` and `found_by`). For within-person experiments the top-level figures are means over
 * people, `accuracy_std` / `chance_std` / `probe_std` are the mean over people of each person's
 * spread over seeds, `people_accuracy_std` is the spread of the per-person means, and `n_per_class`
 * is summed over people.
 */
export interface ExperimentResult {
  name: string;
  paper: number | null;
  accuracy_mean: number;
  accuracy_std: number;
  chance_mean: number;
  chance_std: number;
  nmi: number;
  ari: number;
  probe: number;
  probe_std: number;
  n_per_class: number;
  /** People run (within-person experiments); null across people. */
  people: number | null;
  per_person: PersonFigures[];
  /** Standard deviation of per-person accuracy means; null across people. */
  people_accuracy_std: number | null;
  /** People left out for having fewer than `minPerClass` images in a class. */
  skipped_people: Array<{ person: string; per_class: [number, number] }>;
  fisher: FisherFigures;
  ours: OursFigures | null;
  /** Per-seed figures of an across-people experiment (within-person ones keep theirs in per_person). */
  runs: RunFigures[];
}

/** Resolved options with PROTOCOL.md's defaults. */
interface Settings {
  seeds: readonly number[];
  restarts: number;
  probeFolds: number;
  probeC: number;
  fisherMs: readonly number[];
  chanceShuffles: number;
  minPerClass: number;
  ours: boolean;
}

/** The default seeds, 0..9. */
export const PROTOCOL_SEEDS: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

function settings(options: ProtocolOptions, d: number): Settings {
  const seeds = options.seeds ?? PROTOCOL_SEEDS;
  if (seeds.length === 0) throw new InvalidInputError('seeds must hold at least one seed');
  const minPerClass = options.minPerClass ?? 2;
  if (!Number.isInteger(minPerClass) || minPerClass < 2) throw new InvalidInputError(`minPerClass must be an integer ≥ 2, got ${minPerClass}`);
  return {
    seeds,
    restarts: options.restarts ?? 10,
    probeFolds: options.probeFolds ?? 5,
    probeC: options.probeC ?? 1,
    fisherMs: options.fisherMs ?? topMValues(d),
    chanceShuffles: options.chanceShuffles ?? 1,
    minPerClass,
    ours: options.ours ?? true,
  };
}

/**
 * The balanced sample of one run: the larger class down-sampled (seeded) to the smaller's size.
 * @returns row indices, increasing.
 */
export function balancedSample(classes: ArrayLike<number>, seed: number): number[] {
  const byClass: [number[], number[]] = [[], []];
  for (let i = 0; i < classes.length; i++) byClass[classes[i] === 1 ? 1 : 0].push(i);
  const size = Math.min(byClass[0].length, byClass[1].length);
  const rng = createRng(deriveSeed(seed, 'balance'));
  const keep = byClass.flatMap((members) => sampleIndices(members.length, size, rng).map((r) => members[r] as number));
  return keep.sort((a, b) => a - b);
}

/** Scores one seed on one group of rows (all of them classes 0/1 with ≥ 2 per class). */
export function runOnce(kernel: Kernel, data: Float32Array, d: number, classes: ArrayLike<number>, seed: number, options: ProtocolOptions = {}): RunFigures {
  const s = settings(options, d);
  const rows = balancedSample(classes, seed);
  const x = selectRows(data, d, rows);
  const y = pick(classes, rows);
  const { labels } = kernel.kmeans(x, d, { k: 2, seed: deriveSeed(seed, 'kmeans'), restarts: s.restarts });
  const fisher = splitHalfFisherCurve(kernel, x, d, y, { seed: deriveSeed(seed, 'fisher'), ms: s.fisherMs, restarts: s.restarts });
  let ours: RunFigures['ours'] = null;
  if (s.ours) {
    const own = oursClustering(kernel, x, d);
    ours = { accuracy: clusterAccuracy(y, own), nmi: normalizedMutualInfo(y, own), ari: adjustedRandIndex(y, own) };
  }
  return {
    seed,
    accuracy: clusterAccuracy(y, labels),
    chance: chanceAccuracy(y, labels, deriveSeed(seed, 'chance'), s.chanceShuffles),
    nmi: normalizedMutualInfo(y, labels),
    ari: adjustedRandIndex(y, labels),
    probe: linearProbe(kernel, x, d, y, { folds: s.probeFolds, c: s.probeC, seed: deriveSeed(seed, 'probe') }).accuracy,
    fisher: { top_m: fisher.topM, shuffled: fisher.shuffled },
    ours,
  };
}

const mean = (values: readonly number[]): number => meanStd(values).mean;

/** Mean of curves keyed by m. */
function meanCurve(curves: ReadonlyArray<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(curves[0] ?? {})) out[key] = mean(curves.map((c) => c[key] as number));
  return out;
}

/** Aggregates runs of one group. */
function summarise(runs: RunFigures[], nPerClass: number): GroupFigures {
  const accuracy = meanStd(runs.map((r) => r.accuracy));
  const chance = meanStd(runs.map((r) => r.chance));
  const probe = meanStd(runs.map((r) => r.probe));
  const oursRuns = runs.map((r) => r.ours).filter((o): o is NonNullable<RunFigures['ours']> => o !== null);
  const oursAccuracy = meanStd(oursRuns.map((o) => o.accuracy));
  return {
    n_per_class: nPerClass,
    accuracy_mean: accuracy.mean,
    accuracy_std: accuracy.std,
    chance_mean: chance.mean,
    chance_std: chance.std,
    nmi: mean(runs.map((r) => r.nmi)),
    ari: mean(runs.map((r) => r.ari)),
    probe: probe.mean,
    probe_std: probe.std,
    fisher: { top_m: meanCurve(runs.map((r) => r.fisher.top_m)), shuffled: meanCurve(runs.map((r) => r.fisher.shuffled)) },
    ours: oursRuns.length === 0 ? null : {
      method: OURS_METHOD,
      accuracy_mean: oursAccuracy.mean,
      accuracy_std: oursAccuracy.std,
      nmi: mean(oursRuns.map((o) => o.nmi)),
      ari: mean(oursRuns.map((o) => o.ari)),
    },
    runs,
  };
}

/** Lets timers and abort events run between runs (the analysis itself is synchronous). */
const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Runs one experiment of PROTOCOL.md on embeddings.
 * @throws InvalidInputError for a bad shape, classes other than 0/1, missing persons for a
 *   within-person experiment, or (across people) fewer than `minPerClass` rows in a class, or
 *   (within person) no person with enough rows; an AbortError when `options.signal` aborts.
 */
export async function runExperiment(kernel: Kernel, spec: ExperimentSpec, data: ExperimentData, options: ProtocolOptions = {}): Promise<ExperimentResult> {
  const d = data.d ?? 128;
  const n = checkMatrix(data.embeddings, d, `${spec.name} embeddings`);
  const counts = checkBinaryClasses(data.classes, n, `${spec.name} classes`);
  const s = settings(options, d);
  throwIfAborted(options.signal);

  let groups: Array<{ person: string | null; rows: number[] }>;
  const skipped: ExperimentResult['skipped_people'] = [];
  if (spec.kind === 'intra-class') {
    const persons = data.persons;
    if (!persons || persons.length !== n) {
      throw new InvalidInputError(`${spec.name} runs per person: persons must give one name per row (${n}), got ${persons?.length ?? 'none'}`);
    }
    const byPerson = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      const p = persons[i] as string;
      const list = byPerson.get(p);
      if (list) list.push(i);
      else byPerson.set(p, [i]);
    }
    groups = [];
    for (const [person, rows] of byPerson) {
      const ones = rows.filter((i) => data.classes[i] === 1).length;
      const perClass: [number, number] = [rows.length - ones, ones];
      if (Math.min(...perClass) < s.minPerClass) skipped.push({ person, per_class: perClass });
      else groups.push({ person, rows });
    }
    if (groups.length === 0) {
      throw new InvalidInputError(`${spec.name}: no person has ${s.minPerClass} or more images in each class (${skipped.length} people skipped)`);
    }
  } else {
    if (Math.min(...counts) < s.minPerClass) {
      throw new InvalidInputError(`${spec.name}: needs at least ${s.minPerClass} images per class, got ${counts[0]} of class 0 and ${counts[1]} of class 1`);
    }
    groups = [{ person: null, rows: Array.from({ length: n }, (_, i) => i) }];
  }

  const total = groups.length * s.seeds.length;
  let done = 0;
  const summaries: Array<GroupFigures & { person: string | null }> = [];
  for (const group of groups) {
    const x = selectRows(data.embeddings, d, group.rows);
    const y = pick(data.classes, group.rows);
    const ones = y.filter((c) => c === 1).length;
    const runs: RunFigures[] = [];
    for (const seed of s.seeds) {
      await nextTask();
      throwIfAborted(options.signal);
      runs.push(runOnce(kernel, x, d, y, seed, options));
      done++;
      options.onProgress?.({ experiment: spec.name, person: group.person, done, total });
    }
    summaries.push({ ...summarise(runs, Math.min(ones, y.length - ones)), person: group.person });
  }

  const base = { name: spec.name, paper: spec.paper ?? null, skipped_people: skipped };
  if (spec.kind === 'extra-class') {
    const only = summaries[0] as GroupFigures;
    return {
      ...base,
      accuracy_mean: only.accuracy_mean, accuracy_std: only.accuracy_std, chance_mean: only.chance_mean, chance_std: only.chance_std,
      nmi: only.nmi, ari: only.ari, probe: only.probe, probe_std: only.probe_std, n_per_class: only.n_per_class,
      people: null, per_person: [], people_accuracy_std: null, fisher: only.fisher, ours: only.ours, runs: only.runs,
    };
  }
  const perPerson: PersonFigures[] = summaries.map((g) => ({ ...g, person: g.person as string }));
  const across = <T>(f: (p: PersonFigures) => T): T[] => perPerson.map(f);
  const oursList = across((p) => p.ours).filter((o): o is OursFigures => o !== null);
  return {
    ...base,
    accuracy_mean: mean(across((p) => p.accuracy_mean)),
    accuracy_std: mean(across((p) => p.accuracy_std)),
    chance_mean: mean(across((p) => p.chance_mean)),
    chance_std: mean(across((p) => p.chance_std)),
    nmi: mean(across((p) => p.nmi)),
    ari: mean(across((p) => p.ari)),
    probe: mean(across((p) => p.probe)),
    probe_std: mean(across((p) => p.probe_std)),
    n_per_class: across((p) => p.n_per_class).reduce((a, b) => a + b, 0),
    people: perPerson.length,
    per_person: perPerson,
    people_accuracy_std: meanStd(across((p) => p.accuracy_mean)).std,
    fisher: { top_m: meanCurve(across((p) => p.fisher.top_m)), shuffled: meanCurve(across((p) => p.fisher.shuffled)) },
    ours: oursList.length === 0 ? null : {
      method: OURS_METHOD,
      accuracy_mean: mean(oursList.map((o) => o.accuracy_mean)),
      accuracy_std: mean(oursList.map((o) => o.accuracy_std)),
      nmi: mean(oursList.map((o) => o.nmi)),
      ari: mean(oursList.map((o) => o.ari)),
    },
    runs: [],
  };
}

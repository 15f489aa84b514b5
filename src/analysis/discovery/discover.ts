/**
 * Finding, ranking and showing the splits of one view. Every candidate recipe (candidates.ts) is fitted
 * on all points and on bootstrap resamples with their own seeds; its stability is the mean adjusted
 * Rand index between the full fit and each resample's fit, both labelling every point. Candidates are
 * ranked by stability × balance, balance being the split's binary entropy in bits (1 for halves,
 * 0.47 for 10 % against 90 %): a stable split that sets apart a handful of faces says less than one
 * that divides them. Near-duplicates (|ARI| ≥ 0.5 with a better-ranked split) are merged into it.
 * Within people, a split with a side made mostly of one person is dropped: identity leaking back.
 * Nothing here reads a label: the ranking is a function of the points and the seed only.
 */
import { InvalidInputError, throwIfAborted } from '../../errors.ts';
import type { Kernel } from '../../kernel/types.ts';
import { adjustedRandIndex } from '../metrics.ts';
import { type CandidateOptions, type SplitMethod, candidateRecipes, minimumClusterSize } from './candidates.ts';
import { type MeasurementTable, type SplitDescription, centreByPerson, describeSplit, pointValues } from './describe.ts';
import type { Guide } from './guided.ts';
import { Rng, bootstrapIndices, mixSeed } from './random.ts';
import type { DiscoveryView, ViewKind } from './views.ts';

/** One discovered split of a view's points. */
export interface DiscoveredSplit {
  /** 1 = shown first. */
  rank: number;
  /** Recipe id, e.g. `pc-1`, `k-means-2`, `clusters-4-c2`. */
  id: string;
  method: SplitMethod;
  /** The method in words. */
  methodLabel: string;
  /** Other recipes that found (nearly) the same split. */
  alsoFoundBy: string[];
  /** Side (0 or 1) of every point of the view. */
  sides: Int32Array;
  /** Points on side 0 and side 1. */
  sizes: [number, number];
  /** Binary entropy of the sizes, in bits (1 = even halves). */
  balance: number;
  /** Mean adjusted Rand index between the full fit and each resample's fit, clipped at 0 (1 = always the same split). */
  stability: number;
  /** stability × balance: the ranking score. */
  score: number;
  /** People with points on both sides. */
  spansPeople: number;
  /** People on each side. */
  people: [number, number];
  /** Largest share of a side's points belonging to one person. */
  largestPersonShare: [number, number];
  /** Faces (indices into the caller's faces) furthest along the split on each side, furthest first. */
  strips: [number[], number[]];
  /** What describes it best, when measurements were given. */
  description: SplitDescription | null;
}

/** A candidate left out of the ranking, and why. */
export interface DroppedSplit {
  id: string;
  reason: string;
}

/** Everything discovered in one view. */
export interface ViewDiscovery {
  view: ViewKind;
  /** The subject of a per-person view. */
  subject: string | null;
  points: number;
  people: number;
  /** k chosen by silhouette for the cluster candidates, or null. */
  k: number | null;
  splits: DiscoveredSplit[];
  dropped: DroppedSplit[];
  seed: number;
}

/** Options of {@link discoverSplits}. */
export interface DiscoverOptions extends CandidateOptions {
  /** Seeds every random choice. Default 0. */
  seed?: number;
  /** Bootstrap resamples per candidate. Default 6. */
  bootstraps?: number;
  /** Faces per strip. Default 8. */
  stripSize?: number;
  /** Per-face measurements to describe splits with (describe.ts). */
  measurements?: MeasurementTable;
  /** |ARI| at or above which two splits count as the same. Default 0.5. */
  duplicateAri?: number;
  signal?: AbortSignal;
}

/** Binary entropy (bits) of a split with these sizes. */
export function splitBalance(n0: number, n1: number): number {
  const n = n0 + n1;
  if (n0 === 0 || n1 === 0) return 0;
  const p = n0 / n;
  return -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));
}

/** People statistics of a split. */
function peopleOf(view: DiscoveryView, sides: Int32Array) {
  const counts = [new Map<number, number>(), new Map<number, number>()];
  for (let i = 0; i < sides.length; i++) {
    const m = counts[sides[i] as number] as Map<number, number>;
    const p = view.person[i] as number;
    m.set(p, (m.get(p) ?? 0) + 1);
  }
  const share = (m: Map<number, number>, size: number) => (size ? Math.max(0, ...m.values()) / size : 0);
  const sizes = [0, 1].map((s) => [...(counts[s] as Map<number, number>).values()].reduce((a, b) => a + b, 0));
  let spans = 0;
  for (const p of (counts[0] as Map<number, number>).keys()) if ((counts[1] as Map<number, number>).has(p)) spans++;
  return {
    spansPeople: spans,
    people: [(counts[0] as Map<number, number>).size, (counts[1] as Map<number, number>).size] as [number, number],
    largestPersonShare: [share(counts[0] as Map<number, number>, sizes[0] as number), share(counts[1] as Map<number, number>, sizes[1] as number)] as [number, number],
    largestOverall: (() => {
      const all = new Map<number, number>();
      for (const p of view.person) all.set(p, (all.get(p) ?? 0) + 1);
      return Math.max(...all.values()) / sides.length;
    })(),
  };
}

/**
 * Faces furthest along mean(side 1) − mean(side 0) on each side, furthest first. Within people, one
 * face per person first (then the rest), so a strip shows the split across people rather than the
 * spread of whoever has the most photos.
 */
function strips(view: DiscoveryView, sides: Int32Array, size: number): [number[], number[]] {
  const { d, vectors } = view;
  const n = sides.length;
  const w = new Float64Array(d);
  const counts = [0, 0];
  for (let i = 0; i < n; i++) counts[sides[i] as number]!++;
  for (let i = 0; i < n; i++) {
    const sign = sides[i] === 1 ? 1 / (counts[1] as number) : -1 / (counts[0] as number);
    for (let j = 0; j < d; j++) w[j] = (w[j] as number) + sign * (vectors[i * d + j] as number);
  }
  const score = Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (vectors[i * d + j] as number) * (w[j] as number);
    return s;
  });
  const side = (s: number, sign: number) => {
    const order = [...sides.keys()]
      .filter((i) => sides[i] === s)
      .sort((a, b) => sign * ((score[b] as number) - (score[a] as number)) || a - b);
    let chosen = order;
    if (view.kind === 'within-people') {
      const seen = new Set<number>();
      const first = order.filter((i) => {
        const p = view.person[i] as number;
        if (seen.has(p)) return false;
        seen.add(p);
        return true;
      });
      const taken = new Set(first.slice(0, size));
      chosen = [...first.slice(0, size), ...order.filter((i) => !taken.has(i))];
    }
    return chosen.slice(0, size).map((i) => view.representative[i] as number);
  };
  return [side(0, -1), side(1, 1)];
}

interface Candidate {
  id: string;
  method: SplitMethod;
  methodLabel: string;
  sides: Int32Array;
  stability: number;
}

/**
 * The measurements as guides for the view's points (a point takes the mean of its faces' values; within
 * people, minus its person's mean, as the view itself compares). A measurement is left out when fewer than
 * `minSide` points have a value, or it takes fewer than 2 distinct values.
 */
function guidesOf(view: DiscoveryView, table: MeasurementTable, minSide: number): Guide[] {
  const guides: Guide[] = [];
  for (const column of table.columns) {
    const raw = pointValues(column, view.faces);
    const present = [...raw].filter((v) => !Number.isNaN(v));
    if (present.length < 2 * minSide || new Set(present).size < 2) continue;
    const values = view.kind === 'within-people' ? centreByPerson(raw, view.person) : raw;
    guides.push({ key: column.key, label: column.label, values });
  }
  return guides;
}

/** Lets timers and abort events run between candidates (the work itself is synchronous). */
const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Finds, ranks, describes and shows the splits of one view (see the module comment).
 * @throws InvalidInputError for a view with fewer than 8 points; an AbortError when `signal` aborts.
 */
export async function discoverSplits(kernel: Kernel, view: DiscoveryView, options: DiscoverOptions = {}): Promise<ViewDiscovery> {
  const n = view.vectors.length / view.d;
  if (n < 8) throw new InvalidInputError(`discovery needs at least 8 points in the ${view.kind} view, got ${n}`);
  const seed = options.seed ?? 0;
  const bootstraps = options.bootstraps ?? 6;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const guides = options.measurements ? guidesOf(view, options.measurements, minimumClusterSize(n)) : [];
  const { recipes, k } = candidateRecipes(kernel, view.vectors, view.d, mixSeed(seed, 1), options, guides);
  const minSide = minimumClusterSize(n);
  const candidates: Candidate[] = [];
  const dropped: DroppedSplit[] = [];
  for (const [r, recipe] of recipes.entries()) {
    await nextTask();
    throwIfAborted(options.signal);
    const full = recipe.fit(all, mixSeed(seed, 10 + r));
    if (!full) continue;
    const resampled: Array<Int32Array[] | null> = [];
    for (let b = 0; b < bootstraps; b++) {
      const rows = bootstrapIndices(n, new Rng(mixSeed(seed, 1000 + 97 * r + b)));
      resampled.push(recipe.fit(rows, mixSeed(seed, 5000 + 97 * r + b)));
    }
    full.forEach((sides, c) => {
      const part = recipe.parts?.[c];
      const id = part ? `${recipe.id}-${part.id}` : full.length > 1 ? `${recipe.id}-c${c + 1}` : recipe.id;
      const ones = sides.reduce((a, b) => a + b, 0);
      if (Math.min(ones, n - ones) < minSide) {
        dropped.push({ id, reason: `a side has ${Math.min(ones, n - ones)} of ${n} points, fewer than ${minSide} (max(3, 5 %))` });
        return;
      }
      let total = 0;
      for (const fit of resampled) {
        if (!fit) continue;
        const comparable = recipe.aligned ? [fit[c] as Int32Array] : fit;
        total += Math.max(0, ...comparable.map((other) => adjustedRandIndex(sides, other)));
      }
      candidates.push({ id, method: recipe.method, methodLabel: part?.label ?? recipe.label, sides, stability: bootstraps ? total / bootstraps : 0 });
    });
  }
  const stripSize = options.stripSize ?? 8;
  const duplicateAri = options.duplicateAri ?? 0.5;
  const scored = candidates
    .map((c) => {
      const ones = c.sides.reduce((a, b) => a + b, 0);
      const balance = splitBalance(n - ones, ones);
      return { ...c, sizes: [n - ones, ones] as [number, number], balance, score: c.stability * balance };
    })
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  const kept: Array<(typeof scored)[number] & { alsoFoundBy: string[] }> = [];
  for (const c of scored) {
    const twin = kept.find((k) => Math.abs(adjustedRandIndex(k.sides, c.sides)) >= duplicateAri);
    if (twin) {
      twin.alsoFoundBy.push(c.id);
      continue;
    }
    if (view.kind === 'within-people') {
      const stats = peopleOf(view, c.sides);
      const limit = Math.max(0.5, 2 * stats.largestOverall);
      const side = stats.largestPersonShare.findIndex((s) => s > limit);
      if (side >= 0) {
        dropped.push({ id: c.id, reason: `identity leaking back: ${Math.round(100 * (stats.largestPersonShare[side] as number))} % of side ${side + 1} is one person` });
        continue;
      }
    }
    kept.push({ ...c, alsoFoundBy: [] });
  }
  const splits = kept.map((c, i): DiscoveredSplit => {
    const stats = peopleOf(view, c.sides);
    return {
      rank: i + 1, id: c.id, method: c.method, methodLabel: c.methodLabel, alsoFoundBy: c.alsoFoundBy,
      sides: c.sides, sizes: c.sizes, balance: c.balance, stability: c.stability, score: c.score,
      spansPeople: stats.spansPeople, people: stats.people, largestPersonShare: stats.largestPersonShare,
      strips: strips(view, c.sides, stripSize),
      description: options.measurements ? describeSplit(view, c.sides, options.measurements) : null,
    };
  });
  return {
    view: view.kind, subject: view.subject, points: n, people: new Set(view.person).size, k, splits, dropped, seed,
  };
}

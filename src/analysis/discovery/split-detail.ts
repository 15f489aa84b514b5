/**
 * What a person sees when they choose a split: the view's points on its first two principal
 * directions, ways to colour them (by side, by person, by each attribute head or measure), and which
 * of the embedding's numbers carry the split (Fisher score: spread between the sides over spread
 * within them), each number labelled by the measurement it goes with, when one does, so no number is
 * shown as a bare index; and the split-half curve (how much of the split the top m numbers alone recover).
 */
import type { Kernel } from '../../kernel/types.ts';
import { projectPca2d } from '../cluster.ts';
import { type FisherCurve, fisherScores, rankDimensions, splitHalfFisherCurve } from '../fisher.ts';
import { centreByPerson, pointValues } from './describe.ts';
import type { MeasurementColumn, MeasurementTable } from './measurements.ts';
import type { DiscoveryView } from './views.ts';

/** One way to colour the points: a category per point (an index into `categories`). */
export interface Colouring {
  key: string;
  /** What the colours show, in words: `side`, `person`, `estimated age (age head)`. */
  label: string;
  categories: string[];
  /** Category of each point. */
  values: Int32Array;
}

/** One of the numbers that carry a split. */
export interface CarryingNumber {
  /** 0-based index into the embedding. */
  dimension: number;
  /** Fisher score (+Infinity when a side has no spread on it). */
  score: number;
  /** The measurement it goes with most (|Pearson r| ≥ 0.3 over the view's points), in words, or null. */
  goesWith: string | null;
  /** That correlation (NaN when none). */
  r: number;
}

/** A chosen split, ready to show. */
export interface SplitDetail {
  /** n × 2 coordinates of the view's points on its first two principal directions. */
  points: Float32Array;
  explained: [number, number];
  /** The face that shows each point (an index into the caller's faces). */
  faces: Int32Array;
  colourings: Colouring[];
  /** The embedding's dimension. */
  d: number;
  /** The numbers that carry it most, strongest first. */
  carrying: CarryingNumber[];
  /** Fisher score of every dimension. */
  scores: Float64Array;
  ranking: number[];
  /**
   * PROTOCOL.md's split-half curve for the split's sides: numbers ranked on one half, two-way k-means on
   * the other half with only the top m, against the same with the first half's sides shuffled. Null when a
   * side has fewer than 2 points.
   */
  curve: FisherCurve | null;
}

function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return (sorted[lo] as number) + ((sorted[Math.min(lo + 1, sorted.length - 1)] as number) - (sorted[lo] as number)) * (at - lo);
}

const round = (x: number): string => (Math.abs(x) >= 10 ? x.toFixed(0) : x.toFixed(1));

/** A column as colours: binary as yes/no, numeric in thirds (low, middle, high); missing values apart. */
function colouringOf(column: MeasurementColumn, faces: readonly number[][]): Colouring | null {
  const values = pointValues(column, faces);
  const present = [...values].filter((v) => !Number.isNaN(v));
  if (present.length < 2) return null;
  const unit = column.unit ?? '';
  let categories: string[];
  let of: (v: number) => number;
  if (column.kind === 'binary') {
    categories = [column.label, `not ${column.label}`];
    of = (v) => (v >= 0.5 ? 0 : 1);
  } else {
    const sorted = present.sort((a, b) => a - b);
    const a = quantile(sorted, 1 / 3);
    const b = quantile(sorted, 2 / 3);
    if (!(b > a)) return null;
    categories = [`${column.label} under ${round(a)}${unit}`, `${column.label} ${round(a)}–${round(b)}${unit}`, `${column.label} over ${round(b)}${unit}`];
    of = (v) => (v < a ? 0 : v <= b ? 1 : 2);
  }
  const missing = values.some((v) => Number.isNaN(v));
  if (missing) categories.push('no estimate');
  return {
    key: column.key, label: `${column.label} (${column.source})`, categories,
    values: Int32Array.from(values, (v) => (Number.isNaN(v) ? categories.length - 1 : of(v))),
  };
}

function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let n = 0, sx = 0, sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(y[i] as number)) continue;
    n++; sx += x[i] as number; sy += y[i] as number;
  }
  if (n < 3) return Number.NaN;
  const mx = sx / n;
  const my = sy / n;
  let xy = 0, xx = 0, yy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(y[i] as number)) continue;
    const a = (x[i] as number) - mx;
    const b = (y[i] as number) - my;
    xy += a * b; xx += a * a; yy += b * b;
  }
  return xx > 0 && yy > 0 ? xy / Math.sqrt(xx * yy) : Number.NaN;
}

/**
 * Everything shown for a chosen split of a view (see the module comment).
 * @param sides 0/1 per point of the view. @param top how many carrying numbers to label. Default 12.
 */
export function splitDetail(kernel: Kernel, view: DiscoveryView, sides: ArrayLike<number>, measurements?: MeasurementTable, top = 12): SplitDetail {
  const { d, vectors } = view;
  const n = vectors.length / d;
  const projection = projectPca2d(kernel, vectors, d);
  const colourings: Colouring[] = [
    { key: 'side', label: 'side of the split', categories: ['one side', 'other side'], values: Int32Array.from(sides) },
  ];
  if (view.kind !== 'person') {
    const used = [...new Set(view.person)].sort((a, b) => a - b);
    const index = new Map(used.map((p, i) => [p, i]));
    colourings.push({ key: 'person', label: 'person', categories: used.map((p) => view.people[p] as string), values: Int32Array.from(view.person, (p) => index.get(p) as number) });
  }
  for (const column of measurements?.columns ?? []) {
    const c = colouringOf(column, view.faces);
    if (c) colourings.push(c);
  }
  const scores = fisherScores(vectors, d, sides);
  const ranking = rankDimensions(scores);
  const columns = (measurements?.columns ?? []).map((column) => {
    const values = pointValues(column, view.faces);
    return { column, values: view.kind === 'within-people' ? centreByPerson(values, view.person) : values };
  });
  const carrying = ranking.slice(0, top).map((j): CarryingNumber => {
    const x = Float64Array.from({ length: n }, (_, i) => vectors[i * d + j] as number);
    let best: { text: string; r: number } | null = null;
    for (const { column, values } of columns) {
      const r = pearson(x, values);
      if (!Number.isFinite(r) || Math.abs(r) < 0.3 || (best && Math.abs(best.r) >= Math.abs(r))) continue;
      const direction = column.kind === 'binary' ? (r > 0 ? `higher for ${column.label}` : `lower for ${column.label}`) : (r > 0 ? `rises with ${column.label}` : `falls as ${column.label} rises`);
      best = { text: direction, r };
    }
    return { dimension: j, score: scores[j] as number, goesWith: best?.text ?? null, r: best?.r ?? Number.NaN };
  });
  const ones = Array.from(sides).reduce((a, b) => a + b, 0);
  const curve = Math.min(ones, n - ones) >= 2 ? splitHalfFisherCurve(kernel, vectors, d, sides, { seed: 0, restarts: 3 }) : null;
  return {
    points: projection.points, explained: projection.explainedVarianceRatio, faces: Int32Array.from(view.representative),
    colourings, d, carrying, scores, ranking, curve,
  };
}

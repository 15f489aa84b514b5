/**
 * Which measurement describes a split best, and how well, in words read at a glance: "one side 84 %
 * smiling, the other 12 % (expression head)". Each measurement is scored by the area under the ROC
 * curve (AUC) of telling the two sides apart by it: 0.5 = no better than a coin, 1 (or 0) = it
 * separates the sides completely. The best one describes the split when its strength |2·AUC − 1| is
 * at least 0.3 and the AUC is at least 3 standard errors from 0.5 (so small samples do not make up
 * descriptions); otherwise the description says plainly that nothing measured here describes it.
 */
import type { MeasurementColumn, MeasurementTable } from './measurements.ts';
export type { MeasurementTable } from './measurements.ts';

/** How one measurement tells the sides apart. */
export interface MeasureScore {
  key: string;
  label: string;
  source: string;
  /** P(a side-1 point's value > a side-0 point's), ties counted half. */
  auc: number;
  /** |2·AUC − 1|: 0 none, 1 complete. */
  strength: number;
  /** Distance of the AUC from 0.5 in standard errors under no difference. */
  z: number;
  /** Each side's share (binary) or median (numeric). */
  sideValues: [number, number];
  /** Each side in words, e.g. `84 % smiling`, `brightness 142 of 255`. */
  sideTexts: [string, string];
}

/** A split's description. */
export interface SplitDescription {
  /** The sentence shown. */
  text: string;
  /** True when a measurement describes the split (see the module comment). */
  described: boolean;
  /** `clearly` (strength ≥ 0.8), `mostly` (≥ 0.5), `partly` (≥ 0.3) or `not` (nothing describes it). */
  how: 'clearly' | 'mostly' | 'partly' | 'not';
  best: MeasureScore | null;
  /** Every measurement with values on both sides, strongest first. */
  scores: MeasureScore[];
}

/** How far from chance (standard errors) the best measurement's AUC must be for it to describe a split. */
export const DESCRIBE_Z = 3;

/**
 * The fewest points a view needs before any split of it can be described: below this, even a measurement
 * that separates two even halves completely stays within {@link DESCRIBE_Z} standard errors of chance
 * (13 for z = 3). A view with fewer points can only offer guesses.
 */
export function fewestPointsToDescribe(z = DESCRIBE_Z): number {
  for (let n = 4; ; n++) {
    const n0 = Math.floor(n / 2);
    const n1 = n - n0;
    if (0.5 / Math.sqrt((n + 1) / (12 * n0 * n1)) >= z) return n;
  }
}

/** Area under the ROC curve of `values` telling group 1 from group 0 (average ranks for ties). */
export function aucOf(values: ArrayLike<number>, groups: ArrayLike<number>): number {
  const idx = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Float64Array(values.length);
  for (let start = 0; start < idx.length;) {
    let end = start;
    while (end + 1 < idx.length && values[idx[end + 1] as number] === values[idx[start] as number]) end++;
    const rank = (start + end) / 2 + 1;
    for (let r = start; r <= end; r++) ranks[idx[r] as number] = rank;
    start = end + 1;
  }
  let n1 = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) if (groups[i] === 1) { n1++; sum += ranks[i] as number; }
  const n0 = values.length - n1;
  if (n0 === 0 || n1 === 0) return 0.5;
  return (sum - (n1 * (n1 + 1)) / 2) / (n0 * n1);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const round = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(0) : x.toFixed(1));
const percent = (x: number): string => `${Math.round(100 * x)} %`;

/** A point's value: the mean of its faces' values that are present (NaN when none is). */
export function pointValues(column: MeasurementColumn, faces: readonly number[][]): Float64Array {
  return Float64Array.from(faces, (list) => {
    let s = 0;
    let c = 0;
    for (const i of list) {
      const v = column.values[i] as number;
      if (!Number.isNaN(v)) { s += v; c++; }
    }
    return c ? s / c : Number.NaN;
  });
}

/** Each value minus the mean of its person's values (NaN stays NaN). */
export function centreByPerson(values: Float64Array, person: ArrayLike<number>): Float64Array {
  const sums = new Map<number, [number, number]>();
  values.forEach((v, i) => {
    if (Number.isNaN(v)) return;
    const s = sums.get(person[i] as number) ?? [0, 0];
    s[0] += v;
    s[1]++;
    sums.set(person[i] as number, s);
  });
  return values.map((v, i) => {
    const s = sums.get(person[i] as number);
    return Number.isNaN(v) || !s ? Number.NaN : v - s[0] / s[1];
  });
}

/**
 * Scores one measurement on a split; null when a side has fewer than 3 points with a value.
 * @param person when given (the within-people view), the AUC compares each face with its own
 *   person's other faces (values minus the person's mean), as the view compares embeddings; the side
 *   values in words stay the plain shares and medians.
 */
export function scoreMeasure(column: MeasurementColumn, faces: readonly number[][], sides: ArrayLike<number>, person?: ArrayLike<number>): MeasureScore | null {
  const values = pointValues(column, faces);
  const compared = person ? centreByPerson(values, person) : values;
  const v: number[] = [];
  const g: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i] as number)) { v.push(compared[i] as number); raw.push(values[i] as number); g.push(sides[i] as number); }
  const n1 = g.filter((x) => x === 1).length;
  const n0 = g.length - n1;
  if (n0 < 3 || n1 < 3) return null;
  const auc = aucOf(v, g);
  const se = Math.sqrt((n0 + n1 + 1) / (12 * n0 * n1));
  const side = (s: number) => raw.filter((_, i) => g[i] === s);
  const sideValues: [number, number] = column.kind === 'binary'
    ? [0, 1].map((s) => side(s).reduce((a, b) => a + b, 0) / side(s).length) as [number, number]
    : [median(side(0)), median(side(1))];
  const text = (x: number) => (column.kind === 'binary' ? `${percent(x)} ${column.label}` : `${column.label} ${round(x)}${column.unit ?? ''}`);
  return {
    key: column.key, label: column.label, source: column.source, auc, strength: Math.abs(2 * auc - 1), z: (auc - 0.5) / se,
    sideValues, sideTexts: [text(sideValues[0]), text(sideValues[1])],
  };
}

/** The sentence for a describing measurement: the side with more of it first. */
function sentence(score: MeasureScore, column: MeasurementColumn): string {
  const high = score.auc >= 0.5 ? 1 : 0;
  const hi = score.sideValues[high] as number;
  const lo = score.sideValues[1 - high] as number;
  if (column.kind === 'binary') return `one side ${percent(hi)} ${column.label}, the other ${percent(lo)} (${column.source})`;
  return `one side has ${column.more ?? `higher ${column.label}`}: ${column.label} ${round(hi)}${column.unit ?? ''} against ${round(lo)}${column.unit ?? ''}, medians (${column.source})`;
}

/**
 * Describes a split of a view's points by the measurements of the faces behind them (a point
 * standing for several faces takes the mean of theirs). In the within-people view each face is
 * compared with its own person's other faces, as the view itself does.
 * @param view anything with `faces` (faces behind each point). @param sides 0/1 per point.
 */
export function describeSplit(view: { faces: number[][]; kind?: string; person?: ArrayLike<number> }, sides: ArrayLike<number>, table: MeasurementTable): SplitDescription {
  const scores: Array<{ score: MeasureScore; column: MeasurementColumn }> = [];
  const person = view.kind === 'within-people' ? view.person : undefined;
  for (const column of table.columns) {
    const score = scoreMeasure(column, view.faces, sides, person);
    if (score) scores.push({ score, column });
  }
  scores.sort((a, b) => b.score.strength - a.score.strength || a.score.key.localeCompare(b.score.key));
  const top = scores[0];
  const all = scores.map((s) => s.score);
  if (top && top.score.strength >= 0.3 && Math.abs(top.score.z) < DESCRIBE_Z) {
    // Strong enough to mention, but chance is not ruled out (too few points, e.g. a handful of people): say so.
    return {
      text: `nothing describes this split for sure (it could be chance); the closest guess: ${sentence(top.score, top.column)}`,
      described: false, how: 'not', best: top.score, scores: all,
    };
  }
  if (!top || top.score.strength < 0.3) {
    const closest = top ? ` (the closest, ${top.score.label}, tells the sides apart ${top.score.strength < 0.15 ? 'hardly at all' : 'only weakly'})` : '';
    return {
      text: `nothing measured here describes this split${closest}: the embedding separates something there is no name for yet`,
      described: false, how: 'not', best: top?.score ?? null, scores: all,
    };
  }
  const s = top.score.strength;
  const how = s >= 0.8 ? 'clearly' : s >= 0.5 ? 'mostly' : 'partly';
  return { text: `${how === 'clearly' ? '' : `${how}: `}${sentence(top.score, top.column)}`, described: true, how, best: top.score, scores: all };
}

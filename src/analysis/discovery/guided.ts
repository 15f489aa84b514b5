/**
 * Candidate splits guided by what the pipeline measures: for each measurement (an attribute head, head
 * pose, light, size), the direction in the view along which the embedding best predicts it (ridge
 * regression), each point cut by its predicted value at the exact 1-D two-means threshold. The sides are
 * decided by the embedding alone; the measurement only chooses the direction. Every point's prediction
 * is cross-fitted: it comes from a fit that never saw that point's own value (5 folds over the rows;
 * points outside the rows use the fit on all rows), so a description by the same measurement afterwards
 * measures how much of it the embedding carries, not how well a 128-number fit memorises its own
 * targets. Ridge's penalty is the mean variance per dimension times the rows (λ = trace(XᵀX)/d), a fixed
 * rule, not tuned. The Gram matrix and its factorisations are shared by all measurements of one fit.
 */
import { cholesky, choleskySolve } from '../matrix.ts';
import { twoMeans1d } from '../ours.ts';

/** A measurement per point of the view (NaN where a point has none). */
export interface Guide {
  key: string;
  label: string;
  values: Float64Array;
}

/** Uncentred sums over some rows: Σ x xᵀ (lower triangle), Σ x and the row count. */
interface Sums {
  xx: Float64Array;
  x: Float64Array;
  count: number;
}

function sumsOf(data: Float32Array, d: number, rows: readonly number[]): Sums {
  const xx = new Float64Array(d * d);
  const x = new Float64Array(d);
  for (const r of rows) {
    const base = r * d;
    for (let j = 0; j < d; j++) {
      const xj = data[base + j] as number;
      x[j] = (x[j] as number) + xj;
      if (xj === 0) continue;
      const at = j * d;
      for (let k = 0; k <= j; k++) xx[at + k] = (xx[at + k] as number) + xj * (data[base + k] as number);
    }
  }
  return { xx, x, count: rows.length };
}

function minus(a: Sums, b: Sums): Sums {
  return { xx: a.xx.map((v, i) => v - (b.xx[i] as number)), x: a.x.map((v, i) => v - (b.x[i] as number)), count: a.count - b.count };
}

/** The centred Gram Σ (x − mean)(x − mean)ᵀ (lower triangle) and the mean, from uncentred sums. */
function centred(sums: Sums, d: number): { g: Float64Array; mean: Float64Array } {
  const mean = sums.x.map((v) => v / Math.max(1, sums.count));
  const g = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    for (let k = 0; k <= j; k++) g[j * d + k] = (sums.xx[j * d + k] as number) - sums.count * (mean[j] as number) * (mean[k] as number);
  }
  return { g, mean };
}

/** A ridge fit on some rows: predicts any point's value for every guide. */
interface RidgeFit {
  predict(point: number): Float64Array;
}

function fitRidge(data: Float32Array, d: number, rows: readonly number[], sums: Sums, guides: readonly Guide[]): RidgeFit | null {
  const { g, mean } = centred(sums, d);
  let trace = 0;
  for (let j = 0; j < d; j++) trace += g[j * d + j] as number;
  const lambda = trace / d;
  if (!(lambda > 0)) return null;
  const a = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    for (let k = 0; k <= j; k++) {
      a[j * d + k] = g[j * d + k] as number;
      a[k * d + j] = g[j * d + k] as number;
    }
    a[j * d + j] = (a[j * d + j] as number) + lambda;
  }
  if (!cholesky(a, d)) return null;
  const weights = guides.map((guide) => {
    const known = rows.filter((r) => !Number.isNaN(guide.values[r] as number));
    if (known.length < 2) return null;
    const my = known.reduce((s, r) => s + (guide.values[r] as number), 0) / known.length;
    const b = new Float64Array(d);
    for (const r of known) {
      const y = (guide.values[r] as number) - my;
      for (let j = 0; j < d; j++) b[j] = (b[j] as number) + ((data[r * d + j] as number) - (mean[j] as number)) * y;
    }
    return choleskySolve(a, d, b);
  });
  return {
    predict(point) {
      return Float64Array.from(weights, (w) => {
        if (!w) return 0;
        let s = 0;
        for (let j = 0; j < d; j++) s += ((data[point * d + j] as number) - (mean[j] as number)) * (w[j] as number);
        return s;
      });
    },
  };
}

/**
 * Fits on `rows` and labels every point of the view, one labelling per guide (in order). A guide whose
 * rows carry fewer than 2 values labels every point 0.
 * @returns null when the rows are too few (under 10) or the fit is degenerate.
 */
export function guidedLabellings(data: Float32Array, d: number, rows: Int32Array, guides: readonly Guide[], folds = 5): Int32Array[] | null {
  const n = data.length / d;
  if (rows.length < 10 || guides.length === 0) return null;
  const rowList = [...rows];
  const total = sumsOf(data, d, rowList);
  const all = fitRidge(data, d, rowList, total, guides);
  if (!all) return null;
  const predictions = Array.from({ length: n }, () => null as Float64Array | null);
  // Cross-fitted predictions for the rows (a resample may repeat a row: each copy sits in one fold).
  // A fold's training sums are the total minus the fold's own.
  for (let f = 0; f < folds; f++) {
    const train = rowList.filter((_, i) => i % folds !== f);
    const test = rowList.filter((_, i) => i % folds === f);
    const fit = fitRidge(data, d, train, minus(total, sumsOf(data, d, test)), guides);
    if (!fit) return null;
    for (const r of test) if (!predictions[r]) predictions[r] = fit.predict(r);
  }
  for (let i = 0; i < n; i++) predictions[i] ??= all.predict(i);
  const distinct = [...new Set(rowList)];
  return guides.map((_, c) => {
    const fitted = Float64Array.from(distinct, (r) => (predictions[r] as Float64Array)[c] as number);
    const spread = fitted.length ? Math.max(...fitted) - Math.min(...fitted) : 0;
    if (!(spread > 0)) return new Int32Array(n);
    const { threshold } = twoMeans1d(fitted);
    return Int32Array.from({ length: n }, (_, i) => (((predictions[i] as Float64Array)[c] as number) > threshold ? 1 : 0));
  });
}

// Lloyd's k-means with k-means++ seeding, restarts and empty-cluster repair, on a float32 n × d
// row-major matrix (stride d floats). Centroids are k × d float32 with the same layout; labels
// are n i32; per-row distances are n f32. Cluster sums are f64 (k × d doubles) so means stay
// accurate for large n. The algorithm is specified step by step in src/kernel/reference.ts,
// which this file mirrors: same RNG draws, same tie rules, same stopping rule.
import { l2sq_row, l2sq_x4 } from './distance';
import { column_mean_var } from './stats';
import { rng_seed, rng_next_f64 } from './rng';
import { f4, f8 } from './simd';

/** Rows whose label changed in the last assign() call. */
let changed: i32 = 0;

/**
 * Nearest centroid (squared L2, lowest index wins ties) for each of n rows of `data`:
 * labels[i] and dist[i]. Counts label changes into `changed`. Returns Σ dist as f64 (inertia).
 * Centroids are taken four at a time so one load of a data row feeds four accumulator chains.
 */
export function assign(data: usize, n: i32, d: i32, cent: usize, k: i32, labels: usize, dist: usize): f64 {
  const stride = f4(d);
  const k4 = k & ~3;
  let inertia: f64 = 0;
  let moved = 0;
  for (let i = 0; i < n; i++) {
    const x = data + <usize>i * stride;
    let best: f32 = Infinity;
    let arg = 0;
    let j = 0;
    for (; j < k4; j += 4) {
      const c0 = cent + <usize>j * stride;
      const v = l2sq_x4(x, c0, c0 + stride, c0 + 2 * stride, c0 + 3 * stride, d);
      const v0 = f32x4.extract_lane(v, 0);
      const v1 = f32x4.extract_lane(v, 1);
      const v2 = f32x4.extract_lane(v, 2);
      const v3 = f32x4.extract_lane(v, 3);
      if (v0 < best) { best = v0; arg = j; }
      if (v1 < best) { best = v1; arg = j + 1; }
      if (v2 < best) { best = v2; arg = j + 2; }
      if (v3 < best) { best = v3; arg = j + 3; }
    }
    for (; j < k; j++) {
      const v = l2sq_row(x, cent + <usize>j * stride, d);
      if (v < best) { best = v; arg = j; }
    }
    const lp = labels + f4(i);
    if (load<i32>(lp) != arg) moved++;
    store<i32>(lp, arg);
    store<f32>(dist + f4(i), best);
    inertia += <f64>best;
  }
  changed = moved;
  return inertia;
}

/**
 * Nearest-centroid assignment of n rows against k centroids: labels (n i32) and squared
 * distances (n f32). Returns the inertia Σ dist (f64). No allocation.
 */
export function kmeans_assign_f32(data: usize, n: i32, d: i32, cent: usize, k: i32, labels: usize, dist: usize): f64 {
  // Labels are outputs only here; a value outside [0, k) would just count as a change.
  return assign(data, n, d, cent, k, labels, dist);
}

/**
 * k-means++ seeding: k rows of `data` copied into `cent`, drawing exactly k numbers from the RNG.
 * `mind` (n f32) ends holding each row's squared distance to its nearest chosen centre.
 */
export function kmeanspp_f32(data: usize, n: i32, d: i32, k: i32, cent: usize, mind: usize): void {
  const stride = f4(d);
  let pick = <i32>(rng_next_f64() * <f64>n);
  memory.copy(cent, data + <usize>pick * stride, stride);
  for (let i = 0; i < n; i++) store<f32>(mind + f4(i), l2sq_row(data + <usize>i * stride, cent, d));
  for (let c = 1; c < k; c++) {
    let total: f64 = 0;
    for (let i = 0; i < n; i++) total += <f64>load<f32>(mind + f4(i));
    const u = rng_next_f64();
    if (total > 0) {
      const target = u * total;
      let acc: f64 = 0;
      pick = -1;
      let lastPositive = 0;
      for (let i = 0; i < n; i++) {
        const m = load<f32>(mind + f4(i));
        if (m > 0) {
          lastPositive = i;
          acc += <f64>m;
          if (acc > target) { pick = i; break; }
        }
      }
      // Rounding can leave acc ≤ target after the last row: take the last row that can be picked.
      if (pick < 0) pick = lastPositive;
    } else {
      // Every row coincides with a chosen centre (duplicates): any row is as good as another.
      pick = <i32>(u * <f64>n);
    }
    const cc = cent + <usize>c * stride;
    memory.copy(cc, data + <usize>pick * stride, stride);
    for (let i = 0; i < n; i++) {
      const v = l2sq_row(data + <usize>i * stride, cc, d);
      const mp = mind + f4(i);
      if (v < load<f32>(mp)) store<f32>(mp, v);
    }
  }
}

/**
 * Gives every empty cluster one row: for each empty j in ascending order, the row farthest from
 * its centroid (lowest index on ties) among rows whose cluster has more than one member moves to
 * j with distance 0. With k ≤ n such a row always exists, so no cluster is left empty.
 */
function fix_empty(n: i32, k: i32, labels: usize, dist: usize, counts: usize): void {
  memory.fill(counts, 0, f4(k));
  for (let i = 0; i < n; i++) {
    const cp = counts + f4(load<i32>(labels + f4(i)));
    store<i32>(cp, load<i32>(cp) + 1);
  }
  for (let j = 0; j < k; j++) {
    if (load<i32>(counts + f4(j)) != 0) continue;
    let far = -1;
    let farDist: f32 = -1;
    for (let i = 0; i < n; i++) {
      const v = load<f32>(dist + f4(i));
      if (v > farDist && load<i32>(counts + f4(load<i32>(labels + f4(i)))) > 1) { far = i; farDist = v; }
    }
    if (far < 0) break;
    const from = counts + f4(load<i32>(labels + f4(far)));
    store<i32>(from, load<i32>(from) - 1);
    store<i32>(labels + f4(far), j);
    store<f32>(dist + f4(far), 0);
    store<i32>(counts + f4(j), 1);
  }
}

/**
 * Per-cluster f64 sums (k × d doubles) and row counts (k i32) of n rows under `labels`.
 * Each f32x4 of a row is widened to two f64x2 and added into the cluster's sum row.
 */
export function cluster_sums(data: usize, n: i32, d: i32, k: i32, labels: usize, sums: usize, counts: usize): void {
  memory.fill(sums, 0, f8(k * d));
  memory.fill(counts, 0, f4(k));
  const stride = f4(d);
  const d4 = d & ~3;
  for (let i = 0; i < n; i++) {
    const j = load<i32>(labels + f4(i));
    const cp = counts + f4(j);
    store<i32>(cp, load<i32>(cp) + 1);
    const row = data + <usize>i * stride;
    const s = sums + <usize>j * f8(d);
    let t = 0;
    for (; t < d4; t += 4) {
      const x = v128.load(row + f4(t));
      const sp = s + f8(t);
      v128.store(sp, f64x2.add(v128.load(sp), f64x2.promote_low_f32x4(x)));
      v128.store(sp, f64x2.add(v128.load(sp, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 2, 3))), 16);
    }
    for (; t < d; t++) store<f64>(s + f8(t), load<f64>(s + f8(t)) + <f64>load<f32>(row + f4(t)));
  }
}

/**
 * Moves each centroid to the mean of its rows (clusters with no rows keep their centroid).
 * sums: k × d doubles, counts: k i32 (scratch). Returns the total squared shift Σ‖new − old‖².
 */
function update(data: usize, n: i32, d: i32, cent: usize, k: i32, labels: usize, sums: usize, counts: usize): f64 {
  cluster_sums(data, n, d, k, labels, sums, counts);
  const stride = f4(d);
  let shift: f64 = 0;
  for (let j = 0; j < k; j++) {
    const count = load<i32>(counts + f4(j));
    if (count == 0) continue;
    const inv = 1.0 / <f64>count;
    const s = sums + <usize>j * f8(d);
    const c = cent + <usize>j * stride;
    for (let t = 0; t < d; t++) {
      const next = <f32>(load<f64>(s + f8(t)) * inv);
      const e = <f64>next - <f64>load<f32>(c + f4(t));
      shift += e * e;
      store<f32>(c + f4(t), next);
    }
  }
  return shift;
}

/**
 * Full k-means: `restarts` runs of k-means++ seeding then Lloyd iterations, keeping the run with
 * the lowest inertia (the earliest on ties). The RNG is seeded once, so restart r continues the
 * stream of restart r − 1 and adding restarts never raises the result's inertia.
 *
 * Each run: assign; then up to maxIter times { repair empty clusters, move centroids to means
 * (shift = Σ‖Δc‖²), assign again; stop when no label changed or shift ≤ tolAbs }, where
 * tolAbs = tol × mean column variance.
 *
 * outCent: k × d f32, outLabels: n i32, info: 2 f64 = [inertia, iterations]. Allocates
 * k·d floats + k·d doubles + 2n + k + 2d words of scratch for the call and frees them.
 */
export function kmeans_f32(
  data: usize, n: i32, d: i32, k: i32, seed: u32, maxIter: i32, tol: f64, restarts: i32,
  outCent: usize, outLabels: usize, info: usize,
): void {
  // tolAbs needs the column variances (two passes over the data); tolerance 0 needs neither.
  let tolAbs: f64 = 0;
  if (tol > 0) {
    const m64 = heap.alloc(f8(d));
    const v64 = heap.alloc(f8(d));
    tolAbs = tol * column_mean_var(data, n, d, m64, v64);
    heap.free(m64);
    heap.free(v64);
  }

  const cent = heap.alloc(f4(k * d));
  const labels = heap.alloc(f4(n));
  const dist = heap.alloc(f4(n));
  const sums = heap.alloc(f8(k * d));
  const counts = heap.alloc(f4(k));
  rng_seed(seed);
  let bestInertia: f64 = Infinity;
  let bestIter = 0;
  for (let r = 0; r < restarts; r++) {
    kmeanspp_f32(data, n, d, k, cent, dist);
    // -1 is never a label, so the first assignment counts every row as changed.
    memory.fill(labels, 0xff, f4(n));
    let inertia = assign(data, n, d, cent, k, labels, dist);
    let it = 0;
    while (it < maxIter) {
      fix_empty(n, k, labels, dist, counts);
      const shift = update(data, n, d, cent, k, labels, sums, counts);
      it++;
      inertia = assign(data, n, d, cent, k, labels, dist);
      if (changed == 0 || shift <= tolAbs) break;
    }
    // r == 0 also covers an infinite inertia (float32 overflow on values beyond ~1e19).
    if (r == 0 || inertia < bestInertia) {
      bestInertia = inertia;
      bestIter = it;
      memory.copy(outCent, cent, f4(k * d));
      memory.copy(outLabels, labels, f4(n));
    }
  }
  store<f64>(info, bestInertia);
  store<f64>(info + 8, <f64>bestIter);
  heap.free(cent);
  heap.free(labels);
  heap.free(dist);
  heap.free(sums);
  heap.free(counts);
}

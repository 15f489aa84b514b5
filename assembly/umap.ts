// The heavy loops of the map's UMAP (McInnes, Healy & Melville, 2018): approximate k nearest neighbours by an
// inverted file (rows grouped by their nearest of a few hundred k-means centroids, each row compared exactly with
// the rows of its few nearest groups), and the stochastic gradient descent of the 2-D layout. The procedure around
// them (sampling, sorting rows by group, the fuzzy graph, the initial layout) is TypeScript:
// src/kernel/neighbours-driver.ts and src/kernel/layout-driver.ts; src/kernel/umap-reference.ts mirrors the loops.
// Built as a module of its own from umap-module.ts (build/umap.wasm), not into index.ts's kernel.
import { l2sq_row, l2sq_x4 } from './distance';
import { f4 } from './simd';

/**
 * Offers candidate `j` at squared distance `v` to a list of the m nearest so far (val ascending, idx beside
 * it); the caller has checked that v is below the last entry, which drops out. Equal values keep their order.
 */
// @ts-ignore: decorator
@inline function offer(val: usize, idx: usize, m: i32, v: f32, j: i32): void {
  let p = m - 1;
  while (p > 0) {
    const prev = load<f32>(val + f4(p - 1));
    if (prev <= v) break;
    store<f32>(val + f4(p), prev);
    store<i32>(idx + f4(p), load<i32>(idx + f4(p - 1)));
    p--;
  }
  store<f32>(val + f4(p), v);
  store<i32>(idx + f4(p), j);
}

/**
 * The m nearest of `nc` centroids (nc × d) for each of n rows: out (n × m i32, nearest first, lowest index on
 * ties). `scratch` holds m floats. Centroids are taken four at a time, as in k-means' assignment.
 */
export function nearest_lists_f32(data: usize, n: i32, d: i32, cent: usize, nc: i32, m: i32, out: usize, scratch: usize): void {
  const stride = f4(d);
  const nc4 = nc & ~3;
  for (let i = 0; i < n; i++) {
    const x = data + <usize>i * stride;
    const idx = out + <usize>i * f4(m);
    for (let p = 0; p < m; p++) {
      store<f32>(scratch + f4(p), Infinity);
      store<i32>(idx + f4(p), -1);
    }
    let worst: f32 = Infinity;
    let j = 0;
    for (; j < nc4; j += 4) {
      const c0 = cent + <usize>j * stride;
      const v = l2sq_x4(x, c0, c0 + stride, c0 + 2 * stride, c0 + 3 * stride, d);
      for (let l = 0; l < 4; l++) {
        const w = l == 0 ? f32x4.extract_lane(v, 0) : l == 1 ? f32x4.extract_lane(v, 1) : l == 2 ? f32x4.extract_lane(v, 2) : f32x4.extract_lane(v, 3);
        if (w < worst) {
          offer(scratch, idx, m, w, j + l);
          worst = load<f32>(scratch + f4(m - 1));
        }
      }
    }
    for (; j < nc; j++) {
      const w = l2sq_row(x, cent + <usize>j * stride, d);
      if (w < worst) {
        offer(scratch, idx, m, w, j);
        worst = load<f32>(scratch + f4(m - 1));
      }
    }
  }
}

/**
 * k nearest other rows of each of n rows, searched in the lists each row probes. Rows are sorted by list:
 * list L holds rows starts[L] .. starts[L + 1] − 1 (starts: lists + 1 i32). probes: n × m i32, the lists row i
 * searches (−1 entries are skipped). Out: outIdx (n × k i32, −1 where fewer than k rows were seen) and outDist
 * (n × k f32, squared L2, ascending). Rows of a list stream through four at a time against the query row.
 */
export function knn_in_lists_f32(
  data: usize, n: i32, d: i32, starts: usize, probes: usize, m: i32, k: i32, outIdx: usize, outDist: usize,
): void {
  const stride = f4(d);
  for (let i = 0; i < n; i++) {
    const x = data + <usize>i * stride;
    const idx = outIdx + <usize>i * f4(k);
    const val = outDist + <usize>i * f4(k);
    for (let p = 0; p < k; p++) {
      store<f32>(val + f4(p), Infinity);
      store<i32>(idx + f4(p), -1);
    }
    let worst: f32 = Infinity;
    for (let p = 0; p < m; p++) {
      const list = load<i32>(probes + f4(i * m + p));
      if (list < 0) continue;
      const from = load<i32>(starts + f4(list));
      const to = load<i32>(starts + f4(list + 1));
      const to4 = from + ((to - from) & ~3);
      let j = from;
      for (; j < to4; j += 4) {
        const r0 = data + <usize>j * stride;
        const v = l2sq_x4(x, r0, r0 + stride, r0 + 2 * stride, r0 + 3 * stride, d);
        for (let l = 0; l < 4; l++) {
          const w = l == 0 ? f32x4.extract_lane(v, 0) : l == 1 ? f32x4.extract_lane(v, 1) : l == 2 ? f32x4.extract_lane(v, 2) : f32x4.extract_lane(v, 3);
          if (w < worst && j + l != i) {
            offer(val, idx, k, w, j + l);
            worst = load<f32>(val + f4(k - 1));
          }
        }
      }
      for (; j < to; j++) {
        if (j == i) continue;
        const w = l2sq_row(x, data + <usize>j * stride, d);
        if (w < worst) {
          offer(val, idx, k, w, j);
          worst = load<f32>(val + f4(k - 1));
        }
      }
    }
  }
}

/** UMAP's gradient clip. */
// @ts-ignore: decorator
@inline function clip(x: f32): f32 {
  return x > 4 ? 4 : x < -4 ? -4 : x;
}

/**
 * Layout epochs [e0, e1) of UMAP's SGD (umap-learn's optimize_layout_euclidean, 2-D, move_other, gamma 1) on the
 * embedding `emb` (nv × 2 f32, updated in place). Edges (ne): head and tail (i32), epochs per sample `eps` (f32),
 * and the state carried between calls: the epoch of each edge's next sample `next` and next negative samples
 * `nextNeg` (f32). `rng` points at the four u32 words of a xoshiro128** state (src/kernel/rng.ts's stream), read
 * at the start and written back at the end, so calls in sequence give the same layout as one call.
 */
export function umap_epochs_f32(
  emb: usize, nv: i32, head: usize, tail: usize, eps: usize, next: usize, nextNeg: usize, ne: i32,
  a: f32, b: f32, negRate: f32, e0: i32, e1: i32, nEpochs: i32, rng: usize,
): void {
  let s0 = load<u32>(rng);
  let s1 = load<u32>(rng, 4);
  let s2 = load<u32>(rng, 8);
  let s3 = load<u32>(rng, 12);
  const twoAB: f32 = 2 * a * b;
  const bm1: f32 = b - 1;
  for (let e = e0; e < e1; e++) {
    const alpha: f32 = <f32>(1.0 - <f64>e / <f64>nEpochs);
    const ef = <f32>e;
    for (let i = 0; i < ne; i++) {
      const due = load<f32>(next + f4(i));
      if (due > ef) continue;
      const j = load<i32>(head + f4(i));
      const k = load<i32>(tail + f4(i));
      const pj = emb + (<usize>j << 3);
      const pk = emb + (<usize>k << 3);
      let x = load<f32>(pj);
      let y = load<f32>(pj, 4);
      const dx = x - load<f32>(pk);
      const dy = y - load<f32>(pk, 4);
      const d2 = dx * dx + dy * dy;
      if (d2 > 0) {
        const p = Mathf.pow(d2, bm1);
        const g = (-twoAB * p) / (a * p * d2 + 1);
        const gx = clip(g * dx) * alpha;
        const gy = clip(g * dy) * alpha;
        x += gx;
        y += gy;
        store<f32>(pk, load<f32>(pk) - gx);
        store<f32>(pk, load<f32>(pk, 4) - gy, 4);
      }
      const step = load<f32>(eps + f4(i));
      store<f32>(next + f4(i), due + step);
      const negStep = step / negRate;
      const negDue = load<f32>(nextNeg + f4(i));
      const samples = <i32>((ef - negDue) / negStep);
      for (let s = 0; s < samples; s++) {
        // xoshiro128**, as assembly/rng.ts.
        const r = rotl<u32>(s1 * 5, 7) * 9;
        const t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = rotl<u32>(s3, 11);
        const o = <i32>((<u64>r * <u64>nv) >>> 32);
        if (o == j) continue;
        const po = emb + (<usize>o << 3);
        const ox = x - load<f32>(po);
        const oy = y - load<f32>(po, 4);
        const o2 = ox * ox + oy * oy;
        if (o2 > 0) {
          const g: f32 = (2 * b) / ((<f32>0.001 + o2) * (a * Mathf.pow(o2, b) + 1));
          x += clip(g * ox) * alpha;
          y += clip(g * oy) * alpha;
        }
      }
      store<f32>(nextNeg + f4(i), negDue + <f32>samples * negStep);
      store<f32>(pj, x);
      store<f32>(pj, y, 4);
    }
  }
  store<u32>(rng, s0);
  store<u32>(rng, s1, 4);
  store<u32>(rng, s2, 8);
  store<u32>(rng, s3, 12);
}

/**
 * One round of neighbour-of-neighbour refinement (the local join of NN-descent, Dong et al. 2011, forward lists
 * only) of the k-nearest lists idx/dist (n × k, as knn_in_lists_f32 writes them): every row is compared with
 * the neighbours of its neighbours that it does not list yet, and keeps the k nearest. Lists are updated in
 * place, row by row, so later rows already see earlier rows' improvements. Returns how many entries changed.
 */
export function knn_refine_f32(data: usize, n: i32, d: i32, k: i32, idx: usize, dist: usize): i32 {
  const stride = f4(d);
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const x = data + <usize>i * stride;
    const li = idx + <usize>i * f4(k);
    const vi = dist + <usize>i * f4(k);
    let worst = load<f32>(vi + f4(k - 1));
    for (let p = 0; p < k; p++) {
      const j = load<i32>(li + f4(p));
      if (j < 0) continue;
      const lj = idx + <usize>j * f4(k);
      for (let q = 0; q < k; q++) {
        const c = load<i32>(lj + f4(q));
        if (c < 0 || c == i) continue;
        let listed = false;
        for (let r = 0; r < k; r++) {
          if (load<i32>(li + f4(r)) == c) {
            listed = true;
            break;
          }
        }
        if (listed) continue;
        const w = l2sq_row(x, data + <usize>c * stride, d);
        if (w < worst) {
          offer(vi, li, k, w, c);
          worst = load<f32>(vi + f4(k - 1));
          changed++;
        }
      }
    }
  }
  return changed;
}

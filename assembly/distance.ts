// Distance kernels on float32 row-major matrices.
//
// Layout: a matrix of n rows and d columns is packed, row i at byte offset i·d·4 (stride d floats).
// Pointers come from the allocator (16-byte aligned), but row starts are only 16-byte aligned
// when d % 4 == 0; wasm's v128.load tolerates any alignment, so nothing here depends on it.
// Columns are consumed four at a time as f32x4, then a scalar tail covers d % 4.
// Every reduction keeps four independent accumulator chains, which hides the latency of f32x4.add
// (a single chain would bound a dot product at one add per 3–4 cycles): within one row for the
// streaming one-to-many kernels, across four rows sharing one load of the other operand where
// both operands sit in cache (pairwise tiles, k-means centroids).
import { hsum, hsum4, f32x4_of, f4 } from './simd';

/**
 * Squared L2 distance between two d-vectors: 16 columns per step into four independent
 * accumulators (so consecutive adds do not wait on each other), then 4 at a time, then scalars.
 */
// @ts-ignore: decorator
@inline export function l2sq_row(a: usize, b: usize, d: i32): f32 {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  const d16 = d & ~15;
  const d4 = d & ~3;
  let t = 0;
  for (; t < d16; t += 16) {
    const pa = a + f4(t);
    const pb = b + f4(t);
    const e0 = f32x4.sub(v128.load(pa), v128.load(pb));
    const e1 = f32x4.sub(v128.load(pa, 16), v128.load(pb, 16));
    const e2 = f32x4.sub(v128.load(pa, 32), v128.load(pb, 32));
    const e3 = f32x4.sub(v128.load(pa, 48), v128.load(pb, 48));
    a0 = f32x4.add(a0, f32x4.mul(e0, e0));
    a1 = f32x4.add(a1, f32x4.mul(e1, e1));
    a2 = f32x4.add(a2, f32x4.mul(e2, e2));
    a3 = f32x4.add(a3, f32x4.mul(e3, e3));
  }
  for (; t < d4; t += 4) {
    const e = f32x4.sub(v128.load(a + f4(t)), v128.load(b + f4(t)));
    a0 = f32x4.add(a0, f32x4.mul(e, e));
  }
  let s = hsum(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
  for (; t < d; t++) {
    const e = load<f32>(a + f4(t)) - load<f32>(b + f4(t));
    s += e * e;
  }
  return s;
}

/** Dot product of two d-vectors, with the same four-accumulator structure as l2sq_row. */
// @ts-ignore: decorator
@inline export function dot_row(a: usize, b: usize, d: i32): f32 {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  const d16 = d & ~15;
  const d4 = d & ~3;
  let t = 0;
  for (; t < d16; t += 16) {
    const pa = a + f4(t);
    const pb = b + f4(t);
    a0 = f32x4.add(a0, f32x4.mul(v128.load(pa), v128.load(pb)));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(pa, 16), v128.load(pb, 16)));
    a2 = f32x4.add(a2, f32x4.mul(v128.load(pa, 32), v128.load(pb, 32)));
    a3 = f32x4.add(a3, f32x4.mul(v128.load(pa, 48), v128.load(pb, 48)));
  }
  for (; t < d4; t += 4) a0 = f32x4.add(a0, f32x4.mul(v128.load(a + f4(t)), v128.load(b + f4(t))));
  let s = hsum(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
  for (; t < d; t++) s += load<f32>(a + f4(t)) * load<f32>(b + f4(t));
  return s;
}

/** Squared L2 distances from `q` to four rows r0..r3, as the lanes of one v128. */
// @ts-ignore: decorator
@inline export function l2sq_x4(q: usize, r0: usize, r1: usize, r2: usize, r3: usize, d: i32): v128 {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  const d4 = d & ~3;
  let t = 0;
  for (; t < d4; t += 4) {
    const o = f4(t);
    const x = v128.load(q + o);
    const e0 = f32x4.sub(x, v128.load(r0 + o));
    const e1 = f32x4.sub(x, v128.load(r1 + o));
    const e2 = f32x4.sub(x, v128.load(r2 + o));
    const e3 = f32x4.sub(x, v128.load(r3 + o));
    a0 = f32x4.add(a0, f32x4.mul(e0, e0));
    a1 = f32x4.add(a1, f32x4.mul(e1, e1));
    a2 = f32x4.add(a2, f32x4.mul(e2, e2));
    a3 = f32x4.add(a3, f32x4.mul(e3, e3));
  }
  let out = hsum4(a0, a1, a2, a3);
  if (t < d) {
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
    for (; t < d; t++) {
      const o = f4(t);
      const x = load<f32>(q + o);
      const e0 = x - load<f32>(r0 + o);
      const e1 = x - load<f32>(r1 + o);
      const e2 = x - load<f32>(r2 + o);
      const e3 = x - load<f32>(r3 + o);
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
      s3 += e3 * e3;
    }
    out = f32x4.add(out, f32x4_of(s0, s1, s2, s3));
  }
  return out;
}

/** Dot products of `q` with four rows r0..r3, as the lanes of one v128. */
// @ts-ignore: decorator
@inline export function dot_x4(q: usize, r0: usize, r1: usize, r2: usize, r3: usize, d: i32): v128 {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  const d4 = d & ~3;
  let t = 0;
  for (; t < d4; t += 4) {
    const o = f4(t);
    const x = v128.load(q + o);
    a0 = f32x4.add(a0, f32x4.mul(x, v128.load(r0 + o)));
    a1 = f32x4.add(a1, f32x4.mul(x, v128.load(r1 + o)));
    a2 = f32x4.add(a2, f32x4.mul(x, v128.load(r2 + o)));
    a3 = f32x4.add(a3, f32x4.mul(x, v128.load(r3 + o)));
  }
  let out = hsum4(a0, a1, a2, a3);
  if (t < d) {
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
    for (; t < d; t++) {
      const o = f4(t);
      const x = load<f32>(q + o);
      s0 += x * load<f32>(r0 + o);
      s1 += x * load<f32>(r1 + o);
      s2 += x * load<f32>(r2 + o);
      s3 += x * load<f32>(r3 + o);
    }
    out = f32x4.add(out, f32x4_of(s0, s1, s2, s3));
  }
  return out;
}

/** Cosine from a dot product and the two squared norms: 0 when either norm is 0, else clamped to [-1, 1]. */
// @ts-ignore: decorator
@inline function cosine_of(dot: f32, qq: f32, rr: f32): f32 {
  if (qq == 0 || rr == 0) return 0;
  const c = <f32>(<f64>dot / Math.sqrt(<f64>qq * <f64>rr));
  return min<f32>(1, max<f32>(-1, c));
}

/**
 * out[i] = ‖q − row_i‖² for the n × d matrix at `data`. q: d floats; out: n floats. No allocation.
 * One row at a time: the data streams through once, in order, which the hardware prefetcher
 * follows best (interleaving four rows measured 3× slower on 100k × 128).
 */
export function l2sq_f32_one_to_many(q: usize, data: usize, n: i32, d: i32, out: usize): void {
  const stride = f4(d);
  for (let i = 0; i < n; i++) store<f32>(out + f4(i), l2sq_row(q, data + <usize>i * stride, d));
}

/** out[i] = q · row_i for the n × d matrix at `data`. q: d floats; out: n floats. */
export function dot_f32_one_to_many(q: usize, data: usize, n: i32, d: i32, out: usize): void {
  const stride = f4(d);
  for (let i = 0; i < n; i++) store<f32>(out + f4(i), dot_row(q, data + <usize>i * stride, d));
}

/** ‖row_i‖² of every row of an n × d matrix into out (n floats). */
export function sqnorm_f32_rows(data: usize, n: i32, d: i32, out: usize): void {
  const stride = f4(d);
  for (let i = 0; i < n; i++) {
    const r = data + <usize>i * stride;
    store<f32>(out + f4(i), dot_row(r, r, d));
  }
}

/** out[i] = cos(q, row_i), 0 where either norm is 0, clamped to [-1, 1]. No allocation. */
export function cosine_f32_one_to_many(q: usize, data: usize, n: i32, d: i32, out: usize): void {
  const qq = dot_row(q, q, d);
  const stride = f4(d);
  for (let i = 0; i < n; i++) {
    const r = data + <usize>i * stride;
    // Both passes over the row hit L1: the second reads what the first just loaded.
    store<f32>(out + f4(i), cosine_of(dot_row(q, r, d), qq, dot_row(r, r, d)));
  }
}

/** Rows of `b` per cache tile: about 32 KiB of b (the L1 size), a multiple of 4, at least 4. */
// @ts-ignore: decorator
@inline function tile_rows(d: i32): i32 {
  return max<i32>(4, (8192 / max<i32>(d, 1)) & ~3);
}

// Pairwise kernels share one blocked loop: b is cut into tiles that fit L1, each row of a streams
// through a tile four b-rows at a time, and the na × nb output is written row-major (row i, col j
// at i·nb + j). `kind` is a compile-time constant after inlining: 0 = squared L2, 1 = dot.
// @ts-ignore: decorator
@inline function pairwise(kind: i32, a: usize, na: i32, b: usize, nb: i32, d: i32, out: usize): void {
  const stride = f4(d);
  const tile = tile_rows(d);
  for (let j0 = 0; j0 < nb; j0 += tile) {
    const j1 = min<i32>(nb, j0 + tile);
    const j4 = j0 + ((j1 - j0) & ~3);
    for (let i = 0; i < na; i++) {
      const q = a + <usize>i * stride;
      const row = out + <usize>i * f4(nb);
      let j = j0;
      for (; j < j4; j += 4) {
        const r0 = b + <usize>j * stride;
        const v = kind == 0
          ? l2sq_x4(q, r0, r0 + stride, r0 + 2 * stride, r0 + 3 * stride, d)
          : dot_x4(q, r0, r0 + stride, r0 + 2 * stride, r0 + 3 * stride, d);
        v128.store(row + f4(j), v);
      }
      for (; j < j1; j++) {
        const r = b + <usize>j * stride;
        store<f32>(row + f4(j), kind == 0 ? l2sq_row(q, r, d) : dot_row(q, r, d));
      }
    }
  }
}

/** out (na × nb) = squared L2 between every row of a (na × d) and of b (nb × d). */
export function l2sq_f32_pairwise(a: usize, na: i32, b: usize, nb: i32, d: i32, out: usize): void {
  pairwise(0, a, na, b, nb, d, out);
}

/** out (na × nb) = dot products between rows of a (na × d) and b (nb × d). */
export function dot_f32_pairwise(a: usize, na: i32, b: usize, nb: i32, d: i32, out: usize): void {
  pairwise(1, a, na, b, nb, d, out);
}

/**
 * out (na × nb) = cosine similarities between rows of a and b (0 where a norm is 0, clamped to
 * [-1, 1]). `scratch` holds na + nb floats for the squared norms.
 */
export function cosine_f32_pairwise(a: usize, na: i32, b: usize, nb: i32, d: i32, out: usize, scratch: usize): void {
  const an = scratch;
  const bn = scratch + f4(na);
  sqnorm_f32_rows(a, na, d, an);
  sqnorm_f32_rows(b, nb, d, bn);
  pairwise(1, a, na, b, nb, d, out);
  for (let i = 0; i < na; i++) {
    const row = out + <usize>i * f4(nb);
    const qq = load<f32>(an + f4(i));
    for (let j = 0; j < nb; j++) {
      store<f32>(row + f4(j), cosine_of(load<f32>(row + f4(j)), qq, load<f32>(bn + f4(j))));
    }
  }
}

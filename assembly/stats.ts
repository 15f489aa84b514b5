// Per-dimension statistics and input checks on float32 row-major n × d matrices (stride d floats).
// Sums are carried in f64 (two lanes per f64x2, widened from f32x4 with promote_low) because a
// float32 running sum over 10⁵–10⁶ rows would lose several digits.
import { f4, f8 } from './simd';

/** Upper f32 lanes 2,3 moved down to 0,1 so promote_low can widen them. */
// @ts-ignore: decorator
@inline function high_half(x: v128): v128 {
  return v128.shuffle<f32>(x, x, 2, 3, 2, 3);
}

/**
 * Column means and population variances in f64 (two passes: mean, then Σ(x − mean)²).
 * mean64, var64: d doubles each. Returns the average of the d variances.
 */
export function column_mean_var(data: usize, n: i32, d: i32, mean64: usize, var64: usize): f64 {
  memory.fill(mean64, 0, f8(d));
  memory.fill(var64, 0, f8(d));
  const stride = f4(d);
  const d4 = d & ~3;
  for (let i = 0; i < n; i++) {
    const row = data + <usize>i * stride;
    let t = 0;
    for (; t < d4; t += 4) {
      const x = v128.load(row + f4(t));
      const m = mean64 + f8(t);
      v128.store(m, f64x2.add(v128.load(m), f64x2.promote_low_f32x4(x)));
      v128.store(m, f64x2.add(v128.load(m, 16), f64x2.promote_low_f32x4(high_half(x))), 16);
    }
    for (; t < d; t++) store<f64>(mean64 + f8(t), load<f64>(mean64 + f8(t)) + <f64>load<f32>(row + f4(t)));
  }
  const inv = 1.0 / <f64>n;
  for (let t = 0; t < d; t++) store<f64>(mean64 + f8(t), load<f64>(mean64 + f8(t)) * inv);
  for (let i = 0; i < n; i++) {
    const row = data + <usize>i * stride;
    let t = 0;
    for (; t < d4; t += 4) {
      const x = v128.load(row + f4(t));
      const m = mean64 + f8(t);
      const v = var64 + f8(t);
      const e0 = f64x2.sub(f64x2.promote_low_f32x4(x), v128.load(m));
      const e1 = f64x2.sub(f64x2.promote_low_f32x4(high_half(x)), v128.load(m, 16));
      v128.store(v, f64x2.add(v128.load(v), f64x2.mul(e0, e0)));
      v128.store(v, f64x2.add(v128.load(v, 16), f64x2.mul(e1, e1)), 16);
    }
    for (; t < d; t++) {
      const e = <f64>load<f32>(row + f4(t)) - load<f64>(mean64 + f8(t));
      store<f64>(var64 + f8(t), load<f64>(var64 + f8(t)) + e * e);
    }
  }
  let total: f64 = 0;
  for (let t = 0; t < d; t++) {
    const v = load<f64>(var64 + f8(t)) * inv;
    store<f64>(var64 + f8(t), v);
    total += v;
  }
  return total / <f64>d;
}

/**
 * Column means and population variances of an n × d matrix, rounded to f32 into mean and variance
 * (d floats each). Allocates 2·d doubles of scratch for the call.
 */
export function mean_variance_f32(data: usize, n: i32, d: i32, mean: usize, variance: usize): void {
  const m64 = heap.alloc(f8(d));
  const v64 = heap.alloc(f8(d));
  column_mean_var(data, n, d, m64, v64);
  for (let t = 0; t < d; t++) {
    store<f32>(mean + f4(t), <f32>load<f64>(m64 + f8(t)));
    store<f32>(variance + f4(t), <f32>load<f64>(v64 + f8(t)));
  }
  heap.free(m64);
  heap.free(v64);
}

/**
 * out = (x − mean) · 1/√variance per column (0 for columns whose variance is 0), for an n × d
 * matrix; out may alias data. Allocates d floats of scratch for the reciprocals.
 */
export function standardize_f32(data: usize, n: i32, d: i32, mean: usize, variance: usize, out: usize): void {
  const inv = heap.alloc(f4(d));
  for (let t = 0; t < d; t++) {
    const v = load<f32>(variance + f4(t));
    store<f32>(inv + f4(t), v > 0 ? <f32>(1.0 / Math.sqrt(<f64>v)) : 0);
  }
  const stride = f4(d);
  const d4 = d & ~3;
  for (let i = 0; i < n; i++) {
    const row = data + <usize>i * stride;
    const dst = out + <usize>i * stride;
    let t = 0;
    for (; t < d4; t += 4) {
      const o = f4(t);
      v128.store(dst + o, f32x4.mul(f32x4.sub(v128.load(row + o), v128.load(mean + o)), v128.load(inv + o)));
    }
    for (; t < d; t++) {
      const o = f4(t);
      store<f32>(dst + o, (load<f32>(row + o) - load<f32>(mean + o)) * load<f32>(inv + o));
    }
  }
  heap.free(inv);
}

/**
 * Index of the first NaN or ±Infinity among `len` floats at `ptr`, or −1 when all are finite.
 * x − x is 0 for finite x and NaN otherwise, and NaN is the only value unequal to itself.
 */
export function first_nonfinite_f32(ptr: usize, len: i32): i32 {
  const len4 = len & ~3;
  let i = 0;
  for (; i < len4; i += 4) {
    const x = v128.load(ptr + f4(i));
    const z = f32x4.sub(x, x);
    if (v128.any_true(f32x4.ne(z, z))) break;
  }
  for (; i < len; i++) {
    const x = load<f32>(ptr + f4(i));
    if (x - x != 0) return i;
  }
  return -1;
}

// Covariance and projection for PCA on a float32 n × d row-major matrix (stride d floats).
// The covariance is d × d f64, row-major; the eigen-decomposition of it runs in TypeScript
// (src/kernel/eigen.ts), since it is O(d³) once per call and not where the time goes for n ≫ d.
import { column_mean_var } from './stats';
import { dot_row, dot_x4 } from './distance';
import { f4, f8 } from './simd';

/** Rows centred and accumulated in float32 before each flush into the f64 covariance. */
// @ts-ignore: decorator
@inline const BLOCK: i32 = 64;

/**
 * Column means (mean64: d doubles) and the population covariance (cov: d × d doubles, divisor n).
 * Rows are centred in blocks of 64 into float32 scratch; each block adds Xbᵀ·Xb to the upper
 * triangle, 16 columns at a time (four f32x4 accumulators fed by one broadcast of X[r][i]), and
 * the lower triangle is mirrored at the end. Allocates 64·d floats + d doubles of scratch.
 */
export function covariance_f32(data: usize, n: i32, d: i32, mean64: usize, cov: usize): void {
  const var64 = heap.alloc(f8(d));
  column_mean_var(data, n, d, mean64, var64);
  heap.free(var64);
  memory.fill(cov, 0, f8(d * d));
  const xb = heap.alloc(f4(BLOCK * d));
  const stride = f4(d);
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    const rows = min<i32>(BLOCK, n - r0);
    for (let r = 0; r < rows; r++) {
      const src = data + <usize>(r0 + r) * stride;
      const dst = xb + <usize>r * stride;
      for (let t = 0; t < d; t++) {
        store<f32>(dst + f4(t), load<f32>(src + f4(t)) - <f32>load<f64>(mean64 + f8(t)));
      }
    }
    for (let i = 0; i < d; i++) {
      const ci = cov + <usize>i * f8(d);
      let j = i & ~3;
      for (; j + 16 <= d; j += 16) {
        let a0 = f32x4.splat(0);
        let a1 = f32x4.splat(0);
        let a2 = f32x4.splat(0);
        let a3 = f32x4.splat(0);
        for (let r = 0; r < rows; r++) {
          const row = xb + <usize>r * stride;
          const s = v128.load32_splat(row + f4(i));
          const p = row + f4(j);
          a0 = f32x4.add(a0, f32x4.mul(s, v128.load(p)));
          a1 = f32x4.add(a1, f32x4.mul(s, v128.load(p, 16)));
          a2 = f32x4.add(a2, f32x4.mul(s, v128.load(p, 32)));
          a3 = f32x4.add(a3, f32x4.mul(s, v128.load(p, 48)));
        }
        flush4(ci + f8(j), a0);
        flush4(ci + f8(j + 4), a1);
        flush4(ci + f8(j + 8), a2);
        flush4(ci + f8(j + 12), a3);
      }
      for (; j + 4 <= d; j += 4) {
        let a = f32x4.splat(0);
        for (let r = 0; r < rows; r++) {
          const row = xb + <usize>r * stride;
          a = f32x4.add(a, f32x4.mul(v128.load32_splat(row + f4(i)), v128.load(row + f4(j))));
        }
        flush4(ci + f8(j), a);
      }
      for (; j < d; j++) {
        let s: f32 = 0;
        for (let r = 0; r < rows; r++) {
          const row = xb + <usize>r * stride;
          s += load<f32>(row + f4(i)) * load<f32>(row + f4(j));
        }
        store<f64>(ci + f8(j), load<f64>(ci + f8(j)) + <f64>s);
      }
    }
  }
  heap.free(xb);
  const inv = 1.0 / <f64>n;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = load<f64>(cov + f8(i * d + j)) * inv;
      store<f64>(cov + f8(i * d + j), v);
      store<f64>(cov + f8(j * d + i), v);
    }
  }
}

/** Adds the four f32 lanes of `a` to four consecutive doubles at `p`. */
// @ts-ignore: decorator
@inline function flush4(p: usize, a: v128): void {
  v128.store(p, f64x2.add(v128.load(p), f64x2.promote_low_f32x4(a)));
  v128.store(p, f64x2.add(v128.load(p, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(a, a, 2, 3, 2, 3))), 16);
}

/**
 * out (n × c) = (row − mean) · component_j for each row and each of the c components
 * (c × d f32, row-major). mean: d f32. Allocates d floats of scratch for the centred row.
 */
export function pca_project_f32(data: usize, n: i32, d: i32, mean: usize, comps: usize, c: i32, out: usize): void {
  const x = heap.alloc(f4(d));
  const stride = f4(d);
  const d4 = d & ~3;
  const c4 = c & ~3;
  for (let i = 0; i < n; i++) {
    const row = data + <usize>i * stride;
    let t = 0;
    for (; t < d4; t += 4) v128.store(x + f4(t), f32x4.sub(v128.load(row + f4(t)), v128.load(mean + f4(t))));
    for (; t < d; t++) store<f32>(x + f4(t), load<f32>(row + f4(t)) - load<f32>(mean + f4(t)));
    const o = out + <usize>i * f4(c);
    let j = 0;
    for (; j < c4; j += 4) {
      const p = comps + <usize>j * stride;
      const v = dot_x4(x, p, p + stride, p + 2 * stride, p + 3 * stride, d);
      store<f32>(o + f4(j), f32x4.extract_lane(v, 0));
      store<f32>(o + f4(j + 1), f32x4.extract_lane(v, 1));
      store<f32>(o + f4(j + 2), f32x4.extract_lane(v, 2));
      store<f32>(o + f4(j + 3), f32x4.extract_lane(v, 3));
    }
    for (; j < c; j++) store<f32>(o + f4(j), dot_row(x, comps + <usize>j * stride, d));
  }
  heap.free(x);
}

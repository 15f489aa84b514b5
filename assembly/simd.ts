// Small v128 helpers shared by the kernels. Everything here is @inline: it vanishes into the
// callers' loops, so there is no call overhead and nothing here is exported from the module.

/** Sum of the four f32 lanes, as (l0 + l1) + (l2 + l3). */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1))
    + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * Horizontal sums of four accumulators at once: lane t of the result is the lane sum of `a{t}`.
 * Six shuffles and three adds instead of twelve lane extractions.
 */
// @ts-ignore: decorator
@inline export function hsum4(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const s01 = f32x4.add(v128.shuffle<f32>(a0, a1, 0, 1, 4, 5), v128.shuffle<f32>(a0, a1, 2, 3, 6, 7));
  const s23 = f32x4.add(v128.shuffle<f32>(a2, a3, 0, 1, 4, 5), v128.shuffle<f32>(a2, a3, 2, 3, 6, 7));
  return f32x4.add(v128.shuffle<f32>(s01, s23, 0, 2, 4, 6), v128.shuffle<f32>(s01, s23, 1, 3, 5, 7));
}

/** A v128 holding four scalars in lane order. */
// @ts-ignore: decorator
@inline export function f32x4_of(x0: f32, x1: f32, x2: f32, x3: f32): v128 {
  return f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(x0), 1, x1), 2, x2), 3, x3);
}

/** Byte offset of float `i` (4-byte elements). */
// @ts-ignore: decorator
@inline export function f4(i: i32): usize {
  return <usize>i << 2;
}

/** Byte offset of double `i` (8-byte elements). */
// @ts-ignore: decorator
@inline export function f8(i: i32): usize {
  return <usize>i << 3;
}

/**
 * Eigen-decomposition of a real symmetric matrix (Householder reduction to tridiagonal form, then
 * the implicit QL algorithm with Wilkinson shifts, as in EISPACK's tred2/tql2), and the PCA basis
 * built from a covariance matrix. Used by both kernel backends: it is O(d³) once per PCA call,
 * cheap next to the O(n·d²) covariance for n ≫ d (d = 512 takes well under a second).
 */
import type { PcaResult } from './types.ts';

/** Eigenvalues (ascending) and unit eigenvectors (row i pairs with value i) of a symmetric matrix. */
export interface SymmetricEigen {
  values: Float64Array;
  /** n × n, row-major; row i is the eigenvector of values[i]. */
  vectors: Float64Array;
}

/**
 * Householder tridiagonalisation of the symmetric n × n matrix held in v, overwritten by the
 * accumulated orthogonal transform Q stored transposed (v[i·n + k] = Q[k][i], so column i of Q is
 * row i of v). The textbook loops walk columns; on the transposed store every O(n³) loop walks a
 * contiguous row instead. On return diag holds the diagonal and off[i] the sub-diagonal entry
 * between rows i − 1 and i (off[0] = 0).
 */
function tridiagonalize(v: Float64Array, n: number, diag: Float64Array, off: Float64Array): void {
  for (let j = 0; j < n; j++) diag[j] = v[j * n + (n - 1)]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(diag[k]!);
    if (scale === 0) {
      // The row is already reduced: nothing to annihilate.
      off[i] = diag[i - 1]!;
      for (let j = 0; j < i; j++) {
        diag[j] = v[j * n + (i - 1)]!;
        v[j * n + i] = 0;
        v[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        diag[k] = diag[k]! / scale;
        h += diag[k]! * diag[k]!;
      }
      let f = diag[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      off[i] = scale * g;
      h -= f * g;
      diag[i - 1] = f - g;
      for (let j = 0; j < i; j++) off[j] = 0;
      for (let j = 0; j < i; j++) {
        f = diag[j]!;
        v[i * n + j] = f;
        g = off[j]! + v[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[j * n + k]! * diag[k]!;
          off[k] = off[k]! + v[j * n + k]! * f;
        }
        off[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        off[j] = off[j]! / h;
        f += off[j]! * diag[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) off[j] = off[j]! - hh * diag[j]!;
      for (let j = 0; j < i; j++) {
        f = diag[j]!;
        g = off[j]!;
        for (let k = j; k <= i - 1; k++) v[j * n + k] = v[j * n + k]! - (f * off[k]! + g * diag[k]!);
        diag[j] = v[j * n + (i - 1)]!;
        v[j * n + i] = 0;
      }
    }
    diag[i] = h;
  }
  // Accumulate the Householder reflections into v.
  for (let i = 0; i < n - 1; i++) {
    v[i * n + (n - 1)] = v[i * n + i]!;
    v[i * n + i] = 1;
    const h = diag[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) diag[k] = v[(i + 1) * n + k]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[(i + 1) * n + k]! * v[j * n + k]!;
        for (let k = 0; k <= i; k++) v[j * n + k] = v[j * n + k]! - g * diag[k]!;
      }
    }
    for (let k = 0; k <= i; k++) v[(i + 1) * n + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    diag[j] = v[j * n + (n - 1)]!;
    v[j * n + (n - 1)] = 0;
  }
  v[n * n - 1] = 1;
  off[0] = 0;
}

/**
 * Implicit QL iterations on the tridiagonal (diag, off) until every off-diagonal entry is negligible.
 * w holds the transform transposed (row i = column i of the tridiagonalising transform), so each
 * Givens rotation touches two contiguous rows; on return row i of w is the eigenvector of diag[i].
 */
function tridiagonalQL(w: Float64Array, n: number, diag: Float64Array, off: Float64Array): void {
  for (let i = 1; i < n; i++) off[i - 1] = off[i]!;
  off[n - 1] = 0;
  let shiftSum = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(diag[l]!) + Math.abs(off[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(off[m]!) > eps * tst1) m++;
    if (m > l) {
      // Convergence is cubic in practice; the cap only guards against a pathological input.
      for (let iter = 0; iter < 100 && Math.abs(off[l]!) > eps * tst1; iter++) {
        let g = diag[l]!;
        let p = (diag[l + 1]! - g) / (2 * off[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        diag[l] = off[l]! / (p + r);
        diag[l + 1] = off[l]! * (p + r);
        const dl1 = diag[l + 1]!;
        let h = g - diag[l]!;
        for (let i = l + 2; i < n; i++) diag[i] = diag[i]! - h;
        shiftSum += h;
        p = diag[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = off[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * off[i]!;
          h = c * p;
          r = Math.hypot(p, off[i]!);
          off[i + 1] = s * r;
          s = off[i]! / r;
          c = p / r;
          p = c * diag[i]! - s * g;
          diag[i + 1] = h + s * (c * g + s * diag[i]!);
          const a = i * n;
          const b = (i + 1) * n;
          for (let k = 0; k < n; k++) {
            const wb = w[b + k]!;
            const wa = w[a + k]!;
            w[b + k] = s * wa + c * wb;
            w[a + k] = c * wa - s * wb;
          }
        }
        p = (-s * s2 * c3 * el1 * off[l]!) / dl1;
        off[l] = s * p;
        diag[l] = c * p;
      }
    }
    diag[l] = diag[l]! + shiftSum;
    off[l] = 0;
  }
}

/**
 * All eigenvalues (ascending) and orthonormal eigenvectors of the symmetric n × n matrix `a`
 * (row-major; only symmetry is assumed, `a` is not modified).
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  const v = Float64Array.from(a.subarray(0, n * n));
  const diag = new Float64Array(n);
  const off = new Float64Array(n);
  // The input is symmetric, so it equals its own transpose: the transposed store needs no copy-in.
  tridiagonalize(v, n, diag, off);
  tridiagonalQL(v, n, diag, off);
  const w = v;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => diag[x]! - diag[y]! || x - y);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = diag[src]!;
    vectors.set(w.subarray(src * n, src * n + n), dst * n);
  });
  return { values, vectors };
}

/**
 * The top `c` principal components from a covariance (d × d, divisor n) and the column means:
 * components by decreasing variance, each unit-length with its largest-|x| entry (the first such
 * on ties) positive; variances are the eigenvalues with rounding-level negatives clamped to 0.
 */
export function pcaFromCovariance(mean: ArrayLike<number>, cov: Float64Array, d: number, c: number): PcaResult {
  const { values, vectors } = symmetricEigen(cov, d);
  const components = new Float32Array(c * d);
  const variances = new Float32Array(c);
  for (let j = 0; j < c; j++) {
    const src = (d - 1 - j) * d;
    let big = 0;
    for (let t = 1; t < d; t++) if (Math.abs(vectors[src + t]!) > Math.abs(vectors[src + big]!)) big = t;
    const sign = vectors[src + big]! < 0 ? -1 : 1;
    for (let t = 0; t < d; t++) components[j * d + t] = sign * vectors[src + t]!;
    variances[j] = Math.max(0, values[d - 1 - j]!);
  }
  let totalVariance = 0;
  for (let t = 0; t < d; t++) totalVariance += cov[t * d + t]!;
  return { mean: Float32Array.from(mean), components, variances, totalVariance };
}

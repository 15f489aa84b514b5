/**
 * The map's kernels in plain TypeScript: the test oracle for assembly/umap.ts and the fallback where WebAssembly
 * SIMD is missing. The same loops, the same generator stream and the same tie rules; distances accumulate in
 * float64 and positions move in float64 arithmetic between float32 stores, so results agree up to rounding.
 */
import type { LayoutInput, LayoutOps, LayoutSession } from './layout-driver.ts';
import type { NeighbourOps } from './neighbours-driver.ts';
import type { LayoutGraph } from './umap-types.ts';

/** Squared L2 distance between rows at offsets ao of a and bo of b. */
function l2sq(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const e = a[ao + t]! - b[bo + t]!;
    s += e * e;
  }
  return s;
}

/** Offers j at v to the m nearest so far (val ascending, idx beside it); v is below the last entry. */
function offer(val: Float64Array, idx: Int32Array, m: number, v: number, j: number): void {
  let p = m - 1;
  while (p > 0 && val[p - 1]! > v) {
    val[p] = val[p - 1]!;
    idx[p] = idx[p - 1]!;
    p--;
  }
  val[p] = v;
  idx[p] = j;
}

/** One round of neighbour-of-neighbour refinement, as assembly/umap.ts (knn_refine_f32). */
function refine(data: Float32Array, n: number, d: number, k: number, idx: Int32Array, dist: Float32Array): void {
  const val = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const li = idx.subarray(i * k, i * k + k);
    for (let q = 0; q < k; q++) val[q] = dist[i * k + q]!;
    for (let p = 0; p < k; p++) {
      const j = li[p]!;
      if (j < 0) continue;
      for (let q = 0; q < k; q++) {
        const c = idx[j * k + q]!;
        if (c < 0 || c === i || li.includes(c)) continue;
        const w = l2sq(data, i * d, data, c * d, d);
        if (w < val[k - 1]!) offer(val, li, k, w, c);
      }
    }
    for (let q = 0; q < k; q++) dist[i * k + q] = val[q]!;
  }
}

/** The inverted file's loops, as assembly/umap.ts (nearest_lists_f32, knn_in_lists_f32). */
export const referenceNeighbourOps: NeighbourOps = {
  nearestLists(data, n, d, cent, nc, m) {
    const out = new Int32Array(n * m);
    const val = new Float64Array(m);
    const idx = new Int32Array(m);
    for (let i = 0; i < n; i++) {
      val.fill(Infinity);
      idx.fill(-1);
      for (let j = 0; j < nc; j++) {
        const v = l2sq(data, i * d, cent, j * d, d);
        if (v < val[m - 1]!) offer(val, idx, m, v, j);
      }
      out.set(idx, i * m);
    }
    return out;
  },
  searchLists(sorted, n, d, starts, probes, m, k, rounds) {
    const indices = new Int32Array(n * k);
    const distances = new Float32Array(n * k);
    const val = new Float64Array(k);
    const idx = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      val.fill(Infinity);
      idx.fill(-1);
      for (let p = 0; p < m; p++) {
        const list = probes[i * m + p]!;
        if (list < 0) continue;
        for (let j = starts[list]!; j < starts[list + 1]!; j++) {
          if (j === i) continue;
          const v = l2sq(sorted, i * d, sorted, j * d, d);
          if (v < val[k - 1]!) offer(val, idx, k, v, j);
        }
      }
      indices.set(idx, i * k);
      distances.set(val, i * k);
    }
    for (let r = 0; r < rounds; r++) refine(sorted, n, d, k, indices, distances);
    return { indices, distances, k };
  },
};

const clip = (x: number): number => (x > 4 ? 4 : x < -4 ? -4 : x);

/** UMAP's layout epochs, as assembly/umap.ts (umap_epochs_f32), in float64 arithmetic on float32 state. */
class ReferenceLayoutSession implements LayoutSession {
  private readonly emb: Float32Array;
  private readonly next: Float32Array;
  private readonly nextNeg: Float32Array;
  private readonly graph: LayoutGraph;
  private readonly rng: Uint32Array;

  constructor(private readonly input: LayoutInput) {
    this.emb = input.embedding.slice();
    this.graph = input.graph;
    this.next = input.graph.epochsPerSample.slice();
    this.nextNeg = input.graph.epochsPerSample.map((s) => s / input.negativeRate);
    this.rng = input.rng.slice();
  }

  run(from: number, to: number): void {
    const { emb, next, nextNeg, rng } = this;
    const { head, tail, epochsPerSample } = this.graph;
    const { a, b, negativeRate, epochs, n } = this.input;
    for (let e = from; e < to; e++) {
      const alpha = Math.fround(1 - e / epochs);
      for (let i = 0; i < head.length; i++) {
        const due = next[i]!;
        if (due > e) continue;
        const j = head[i]!;
        const k = tail[i]!;
        let x = emb[j * 2]!;
        let y = emb[j * 2 + 1]!;
        const dx = x - emb[k * 2]!;
        const dy = y - emb[k * 2 + 1]!;
        const d2 = dx * dx + dy * dy;
        if (d2 > 0) {
          const p = Math.pow(d2, b - 1);
          const g = (-2 * a * b * p) / (a * p * d2 + 1);
          const gx = clip(g * dx) * alpha;
          const gy = clip(g * dy) * alpha;
          x += gx;
          y += gy;
          emb[k * 2] = emb[k * 2]! - gx;
          emb[k * 2 + 1] = emb[k * 2 + 1]! - gy;
        }
        const step = epochsPerSample[i]!;
        next[i] = due + step;
        const negStep = Math.fround(step / negativeRate);
        const negDue = nextNeg[i]!;
        // The schedule in float32 steps, as the WASM core rounds it, so both draw the same number of samples.
        const samples = Math.trunc(Math.fround(Math.fround(e - negDue) / negStep));
        for (let s = 0; s < samples; s++) {
          const o = Math.floor((xoshiro(rng) / 4294967296) * n);
          if (o === j) continue;
          const ox = x - emb[o * 2]!;
          const oy = y - emb[o * 2 + 1]!;
          const o2 = ox * ox + oy * oy;
          if (o2 > 0) {
            const g = (2 * b) / ((0.001 + o2) * (a * Math.pow(o2, b) + 1));
            x += clip(g * ox) * alpha;
            y += clip(g * oy) * alpha;
          }
        }
        nextNeg[i] = negDue + Math.fround(samples * negStep);
        emb[j * 2] = x;
        emb[j * 2 + 1] = y;
      }
    }
  }

  embedding(): Float32Array {
    return this.emb.slice();
  }

  dispose(): void {}
}

/** One xoshiro128** step on a four-word state (as src/kernel/rng.ts): the next 32 random bits. */
function xoshiro(s: Uint32Array): number {
  const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;
  const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
  const t = (s[1]! << 9) >>> 0;
  s[2] = s[2]! ^ s[0]!;
  s[3] = s[3]! ^ s[1]!;
  s[1] = s[1]! ^ s[2]!;
  s[0] = s[0]! ^ s[3]!;
  s[2] = s[2]! ^ t;
  s[3] = rotl(s[3]!, 11);
  return result;
}

export const referenceLayoutOps: LayoutOps = { session: (input) => new ReferenceLayoutSession(input) };

// One update step of mini-batch k-means (Sculley 2010) on a batch of nb rows, float32 row-major
// nb × d (stride d floats). Centroids: k × d f32, updated in place. counts: k f64, the rows each
// centroid has absorbed so far across all batches; each centroid moves toward its batch mean with
// rate nb_j / counts_j, which equals the per-row 1/count rule applied to the batch as a whole.
import { assign, cluster_sums } from './kmeans';
import { f4, f8 } from './simd';

/**
 * Assigns the batch to the nearest centroids, then moves each centroid that received rows.
 * labels (nb i32) and dist (nb f32) are scratch the caller owns (they hold the batch's assignment
 * afterwards). Allocates k·d doubles + k words of scratch for the call. Returns the batch inertia
 * measured before the update.
 */
export function minibatch_step_f32(
  batch: usize, nb: i32, d: i32, cent: usize, k: i32, counts: usize, labels: usize, dist: usize,
): f64 {
  const inertia = assign(batch, nb, d, cent, k, labels, dist);
  const sums = heap.alloc(f8(k * d));
  const bcounts = heap.alloc(f4(k));
  cluster_sums(batch, nb, d, k, labels, sums, bcounts);
  for (let j = 0; j < k; j++) {
    const bc = load<i32>(bcounts + f4(j));
    if (bc == 0) continue;
    const cp = counts + f8(j);
    const total = load<f64>(cp) + <f64>bc;
    store<f64>(cp, total);
    const eta = <f64>bc / total;
    const inv = 1.0 / <f64>bc;
    const s = sums + <usize>j * f8(d);
    const c = cent + <usize>j * f4(d);
    for (let t = 0; t < d; t++) {
      const old = <f64>load<f32>(c + f4(t));
      store<f32>(c + f4(t), <f32>(old + eta * (load<f64>(s + f8(t)) * inv - old)));
    }
  }
  heap.free(sums);
  heap.free(bcounts);
  return inertia;
}

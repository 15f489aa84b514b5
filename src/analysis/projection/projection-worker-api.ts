/** What the projection worker (projection-worker.ts) offers through comlink: plain data only. */
import type { ProjectionProgress } from './projection-method.ts';

/** The worker's API. Float32Arrays are transferred in and out. */
export interface ProjectionWorkerApi {
  /** {@link projectUmap} on n × d vectors; resolves to n × 2 positions. */
  project(vectors: Float32Array, d: number, seed: number, onProgress?: (progress: ProjectionProgress) => void): Promise<Float32Array>;
  /** {@link placePoints}: positions for `added` among the mapped vectors and their positions. */
  place(mapped: Float32Array, points: Float32Array, added: Float32Array, d: number): Float32Array;
}

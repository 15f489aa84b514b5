/**
 * The projection worker: owns `self` and comlink's `expose`, and computes the map (UMAP) or places new faces on
 * it off the page's thread. Bundled as its own module worker file, face-probe-map-worker.js.
 */
import { expose, transfer } from 'comlink';
import { placePoints } from './place-points.ts';
import type { ProjectionWorkerApi } from './projection-worker-api.ts';
import type { ProjectionProgress } from './projection-method.ts';
import { projectUmap } from './umap-projection.ts';

const api: ProjectionWorkerApi = {
  async project(vectors: Float32Array, d: number, seed: number, onProgress?: (progress: ProjectionProgress) => void) {
    const points = await projectUmap(vectors, d, {
      seed,
      // Progress is a courtesy: a page that went away must not fail the projection.
      onProgress: (p) => void Promise.resolve(onProgress?.(p)).catch(() => undefined),
    });
    return transfer(points, [points.buffer]);
  },
  place(mapped: Float32Array, points: Float32Array, added: Float32Array, d: number) {
    const placed = placePoints(mapped, points, added, d);
    return transfer(placed, [placed.buffer]);
  },
};

expose(api);

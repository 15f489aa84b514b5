/**
 * A {@link ProjectionRunner} that computes on the calling thread, for Node, tests and benchmarks. Not exported
 * from the browser entry: it loads the UMAP code and the kernel, which the page only ever loads inside the map worker.
 */
import { placePoints } from './place-points.ts';
import type { ProjectionRunner } from './projection-client.ts';
import { projectUmap } from './umap-projection.ts';

/** Computes maps and placements on this thread. */
export function inlineProjection(): ProjectionRunner {
  return {
    project: (vectors, d, options) => projectUmap(vectors, d, options),
    place: async (mapped, points, added, d, options) => placePoints(mapped, points, added, d, options),
  };
}

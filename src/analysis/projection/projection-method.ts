/** The map's projection method and its progress report, apart from umap-projection.ts so importing them loads no UMAP code. */

/** The method name kept with a cached map, so a map made another way is never taken for this one. */
export const PROJECTION_METHOD = 'umap-kernel-1-ivf-pca/n15-d0.1';

/** What a projection reports while it runs. */
export interface ProjectionProgress {
  /** 'neighbours' while the neighbour graph is built (no count inside it), then 'layout' per batch of epochs. */
  phase: 'neighbours' | 'layout';
  done: number;
  total: number;
}

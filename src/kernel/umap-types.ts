/**
 * Shapes of the map's kernels (src/kernel/umap-kernel.ts): nearest neighbours through an inverted file, and UMAP's
 * layout epochs. Float32 row-major matrices, as the rest of the kernel.
 */
/** Options for UmapKernel.nearestNeighbours (umap-kernel.ts). */
export interface NearestNeighbourOptions {
  /** Neighbours per row, 1 ≤ k < n. */
  k: number;
  /**
   * Lists of the inverted file: rows are grouped by the nearest of this many k-means centroids (fitted on a seeded
   * sample). Default: 1 (an exact search) up to 4,096 rows, else round(√n).
   */
  lists?: number;
  /** Lists each row searches, nearest first (default 3, at most `lists`); with every list the search is exact. */
  probes?: number;
  /** Rounds of neighbour-of-neighbour refinement after the list search (default 2; none when the search is exact). */
  refinements?: number;
  /** Seed of the sample and of k-means (default 0). */
  seed?: number;
}

/** The outcome of UmapKernel.nearestNeighbours (umap-kernel.ts). */
export interface NearestNeighbours {
  /** n × k row indices, nearest first; −1 where a row's lists held fewer than k other rows. */
  indices: Int32Array;
  /** n × k squared L2 distances beside them (Infinity beside −1). */
  distances: Float32Array;
  k: number;
}

/** A directed, weighted graph for UmapKernel.umapLayout (umap-kernel.ts): edge e pulls head[e] and tail[e] together. */
export interface LayoutGraph {
  head: Int32Array;
  tail: Int32Array;
  /** Epochs between two samples of each edge (≥ 1: 1 for the strongest edge, max weight / weight for the others). */
  epochsPerSample: Float32Array;
}

/** Options for UmapKernel.umapLayout (umap-kernel.ts). */
export interface LayoutOptions {
  /** The curve 1 / (1 + a·d^(2b)) of map distance d (1.577 and 0.895 for UMAP's min_dist 0.1, spread 1). */
  a: number;
  b: number;
  /** Epochs to run (≥ 1). */
  epochs: number;
  /** Negative samples per positive sample (default 5). */
  negativeRate?: number;
  /** Seed of the negative samples (default 0). */
  seed?: number;
  signal?: AbortSignal;
  /** Called between batches of epochs (about every 100 ms) with the epochs done. */
  onProgress?: (progress: { epochs: number; total: number }) => void;
}

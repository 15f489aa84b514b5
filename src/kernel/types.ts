/**
 * The contract every kernel implementation meets: the WASM SIMD core and the pure-TypeScript
 * reference (test oracle and fallback). All matrices are float32, row-major, `n × d`, packed
 * (row i starts at `i * d`); `d` is always passed explicitly and `data.length` must equal `n * d`.
 */

/** Which implementation runs the kernels. */
export type KernelBackend = 'wasm-simd' | 'js-reference';

/** Options for {@link Kernel.kmeans}. */
export interface KMeansOptions {
  /** Number of clusters, 1 ≤ k ≤ n. */
  k: number;
  /** Seed of the k-means++ seeding (deterministic for a given seed). Default 0. */
  seed?: number;
  /** Lloyd iteration cap. Default 100. */
  maxIterations?: number;
  /**
   * Convergence tolerance: stop when the total squared centroid shift is at most
   * `tolerance × mean per-dimension variance of the data` (scikit-learn's rule). Default 1e-4;
   * 0 runs exactly `maxIterations` iterations unless assignments stop changing.
   */
  tolerance?: number;
  /** Independent k-means++ restarts; the lowest inertia wins. Default 1. */
  restarts?: number;
}

/** The outcome of k-means. */
export interface KMeansResult {
  /** Cluster of each row, length n, values in [0, k). */
  labels: Int32Array;
  /** k × d centroids, row-major. */
  centroids: Float32Array;
  /** Sum of squared distances of rows to their centroid. */
  inertia: number;
  /** Lloyd iterations run by the winning restart. */
  iterations: number;
}

/** Options for {@link Kernel.miniBatchKMeans}. */
export interface MiniBatchKMeansOptions {
  k: number;
  seed?: number;
  /** Passes over the whole source. Default 3. */
  epochs?: number;
  /** Rows per update step. Default 1024. */
  batchSize?: number;
  /** Rows held for k-means++ seeding (from the first chunks). Default max(10·k, 1024). */
  initSize?: number;
  /** Also return each row's label (a final assignment pass over the source). Default false. */
  labels?: boolean;
  signal?: AbortSignal;
  /**
   * Called after each chunk with rows consumed so far in this epoch; the final assignment pass
   * (for the inertia and labels) reports epoch = epochs.
   */
  onProgress?: (progress: { epoch: number; rows: number }) => void;
}

/** A re-iterable source of row-major chunks (each a whole number of rows of width d). */
export type ChunkSource = () => AsyncIterable<Float32Array> | Iterable<Float32Array>;

/** The outcome of mini-batch k-means. */
export interface MiniBatchKMeansResult {
  centroids: Float32Array;
  /** Inertia over all rows, from a final assignment pass. */
  inertia: number;
  /** Rows seen in one pass over the source. */
  rows: number;
  /** Present when `options.labels` was true. */
  labels?: Int32Array;
}

/** Per-dimension mean and (population) variance. */
export interface MeanVariance {
  mean: Float32Array;
  variance: Float32Array;
}

/** Principal components of a data set. */
export interface PcaResult {
  /** Column means, length d. */
  mean: Float32Array;
  /** c × d unit vectors, by decreasing variance; sign fixed so each row's largest-|x| entry is positive. */
  components: Float32Array;
  /** Variance along each component (eigenvalues of the covariance, divisor n), length c. */
  variances: Float32Array;
  /** Trace of the covariance (total variance), for explained-variance ratios. */
  totalVariance: number;
}

/** Distance and clustering kernels over float32 row-major matrices. Methods throw InvalidInputError. */
export interface Kernel {
  readonly backend: KernelBackend;
  /** Squared L2 distance from `query` (length d) to every row of `data`: length n. */
  l2sqOneToMany(query: Float32Array, data: Float32Array, d: number): Float32Array;
  /** Dot product of `query` with every row: length n. */
  dotOneToMany(query: Float32Array, data: Float32Array, d: number): Float32Array;
  /** Cosine similarity of `query` with every row (0 where either norm is 0): length n. */
  cosineOneToMany(query: Float32Array, data: Float32Array, d: number): Float32Array;
  /** Squared L2 between every row of `a` (na × d) and of `b` (nb × d): na × nb, row-major. */
  l2sqPairwise(a: Float32Array, b: Float32Array, d: number): Float32Array;
  /** Dot products between rows of `a` and `b`: na × nb. */
  dotPairwise(a: Float32Array, b: Float32Array, d: number): Float32Array;
  /** Cosine similarities between rows of `a` and `b`: na × nb. */
  cosinePairwise(a: Float32Array, b: Float32Array, d: number): Float32Array;
  /** Nearest centroid (squared L2; lowest index wins ties) for every row, with that distance. */
  assignNearest(data: Float32Array, centroids: Float32Array, d: number): { labels: Int32Array; distances: Float32Array };
  /** k-means++ seeded Lloyd's k-means with restarts. */
  kmeans(data: Float32Array, d: number, options: KMeansOptions): KMeansResult;
  /** Mini-batch k-means over a chunked source that never needs to be one array. */
  miniBatchKMeans(source: ChunkSource, d: number, options: MiniBatchKMeansOptions): Promise<MiniBatchKMeansResult>;
  /** Per-dimension mean and population variance. */
  meanVariance(data: Float32Array, d: number): MeanVariance;
  /** (x - mean) / sqrt(variance) per dimension (dimensions with zero variance become 0): a new n × d array. */
  standardize(data: Float32Array, d: number, stats: MeanVariance): Float32Array;
  /** Top `components` principal components (1 ≤ components ≤ d). */
  pca(data: Float32Array, d: number, components: number): PcaResult;
  /** Projects rows onto a PCA basis: n × c. */
  projectPca(data: Float32Array, d: number, pca: PcaResult): Float32Array;
}

/**
 * A matrix held by a kernel for many queries against it (e.g. a gallery searched face by face):
 * the WASM backend copies it into its memory once instead of once per call. Same shapes, results
 * and errors as the Kernel methods of the same names.
 */
export interface ResidentMatrix {
  /** Rows. */
  readonly n: number;
  /** Row width. */
  readonly d: number;
  /** Squared L2 distance from `query` (length d) to every row: length n. */
  l2sqOneToMany(query: Float32Array): Float32Array;
  /** Dot product of `query` with every row: length n. */
  dotOneToMany(query: Float32Array): Float32Array;
  /** Cosine similarity of `query` with every row (0 where either norm is 0): length n. */
  cosineOneToMany(query: Float32Array): Float32Array;
  /** Frees the kernel's copy; later calls throw InvalidInputError. Idempotent. */
  dispose(): void;
}

/** A {@link Kernel} that can also hold resident matrices (both built-in backends are). */
export interface ResidentKernel extends Kernel {
  /** Copies `data` (n × d) for repeated queries. Throws InvalidInputError like the one-to-many methods. */
  residentMatrix(data: Float32Array, d: number): ResidentMatrix;
}

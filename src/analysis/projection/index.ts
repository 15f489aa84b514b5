/**
 * The map of every face, as the page uses it: neighbour-keeping scores, placing new faces, and the worker that
 * computes UMAP. (umap-projection.ts and inline-projection.ts load the UMAP code and the kernel, and are imported
 * directly by the worker, Node code and tests, never through this entry.)
 */
export * from './neighbour-scores.ts';
export * from './place-points.ts';
export * from './projection-client.ts';
export * from './projection-method.ts';

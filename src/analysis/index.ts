/**
 * The analysis library's public surface: scores, clustering, probes, feature importance, identity
 * grouping and naming clusters. (The paper-reproduction harness is src/reproduce/, exported from the
 * Node entry only.) Everything takes a {@link Kernel} from `loadKernel()` and plain typed arrays, and runs the
 * same in Node and in the browser (no file or network access here: callers pass text and vectors).
 */
export * from './metrics.ts';
export * from './logistic.ts';
export * from './probe.ts';
export * from './fisher.ts';
export * from './cluster.ts';
export * from './identity.ts';
export * from './link-constraints.ts';
export * from './grouping-scores.ts';
export * from './person-match.ts';
export * from './named-clusters.ts';
export * from './ours.ts';
export { createRng, deriveSeed, sampleIndices, shuffleInPlace, type Rng } from './rng.ts';
export { meanStd } from './matrix.ts';
export * from './discovery/index.ts';
export * from './projection/index.ts';

/**
 * The analysis library's public surface: label parsing and PROTOCOL.md's experiments, scores,
 * clustering, probes, feature importance, identity grouping, naming clusters, and the protocol
 * runner. Everything takes a {@link Kernel} from `loadKernel()` and plain typed arrays, and runs the
 * same in Node and in the browser (no file or network access here: callers pass text and vectors).
 */
export * from './csv.ts';
export * from './datasets.ts';
export * from './experiments.ts';
export * from './metrics.ts';
export * from './logistic.ts';
export * from './probe.ts';
export * from './fisher.ts';
export * from './cluster.ts';
export * from './identity.ts';
export * from './named-clusters.ts';
export * from './ours.ts';
export * from './protocol.ts';
export { createRng, deriveSeed, sampleIndices, shuffleInPlace, type Rng } from './rng.ts';
export { meanStd } from './matrix.ts';
export * from './discovery/index.ts';

/**
 * The paper-reproduction harness: label files, PROTOCOL.md's experiments and their runner, and LFW-style
 * verification. Exported from the Node entry (src/node.ts) only, so the browser bundle never carries it.
 */
export * from './csv.ts';
export * from './datasets.ts';
export * from './experiments.ts';
export * from './protocol.ts';
export * from './verification.ts';
export * from './scored-discovery.ts';

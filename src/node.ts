/**
 * face-attribute-probe's public entry for Node: everything in src/index.ts plus the Node engine (sharp
 * decoding, onnxruntime-node when installed, else onnxruntime-web's wasm), the paper-reproduction harness
 * and the CLI.
 */
export * from './index.ts';
export { createNodeEngine, defaultModelsDir, type NodeEngineOptions } from './embedding/node-engine.ts';
export { decodeImageNode } from './vision/decode-node.ts';
export * from './reproduce/index.ts';
export { main as runCli } from './cli/main.ts';

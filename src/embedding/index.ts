/**
 * The engine's public entry for browsers and workers: the worker client, result types, and the
 * platform-neutral engine. The Node engine (sharp decoding) is exported from src/node.ts; ort.ts loads
 * onnxruntime-node only at run time, in Node.
 */
export { WorkerEngineClient } from './client.ts';
export { readSource } from './source.ts';
export { FaceEngine, l2Normalize, type EngineOptions, type EnginePlatform, type FaceModelSet } from './engine.ts';
export { loadFaceModels, type DetectorName, type FaceModelOptions } from './models.ts';
export { setWasmPaths, chooseBackend, type OrtBackend, type OrtBackendRequest } from '../runtime/ort.ts';
export type { WorkerInitOptions } from './worker-api.ts';
export type * from './types.ts';

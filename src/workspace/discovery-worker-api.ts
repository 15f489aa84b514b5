/**
 * The discovery worker's API, shared by the worker (discovery-worker.ts) and its client
 * (discovery-client.ts), which imports it with `import type` only. Only structured-cloneable data
 * crosses: the faces' vectors (transferred), their people and measurements, options, a progress
 * callback (comlink proxy) and the discovery.
 */
import type { AttributeDiscovery, DiscoveryProgress, MeasurableFace } from '../analysis/discovery/index.ts';

/** What a discovery in the worker is told. */
export interface WorkerDiscoveryRequest {
  /** Names the job, so {@link DiscoveryWorkerApi.cancel} can stop it. */
  job: number;
  /** n × d embeddings, row-major. */
  vectors: Float32Array;
  d: number;
  /** Person of each face. */
  persons: string[];
  /** Each face's box, how it was found, heads and measures (only what describing a split reads). */
  faces: MeasurableFace[];
  seed: number;
}

/** The discovery worker's methods. */
export interface DiscoveryWorkerApi {
  /** Discovers the splits of the faces (discoverAttributes) in the worker; throws what it throws. */
  discover(request: WorkerDiscoveryRequest, onProgress?: (progress: DiscoveryProgress) => void): Promise<AttributeDiscovery>;
  /** Aborts job `job` (it rejects with an AbortError); unknown or finished jobs are ignored. */
  cancel(job: number): void;
}

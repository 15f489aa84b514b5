/**
 * The discovery worker: owns `self` and comlink's `expose`, loads its own kernel (the WebAssembly core,
 * or the reference where SIMD is missing) and finds what the embedding separates off the main thread,
 * so the page keeps answering while thousands of faces are split, resampled and described.
 */
import { expose } from 'comlink';
import { discoverAttributes } from '../analysis/discovery/index.ts';
import { installErrorTransfer } from '../embedding/comlink-errors.ts';
import { loadKernel } from '../kernel/index.ts';
import type { DiscoveryWorkerApi } from './discovery-worker-api.ts';

installErrorTransfer();

const jobs = new Map<number, AbortController>();

const api: DiscoveryWorkerApi = {
  async discover(request, onProgress) {
    const controller = new AbortController();
    jobs.set(request.job, controller);
    try {
      const kernel = await loadKernel();
      return await discoverAttributes(kernel, { vectors: request.vectors, d: request.d, persons: request.persons, faces: request.faces }, {
        seed: request.seed,
        signal: controller.signal,
        // Progress is a courtesy: a page that went away must not fail the discovery.
        onProgress: (p) => void Promise.resolve(onProgress?.(p)).catch(() => undefined),
      });
    } finally {
      jobs.delete(request.job);
    }
  },
  cancel(job) {
    jobs.get(job)?.abort();
  },
};

expose(api);

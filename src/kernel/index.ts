/**
 * The kernel's public entry: `loadKernel()` gives the WASM SIMD core where WebAssembly SIMD is
 * available and the pure-TypeScript reference elsewhere; `kernelInfo()` says which and why.
 * Nothing happens at import time: the module is compiled and instantiated on the first loadKernel().
 */
import { InvalidInputError, UnsupportedEnvironmentError } from '../errors.ts';
import type { KernelBackend, ResidentKernel } from './types.ts';
import { referenceKernel } from './reference.ts';
import { WasmKernel } from './wasm-kernel.ts';
import { compileKernelModule, detectSimd } from './wasm-module.ts';

export type * from './types.ts';
export { referenceKernel, ReferenceKernel } from './reference.ts';
export { WasmKernel } from './wasm-kernel.ts';
export { detectSimd } from './wasm-module.ts';

/** Options for {@link loadKernel}. */
export interface LoadKernelOptions {
  /**
   * 'auto' (default): the WASM SIMD core, or the reference where it cannot run (see kernelInfo());
   * 'wasm-simd': the WASM core or an UnsupportedEnvironmentError; 'js-reference': the pure-TS kernel.
   */
  backend?: 'auto' | KernelBackend;
}

/** What {@link kernelInfo} reports. */
export interface KernelInfo {
  /** Whether this environment validates WebAssembly SIMD (v128) modules. */
  simd: boolean;
  /** The backend the last `loadKernel({ backend: 'auto' })` resolved to; undefined before one finished. */
  backend: KernelBackend | undefined;
  /** Why 'auto' fell back to the reference, when it did. */
  fallbackReason: string | undefined;
}

let wasmKernel: Promise<WasmKernel> | undefined;
let autoBackend: KernelBackend | undefined;
let fallbackReason: string | undefined;

function loadWasm(): Promise<WasmKernel> {
  wasmKernel ??= compileKernelModule().then(
    (module) => new WasmKernel(module),
    (error: unknown) => {
      // Forget the failure so a later call (e.g. after the kernel was built) can try again.
      wasmKernel = undefined;
      throw error;
    },
  );
  return wasmKernel;
}

/**
 * Loads a kernel (cached: every call with the same backend returns the same instance).
 * @throws UnsupportedEnvironmentError with `backend: 'wasm-simd'` where WebAssembly SIMD is missing
 *   or the module cannot be compiled; 'auto' falls back to the reference instead.
 * @throws InvalidInputError for an unknown backend name.
 */
export async function loadKernel(options: LoadKernelOptions = {}): Promise<ResidentKernel> {
  const backend = options.backend ?? 'auto';
  if (backend === 'js-reference') return referenceKernel;
  if (backend === 'wasm-simd') return loadWasm();
  if (backend !== 'auto') {
    throw new InvalidInputError(`backend = ${String(backend)} is not accepted: use 'auto', 'wasm-simd' or 'js-reference'`);
  }
  try {
    const kernel = await loadWasm();
    autoBackend = kernel.backend;
    fallbackReason = undefined;
    return kernel;
  } catch (error: unknown) {
    if (!(error instanceof UnsupportedEnvironmentError)) throw error;
    autoBackend = referenceKernel.backend;
    fallbackReason = error.message;
    return referenceKernel;
  }
}

/** Reports SIMD support, the backend 'auto' chose, and why it fell back if it did. Synchronous; starts nothing. */
export function kernelInfo(): KernelInfo {
  return { simd: detectSimd(), backend: autoBackend, fallbackReason };
}

/**
 * Compiling and instantiating assembly/ (build/kernel.wasm) without any URL: the bytes come from the
 * generated module src/kernel/wasm-bytes.generated.ts (base64), imported on first use, so the same
 * code works in Node, on a page's main thread and in workers, and bundles that never cluster do not
 * carry the bytes in their main chunk.
 */
import { UnsupportedEnvironmentError } from '../errors.ts';

/**
 * The smallest module that uses a v128 instruction: `(func (result v128) i32.const 0 i8x16.splat)`.
 * WebAssembly.validate accepts it only where the fixed-width SIMD proposal is implemented.
 */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x0b, // code: i32.const 0, i8x16.splat, end
]);

/**
 * True when this environment runs WebAssembly with 128-bit SIMD.
 * @param probe the module to validate (tests pass a non-SIMD or broken one); defaults to the v128 probe.
 */
export function detectSimd(probe: Uint8Array<ArrayBuffer> = SIMD_PROBE): boolean {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') return false;
  try {
    return WebAssembly.validate(probe);
  } catch (error: unknown) {
    // validate() only throws for a non-buffer argument; any failure here means "cannot use it".
    void error;
    return false;
  }
}

/** The raw exports of build/kernel.wasm (pointers are byte offsets into `memory`). */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  l2sq_f32_one_to_many(q: number, data: number, n: number, d: number, out: number): void;
  dot_f32_one_to_many(q: number, data: number, n: number, d: number, out: number): void;
  cosine_f32_one_to_many(q: number, data: number, n: number, d: number, out: number): void;
  sqnorm_f32_rows(data: number, n: number, d: number, out: number): void;
  l2sq_f32_pairwise(a: number, na: number, b: number, nb: number, d: number, out: number): void;
  dot_f32_pairwise(a: number, na: number, b: number, nb: number, d: number, out: number): void;
  cosine_f32_pairwise(a: number, na: number, b: number, nb: number, d: number, out: number, scratch: number): void;
  kmeans_assign_f32(data: number, n: number, d: number, cent: number, k: number, labels: number, dist: number): number;
  kmeanspp_f32(data: number, n: number, d: number, k: number, cent: number, mind: number): void;
  kmeans_f32(
    data: number, n: number, d: number, k: number, seed: number, maxIter: number, tol: number, restarts: number,
    outCent: number, outLabels: number, info: number,
  ): void;
  minibatch_step_f32(
    batch: number, nb: number, d: number, cent: number, k: number, counts: number, labels: number, dist: number,
  ): number;
  covariance_f32(data: number, n: number, d: number, mean64: number, cov: number): void;
  pca_project_f32(data: number, n: number, d: number, mean: number, comps: number, c: number, out: number): void;
  mean_variance_f32(data: number, n: number, d: number, mean: number, variance: number): void;
  standardize_f32(data: number, n: number, d: number, mean: number, variance: number, out: number): void;
  first_nonfinite_f32(ptr: number, len: number): number;
  rng_seed(seed: number): void;
  rng_next_u32(): number;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Compiles the kernel module (asynchronously, which every browser allows on the main thread).
 * @throws UnsupportedEnvironmentError without WebAssembly SIMD, when the generated
 *   bytes are missing (run `node scripts/build.mjs kernel`) or do not compile (e.g. a CSP without
 *   'wasm-unsafe-eval').
 */
export async function compileKernelModule(): Promise<WebAssembly.Module> {
  if (!detectSimd()) {
    throw new UnsupportedEnvironmentError('WebAssembly SIMD (v128) is not available in this environment');
  }
  let base64: string;
  try {
    ({ kernelWasmBase64: base64 } = await import('./wasm-bytes.generated.ts'));
  } catch (cause: unknown) {
    throw new UnsupportedEnvironmentError(
      'src/kernel/wasm-bytes.generated.ts could not be loaded: build the kernel with `node scripts/build.mjs kernel`',
      { cause },
    );
  }
  try {
    return await WebAssembly.compile(decodeBase64(base64));
  } catch (cause: unknown) {
    throw new UnsupportedEnvironmentError(`the SIMD kernel module did not compile: ${String(cause)}`, { cause });
  }
}

/** Reads an AssemblyScript string (UTF-16, byte length stored just before it) for abort messages. */
function readString(memory: WebAssembly.Memory, ptr: number): string {
  if (!ptr) return '';
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0]!;
  const units = new Uint16Array(memory.buffer, ptr, bytes >>> 1);
  let s = '';
  for (let i = 0; i < units.length; i += 4096) s += String.fromCharCode(...units.subarray(i, i + 4096));
  return s;
}

/**
 * Instantiates the compiled module synchronously. The module is tens of kilobytes, well below the
 * size up to which browsers allow synchronous instantiation on the main thread.
 */
export function instantiateKernel(module: WebAssembly.Module): KernelExports {
  let memory: WebAssembly.Memory | undefined;
  const imports = {
    env: {
      abort(message: number, file: number, line: number, column: number): never {
        const text = memory ? `${readString(memory, message)} in ${readString(memory, file)}:${line}:${column}` : 'abort';
        throw new WebAssembly.RuntimeError(`kernel abort: ${text}`);
      },
    },
  };
  const instance = new WebAssembly.Instance(module, imports);
  const exports = instance.exports as unknown as KernelExports;
  memory = exports.memory;
  return exports;
}

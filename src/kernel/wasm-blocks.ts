/**
 * Blocks of a WebAssembly module's memory held for one call (or one longer-lived piece of state) and freed
 * together: the allocation helper of both the main kernel (wasm-kernel.ts) and the map's kernel (umap-kernel.ts).
 */
import { InvalidInputError } from '../errors.ts';

/** What a module built from assembly/ exports for its memory (pointers are byte offsets into `memory`). */
export interface AllocatingExports {
  readonly memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
}

/** The allocator's largest block (AssemblyScript TLSF: just under 1 GiB). */
export const MAX_BLOCK_BYTES = 2 ** 30 - 64;

/** The blocks allocated through it, freed together by {@link release}. */
export class WasmBlocks<X extends AllocatingExports = AllocatingExports> {
  protected readonly ptrs: number[] = [];
  /** Said after the refusal of a block above the allocator's limit (what the caller can do about it). */
  protected readonly advice: string = '';

  constructor(readonly x: X) {}

  /** A block of `bytes` bytes (16-byte aligned). @throws InvalidInputError above the allocator's limit. */
  alloc(bytes: number, what: string): number {
    if (bytes > MAX_BLOCK_BYTES) {
      throw new InvalidInputError(
        `${what} needs ${bytes} bytes, more than the ${MAX_BLOCK_BYTES} bytes one WebAssembly block can hold${this.advice}`,
        { details: { bytes, limit: MAX_BLOCK_BYTES } },
      );
    }
    // alloc returns an unsigned pointer through a signed i32: >>> 0 keeps pointers ≥ 2 GiB positive.
    const ptr = this.x.alloc(Math.max(16, bytes)) >>> 0;
    this.ptrs.push(ptr);
    return ptr;
  }

  /** Allocates and copies `src` in; returns its pointer. */
  put(what: string, src: Float32Array | Int32Array | Uint32Array): number {
    const ptr = this.alloc(src.byteLength, what);
    new Uint8Array(this.x.memory.buffer, ptr, src.byteLength).set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
    return ptr;
  }

  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.x.memory.buffer, ptr, length);
  }

  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.x.memory.buffer, ptr, length);
  }

  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.x.memory.buffer, ptr, length);
  }

  /** Takes `ptr` out of these blocks: the caller now owns the block and must free it. */
  keep(ptr: number): number {
    const i = this.ptrs.indexOf(ptr);
    if (i >= 0) this.ptrs.splice(i, 1);
    return ptr;
  }

  /** Frees every block still held. */
  release(): void {
    for (const ptr of this.ptrs) this.x.free(ptr);
    this.ptrs.length = 0;
  }
}

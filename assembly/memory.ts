// Unmanaged memory for the facade (src/kernel/wasm-kernel.ts). The runtime is "minimal" (TLSF
// allocator, no automatic GC) and nothing here creates managed objects, so every block lives
// exactly until free_f32 is called. Blocks are 16-byte aligned; memory.grow happens inside alloc
// and detaches the JavaScript views of memory.buffer, which the facade re-takes after each call.

/** Allocates `bytes` bytes (16-byte aligned) and returns the pointer. Traps when memory cannot grow. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

/** Frees a block from alloc(). */
export function free(ptr: usize): void {
  heap.free(ptr);
}

// The map's module: a second WebAssembly module, built from this entry into build/umap.wasm, holding only the
// UMAP loops (umap.ts) and the allocator. Apart from index.ts's module so the page, which never computes a map,
// does not carry it; src/kernel/umap-kernel.ts loads it inside the map worker and in Node.
export { alloc, free } from './memory';
export { nearest_lists_f32, knn_in_lists_f32, knn_refine_f32, umap_epochs_f32 } from './umap';

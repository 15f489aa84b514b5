// The module's exports. Everything is raw: pointers (byte offsets into the exported memory) and
// numbers; see each file for layouts. No kernel allocates except where its doc says so.
export { alloc, free } from './memory';
export {
  l2sq_f32_one_to_many, dot_f32_one_to_many, cosine_f32_one_to_many, sqnorm_f32_rows,
  l2sq_f32_pairwise, dot_f32_pairwise, cosine_f32_pairwise,
} from './distance';
export { kmeans_assign_f32, kmeanspp_f32, kmeans_f32 } from './kmeans';
export { minibatch_step_f32 } from './minibatch';
export { covariance_f32, pca_project_f32 } from './pca';
export { mean_variance_f32, standardize_f32, first_nonfinite_f32 } from './stats';
export { rng_seed, rng_next_u32 } from './rng';

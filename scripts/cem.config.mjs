// Options for @custom-elements-manifest/analyzer (scripts/bundle.mjs runs it): it must not rewrite package.json's
// `customElements`, which points at the shipped copy, dist/custom-elements.json (scripts/build-dist.mjs).
export default { packagejson: false };

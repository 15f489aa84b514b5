// The demo's server setup, shared by `npm start` (serve.mjs) and the tests: build/web (or another folder) served
// with the COOP/COEP headers wasm threads need and the Content-Security-Policy as a response header on every
// response, so it governs the page and every worker (a <meta> policy reaches neither a worker nor the service
// worker: each takes its policy from its own response).
import { startStaticServer } from './static-server.mjs';

/**
 * The demo's policy: nothing from another origin, no eval (only WebAssembly compilation), no plugins, no
 * framing, no forms. index.html repeats it in a <meta> tag for hosts that cannot set headers.
 */
export const DEMO_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves `root` as the demo.
 * @param {{ root: string, port?: number, host?: string }} options
 * @returns {ReturnType<typeof startStaticServer>}
 */
export function startDemoServer({ root, port = 0, host = '127.0.0.1' }) {
  return startStaticServer({ mounts: { '/': root }, port, host, headers: { 'Content-Security-Policy': DEMO_CSP } });
}

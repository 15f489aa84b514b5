import type { StaticServer } from './static-server.mjs';

/** The demo's Content-Security-Policy, sent as a header on every response of the demo server. */
export declare const DEMO_CSP: string;

/** Serves `root` as the demo: COOP/COEP and {@link DEMO_CSP} on every response. */
export declare function startDemoServer(options: { root: string; port?: number; host?: string }): Promise<StaticServer>;

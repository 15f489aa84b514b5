/** Options for {@link startStaticServer}. */
export interface StaticServerOptions {
  /** URL prefix → directory; the longest matching prefix wins. */
  mounts: Record<string, string>;
  port?: number;
  host?: string;
  /** Extra response headers (e.g. a Content-Security-Policy). */
  headers?: Record<string, string>;
  log?: (line: string) => void;
}
/** A running server: its base URL, every path requested so far, and a way to stop it. */
export interface StaticServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}
/** Serves files with COOP/COEP headers (crossOriginIsolated pages) and proper MIME types. */
export function startStaticServer(options: StaticServerOptions): Promise<StaticServer>;
/** The path of a request target, or undefined when the target is malformed (answered 400). */
export function requestPath(target: string): string | undefined;

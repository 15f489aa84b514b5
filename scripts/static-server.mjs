// A small static file server with the headers the app needs: COOP/COEP (so wasm threads get
// crossOriginIsolated), correct MIME types for .wasm/.onnx/.mjs, and no caching surprises in tests.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** RFC 3986 path characters (unreserved, sub-delims, ':' '@', '/' and percent escapes). */
const PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/**
 * The path of a request target (origin form "/a/b?q" or absolute form "http://host/a/b"), or `undefined` when
 * the target is malformed: any other form, characters a path may not hold (e.g. "//[" , "http://[/"), or a
 * path that starts with "//" (which a URL parser would read as a host).
 * @param {string} target
 * @returns {string | undefined}
 */
export function requestPath(target) {
  let path;
  if (target.startsWith('/')) {
    path = target.split(/[?#]/, 1)[0];
  } else if (/^https?:\/\//i.test(target)) {
    if (!URL.canParse(target)) return undefined;
    path = new URL(target).pathname;
  } else {
    return undefined;
  }
  if (path.startsWith('//') || !PATH.test(path)) return undefined;
  return path;
}

/**
 * Serves files from `mounts` (URL prefix → directory; the longest matching prefix wins).
 * @param {{ mounts: Record<string, string>, port?: number, host?: string, headers?: Record<string,string>, log?: (line: string) => void }} options
 * @returns {Promise<{ url: string, close: () => Promise<void>, requests: string[] }>}
 */
export async function startStaticServer({ mounts, port = 0, host = '127.0.0.1', headers = {}, log }) {
  const table = Object.entries(mounts)
    .map(([prefix, dir]) => [prefix.endsWith('/') ? prefix : `${prefix}/`, resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  const requests = [];
  const common = {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
    ...headers,
  };
  const handle = async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...common, Allow: 'GET, HEAD' }).end('method not allowed');
      return;
    }
    let pathname = requestPath(req.url ?? '');
    if (pathname === undefined) {
      res.writeHead(400, common).end('bad request');
      return;
    }
    requests.push(pathname);
    try {
      pathname = decodeURIComponent(pathname);
    } catch {
      // A malformed escape (e.g. "%E0%A4%A") is the client's error, not a reason to stop serving.
      res.writeHead(400, common).end('bad request');
      return;
    }
    if (pathname.includes('\0')) {
      res.writeHead(400, common).end('bad request');
      return;
    }
    if (pathname.endsWith('/')) pathname += 'index.html';
    const mount = table.find(([prefix]) => pathname.startsWith(prefix) || `${pathname}/` === prefix);
    if (!mount) {
      res.writeHead(404, common).end('not found');
      return;
    }
    const [prefix, dir] = mount;
    const file = normalize(join(dir, pathname.slice(prefix.length)));
    if (file !== dir && !file.startsWith(dir + sep)) {
      res.writeHead(403, common).end('forbidden');
      return;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      res.writeHead(200, {
        ...common,
        'Content-Type': types[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': info.size,
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      // pipeline() ends the response on a read error (e.g. the file vanished after stat) instead of crashing.
      pipeline(createReadStream(file), res, () => {});
    } catch {
      // A missing file is an ordinary 404 for the client, not a server fault.
      res.writeHead(404, common).end('not found');
      log?.(`404 ${pathname}`);
    }
  };
  const server = createServer((req, res) => {
    // No request may stop the server: whatever escapes the handler is answered 500 and logged, never rethrown.
    handle(req, res).catch((error) => {
      console.error(`static server: ${req.method} ${JSON.stringify(req.url)} failed:`, error);
      if (res.headersSent) res.destroy();
      else res.writeHead(500, common).end('server error');
    });
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}/`,
    requests,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}

#!/usr/bin/env node
// `npm start`'s server: serves the built demo (build/web) on localhost with the COOP/COEP headers that
// WebAssembly threads need and the demo's Content-Security-Policy (demo-server.mjs), and prints the URL.
// PORT and HOST override the defaults.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoServer } from './demo-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'build', 'web');
if (!existsSync(join(web, 'index.html'))) {
  console.error('serve: build/web/index.html is missing; run `npm run build` first.');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
let server;
try {
  server = await startDemoServer({ root: web, port, host });
} catch (error) {
  if (error?.code === 'EADDRINUSE') {
    console.error(`serve: port ${port} is in use; start with another, e.g. PORT=8081 npm start`);
    process.exit(1);
  }
  throw error;
}
console.log(`face-attribute-probe demo: ${server.url}`);
console.log('Press Ctrl+C to stop.');
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

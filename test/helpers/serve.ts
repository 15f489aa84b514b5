/**
 * Runs the demo server as `npm start` does (node scripts/serve.mjs, on a free port of 127.0.0.1) and talks to
 * it over raw sockets, so a request that kills the process is seen as such.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from './datasets.ts';

/** A running serve.mjs. */
export interface ServeProcess {
  child: ChildProcess;
  port: number;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
  /** The exit code once it has exited, else undefined. */
  exitCode(): number | null | undefined;
  stop(): Promise<void>;
}

/** Starts `node scripts/serve.mjs` on a free port and resolves once it listens. */
export async function startServe(): Promise<ServeProcess> {
  assert.ok(existsSync(join(projectRoot, 'build', 'web', 'index.html')), 'build/web/index.html is missing: run `npm run build` first');
  const child = spawn(process.execPath, [join(projectRoot, 'scripts', 'serve.mjs')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let code: number | null | undefined;
  const exited = new Promise<number | null>((ok) => child.once('exit', (c) => { code = c; ok(c); }));
  let output = '';
  const port = await new Promise<number>((ok, fail) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
      if (match) ok(Number(match[1]));
    });
    child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    void exited.then((c) => fail(new Error(`serve.mjs exited (${c}) before listening: ${output}`)));
  });
  return {
    child,
    port,
    exited,
    exitCode: () => code,
    stop: async () => {
      if (code === undefined) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Sends `raw` bytes on a fresh connection and resolves with everything the server sent back before closing. */
export function rawRequest(port: number, raw: string): Promise<string> {
  return new Promise((ok, fail) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => { reply += chunk; });
    socket.on('close', () => ok(reply));
    socket.on('error', (error) => (reply ? ok(reply) : fail(error)));
    // Not end(): a half-closed connection may be dropped before an asynchronous answer; the request's
    // "Connection: close" (or the server's refusal) ends it.
    socket.write(raw);
  });
}

/** A GET of `target` with Connection: close. */
export const get = (port: number, target: string): Promise<string> =>
  rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);

/** The status code of a raw HTTP/1.1 reply, NaN when there is none. */
export const statusOf = (reply: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? NaN);

/** One header of a raw reply (case-insensitive name), or undefined. */
export function headerOf(reply: string, name: string): string | undefined {
  const head = reply.split('\r\n\r\n', 1)[0] ?? '';
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

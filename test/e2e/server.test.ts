/**
 * The demo server that `npm start` runs (scripts/serve.mjs), driven over raw sockets on 127.0.0.1: a malformed
 * request gets a 400 and the server keeps serving; no request can make it exit.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../helpers/datasets.ts';

/** Starts `node scripts/serve.mjs` on a free port and resolves with the child and its port once it listens. */
async function startServe(): Promise<{ child: ChildProcess; port: number; exited: Promise<number | null> }> {
  assert.ok(existsSync(join(projectRoot, 'build', 'web', 'index.html')), 'build/web/index.html is missing: run `npm run build` first');
  const child = spawn(process.execPath, [join(projectRoot, 'scripts', 'serve.mjs')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  let output = '';
  const port = await new Promise<number>((ok, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
      if (match) ok(Number(match[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    void exited.then((code) => fail(new Error(`serve.mjs exited (${code}) before listening: ${output}`)));
  });
  return { child, port, exited };
}

/** Sends `raw` bytes on a fresh connection and resolves with everything the server sent back before closing. */
function rawRequest(port: number, raw: string): Promise<string> {
  return new Promise((ok, fail) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => { reply += chunk; });
    socket.on('end', () => ok(reply));
    socket.on('close', () => ok(reply));
    socket.on('error', (error) => (reply ? ok(reply) : fail(error)));
    // Not end(): a half-closed connection may be dropped before an asynchronous answer; Connection: close ends it.
    socket.write(raw);
  });
}

const statusOf = (reply: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? NaN);

/** Request targets that are not a path the server can resolve. */
const MALFORMED_TARGETS = ['//[', 'http://[/', '//[::1', 'http://a:b:c/', '//%', '/%E0%A4%A', 'http://', '*'];

test('a malformed request target gets a 400, and the server keeps serving', { timeout: 60_000 }, async () => {
  const { child, port, exited } = await startServe();
  let exitCode: number | null | undefined;
  void exited.then((code) => { exitCode = code; });
  try {
    for (const target of MALFORMED_TARGETS) {
      const reply = await rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      assert.equal(statusOf(reply), 400, `GET ${target} is answered 400; the reply was: ${JSON.stringify(reply.slice(0, 200))}`);
      assert.equal(exitCode, undefined, `the server is still running after GET ${target}`);
    }
    const page = await rawRequest(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    assert.equal(statusOf(page), 200, 'the page is still served after the malformed requests');
    assert.equal(exitCode, undefined, 'the server never exited');
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});

test('a request the HTTP parser refuses gets a 400 and does not stop the server', { timeout: 60_000 }, async () => {
  const { child, port, exited } = await startServe();
  let exitCode: number | null | undefined;
  void exited.then((code) => { exitCode = code; });
  try {
    for (const raw of ['GET / HTTP/1.1\r\nHost: a\r\nbad header\r\n\r\n', 'NOT A REQUEST\r\n\r\n', 'GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n']) {
      const reply = await rawRequest(port, raw);
      assert.equal(statusOf(reply), 400, `${JSON.stringify(raw)} is answered 400; the reply was: ${JSON.stringify(reply.slice(0, 200))}`);
    }
    assert.equal(statusOf(await rawRequest(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')), 200);
    assert.equal(exitCode, undefined, 'the server never exited');
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});

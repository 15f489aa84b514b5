/**
 * The demo server that `npm start` runs (scripts/serve.mjs), driven over raw sockets on 127.0.0.1: a malformed
 * request gets a 400 and the server keeps serving; no request can make it exit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { get, rawRequest, startServe, statusOf } from '../helpers/serve.ts';

/** Request targets that are not a path the server can resolve. */
const MALFORMED_TARGETS = ['//[', 'http://[/', '//[::1', 'http://a:b:c/', '//%', '/%E0%A4%A', '/%00', '/a%2F..%2F..%2F%00', 'http://', '*'];

test('a malformed request target gets a 400, and the server keeps serving', { timeout: 60_000 }, async () => {
  const server = await startServe();
  try {
    for (const target of MALFORMED_TARGETS) {
      const reply = await get(server.port, target);
      assert.equal(statusOf(reply), 400, `GET ${target} is answered 400; the reply was: ${JSON.stringify(reply.slice(0, 200))}`);
      assert.equal(server.exitCode(), undefined, `the server is still running after GET ${target}`);
    }
    assert.equal(statusOf(await get(server.port, '/')), 200, 'the page is still served after the malformed requests');
    assert.equal(server.exitCode(), undefined, 'the server never exited');
  } finally {
    await server.stop();
  }
});

test('a request the HTTP parser refuses gets a 400 and does not stop the server', { timeout: 60_000 }, async () => {
  const server = await startServe();
  try {
    for (const raw of ['GET / HTTP/1.1\r\nHost: a\r\nbad header\r\n\r\n', 'NOT A REQUEST\r\n\r\n', 'GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n']) {
      const reply = await rawRequest(server.port, raw);
      assert.equal(statusOf(reply), 400, `${JSON.stringify(raw)} is answered 400; the reply was: ${JSON.stringify(reply.slice(0, 200))}`);
    }
    assert.equal(statusOf(await get(server.port, '/')), 200);
    assert.equal(server.exitCode(), undefined, 'the server never exited');
  } finally {
    await server.stop();
  }
});

test('only GET and HEAD are served', { timeout: 60_000 }, async () => {
  const server = await startServe();
  try {
    const post = await rawRequest(server.port, 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    assert.equal(statusOf(post), 405);
    const head = await rawRequest(server.port, 'HEAD /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    assert.equal(statusOf(head), 200);
    assert.equal(head.split('\r\n\r\n')[1], '', 'a HEAD reply has no body');
  } finally {
    await server.stop();
  }
});

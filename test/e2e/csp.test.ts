/**
 * The demo's Content-Security-Policy reaches every document it serves, workers included: `npm start` sends it as
 * a response header on every response (a <meta> tag governs only the page, not the inference worker that
 * receives the photos), and in Chromium a worker served by the demo server can neither eval nor fetch another
 * origin.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEMO_CSP, startDemoServer } from '../../scripts/demo-server.mjs';
import { startStaticServer } from '../../scripts/static-server.mjs';
import { chromiumOrSkip, launchChromium } from '../helpers/chromium.ts';
import { projectRoot } from '../helpers/datasets.ts';
import { get, headerOf, rawRequest, startServe, statusOf } from '../helpers/serve.ts';

test('the demo policy allows no eval and no other origin', () => {
  assert.match(DEMO_CSP, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.doesNotMatch(DEMO_CSP, /'unsafe-eval'|'unsafe-inline'|\*/);
  assert.match(DEMO_CSP, /connect-src 'self'(;|$)/);
  assert.match(DEMO_CSP, /worker-src 'self'(;|$)/);
});

test('npm start sends the policy as a header on the page, the workers and every other response', { timeout: 60_000 }, async () => {
  const server = await startServe();
  try {
    for (const target of ['/', '/index.html', '/app.js', '/face-probe-worker.js', '/sw.js', '/ort/ort-wasm-simd-threaded.mjs', '/no-such-file.js']) {
      const reply = await get(server.port, target);
      assert.equal(headerOf(reply, 'Content-Security-Policy'), DEMO_CSP, `GET ${target} (${statusOf(reply)}) carries the policy`);
    }
    const bad = await get(server.port, '//[');
    assert.equal(statusOf(bad), 400);
    assert.equal(headerOf(bad, 'Content-Security-Policy'), DEMO_CSP, 'a refused request carries it too');
    const post = await rawRequest(server.port, 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    assert.equal(headerOf(post, 'Content-Security-Policy'), DEMO_CSP);
  } finally {
    await server.stop();
  }
});

test('the page\'s <meta> policy is the header\'s, less what only a header can say', async () => {
  const html = await readFile(join(projectRoot, 'scripts', 'demo', 'index.html'), 'utf8');
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.equal(meta, DEMO_CSP.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; '));
});

/** A worker that tries what the policy forbids and posts what happened. */
const PROBE_WORKER = `
const other = new URL(self.location.href).searchParams.get('other');
const outcome = {};
try { outcome.eval = String(eval('6 * 7')); } catch (error) { outcome.eval = 'refused: ' + error.name; }
try { outcome.fn = String(new Function('return 6 * 7')()); } catch (error) { outcome.fn = 'refused: ' + error.name; }
fetch(other).then((r) => r.text()).then((text) => { outcome.fetch = text; }, (error) => { outcome.fetch = 'refused: ' + error.name; })
  .finally(() => self.postMessage(outcome));
`;

test('in Chromium, a worker served by the demo server can neither eval nor fetch another origin', { timeout: 120_000 }, async (t) => {
  if (!chromiumOrSkip(t, 'browser test skipped')) return;
  const root = await mkdtemp(join(tmpdir(), 'fap-csp-'));
  // The demo's own page (its <meta> policy included) beside a worker that tries eval and a cross-origin fetch.
  await writeFile(join(root, 'index.html'), await readFile(join(projectRoot, 'scripts', 'demo', 'index.html'), 'utf8'));
  await writeFile(join(root, 'probe-worker.js'), PROBE_WORKER);
  const otherRoot = await mkdtemp(join(tmpdir(), 'fap-csp-other-'));
  await writeFile(join(otherRoot, 'secret.txt'), 'reached the other origin');
  // Another origin (another port) that would answer any page: CORS and CORP both allow it.
  const other = await startStaticServer({
    mounts: { '/': otherRoot },
    headers: { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' },
  });
  const server = await startDemoServer({ root });
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const response = await page.goto(server.url);
    assert.equal(response?.headers()['content-security-policy'], DEMO_CSP);
    const outcome = await page.evaluate((otherUrl) => new Promise<Record<string, string>>((ok, fail) => {
      const worker = new Worker(`probe-worker.js?other=${encodeURIComponent(otherUrl)}`);
      worker.onmessage = (event) => ok(event.data as Record<string, string>);
      worker.onerror = (event) => fail(new Error(`the worker failed: ${event.message}`));
    }), `${other.url}secret.txt`);
    assert.equal(outcome.eval, 'refused: EvalError', `eval in the worker: ${outcome.eval}`);
    assert.equal(outcome.fn, 'refused: EvalError', `new Function in the worker: ${outcome.fn}`);
    assert.equal(outcome.fetch, 'refused: TypeError', `fetch of another origin from the worker: ${outcome.fetch}`);
    assert.ok(!other.requests.includes('/secret.txt'), 'the other origin never received the request');
  } finally {
    await browser.close();
    await server.close();
    await other.close();
    await rm(root, { recursive: true, force: true });
    await rm(otherRoot, { recursive: true, force: true });
  }
});

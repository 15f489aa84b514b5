/** `face-probe assets --out <dir>`: copies the element's run-time files, and says what is wrong with its arguments. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../helpers/datasets.ts';

const bin = join(projectRoot, 'scripts', 'face-probe.mjs');
const face = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

test('face-probe assets --out <dir> copies the standalone script, the worker, onnxruntime\'s wasm files and the models', (t) => {
  assert.ok(existsSync(join(projectRoot, 'dist', 'standalone', 'face-attribute-probe.js')), 'run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'fap-assets-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'public', 'face-probe');
  const r = face(['assets', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  for (const f of ['face-attribute-probe.js', 'face-probe-worker.js', 'models/index.json', 'models/face-recognition.onnx',
    'ort/ort-wasm-simd-threaded.wasm', 'ort/ort-wasm-simd-threaded.mjs']) {
    assert.ok(existsSync(join(out, f)), `${f} is copied`);
  }
});

test('face-probe assets without --out, or with stray arguments, exits 1 and names the problem', () => {
  const missing = face(['assets']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /--out <dir> is required/);
  const stray = face(['assets', '--out', join(tmpdir(), 'never-written'), 'extra']);
  assert.equal(stray.status, 1);
  assert.match(stray.stderr, /unexpected extra/);
  assert.ok(!existsSync(join(tmpdir(), 'never-written')));
});

test('face-probe --help mentions the assets command', () => {
  const r = face(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /face-probe assets --out <dir>/);
});

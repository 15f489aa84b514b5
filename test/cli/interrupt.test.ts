// Ctrl+C during `face-probe embed`: the run stops after the current image, still writes a complete JSON document
// marked cancelled, and exits with 130 (issue 13, item 23). The signal is sent when progress shows embedding began.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetOrSkip, projectRoot } from '../helpers/datasets.ts';

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'fap-interrupt-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('face-probe embed interrupted', () => {
  it('exits with 130 after Ctrl+C, with the images that finished and `cancelled: true`', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    // A fresh cache folder: every image needs inference, so the run is still going when the signal arrives.
    const child = spawn(process.execPath, [join(projectRoot, 'scripts/face-probe.mjs'), 'embed', '--json', '--cache', join(work, 'cache'), join(smoke, 'images')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    let signalled = false;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      // Progress lines ("embed: 2/20 (10%)") mean images are being embedded.
      if (!signalled && /embed: \d+\/\d+/.test(stderr)) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    assert.ok(signalled, `embedding never started; stderr: ${stderr}`);
    assert.equal(signal, null, `killed by ${signal}; stderr: ${stderr}`);
    assert.equal(code, 130, stderr);
    assert.match(stderr, /stopping after the current step/);
    const result = JSON.parse(stdout);
    t.diagnostic(`${result.summary.processed}/${result.summary.images} images before the interrupt`);
    assert.equal(result.summary.cancelled, true);
    assert.ok(result.summary.processed < result.summary.images, `stopped early: ${result.summary.processed}/${result.summary.images}`);
    assert.equal(result.images.length, result.summary.processed);
  });
});

// `face-probe embed` with thousands of file paths on its command line (issue 13, item 8). The paths are links
// to one smoke photo in a temporary folder, so the run is about the command line, not inference time.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetOrSkip, projectRoot } from '../helpers/datasets.ts';

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'fap-many-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('face-probe embed with many paths', () => {
  it('embeds 10,000 paths named on the command line (a long command line once crashed onnxruntime-node)', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    const photo = join(smoke, 'images', 'lfw_Alejandro_Toledo_0004.jpg');
    const count = 10_000;
    const paths: string[] = [];
    for (let i = 0; i < count; i++) {
      const path = join(work, `the-same-photo-under-another-name-${String(i).padStart(5, '0')}.jpg`);
      await symlink(photo, path);
      paths.push(path);
    }
    const r = spawnSync(process.execPath, [join(projectRoot, 'scripts/face-probe.mjs'), 'embed', '-q', '--no-cache', ...paths], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      timeout: 300_000,
    });
    t.diagnostic(`command line ${paths.join(' ').length} characters; exit ${r.status}, signal ${r.signal}`);
    assert.equal(r.signal, null, `the process was killed by ${r.signal}; stderr: ${r.stderr.slice(-2000)}`);
    assert.equal(r.status, 0, r.stderr.slice(-2000));
    assert.match(r.stdout, new RegExp(`\\n${count}/${count} images, ${count} faces?, 0 failed`));
  });

  it("keeps onnxruntime-node's telemetry off (it would read machine-id and log to /tmp/mat-debug-<pid>.log)", (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    const r = spawnSync(process.execPath, [join(projectRoot, 'scripts/face-probe.mjs'), 'embed', '--no-cache',
      join(smoke, 'images', 'lfw_Alejandro_Toledo_0004.jpg')], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    if (!/ on node \(/.test(r.stderr)) {
      // onnxruntime-node is an optional dependency: without it there is no telemetry to switch off.
      if (process.env.CI === 'true') throw new Error(`CI=true and onnxruntime-node was not used: ${r.stderr}`);
      t.skip(`onnxruntime-node was not used: ${r.stderr.split('\n')[0]}`);
      return;
    }
    // The library writes this log at a fixed path whenever its telemetry starts.
    assert.equal(existsSync(`/tmp/mat-debug-${r.pid}.log`), false, 'the telemetry started');
  });
});

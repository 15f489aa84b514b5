// `face-probe … --model <id>`: the built CLI embeds with the chosen built-in model (its own dimension, alignment
// and cache entries) and names the choices when the id is unknown.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetOrSkip, projectRoot } from '../helpers/datasets.ts';

let work: string;
const faceProbe = (args: string[]) => spawnSync(process.execPath, [join(projectRoot, 'scripts/face-probe.mjs'), ...args, '--cache', join(work, 'cache')], {
  encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 600_000,
});

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'fap-cli-model-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('face-probe --model', () => {
  it('embeds with MobileFaceNet: 192-D vectors on ArcFace-aligned chips, cached apart from the default model', async (t) => {
    const smoke = datasetOrSkip(t, 'smoke');
    if (!smoke) return;
    const images = ['lfw_Alejandro_Toledo_0004.jpg', 'utk_female_black_27.jpg'].map((f) => join(smoke, 'images', f));
    const run = faceProbe(['embed', '--model', 'mobilefacenet', '--json', ...images]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /face-probe: mobilefacenet with .*, arcface-5 alignment/);
    const result = JSON.parse(run.stdout);
    assert.equal(result.model, 'mobilefacenet');
    assert.equal(result.dimension, 192);
    for (const image of result.images) assert.equal(image.faces[0].embedding.length, 192, image.file);
    const byDefault = JSON.parse(faceProbe(['embed', '--json', '-q', ...images]).stdout);
    assert.equal(byDefault.model, 'face-api-face-recognition');
    assert.equal(byDefault.summary.cached, 0, "the default model does not read MobileFaceNet's cache entries");
    assert.equal(byDefault.images[0].faces[0].embedding.length, 128);
    const again = JSON.parse(faceProbe(['embed', '--model', 'mobilefacenet', '--json', '-q', ...images]).stdout);
    assert.equal(again.summary.cached, 2);
    assert.deepEqual(again.images[0].faces[0].embedding, result.images[0].faces[0].embedding);
  });

  it('names the choices for an unknown model', () => {
    const run = faceProbe(['embed', '--model', 'arcface-r100', join(projectRoot, 'README.md')]);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /arcface-r100.*face-api-face-recognition, mobilefacenet/s);
  });
});

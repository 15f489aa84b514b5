/**
 * `npm run reference` (scripts/reference/main.ts) from its embedding cache (--cached-only, so face-api's slow
 * inference is not run here): the protocol runs on the cached embeddings, each experiment is written with the
 * fingerprint of its image list and its coverage, and an experiment whose photos are not all embedded is not
 * written at all.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXPERIMENTS, loadLabelSets, resolveExperiment } from '../../src/reproduce/index.ts';
import { experimentFingerprint, matchReference, parseReferenceFile } from '../../src/reproduce/reference-figures.ts';
import { datasetOrSkip, datasetsRoot, projectRoot } from '../helpers/datasets.ts';

test('npm run reference measures the protocol on cached embeddings and fingerprints each experiment\'s images', { timeout: 120_000 }, async (t) => {
  if (!datasetOrSkip(t, 'lfw-attributes')) return;
  const labels = await loadLabelSets(async (path) => readFile(join(datasetsRoot, path), 'utf8').catch(() => undefined));
  const glasses = resolveExperiment(EXPERIMENTS.find((e) => e.name === 'glasses')!, labels);
  assert.equal(glasses.status, 'ready');
  if (glasses.status !== 'ready') return;
  const dir = await mkdtemp(join(tmpdir(), 'fap-reference-'));
  try {
    // Planted embeddings: class 1 along +x, class 0 along −x, so k-means must find the classes exactly; one photo
    // has no face (null), so coverage is 37 of 38.
    const [noFace, ...withFace] = glasses.items;
    const lines = withFace.map((item) => JSON.stringify({
      image: item.imagePath,
      face: { foundBy: 'detected', embedding: Array.from({ length: 128 }, (_, j) => (j === 0 ? (item.class ? 1 : -1) : 0)) },
    }));
    lines.push(JSON.stringify({ image: noFace!.imagePath, face: null }));
    const cache = join(dir, 'cache.jsonl');
    // A torn line (a crash mid-write) is ignored.
    await writeFile(cache, `${lines.join('\n')}\n{"image": "torn`);
    const out = join(dir, 'reference.json');
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'scripts', 'reference', 'main.ts'),
      '--data', datasetsRoot, '--out', out, '--experiments', 'glasses,beard', '--cache', cache, '--cached-only'], { cwd: projectRoot, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /beard not measured: \d+ of its \d+ photos are not embedded yet/);
    const written = parseReferenceFile(await readFile(out, 'utf8'));
    assert.deepEqual(written.experiments.map((e) => e.name), ['glasses']);
    const [entry] = written.experiments;
    assert.equal(entry!.images, 38);
    assert.equal(entry!.coverage, 37 / 38);
    assert.deepEqual(entry!.found_by, { detected: 37 });
    assert.equal(entry!.accuracy_mean, 1);
    assert.equal(entry!.fingerprint, await experimentFingerprint(glasses.items));
    assert.equal(matchReference(written, 'glasses', await experimentFingerprint(glasses.items)).status, 'measured');
    assert.match(written.pipeline, /@vladmandic\/face-api [\d.]+ .*tfjs-backend-wasm/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/**
 * `npm run reference -- --data ../shared/datasets --out reference.json [--experiments a,b] [--cache file] [--cached-only]`:
 * measures the reference column of `reproduce`. Every photo of the selected experiments goes through face-api's
 * own pipeline (face-api-pipeline.ts); each experiment then runs by PROTOCOL.md (the same runner as `reproduce`,
 * without the project's own method) and its figures are written with a fingerprint of its image list, which
 * `reproduce --reference` checks. Slow (about 0.4 s a photo): run it niced; embeddings are appended to a cache
 * file as they come, so an interrupted run resumes where it stopped. Photos are embedded smallest experiment
 * first; `--cached-only` embeds nothing and measures only the experiments whose photos are all in the cache.
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EXPERIMENTS, loadLabelSets, resolveExperiment, runExperiment, selectExperiments } from '../../src/reproduce/index.ts';
import { experimentFingerprint, type ReferenceExperiment, type ReferenceFile } from '../../src/reproduce/reference-figures.ts';
import { loadKernel } from '../../src/kernel/index.ts';
import { loadFaceApiPipeline, type ReferenceEmbedding } from './face-api-pipeline.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    out: { type: 'string' },
    experiments: { type: 'string' },
    cache: { type: 'string' },
    'cached-only': { type: 'boolean' },
  },
});
if (!values.data || !values.out) {
  process.stderr.write('usage: npm run reference -- --data <datasets folder> --out <reference.json> [--experiments a,b] [--cache <file.jsonl>]\n');
  process.exit(1);
}
const data = values.data;
const out = values.out;
const cacheFile = values.cache ?? `${out}.embeddings.jsonl`;
const started = performance.now();

const labels = await loadLabelSets(async (path) => {
  try {
    return await readFile(join(data, path), 'utf8');
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
});
const wanted = values.experiments ? values.experiments.split(',').map((s) => s.trim()).filter(Boolean) : EXPERIMENTS.map((e) => e.name);
const ready = selectExperiments(wanted).flatMap((definition) => {
  const r = resolveExperiment(definition, labels);
  if (r.status === 'skipped') {
    process.stderr.write(`reference: skipping ${definition.name}: ${r.reason}\n`);
    return [];
  }
  return [r];
});
if (!ready.length) {
  process.stderr.write(`reference: none of the selected experiments has its data in ${data}\n`);
  process.exit(1);
}

// Embeddings already measured (a previous, interrupted run); a torn last line is ignored and measured again.
const embeddings = new Map<string, ReferenceEmbedding | null>();
try {
  for (const line of (await readFile(cacheFile, 'utf8')).split('\n')) {
    try {
      const entry = JSON.parse(line) as { image: string; face: ReferenceEmbedding | null };
      embeddings.set(entry.image, entry.face);
    } catch {
      // An empty or torn line: that image is simply embedded again.
    }
  }
} catch (error: unknown) {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

// Smallest experiment first, so a run stopped early has finished whole experiments.
const bySize = [...ready].sort((a, b) => a.items.length - b.items.length);
const images = [...new Set(bySize.flatMap((r) => r.items.map((item) => item.imagePath)))];
const todo = values['cached-only'] ? [] : images.filter((image) => !embeddings.has(image));
process.stderr.write(`reference: ${images.length} photos, ${images.filter((image) => embeddings.has(image)).length} already in ${cacheFile}\n`);
const pipeline = await loadFaceApiPipeline();
let stop = false;
process.on('SIGINT', () => { stop = true; });
let done = 0;
for (const image of todo) {
  if (stop) {
    process.stderr.write(`reference: interrupted after ${done} photos; run again to continue\n`);
    process.exit(130);
  }
  let face: ReferenceEmbedding | null;
  try {
    face = await pipeline.embed(join(data, image));
  } catch (error: unknown) {
    process.stderr.write(`reference: ${image}: ${(error as Error).message}\n`);
    face = null;
  }
  embeddings.set(image, face);
  // The newline comes first so a line torn by a crash never swallows the next one.
  await appendFile(cacheFile, `\n${JSON.stringify({ image, face })}`);
  done++;
  if (done % 50 === 0 || done === todo.length) {
    const rate = (performance.now() - started) / 1000 / done;
    process.stderr.write(`reference: ${done}/${todo.length} photos (${rate.toFixed(2)} s each)\n`);
  }
}

const kernel = await loadKernel();
const results: ReferenceExperiment[] = [];
for (const r of ready) {
  const missing = r.items.filter((item) => !embeddings.has(item.imagePath)).length;
  if (missing) {
    process.stderr.write(`reference: ${r.definition.name} not measured: ${missing} of its ${r.items.length} photos are not embedded yet\n`);
    continue;
  }
  const kept = r.items.filter((item) => embeddings.get(item.imagePath));
  const found: Record<string, number> = {};
  const matrix = new Float32Array(kept.length * 128);
  kept.forEach((item, i) => {
    const face = embeddings.get(item.imagePath) as ReferenceEmbedding;
    found[face.foundBy] = (found[face.foundBy] ?? 0) + 1;
    matrix.set(face.embedding, i * 128);
  });
  const result = await runExperiment(kernel, r.definition, {
    embeddings: matrix,
    d: 128,
    classes: kept.map((item) => item.class),
    persons: kept.map((item) => item.person),
  }, { ours: false });
  results.push({
    name: r.definition.name,
    fingerprint: await experimentFingerprint(r.items),
    images: r.items.length,
    accuracy_mean: result.accuracy_mean,
    accuracy_std: result.accuracy_std,
    chance_mean: result.chance_mean,
    probe: result.probe,
    nmi: result.nmi,
    ari: result.ari,
    n_per_class: result.n_per_class,
    people: result.people,
    coverage: r.items.length ? kept.length / r.items.length : 0,
    found_by: found,
  });
  process.stderr.write(`reference: ${r.definition.name} ${(result.accuracy_mean * 100).toFixed(1)} % ± ${(result.accuracy_std * 100).toFixed(1)} (coverage ${((kept.length / r.items.length) * 100).toFixed(1)} %)\n`);
}
const file: ReferenceFile = {
  kind: 'face-api-reference',
  pipeline: pipeline.description,
  data,
  measured_at: new Date().toISOString(),
  elapsed_s: (performance.now() - started) / 1000,
  experiments: results,
};
if (!results.length) {
  process.stderr.write('reference: no experiment could be measured; nothing written\n');
  process.exit(1);
}
await writeFile(out, `${JSON.stringify(file, null, 2)}\n`);
process.stderr.write(`reference: wrote ${out}\n`);

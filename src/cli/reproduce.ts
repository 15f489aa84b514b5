/**
 * `face-probe reproduce --data <dir> [--json] [--experiments a,b] [--models a,b] [--report out.html] [--reference file]`: runs the
 * paper's experiments by ../shared/datasets/PROTOCOL.md on our embeddings and prints the paper's figure beside
 * ours, and face-api's own pipeline's beside both when a file measured by `npm run reference` on the same images
 * is given. With `--models a,b`, the same experiments run on each model and print side by side (reproduce-models.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { type IdentityGroupingResult, runIdentityGrouping } from '../analysis/identity.ts';
import {
  EXPERIMENT_NAMES,
  IDENTITY_GROUPING,
  type ExperimentResult,
  loadLabelSets,
  resolveExperiment,
  resolveIdentityGrouping,
  runExperiment,
  selectExperiments,
} from '../reproduce/index.ts';
import type { FaceResult, ImageOutcome } from '../embedding/types.ts';
import { experimentFingerprint, matchReference, parseReferenceFile, type ReferenceExperiment, type ReferenceFile } from '../reproduce/reference-figures.ts';
import { InvalidInputError } from '../errors.ts';
import { loadKernel } from '../kernel/index.ts';
import { type Subject, SUBJECTS, subjectFace } from '../vision/subject.ts';
import type { CoverageFigures } from './coverage.ts';
import { failureSummary } from './embed-files.ts';
import { withEmbeddingSession } from './embedding-session.ts';
import { type EngineCliOptions, withEngineOptions } from './engine-options.ts';
import { startProgress } from './progress.ts';
import { type ReportExperiment, writeReport } from './report.ts';
import { discoveredReportSection } from './report-discovered.ts';
import { formatDiscoveredSideBySide, formatSideBySide, formatSplitComparison, parseModelList, sideBySideJson } from './reproduce-models.ts';
import { BUILTIN_EMBEDDING_MODELS, embeddingModelLabel } from '../models/embedding-models.ts';
import { DISCOVERED_NAMES, type DiscoveredExperimentResult, discoveredPaths, formatDiscoveredTable, runDiscoveredExperiments } from './reproduce-discovered.ts';

interface ReproduceOptions extends EngineCliOptions {
  data: string;
  /** `--models a,b`: the models to run side by side. */
  models?: string[];
  json?: boolean;
  experiments?: string;
  report?: string;
  subject: Subject;
  reference?: string;
}

/** One embedded item of an experiment. */
interface Row {
  imagePath: string;
  face: FaceResult;
}

/** The subject face of each item, and coverage figures over the experiment's images. */
function collect<T extends { imagePath: string }>(
  items: readonly T[],
  outcomes: Map<string, ImageOutcome>,
  dataDir: string,
  subject: Subject,
): { kept: Array<T & Row>; figures: CoverageFigures } {
  const kept: Array<T & Row> = [];
  const found: Record<string, number> = {};
  const leftOut: CoverageFigures['left_out'] = [];
  for (const item of items) {
    const outcome = outcomes.get(join(dataDir, item.imagePath));
    if (!outcome || !outcome.ok) {
      leftOut.push({ image: item.imagePath, reason: outcome?.error.message ?? 'not processed' });
      continue;
    }
    const face = subjectFace(outcome.faces, subject, outcome);
    if (!face) {
      leftOut.push({ image: item.imagePath, reason: 'no face found' });
      continue;
    }
    found[face.foundBy] = (found[face.foundBy] ?? 0) + 1;
    kept.push({ ...item, face, imagePath: item.imagePath });
  }
  return {
    kept,
    figures: { coverage: items.length ? kept.length / items.length : 0, images: items.length, found_by: found, left_out: leftOut },
  };
}

function matrix(rows: readonly Row[], d: number): Float32Array {
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => out.set(r.face.embedding, i * d));
  return out;
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}`);

/** An experiment's measured reference figures: present (null where not measured) only with `--reference`. */
export interface ReferenceColumn {
  reference?: ReferenceExperiment | null;
}

/**
 * The human-readable table: the paper's figure beside ours, with chance and the probe ceiling; a reference
 * column only when the experiments carry measured reference figures (`--reference`). Discovered experiments
 * have a table of their own.
 */
export function formatTable(
  experiments: Array<(ExperimentResult & CoverageFigures & ReferenceColumn) | (IdentityGroupingResult & CoverageFigures) | DiscoveredExperimentResult>,
): string {
  const withReference = experiments.some((e) => 'reference' in e && e.reference !== undefined);
  const head = ['experiment', 'paper', ...(withReference ? ['reference'] : []), 'k-means', '± std', 'chance', 'probe', 'ours', 'NMI', 'ARI', 'n/class', 'people', 'coverage'];
  const lines = [head];
  for (const e of experiments) {
    if ('accuracy_top1' in e) continue; // discovered experiments have a table of their own

    if (e.name === 'identity_grouping') {
      const g = e as IdentityGroupingResult & CoverageFigures;
      lines.push([g.name, '—', ...(withReference ? ['—'] : []), `BCubed F ${g.bcubed.f.toFixed(3)}`, '', '', '', '', '', `pairwise F ${g.pairwise.f.toFixed(3)}`, `${g.faces} faces`, `${g.groups} groups / ${g.people}`, pct(g.coverage)]);
      continue;
    }
    const x = e as ExperimentResult & CoverageFigures & ReferenceColumn;
    lines.push([
      x.name, pct(x.paper), ...(withReference ? [pct(x.reference?.accuracy_mean)] : []), pct(x.accuracy_mean), pct(x.accuracy_std), pct(x.chance_mean), pct(x.probe),
      pct(x.ours?.accuracy_mean), x.nmi.toFixed(3), x.ari.toFixed(3), String(x.n_per_class), x.people === null ? '—' : String(x.people), pct(x.coverage),
    ]);
  }
  const widths = head.map((_, c) => Math.max(...lines.map((l) => (l[c] ?? '').length)));
  return lines.map((l) => l.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

/** A row of one model's results. */
export type ReproduceRow = (ExperimentResult & CoverageFigures & ReferenceColumn) | (IdentityGroupingResult & CoverageFigures) | DiscoveredExperimentResult;

/** What `reproduce --json` prints for one model. */
export interface ReproduceOutput {
  experiments: ReproduceRow[];
  skipped: Array<{ name: string; reason: string }>;
  model: string;
  detector: string;
  backend: string;
  kernel: string;
  images: number;
  images_from_cache: number;
  reference?: { file: string | undefined; pipeline: string; data: string; measured_at: string };
  failures: ReturnType<typeof failureSummary>;
  elapsed_s: number;
}

/** What every model of a run shares: the experiments that can run, their images, and what was skipped. */
interface Plan {
  labels: Awaited<ReturnType<typeof loadLabelSets>>;
  ready: Array<Extract<ReturnType<typeof resolveExperiment>, { status: 'ready' }>>;
  identity: ReturnType<typeof resolveIdentityGrouping> | undefined;
  discoveredWanted: string[];
  referenceFile: ReferenceFile | undefined;
  skipped: Array<{ name: string; reason: string }>;
  paths: Set<string>;
}

async function plan(options: ReproduceOptions): Promise<Plan> {
  const wanted = options.experiments ? options.experiments.split(',').map((s) => s.trim()).filter(Boolean) : [...EXPERIMENT_NAMES, ...DISCOVERED_NAMES];
  const withIdentity = wanted.includes(IDENTITY_GROUPING.name);
  const discoveredWanted = wanted.filter((n) => DISCOVERED_NAMES.includes(n));
  const definitions = selectExperiments(wanted.filter((n) => n !== IDENTITY_GROUPING.name && !DISCOVERED_NAMES.includes(n)));
  if (!definitions.length && !withIdentity && !discoveredWanted.length) throw new InvalidInputError('no experiments selected');
  const labels = await loadLabelSets(async (path) => {
    try {
      return await readFile(join(options.data, path), 'utf8');
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  });
  let referenceFile: ReferenceFile | undefined;
  if (options.reference) referenceFile = parseReferenceFile(await readFile(options.reference, 'utf8'), options.reference);
  const skipped: Array<{ name: string; reason: string }> = [];
  const ready = definitions.flatMap((definition) => {
    const r = resolveExperiment(definition, labels);
    if (r.status === 'skipped') {
      skipped.push({ name: definition.name, reason: r.reason });
      return [];
    }
    return [r];
  });
  const identity = withIdentity ? resolveIdentityGrouping(labels) : undefined;
  if (identity?.status === 'skipped') skipped.push({ name: IDENTITY_GROUPING.name, reason: identity.reason });
  for (const s of skipped) process.stderr.write(`face-probe reproduce: skipping ${s.name}: ${s.reason}\n`);
  const discoveredImages = discoveredPaths(discoveredWanted, labels, options.data);
  if (!ready.length && identity?.status !== 'ready' && !discoveredImages.length) {
    throw new InvalidInputError(`no experiments can run: none of the selected experiments has its data in ${options.data}`);
  }
  const paths = new Set<string>();
  for (const r of ready) for (const item of r.items) paths.add(join(options.data, item.imagePath));
  if (identity?.status === 'ready') for (const item of identity.items) paths.add(join(options.data, item.imagePath));
  for (const path of discoveredImages) paths.add(path);
  return { labels, ready, identity, discoveredWanted, referenceFile, skipped, paths };
}

/**
 * Embeds the plan's images with `options.model` and runs its experiments (and writes the report when asked).
 * @returns the results, or undefined when Ctrl+C stopped the embedding.
 */
async function runModel(options: ReproduceOptions, p: Plan): Promise<ReproduceOutput | undefined> {
  const started = performance.now();
  const { labels, ready, identity, discoveredWanted, referenceFile, paths } = p;
  const skipped = [...p.skipped];
  // PROTOCOL.md: on pre-cropped sets a face the detector misses may be the whole image, reported as such;
  // the attribute heads run so discovered splits can be described by age, gender and expression (both
  // pipeline settings are passed to the session below).
  return withEmbeddingSession(options, 'embed', async ({ engine, signal, embedAll }) => {
    const { outcomes, cancelled, cached } = await embedAll([...paths]);
    if (cancelled) return undefined;
    const kernel = await loadKernel();
    const d = engine.info.dimension;
    const results: ReproduceRow[] = [];
    const reportData: ReportExperiment[] = [];
    const totalRuns = ready.reduce((n, r) => n + 10 * Math.max(1, r.people.length), 0);
    const progress = startProgress('protocol', totalRuns, { quiet: options.quiet ?? false });
    let runsDone = 0;
    try {
      for (const r of ready) {
        const { kept, figures } = collect(r.items, outcomes, options.data, options.subject);
        const embeddings = matrix(kept, d);
        const result = await runExperiment(kernel, r.definition, {
          embeddings,
          d,
          classes: kept.map((k) => k.class),
          persons: kept.map((k) => k.person),
        }, {
          signal,
          onProgress: (x) => progress.update(runsDone + x.done, `${x.experiment}${x.person ? ` ${x.person}` : ''}`),
        });
        runsDone += 10 * Math.max(1, r.people.length);
        // People with too few photos are skipped inside the run; the bar still moves past them.
        progress.update(runsDone, r.definition.name);
        const reference = referenceFile ? matchReference(referenceFile, r.definition.name, await experimentFingerprint(r.items)) : undefined;
        if (reference?.status === 'missing') process.stderr.write(`face-probe reproduce: no reference figure: ${reference.reason}\n`);
        results.push({ ...result, ...figures, ...(reference ? { reference: reference.status === 'measured' ? reference.figures : null } : {}) });
        reportData.push({ result, coverage: figures, definition: r.definition, rows: kept, dataDir: options.data });
      }
    } finally {
      progress.stop();
    }
    if (identity?.status === 'ready') {
      const { kept, figures } = collect(identity.items, outcomes, options.data, options.subject);
      const threshold = engine.info.samePersonDistance;
      results.push({ ...runIdentityGrouping(kernel, matrix(kept, d), d, kept.map((k) => k.person), { signal, ...(threshold ? { threshold } : {}) }), ...figures });
    }
    const discovered = await runDiscoveredExperiments(kernel, discoveredWanted, labels, outcomes, options.data, {
      signal,
      onProgress: (label) => { if (!options.quiet) process.stderr.write(`discovery: ${label}\n`); },
    });
    for (const s of discovered.skipped) {
      skipped.push(s);
      process.stderr.write(`face-probe reproduce: skipping ${s.name}: ${s.reason}\n`);
    }
    results.push(...discovered.results);
    const output: ReproduceOutput = {
      experiments: results,
      skipped,
      model: engine.info.modelId,
      detector: engine.info.detector,
      backend: engine.info.backend,
      kernel: kernel.backend,
      images: paths.size,
      images_from_cache: cached,
      ...(referenceFile ? { reference: { file: options.reference, pipeline: referenceFile.pipeline, data: referenceFile.data, measured_at: referenceFile.measured_at } } : {}),
      failures: failureSummary([...outcomes.values()]),
      elapsed_s: (performance.now() - started) / 1000,
    };
    if (options.report) {
      await writeReport(options.report, kernel, d, reportData, output, await discoveredReportSection(options.data, discovered.results, discovered.faces));
      if (!options.json) process.stdout.write(`report written to ${options.report}\n`);
    }
    return output;
  }, { find: { wholeImageFallback: true }, attributes: true });
}

const DISCOVERED_LEGEND = 'discovered: splits found without labels, scored on them afterwards; top-1 = the split shown first, top-3 = the best of the first three, each on the class-balanced sample of seeds 0–9 with chance (the same on shuffled labels) beside it; probe = calibrated probe on held-out people, ECE = its calibration error\n';
const LEGEND = 'figures in %; paper = Furlong et al. (arXiv 2102.03176); k-means ± std over seeds 0–9; chance = the same accuracy on shuffled labels; probe = 5-fold logistic regression (the supervised ceiling)';

/** Prints one model's tables. */
function printOne(output: ReproduceOutput, referenceFile: ReferenceFile | undefined): void {
  const results = output.experiments;
  if (results.some((r) => !('accuracy_top1' in r))) process.stdout.write(`${formatTable(results)}\n\n`);
  const discovered = results.filter((r): r is DiscoveredExperimentResult => 'accuracy_top1' in r);
  if (discovered.length) {
    process.stdout.write(`${formatDiscoveredTable(discovered)}\n\n`);
    process.stdout.write(DISCOVERED_LEGEND);
  }
  const ours = results.find((x): x is ExperimentResult & CoverageFigures => 'ours' in x && x.ours !== null)?.ours?.method ?? 'n/a';
  if (referenceFile) process.stdout.write(`reference = ${referenceFile.pipeline}; measured by \`npm run reference\` on ${referenceFile.data} (${referenceFile.measured_at}), shown only where its image list matches this run's\n`);
  process.stdout.write(`${LEGEND}; ours = ${ours}\n`);
  process.stdout.write(`${output.images} images (${output.images_from_cache} from cache), ${output.elapsed_s.toFixed(0)} s, ${output.model} on ${output.backend}\n`);
}

/** Prints the models side by side: PROTOCOL.md's rows, the discovered rows, and the ranked splits of each. */
function printSideBySide(outputs: readonly ReproduceOutput[]): void {
  if (outputs.some((o) => o.experiments.some((r) => !('accuracy_top1' in r)))) process.stdout.write(`${formatSideBySide(outputs)}\n\n`);
  if (outputs.some((o) => o.experiments.some((r) => 'accuracy_top1' in r))) {
    process.stdout.write(`${formatDiscoveredSideBySide(outputs)}\n\n`);
    process.stdout.write(`${formatSplitComparison(outputs)}\n\n`);
    process.stdout.write(DISCOVERED_LEGEND);
  }
  const ours = outputs.flatMap((o) => o.experiments).find((x): x is ExperimentResult & CoverageFigures => 'ours' in x && x.ours !== null)?.ours?.method ?? 'n/a';
  process.stdout.write(`${LEGEND}; ours = ${ours}; Δ = the second model minus the first, in points\n`);
  for (const o of outputs) process.stdout.write(`${embeddingModelLabel(o.model)} = ${o.model}: ${o.images} images (${o.images_from_cache} from cache), ${o.elapsed_s.toFixed(0)} s on ${o.backend}\n`);
}

/** Builds the `reproduce` command; `setExit` receives the exit code. */
export function reproduceCommand(setExit: (code: number) => void): Command {
  return withEngineOptions(new Command('reproduce'), { modelsList: true })
    .description("run the paper's experiments by PROTOCOL.md and print the paper's figures beside ours")
    .requiredOption('--data <dir>', 'folder laid out like ../shared/datasets (utkface-balanced/, lfw-attributes/, celeba-identities/)')
    .option('--experiments <names>', `comma-separated subset of: ${[...EXPERIMENT_NAMES, ...DISCOVERED_NAMES].join(', ')}`)
    .option('--models <ids>', `run every experiment on two or more built-in models and print them side by side (comma-separated: ${Object.keys(BUILTIN_EMBEDDING_MODELS).join(',')})`, parseModelList)
    .option('--json', 'print one JSON object instead of the table')
    .option('--report <file>', 'also write a self-contained HTML report (one model only)')
    .addOption(new Option('--subject <which>', 'the face used when a photo holds several (PROTOCOL.md: the largest)').choices(SUBJECTS).default('largest'))
    .option('--reference <file>', 'show face-api\'s own figures from a file written by `npm run reference` (only for experiments measured on the same images; one model only)')
    .action(async (options: ReproduceOptions, command: Command) => {
      const models = options.models;
      if (models) {
        if (command.getOptionValueSource('model') === 'cli') throw new InvalidInputError('give either --model <id> or --models <a,b>, not both');
        if (options.report) throw new InvalidInputError('--report writes one model\'s report: run it with --model <id> for each model');
        if (options.reference) throw new InvalidInputError('--reference compares with one model\'s figures: run it with --model <id>');
      }
      const p = await plan(options);
      const outputs: ReproduceOutput[] = [];
      for (const model of models ?? [options.model]) {
        if (models && !options.quiet) process.stderr.write(`face-probe reproduce: model ${model} (${outputs.length + 1} of ${models.length})\n`);
        const output = await runModel({ ...options, model }, p);
        if (!output) {
          process.stderr.write('face-probe reproduce: cancelled while embedding; finished images are cached for the next run\n');
          setExit(130);
          return;
        }
        outputs.push(output);
      }
      if (!models) {
        const output = outputs[0]!;
        if (options.json) process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
        else printOne(output, p.referenceFile);
        return;
      }
      if (options.json) process.stdout.write(`${JSON.stringify(sideBySideJson(outputs), null, 2)}\n`);
      else printSideBySide(outputs);
    });
}

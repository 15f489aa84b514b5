/**
 * `face-probe reproduce --data <dir> [--json] [--experiments a,b] [--report out.html]`: runs the paper's
 * experiments by ../shared/datasets/PROTOCOL.md on our embeddings and prints the paper's figure beside ours.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import {
  EXPERIMENT_NAMES,
  IDENTITY_GROUPING,
  type ExperimentResult,
  type IdentityGroupingResult,
  loadLabelSets,
  resolveExperiment,
  resolveIdentityGrouping,
  runExperiment,
  runIdentityGrouping,
  selectExperiments,
} from '../analysis/index.ts';
import type { FaceResult, ImageOutcome } from '../embedding/types.ts';
import { InvalidInputError } from '../errors.ts';
import { loadKernel } from '../kernel/index.ts';
import { largestFace } from '../vision/find-faces.ts';
import { embedFiles, failureSummary } from './embed-files.ts';
import { type EngineCliOptions, engineFromOptions, interruptSignal, withEngineOptions } from './engine-options.ts';
import { startProgress } from './progress.ts';
import { type ReportExperiment, writeReport } from './report.ts';
import { discoveredReportSection } from './report-discovered.ts';
import { DISCOVERED_NAMES, type DiscoveredExperimentResult, discoveredPaths, formatDiscoveredTable, runDiscoveredExperiments } from './reproduce-discovered.ts';

interface ReproduceOptions extends EngineCliOptions {
  data: string;
  json?: boolean;
  experiments?: string;
  report?: string;
}

/** How the images of one experiment fared in the pipeline. */
export interface CoverageFigures {
  /** Images with a face / images of the experiment. */
  coverage: number;
  images: number;
  /** How each used face was found. */
  found_by: Record<string, number>;
  /** Images left out (no face, or could not be read), with why. */
  left_out: Array<{ image: string; reason: string }>;
}

/** One embedded item of an experiment. */
interface Row {
  imagePath: string;
  face: FaceResult;
}

/** The largest face of each item, and coverage figures over the experiment's images. */
function collect<T extends { imagePath: string }>(
  items: readonly T[],
  outcomes: Map<string, ImageOutcome>,
  dataDir: string,
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
    const face = largestFace(outcome.faces);
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

/** The human-readable table: the paper's figure beside ours, with chance and the probe ceiling. */
export function formatTable(experiments: Array<(ExperimentResult & CoverageFigures) | (IdentityGroupingResult & CoverageFigures) | DiscoveredExperimentResult>): string {
  const head = ['experiment', 'paper', 'k-means', '± std', 'chance', 'probe', 'ours', 'NMI', 'ARI', 'n/class', 'people', 'coverage'];
  const lines = [head];
  for (const e of experiments) {
    if ('accuracy_top1' in e) continue; // discovered experiments have a table of their own

    if (e.name === 'identity_grouping') {
      const g = e as IdentityGroupingResult & CoverageFigures;
      lines.push([g.name, '—', `BCubed F ${g.bcubed.f.toFixed(3)}`, '', '', '', '', '', `pairwise F ${g.pairwise.f.toFixed(3)}`, `${g.faces} faces`, `${g.groups} groups / ${g.people}`, pct(g.coverage)]);
      continue;
    }
    const x = e as ExperimentResult & CoverageFigures;
    lines.push([
      x.name, pct(x.paper), pct(x.accuracy_mean), pct(x.accuracy_std), pct(x.chance_mean), pct(x.probe),
      pct(x.ours?.accuracy_mean), x.nmi.toFixed(3), x.ari.toFixed(3), String(x.n_per_class), x.people === null ? '—' : String(x.people), pct(x.coverage),
    ]);
  }
  const widths = head.map((_, c) => Math.max(...lines.map((l) => (l[c] ?? '').length)));
  return lines.map((l) => l.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

/** Builds the `reproduce` command; `setExit` receives the exit code. */
export function reproduceCommand(setExit: (code: number) => void): Command {
  return withEngineOptions(new Command('reproduce'))
    .description("run the paper's experiments by PROTOCOL.md and print the paper's figures beside ours")
    .requiredOption('--data <dir>', 'folder laid out like ../shared/datasets (utkface-balanced/, lfw-attributes/, celeba-identities/)')
    .option('--experiments <names>', `comma-separated subset of: ${[...EXPERIMENT_NAMES, ...DISCOVERED_NAMES].join(', ')}`)
    .option('--json', 'print one JSON object instead of the table')
    .option('--report <file>', 'also write a self-contained HTML report')
    .action(async (options: ReproduceOptions) => {
      const started = performance.now();
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

      // The attribute heads run so discovered splits can be described by age, gender and expression.
      const engine = await engineFromOptions(options, { attributes: true });
      const interrupt = interruptSignal();
      try {
        const { outcomes, cancelled, cached } = await embedFiles(engine, [...paths], {
          cacheDir: options.cache === false ? undefined : options.cache,
          signal: interrupt.signal,
          label: 'embed',
          quiet: options.quiet ?? false,
          attributes: true,
        });
        if (cancelled) {
          process.stderr.write('face-probe reproduce: cancelled while embedding; finished images are cached for the next run\n');
          setExit(130);
          return;
        }
        const kernel = await loadKernel();
        const d = engine.info.dimension;
        const results: Array<(ExperimentResult & CoverageFigures) | (IdentityGroupingResult & CoverageFigures) | DiscoveredExperimentResult> = [];
        const reportData: ReportExperiment[] = [];
        const totalRuns = ready.reduce((n, r) => n + 10 * Math.max(1, r.people.length), 0);
        const progress = startProgress('protocol', totalRuns, { quiet: options.quiet ?? false });
        let runsDone = 0;
        try {
          for (const r of ready) {
            const { kept, figures } = collect(r.items, outcomes, options.data);
            const embeddings = matrix(kept, d);
            const result = await runExperiment(kernel, r.definition, {
              embeddings,
              d,
              classes: kept.map((k) => k.class),
              persons: kept.map((k) => k.person),
            }, {
              signal: interrupt.signal,
              onProgress: (p) => progress.update(runsDone + p.done, `${p.experiment}${p.person ? ` ${p.person}` : ''}`),
            });
            runsDone += 10 * Math.max(1, r.people.length);
            // People with too few photos are skipped inside the run; the bar still moves past them.
            progress.update(runsDone, r.definition.name);
            results.push({ ...result, ...figures });
            reportData.push({ result, coverage: figures, definition: r.definition, rows: kept, dataDir: options.data });
          }
        } finally {
          progress.stop();
        }
        if (identity?.status === 'ready') {
          const { kept, figures } = collect(identity.items, outcomes, options.data);
          results.push({ ...runIdentityGrouping(kernel, matrix(kept, d), d, kept.map((k) => k.person), { signal: interrupt.signal }), ...figures });
        }
        const discovered = await runDiscoveredExperiments(kernel, discoveredWanted, labels, outcomes, options.data, {
          signal: interrupt.signal,
          onProgress: (label) => { if (!options.quiet) process.stderr.write(`discovery: ${label}\n`); },
        });
        for (const s of discovered.skipped) {
          skipped.push(s);
          process.stderr.write(`face-probe reproduce: skipping ${s.name}: ${s.reason}\n`);
        }
        results.push(...discovered.results);
        const all = [...outcomes.values()];
        const output = {
          experiments: results,
          skipped,
          model: engine.info.modelId,
          detector: engine.info.detector,
          backend: engine.info.backend,
          kernel: kernel.backend,
          images: paths.size,
          images_from_cache: cached,
          failures: failureSummary(all),
          elapsed_s: (performance.now() - started) / 1000,
        };
        if (options.report) {
          await writeReport(options.report, kernel, d, reportData, output, await discoveredReportSection(options.data, discovered.results, discovered.faces));
          if (!options.json) process.stdout.write(`report written to ${options.report}\n`);
        }
        if (options.json) process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
        else {
          if (results.some((r) => !('accuracy_top1' in r))) process.stdout.write(`${formatTable(results)}\n\n`);
          if (discovered.results.length) {
            process.stdout.write(`${formatDiscoveredTable(discovered.results)}\n\n`);
            process.stdout.write('discovered: splits found without labels, scored on them afterwards; top-1 = the split shown first, top-3 = the best of the first three, each on the class-balanced sample of seeds 0–9 with chance (the same on shuffled labels) beside it; probe = calibrated probe on held-out people, ECE = its calibration error\n');
          }
          const ours = results.find((x): x is ExperimentResult & CoverageFigures => 'ours' in x && x.ours !== null)?.ours?.method ?? 'n/a';
          process.stdout.write(`figures in %; paper = Furlong et al. (arXiv 2102.03176); k-means ± std over seeds 0–9; chance = the same accuracy on shuffled labels; probe = 5-fold logistic regression (the supervised ceiling); ours = ${ours}\n`);
          process.stdout.write(`${paths.size} images (${cached} from cache), ${output.elapsed_s.toFixed(0)} s, ${engine.info.modelId} on ${engine.info.backend}\n`);
        }
      } finally {
        interrupt.dispose();
        await engine.dispose();
      }
    });
}

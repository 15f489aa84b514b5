/**
 * `face-probe embed <files or folders…> [--out file] [--json]`: every face of every image with its box, how it
 * was found, and its embedding; a summary of failures by kind.
 */
import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import type { ImageOutcome } from '../embedding/types.ts';
import { embedFiles, failureSummary } from './embed-files.ts';
import { type EngineCliOptions, engineFromOptions, interruptSignal, withEngineOptions } from './engine-options.ts';
import { collectImageFiles } from './files.ts';

interface EmbedOptions extends EngineCliOptions {
  out?: string;
  json?: boolean;
}

/** The JSON form of one outcome (typed arrays become number lists). */
function outcomeJson(o: ImageOutcome) {
  if (!o.ok) return { file: o.name, ok: false, error: { code: o.error.code ?? o.error.name, message: o.error.message, ...(o.error.details ? { details: o.error.details } : {}) } };
  return {
    file: o.name,
    ok: true,
    hash: o.hash,
    width: o.width,
    height: o.height,
    faces: o.faces.map((f) => ({
      index: f.index,
      box: f.box,
      score: f.score,
      found_by: f.foundBy,
      model: f.modelId,
      landmarks: Array.from(f.landmarks),
      embedding: Array.from(f.embedding),
    })),
  };
}

/** Builds the `embed` command; `setExit` receives the exit code. */
export function embedCommand(setExit: (code: number) => void): Command {
  return withEngineOptions(new Command('embed'))
    .description('detect, align and embed every face in the given images and folders')
    .argument('<paths...>', 'image files or folders (searched recursively for .jpg .jpeg .png .webp)')
    .option('-o, --out <file>', 'write the JSON result to this file')
    .option('--json', 'print the JSON result on stdout instead of a table')
    .action(async (paths: string[], options: EmbedOptions) => {
      const files = await collectImageFiles(paths);
      const engine = await engineFromOptions(options);
      const interrupt = interruptSignal();
      try {
        const started = performance.now();
        const { outcomes, cancelled, cached } = await embedFiles(engine, files, {
          cacheDir: options.cache === false ? undefined : options.cache,
          signal: interrupt.signal,
          label: 'embed',
          quiet: options.quiet ?? false,
        });
        const all = [...outcomes.values()];
        const failures = failureSummary(all);
        const faces = all.reduce((n, o) => n + (o.ok ? o.faces.length : 0), 0);
        const result = {
          model: engine.info.modelId,
          dimension: engine.info.dimension,
          backend: engine.info.backend,
          detector: engine.info.detector,
          images: all.map(outcomeJson),
          summary: { images: files.length, processed: all.length, faces, failed: all.filter((o) => !o.ok).length, cached, failures, cancelled },
          elapsed_s: (performance.now() - started) / 1000,
        };
        const json = `${JSON.stringify(result, null, options.json ? 2 : 0)}\n`;
        if (options.out) await writeFile(options.out, json);
        if (options.json) process.stdout.write(json);
        else {
          for (const o of all) {
            if (!o.ok) process.stdout.write(`${o.name}\tFAILED\t${o.error.message}\n`);
            else {
              const desc = o.faces.map((f) => `${f.foundBy} ${f.score.toFixed(2)} at ${Math.round(f.box.x)},${Math.round(f.box.y)} ${Math.round(f.box.width)}×${Math.round(f.box.height)}`);
              process.stdout.write(`${o.name}\t${o.faces.length} face${o.faces.length === 1 ? '' : 's'}\t${desc.join('; ')}\n`);
            }
          }
          process.stdout.write(`\n${all.length}/${files.length} images, ${faces} face${faces === 1 ? '' : 's'}, ${result.summary.failed} failed${cached ? `, ${cached} from cache` : ''}\n`);
          for (const [kind, n] of Object.entries(failures)) process.stdout.write(`  ${n} × ${kind}\n`);
          if (options.out) process.stdout.write(`JSON written to ${options.out}\n`);
        }
        if (cancelled) setExit(130);
        else if (result.summary.failed > 0) setExit(2);
      } finally {
        interrupt.dispose();
        await engine.dispose();
      }
    });
}

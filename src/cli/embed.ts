/**
 * `face-probe embed <files or folders…> [--out file] [--json]`: every face of every image with its box, how it
 * was found, and its embedding; a summary of failures by kind. The JSON is written image by image as the run
 * goes, so its size is bounded by the disk, not by memory.
 */
import { Command } from 'commander';
import type { ImageOutcome } from '../embedding/types.ts';
import { EmbedTally, writeEmbedJson } from './embed-json.ts';
import type { EmbedRunStats } from './embed-files.ts';
import { withEmbeddingSession } from './embedding-session.ts';
import { type EngineCliOptions, withEngineOptions } from './engine-options.ts';
import { collectImageFiles } from './files.ts';
import { partialFileSink, streamSink, type TextSink } from './json-stream.ts';

interface EmbedOptions extends EngineCliOptions {
  out?: string;
  json?: boolean;
}

/** The table line for one image. */
function tableLine(o: ImageOutcome): string {
  if (!o.ok) return `${o.name}\tFAILED\t${o.error.message}\n`;
  const desc = o.faces.map((f) => `${f.foundBy} ${f.score.toFixed(2)} at ${Math.round(f.box.x)},${Math.round(f.box.y)} ${Math.round(f.box.width)}×${Math.round(f.box.height)}`);
  return `${o.name}\t${o.faces.length} face${o.faces.length === 1 ? '' : 's'}\t${desc.join('; ')}\n`;
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
      const out = options.out ? await partialFileSink(options.out) : undefined;
      try {
        await withEmbeddingSession(options, 'embed', async ({ engine, embedStream }) => {
          const started = performance.now();
          const stats: EmbedRunStats = { cached: 0, cancelled: false };
          // The table is printed after the run, so it does not mix with the progress bar on stderr.
          const table: string[] = [];
          async function* outcomes() {
            for await (const o of embedStream(files, stats)) {
              if (!options.json) table.push(tableLine(o));
              yield o;
            }
          }
          let tally = new EmbedTally();
          const finish = (finished: EmbedTally) => {
            tally = finished;
            const { processed, faces, failed, failures } = finished;
            const summary = { images: files.length, processed, faces, failed, cached: stats.cached, failures, cancelled: stats.cancelled };
            return { summary, elapsed_s: (performance.now() - started) / 1000 };
          };
          const sinks: TextSink[] = [...(out ? [out] : []), ...(options.json ? [streamSink(process.stdout)] : [])];
          if (sinks.length) {
            const { modelId: model, dimension, backend, detector } = engine.info;
            await writeEmbedJson(sinks, { model, dimension, backend, detector }, outcomes(), finish, options.json ? 2 : 0);
          } else {
            const counted = new EmbedTally();
            for await (const o of outcomes()) counted.add(o);
            finish(counted);
          }
          await out?.commit();
          if (!options.json) {
            for (const line of table) process.stdout.write(line);
            const { processed, faces, failed, failures } = tally;
            process.stdout.write(`\n${processed}/${files.length} images, ${faces} face${faces === 1 ? '' : 's'}, ${failed} failed${stats.cached ? `, ${stats.cached} from cache` : ''}\n`);
            for (const [kind, n] of Object.entries(failures)) process.stdout.write(`  ${n} × ${kind}\n`);
            if (options.out) process.stdout.write(`JSON written to ${options.out}\n`);
          }
          if (stats.cancelled) setExit(130);
          else if (tally.failed > 0) setExit(2);
        });
      } finally {
        await out?.discard();
      }
    });
}

/**
 * `face-probe verify --pairs <pairs.txt> --images <dir> [--json]`: LFW's standard 10-fold verification.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { InvalidInputError } from '../errors.ts';
import { type Subject, SUBJECTS, subjectFace } from '../vision/subject.ts';
import { lfwImagePath, parsePairs, verificationAccuracy } from '../reproduce/verification.ts';
import { failureSummary } from './embed-files.ts';
import { withEmbeddingSession } from './embedding-session.ts';
import { type EngineCliOptions, withEngineOptions } from './engine-options.ts';

interface VerifyOptions extends EngineCliOptions {
  pairs: string;
  images: string;
  json?: boolean;
  subject: Subject;
}

function euclidean(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

/** Builds the `verify` command; `setExit` receives the exit code. */
export function verifyCommand(setExit: (code: number) => void): Command {
  return withEngineOptions(new Command('verify'))
    .description('LFW 10-fold verification accuracy: the threshold is chosen on nine folds and tested on the tenth')
    .requiredOption('--pairs <file>', 'pairs file in LFW pairs.txt format')
    .requiredOption('--images <dir>', 'images laid out as <dir>/<name>/<name>_NNNN.jpg')
    .option('--json', 'print one JSON object')
    .addOption(new Option('--subject <which>', 'the face used when a photo holds several (LFW centres its subject)').choices(SUBJECTS).default('centre'))
    .action(async (options: VerifyOptions) => {
      let text: string;
      try {
        text = await readFile(options.pairs, 'utf8');
      } catch (error: unknown) {
        throw new InvalidInputError(`${options.pairs}: cannot read the pairs file (${(error as Error).message})`);
      }
      const parsed = parsePairs(text, options.pairs);
      const pathOf = (name: string, index: number) => join(options.images, lfwImagePath(name, index));
      const files = [...new Set(parsed.pairs.flatMap((p) => [pathOf(p.nameA, p.indexA), pathOf(p.nameB, p.indexB)]))];
      await withEmbeddingSession(options, 'verify', async ({ engine, embedAll }) => {
        const started = performance.now();
        const { outcomes, cancelled } = await embedAll(files);
        if (cancelled) {
          process.stderr.write('face-probe verify: cancelled before every image was embedded; no accuracy reported\n');
          setExit(130);
          return;
        }
        const embedding = (file: string) => {
          const o = outcomes.get(file);
          return o?.ok ? subjectFace(o.faces, options.subject, o)?.embedding : undefined;
        };
        const distances = parsed.pairs.map((p) => {
          const a = embedding(pathOf(p.nameA, p.indexA));
          const b = embedding(pathOf(p.nameB, p.indexB));
          return a && b ? euclidean(a, b) : undefined;
        });
        const result = verificationAccuracy(parsed.pairs, distances, parsed.folds);
        const all = [...outcomes.values()];
        const embedded = all.filter((o) => o.ok && o.faces.length > 0).length;
        const foundBy: Record<string, number> = {};
        for (const o of all) if (o.ok && o.faces.length) {
          const f = subjectFace(o.faces, options.subject, o)!;
          foundBy[f.foundBy] = (foundBy[f.foundBy] ?? 0) + 1;
        }
        const json = {
          accuracy: result.accuracy,
          std: result.std,
          folds: parsed.folds,
          pairs: result.total,
          pairs_scored: result.scored,
          fold_accuracies: result.foldAccuracies,
          thresholds: result.thresholds,
          coverage: embedded / files.length,
          images: files.length,
          found_by: foundBy,
          subject: options.subject,
          failures: failureSummary(all),
          model: engine.info.modelId,
          backend: engine.info.backend,
          elapsed_s: (performance.now() - started) / 1000,
        };
        if (options.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
        else {
          process.stdout.write(
            `accuracy ${(result.accuracy * 100).toFixed(2)} % ± ${(result.std * 100).toFixed(2)} over ${parsed.folds} folds ` +
              `(${result.scored}/${result.total} pairs scored; coverage ${(json.coverage * 100).toFixed(1)} % of ${files.length} images)\n`,
          );
        }
      });
    });
}

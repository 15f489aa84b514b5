/**
 * Options every engine-using command shares, and turning them into an engine.
 */
import { type Command, Option } from 'commander';
import { type NodeEngineOptions, createNodeEngine } from '../embedding/node-engine.ts';
import type { FaceEngine } from '../embedding/engine.ts';
import type { DetectorName } from '../embedding/models.ts';
import type { OrtBackendRequest } from '../runtime/ort.ts';
import { BUILTIN_EMBEDDING_MODELS, DEFAULT_EMBEDDING_MODEL } from '../models/embedding-models.ts';
import type { AlignmentMethod } from '../vision/align.ts';
import { InvalidInputError } from '../errors.ts';
import { defaultCacheDir } from './cache.ts';

/** Parsed shared options. */
export interface EngineCliOptions {
  /** Folder of the built models (`--models-dir`). */
  modelsDir?: string;
  model: string;
  backend: OrtBackendRequest;
  detector: DetectorName;
  align: AlignmentMethod;
  threads?: number;
  cache: string | false;
  quiet?: boolean;
}

/** What `--models <dir>` (the folder of the built models until issue 16) says now, on commands where it means nothing else. */
function retiredModelsOption(): never {
  throw new InvalidInputError('--models <dir> is now --models-dir <dir> (the folder of the built models); '
    + '`reproduce --models a,b` runs two models side by side');
}

/**
 * Adds the shared engine options to a command.
 * @param options.modelsList the command has a `--models <ids>` option of its own (reproduce); elsewhere the old
 *   `--models <dir>` is refused with its new name.
 */
export function withEngineOptions(command: Command, options: { modelsList?: boolean } = {}): Command {
  if (!options.modelsList) command.addOption(new Option('--models <dir>').hideHelp().argParser(retiredModelsOption));
  return command
    .option('--models-dir <dir>', 'folder of the built models (index.json + .onnx); default build/models')
    .addOption(new Option('--model <id>', 'embedding model (each brings its own face alignment)')
      .choices(Object.keys(BUILTIN_EMBEDDING_MODELS)).default(DEFAULT_EMBEDDING_MODEL))
    .addOption(new Option('--backend <name>', 'inference backend').choices(['auto', 'node', 'wasm']).default('auto'))
    .addOption(new Option('--detector <name>', 'face detector: auto = tiny for images up to 416 px (at 160 px first for those up to 320 px), SSD above').choices(['auto', 'ssd', 'tiny']).default('auto'))
    .addOption(new Option('--align <method>', "alignment onto dlib's template: 68 or 5 landmarks").choices(['dlib-68', 'dlib-5']).default('dlib-68'))
    .option('--threads <n>', 'CPU threads for inference', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--threads must be a positive integer; got "${v}"`);
      return n;
    })
    .option('--cache <dir>', 'embedding cache folder', defaultCacheDir())
    .option('--no-cache', 'do not read or write the embedding cache')
    .option('-q, --quiet', 'no progress on stderr');
}

/**
 * Creates the engine the options describe and reports the backend on stderr.
 * @param pipeline settings a command fixes for itself (reproduce: the whole-image fallback on pre-cropped sets,
 *   and the attribute heads).
 */
export async function engineFromOptions(options: EngineCliOptions, pipeline: Pick<NodeEngineOptions, 'find' | 'attributes'> = {}): Promise<FaceEngine> {
  const engine = await createNodeEngine({
    ...pipeline,
    ...(options.modelsDir ? { modelsDir: options.modelsDir } : {}),
    model: options.model,
    backend: options.backend,
    detector: options.detector,
    align: options.align,
    ...(options.threads ? { threads: options.threads } : {}),
  });
  if (!options.quiet) {
    const { backend, backendReason, modelId, detector, alignment } = engine.info;
    process.stderr.write(`face-probe: ${modelId} with ${detector}, ${alignment} alignment, on ${backend} (${backendReason})\n`);
  }
  return engine;
}

/** An AbortSignal that fires on Ctrl+C (SIGINT) or SIGTERM; `dispose` removes the handlers. */
export function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) {
      // A second Ctrl+C means now.
      process.stderr.write('\nface-probe: interrupted\n');
      process.exit(130);
    }
    process.stderr.write('\nface-probe: stopping after the current step (Ctrl+C again to quit at once)…\n');
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

/**
 * What every command that embeds photos sets up, in one place: the engine from the shared options, Ctrl+C as an
 * AbortSignal, and embedding files through the cache with progress; all of it released when the work ends.
 */
import type { FaceEngine } from '../embedding/engine.ts';
import type { ImageOutcome } from '../embedding/types.ts';
import { embedEach, embedFiles, type EmbedRunStats } from './embed-files.ts';
import { type EngineCliOptions, engineFromOptions, interruptSignal } from './engine-options.ts';

/** The engine and embedding helpers a command's work receives. */
export interface EmbeddingSession {
  engine: FaceEngine;
  /** Aborted by Ctrl+C (SIGINT) or SIGTERM. */
  signal: AbortSignal;
  /** Each file's outcome in input order as it is ready; `stats` says how the run went once it ends. */
  embedStream(files: readonly string[], stats: EmbedRunStats): AsyncGenerator<ImageOutcome, void, undefined>;
  /** Every file's outcome by path; `cancelled` when Ctrl+C stopped the run (what finished is kept). */
  embedAll(files: readonly string[]): Promise<{ outcomes: Map<string, ImageOutcome>; cancelled: boolean; cached: number }>;
}

/**
 * Creates the engine the options describe, handles Ctrl+C while `work` runs, and disposes of both afterwards.
 * @param label the progress label on stderr (the command's name).
 * @param pipeline settings the command fixes for itself, passed to {@link engineFromOptions}.
 */
export async function withEmbeddingSession<T>(
  options: EngineCliOptions,
  label: string,
  work: (session: EmbeddingSession) => Promise<T>,
  pipeline: Parameters<typeof engineFromOptions>[1] = {},
): Promise<T> {
  const engine = await engineFromOptions(options, pipeline);
  const interrupt = interruptSignal();
  const embedOptions = {
    cacheDir: options.cache === false ? undefined : options.cache,
    signal: interrupt.signal,
    label,
    quiet: options.quiet ?? false,
    ...(pipeline.attributes ? { attributes: true } : {}),
  };
  try {
    return await work({
      engine,
      signal: interrupt.signal,
      embedStream: (files, stats) => embedEach(engine, files, embedOptions, stats),
      embedAll: (files) => embedFiles(engine, files, embedOptions),
    });
  } finally {
    interrupt.dispose();
    await engine.dispose();
  }
}

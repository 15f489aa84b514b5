/**
 * Embeds a list of image files with the engine, through the content-hash cache, with progress. Shared by
 * `embed`, `verify` and `reproduce`.
 */
import { isAbortError, serializeError, throwIfAborted } from '../errors.ts';
import type { FaceEngine } from '../embedding/engine.ts';
import type { ImageFailure, ImageOutcome } from '../embedding/types.ts';
import { hashBytes } from '../runtime/hash.ts';
import { EmbeddingCache } from './cache.ts';
import { startProgress } from './progress.ts';
import { readImageFile } from './read-image-file.ts';

/**
 * Bumped whenever a change to the pipeline (detection fallbacks, alignment, normalisation) changes results,
 * so cached embeddings from an older pipeline are not reused. 3: large photos are searched in tiles; 4: faces
 * carry their measurements (head pose, brightness, contrast, sharpness); 5: the padded retry detects on a copy
 * at the detector's input size for the photo; 6: small photos are searched at the tiny detector's coarse input
 * first (vision/coarse-first.ts).
 */
export const PIPELINE_VERSION = 6;

/** Options for {@link embedFiles}. */
export interface EmbedFilesOptions {
  /** Cache folder; undefined disables the on-disk cache. */
  cacheDir?: string | undefined;
  signal?: AbortSignal;
  /** Progress label on stderr; no progress when quiet. */
  label?: string;
  quiet?: boolean;
  /** Also run the age/gender/expression heads (the engine must have them); cached under a key of its own. */
  attributes?: boolean;
}

/** The cache key for an engine: everything that changes what it computes. */
export function cacheKey(engine: FaceEngine, attributes = false): string {
  const { modelId, detector, alignment } = engine.info;
  return `${modelId}__${detector}__${alignment}__pipeline-${PIPELINE_VERSION}${attributes ? '__heads' : ''}`;
}

/** How an {@link embedEach} run went, filled in as it goes. */
export interface EmbedRunStats {
  /** Images taken from the cache. */
  cached: number;
  /** True once an abort stopped the run. */
  cancelled: boolean;
}

/**
 * Embeds every file (all faces of each), reusing cached results, and yields each outcome (named by its path) in
 * input order as soon as it is ready, so a caller can write it out and let it go. A file that cannot be read, or
 * that its first bytes or its size show is no photo to read (see {@link readImageFile}), is a failure of that
 * file; an abort stops promptly: the run ends after the images that finished, with `stats.cancelled` set.
 */
export async function* embedEach(
  engine: FaceEngine,
  files: readonly string[],
  options: EmbedFilesOptions = {},
  stats: EmbedRunStats = { cached: 0, cancelled: false },
): AsyncGenerator<ImageOutcome, void, undefined> {
  const cache = await EmbeddingCache.open(options.cacheDir, cacheKey(engine, options.attributes ?? false));
  const progress = startProgress(options.label ?? 'embedding', files.length, { quiet: options.quiet ?? false });
  let done = 0;
  try {
    for (const file of files) {
      let outcome: ImageOutcome;
      try {
        throwIfAborted(options.signal);
        outcome = await embedOne(engine, cache, file, options, stats);
      } catch (error: unknown) {
        if (!isAbortError(error)) throw error;
        stats.cancelled = true;
        return;
      }
      progress.update(++done, file.split('/').pop());
      yield outcome;
    }
  } finally {
    progress.stop();
  }
}

async function embedOne(engine: FaceEngine, cache: EmbeddingCache, file: string, options: EmbedFilesOptions, stats: EmbedRunStats): Promise<ImageOutcome> {
  let bytes: Uint8Array;
  try {
    bytes = await readImageFile(file);
  } catch (error: unknown) {
    return { ok: false, name: file, error: serializeError(error) };
  }
  const hash = await hashBytes(bytes);
  const hit = cache.get(hash, file);
  if (hit) {
    stats.cached++;
    return engine.reuse(hit);
  }
  // The hash computed for the cache lookup is passed on, so the engine does not hash the file again.
  const outcome = await engine.processImage({ name: file, bytes, hash }, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.attributes ? { attributes: true } : {}),
  });
  if (outcome.ok) await cache.put(outcome);
  return outcome;
}

/**
 * {@link embedEach}, collected: outcomes by path in input order, with `cancelled: true` when an abort stopped
 * the run (what finished is kept).
 */
export async function embedFiles(
  engine: FaceEngine,
  files: readonly string[],
  options: EmbedFilesOptions = {},
): Promise<{ outcomes: Map<string, ImageOutcome>; cancelled: boolean; cached: number }> {
  const stats: EmbedRunStats = { cached: 0, cancelled: false };
  const outcomes = new Map<string, ImageOutcome>();
  for await (const outcome of embedEach(engine, files, options, stats)) outcomes.set(outcome.name, outcome);
  return { outcomes, ...stats };
}

/** A failure's kind for summaries: its error code, plus the decode reason where there is one (`decode/empty`). */
export function failureKind(failure: ImageFailure): string {
  const reason = failure.error.details?.reason;
  return `${failure.error.code ?? failure.error.name}${typeof reason === 'string' ? `/${reason}` : ''}`;
}

/** Counts failures by kind (see {@link failureKind}), for summaries. */
export function failureSummary(outcomes: Iterable<ImageOutcome>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    if (o.ok) continue;
    const kind = failureKind(o);
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

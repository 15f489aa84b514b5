/**
 * Embeds a list of image files with the engine, through the content-hash cache, with progress. Shared by
 * `embed`, `verify` and `reproduce`.
 */
import { readFile } from 'node:fs/promises';
import { DecodeError, isAbortError, serializeError, throwIfAborted } from '../errors.ts';
import type { FaceEngine } from '../embedding/engine.ts';
import type { ImageOutcome } from '../embedding/types.ts';
import { hashBytes } from '../store/hash.ts';
import { EmbeddingCache } from './cache.ts';
import { startProgress } from './progress.ts';

/**
 * Bumped whenever a change to the pipeline (detection fallbacks, alignment, normalisation) changes results,
 * so cached embeddings from an older pipeline are not reused.
 */
export const PIPELINE_VERSION = 3;

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

/**
 * Embeds every file (all faces of each), reusing cached results, and returns outcomes by path in input order.
 * A file that cannot be read is a failure of that file; an abort stops promptly and returns what finished
 * with `cancelled: true`.
 */
export async function embedFiles(
  engine: FaceEngine,
  files: readonly string[],
  options: EmbedFilesOptions = {},
): Promise<{ outcomes: Map<string, ImageOutcome>; cancelled: boolean; cached: number }> {
  const cache = await EmbeddingCache.open(options.cacheDir, cacheKey(engine, options.attributes ?? false));
  const outcomes = new Map<string, ImageOutcome>();
  const progress = startProgress(options.label ?? 'embedding', files.length, { quiet: options.quiet ?? false });
  let cached = 0;
  try {
    for (const file of files) {
      throwIfAborted(options.signal);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(file);
      } catch (error: unknown) {
        const reason = new DecodeError(`${file}: cannot read the file (${(error as Error).message})`, { details: { reason: 'unreadable' } });
        outcomes.set(file, { ok: false, name: file, error: serializeError(reason) });
        progress.update(outcomes.size);
        continue;
      }
      const hash = bytes.length ? await hashBytes(bytes) : undefined;
      const hit = hash ? cache.get(hash, file) : undefined;
      if (hit) {
        cached++;
        outcomes.set(file, hit);
      } else {
        // The hash computed for the cache lookup is passed on, so the engine does not hash the file again.
        const outcome = await engine.processImage({ name: file, bytes, ...(hash ? { hash } : {}) }, {
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.attributes ? { attributes: true } : {}),
        });
        if (outcome.ok) await cache.put(outcome);
        outcomes.set(file, outcome);
      }
      progress.update(outcomes.size, file.split('/').pop());
    }
    return { outcomes, cancelled: false, cached };
  } catch (error: unknown) {
    if (isAbortError(error)) return { outcomes, cancelled: true, cached };
    throw error;
  } finally {
    progress.stop();
  }
}

/** Counts failures by kind (error code, plus the decode reason where there is one), for summaries. */
export function failureSummary(outcomes: Iterable<ImageOutcome>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    if (o.ok) continue;
    const reason = o.error.details?.reason;
    const kind = `${o.error.code ?? o.error.name}${typeof reason === 'string' ? `/${reason}` : ''}`;
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

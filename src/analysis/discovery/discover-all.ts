/**
 * The one call behind "What the embedding separates": builds the views of a set of faces and discovers
 * the ranked, described splits of the across-people and within-people views (and, when asked, of
 * each person on their own).
 */
import { throwIfAborted } from '../../errors.ts';
import type { Kernel } from '../../kernel/types.ts';
import { type DiscoverOptions, type ViewDiscovery, discoverSplits } from './discover.ts';
import { type MeasurableFace, measurementTable } from './measurements.ts';
import { type DiscoveryViews, type ViewOptions, buildViews } from './views.ts';

/** Faces to discover in. */
export interface DiscoveryInput {
  /** n × d L2-normalised embeddings. */
  vectors: Float32Array;
  d: number;
  /** Person per face; when absent the identity grouping decides. */
  persons?: ArrayLike<string | number>;
  /** The same faces' box, how found, heads and measures, to describe splits with. */
  faces?: readonly MeasurableFace[];
}

/** Options of {@link discoverAttributes}. */
export interface DiscoverAttributesOptions extends Omit<DiscoverOptions, 'measurements'>, Omit<ViewOptions, 'persons'> {
  /** Also discover within each person with enough faces (slower). Default false. */
  perPerson?: boolean;
  /** Called as each view is started and when all are done: `done` of `total` views, and the one starting. */
  onProgress?: (progress: DiscoveryProgress) => void;
}

/** How far {@link discoverAttributes} has come. */
export interface DiscoveryProgress {
  /** Views finished. */
  done: number;
  /** Views to look at (across, within, and each person when asked). */
  total: number;
  /** The view being looked at, in words; null when all are done. */
  view: string | null;
}

/** Splits of every view. A view with fewer than 8 points gives null. */
export interface AttributeDiscovery {
  views: DiscoveryViews;
  across: ViewDiscovery | null;
  within: ViewDiscovery | null;
  perPerson: ViewDiscovery[];
}

/**
 * Discovers what the embedding separates in a set of faces (see views.ts and discover.ts).
 * @throws InvalidInputError for a bad shape or mismatched persons/faces; an AbortError on abort.
 */
export async function discoverAttributes(kernel: Kernel, input: DiscoveryInput, options: DiscoverAttributesOptions = {}): Promise<AttributeDiscovery> {
  const views = buildViews(kernel, input.vectors, input.d, { ...options, ...(input.persons ? { persons: input.persons } : {}) });
  const measurements = input.faces ? measurementTable(input.faces) : undefined;
  const settings: DiscoverOptions = { ...options, ...(measurements ? { measurements } : {}) };
  const total = 2 + (options.perPerson ? views.perPerson.length : 0);
  let done = 0;
  const run = async (view: DiscoveryViews['across'] | null, words: string) => {
    throwIfAborted(options.signal);
    options.onProgress?.({ done, total, view: words });
    const found = view && view.vectors.length / view.d >= 8 ? await discoverSplits(kernel, view, settings) : null;
    done++;
    return found;
  };
  const across = await run(views.across, 'across people');
  const within = await run(views.within, 'within people');
  const perPerson: ViewDiscovery[] = [];
  if (options.perPerson) {
    for (const view of views.perPerson) {
      const found = await run(view, `within ${view.subject ?? 'one person'}`);
      if (found) perPerson.push(found);
    }
  }
  throwIfAborted(options.signal);
  options.onProgress?.({ done, total, view: null });
  return { views, across, within, perPerson };
}

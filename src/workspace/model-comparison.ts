/**
 * Two (or more) embedding models on the same photos (issue 16): each model's faces of the photos every compared
 * model has seen, its people (its own identity groups), and what its embedding separates there (discovery across
 * and within people), ranked, so a person can read the models' splits side by side. Reads only.
 */
import { discoverAttributes } from '../analysis/discovery/discover-all.ts';
import type { DiscoveredSplit } from '../analysis/discovery/discover.ts';
import { throwIfAborted } from '../errors.ts';
import type { ResidentKernel } from '../kernel/types.ts';
import type { FaceStore } from '../store/face-store.ts';
import type { ModelRecord } from '../store/types.ts';
import { FaceCollection } from './collection.ts';

/** Fewest shared faces per model worth comparing (discovery needs 8 points). */
export const MIN_FACES_TO_COMPARE = 8;

/** One ranked split as the comparison shows it. */
export interface ComparedSplit {
  rank: number;
  /** What describes it, in words; the method when nothing does. */
  description: string;
  /** 1 = the same split on every resample. */
  stability: number;
  sizes: [number, number];
}

/** One model's side of the comparison. */
export interface ModelSplits {
  modelId: string;
  /** Its faces on the shared photos. */
  faces: number;
  /** Its people among them (its own grouping by person; a face seen once is its own person). */
  people: number;
  /** The first splits across people (one point per person) and within people (each face minus its person's mean). */
  across: ComparedSplit[];
  within: ComparedSplit[];
}

/** The comparison: the photos every model has faces of, and each model's splits on them. */
export interface ModelComparison {
  photos: number;
  models: ModelSplits[];
}

const compared = (splits: readonly DiscoveredSplit[] | undefined, shown: number): ComparedSplit[] =>
  (splits ?? []).slice(0, shown).map((s) => ({ rank: s.rank, description: s.description?.text ?? s.methodLabel, stability: s.stability, sizes: s.sizes }));

/**
 * Compares `models` on the photos they all have faces of.
 * @param options.shown splits per view and model (default 3).
 * @returns undefined when fewer than two models have {@link MIN_FACES_TO_COMPARE} faces on shared photos.
 * @throws AbortError when `signal` aborts.
 */
export async function compareModels(
  kernel: ResidentKernel,
  store: FaceStore,
  models: readonly ModelRecord[],
  options: { signal?: AbortSignal; shown?: number } = {},
): Promise<ModelComparison | undefined> {
  const shown = options.shown ?? 3;
  const collections: FaceCollection[] = [];
  for (const m of models) collections.push(await FaceCollection.load(store, m.modelId, m.dimension, options.signal));
  const photoSets = collections.map((c) => new Set(c.faces.map((f) => f.photoHash)));
  const shared = [...(photoSets[0] ?? [])].filter((hash) => photoSets.every((set) => set.has(hash)));
  const sharedSet = new Set(shared);
  const sides: ModelSplits[] = [];
  for (const collection of collections) {
    throwIfAborted(options.signal);
    const faces = collection.faces.filter((f) => sharedSet.has(f.photoHash));
    if (faces.length < MIN_FACES_TO_COMPARE) continue;
    const personOf = new Map<string, string>();
    for (const group of await store.listIdentityGroups({ modelId: collection.modelId })) for (const id of group.faceIds) personOf.set(id, group.id);
    const persons = faces.map((f) => personOf.get(f.id) ?? f.id);
    const { vectors } = collection.matrix(faces.map((f) => f.id));
    const found = await discoverAttributes(kernel, { vectors, d: collection.dimension, persons, faces }, { seed: 0, ...(options.signal ? { signal: options.signal } : {}) });
    sides.push({
      modelId: collection.modelId, faces: faces.length, people: new Set(persons).size,
      across: compared(found.across?.splits, shown), within: compared(found.within?.splits, shown),
    });
  }
  return sides.length >= 2 ? { photos: shared.length, models: sides } : undefined;
}

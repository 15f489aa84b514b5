/**
 * What the element shows, computed from the in-memory collection with the analysis library: people
 * (identity groups) with a representative face, cluster runs and their views (galleries ordered most
 * representative first, a PCA projection, the silhouette curve), merges, the named groups' figures, and
 * probe assignments. Pure functions of their inputs (seeded), so a reload shows the same picture.
 */
import {
  assignFaces,
  chanceAccuracy,
  cluster,
  fisherScores,
  groupByIdentity,
  matchedAccuracy,
  projectPca2d,
  rankDimensions,
  representatives,
  silhouetteScore,
  stratifiedFolds,
  trainAssigner,
  type FaceAssigner,
} from '../analysis/index.ts';
import { matchGroups } from '../analysis/person-match.ts';
import { InvalidInputError } from '../errors.ts';
import type { Kernel } from '../kernel/types.ts';
import type { ClusterRun, IdentityGroup, KChoice, ProbeRecord, RunScope } from '../store/types.ts';
import type { FaceCollection } from './collection.ts';

/** A person: an identity group of at least two faces and its most typical face. */
export interface PersonView {
  group: IdentityGroup;
  /** The face nearest the group's mean. */
  representative: string;
}

/** The faces nearest the mean of `ids` first. */
function byRepresentativeness(kernel: Kernel, collection: FaceCollection, ids: readonly string[]): string[] {
  const { ids: known, vectors } = collection.matrix(ids);
  if (known.length <= 1) return known;
  const d = collection.dimension;
  const centroid = kernel.meanVariance(vectors, d).mean;
  const order = representatives(kernel, vectors, d, new Int32Array(known.length), centroid)[0] as number[];
  return order.map((i) => known[i] as string);
}

/**
 * Groups every face of the collection by person (threshold graph + Chinese whispers, seeded). Groups of one
 * face are not people; they are counted by the caller as faces seen once. Each new group that shares faces
 * with one of `previous` (the stored grouping) takes over that person's id, name and creation time (a
 * one-to-one matching that keeps the most faces, see matchGroups), so "Person 3" or a name given by hand
 * stays with the same person when photos are added or the grouping runs again; new people get the next free
 * "Person N".
 * @param now creation time stamped on new groups (epoch ms).
 * @param threshold the embedding model's same-person distance (its manifest's), default the default model's.
 * @param links the person's corrections as face pairs (see corrections.ts); pairs naming a face not in the
 *   collection are ignored.
 */
export function groupPeople(
  kernel: Kernel, collection: FaceCollection, now: number, previous: readonly IdentityGroup[] = [], threshold?: number,
  links: FaceLinks = {},
): PersonView[] {
  if (collection.size === 0) return [];
  const constraints = linkRows(collection, links);
  const { labels, groups } = groupByIdentity(kernel, collection.vectors, collection.dimension, { seed: 0, ...(threshold ? { threshold } : {}), constraints });
  const groupsOf: string[][] = Array.from({ length: groups }, () => []);
  labels.forEach((g, i) => (groupsOf[g] as string[]).push((collection.faces[i] as { id: string }).id));
  const members = groupsOf.filter((ids) => ids.length >= 2);
  const match = matchGroups(previous, members.map((faceIds) => ({ faceIds })));
  const taken = new Set(match.from.flatMap((p) => (p >= 0 ? [(previous[p] as IdentityGroup).name] : [])));
  const people = sortPeople(members.map((ids, n) => {
    const ordered = byRepresentativeness(kernel, collection, ids);
    const kept = (match.from[n] as number) >= 0 ? previous[match.from[n] as number] as IdentityGroup : undefined;
    return {
      group: { id: match.ids[n] as string, modelId: collection.modelId, name: kept?.name ?? '', createdAt: kept?.createdAt ?? now, faceIds: ordered },
      representative: ordered[0] as string,
    };
  }));
  // New people are numbered in the order they are shown, after the numbers people already keep.
  let next = 1;
  for (const p of people) {
    if (p.group.name !== '') continue;
    while (taken.has(`Person ${next}`)) next++;
    p.group.name = `Person ${next}`;
    taken.add(p.group.name);
  }
  return people;
}

/** Must-links and cannot-links between faces, by face id. */
export interface FaceLinks {
  mustLink?: ReadonlyArray<readonly [string, string]>;
  cannotLink?: ReadonlyArray<readonly [string, string]>;
}

/** Face-id pairs as row pairs of the collection, leaving out pairs with a face it does not hold. */
function linkRows(collection: FaceCollection, links: FaceLinks): { mustLink: [number, number][]; cannotLink: [number, number][] } {
  const rows = (pairs: ReadonlyArray<readonly [string, string]> = []): [number, number][] => pairs.flatMap(([a, b]) => {
    const i = collection.row(a);
    const j = collection.row(b);
    return i === undefined || j === undefined ? [] : [[i, j] as [number, number]];
  });
  return { mustLink: rows(links.mustLink), cannotLink: rows(links.cannotLink) };
}

/** People from stored identity groups (their faceIds were saved most representative first). */
export function peopleFromGroups(groups: readonly IdentityGroup[], collection: FaceCollection): PersonView[] {
  return sortPeople(groups
    .map((group) => ({ group, representative: group.faceIds.find((id) => collection.row(id) !== undefined) }))
    .filter((p): p is PersonView => p.representative !== undefined));
}

/** The order people are shown in, the same after grouping and after a reload: most faces first, then by id. */
function sortPeople(people: PersonView[]): PersonView[] {
  return people.sort((a, b) => b.group.faceIds.length - a.group.faceIds.length || (a.group.id < b.group.id ? -1 : a.group.id > b.group.id ? 1 : 0));
}

/** Options for {@link runClustering}. */
export interface ClusteringRequest {
  scope: RunScope;
  faceIds: readonly string[];
  /** A number of clusters, or 'auto' (silhouette over 2 … 8). */
  k: number | 'auto';
  seed: number;
  id: string;
  now: number;
  /** Checked between the k values searched (the clustering itself is synchronous). */
  signal?: AbortSignal;
}

/** Fewest faces a clustering accepts: the silhouette needs k ≤ n − 1 with k ≥ 2. */
export const MIN_FACES_TO_CLUSTER = 3;

/**
 * Clusters the given faces (k-means, 10 restarts; k set or chosen by silhouette) into a storable run. The
 * silhouette curve is kept in the run's `kChoice`, so it survives a reload.
 * @throws InvalidInputError with fewer than {@link MIN_FACES_TO_CLUSTER} faces or k outside [1, faces];
 *   an AbortError when `request.signal` is aborted.
 */
export function runClustering(kernel: Kernel, collection: FaceCollection, request: ClusteringRequest): ClusterRun {
  const { ids, vectors } = collection.matrix(request.faceIds);
  const d = collection.dimension;
  if (ids.length < MIN_FACES_TO_CLUSTER) {
    throw new InvalidInputError(`clustering needs at least ${MIN_FACES_TO_CLUSTER} faces; this selection has ${ids.length}`);
  }
  // The search below checks the signal between k values; a set k has no such point, so check once here.
  request.signal?.throwIfAborted();
  const auto = request.k === 'auto';
  const result = cluster(kernel, vectors, d, {
    k: auto ? 'auto' : Math.min(request.k as number, ids.length),
    kRange: { min: 2, max: Math.min(8, ids.length - 1) },
    seed: request.seed,
    restarts: 10,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const scores: Record<string, number> = { inertia: result.inertia };
  const kChoice: KChoice = auto ? { kind: 'auto', curve: (result.silhouetteCurve ?? []).map((p) => ({ k: p.k, score: p.silhouette })) } : { kind: 'set' };
  const silhouette = silhouetteOf(kernel, vectors, d, result.labels);
  if (silhouette !== null) scores.silhouette = silhouette;
  return {
    id: request.id,
    modelId: collection.modelId,
    createdAt: request.now,
    scope: request.scope,
    k: result.k,
    seed: request.seed,
    faceIds: ids,
    labels: result.labels,
    centroids: result.centroids,
    kChoice,
    scores,
  };
}

/** Mean silhouette, or null when there are fewer than two non-empty clusters. */
function silhouetteOf(kernel: Kernel, vectors: Float32Array, d: number, labels: Int32Array): number | null {
  if (new Set(labels).size < 2) return null;
  return silhouetteScore(kernel, vectors, d, labels, { seed: 0 });
}

/** The silhouette curve of a run whose k was searched, by k (empty otherwise). */
export function curveOf(run: ClusterRun): { k: number; silhouette: number }[] {
  return run.kChoice.kind === 'auto' ? run.kChoice.curve.map((p) => ({ k: p.k, silhouette: p.score })) : [];
}

/** What the galleries and the scatter plot show for a run. */
export interface ClusterView {
  run: ClusterRun;
  /** Per cluster, its face ids, most representative (nearest the centroid) first. */
  members: string[][];
  /** Faces in scatter order, with their cluster and 2-D position (PCA; empty with fewer than 2 faces). */
  ids: string[];
  labels: Int32Array;
  points: Float32Array;
  /** Share of variance on the two axes. */
  explained: [number, number];
}

/** Builds the view of a run over the faces still in the collection. */
export function clusterView(kernel: Kernel, collection: FaceCollection, run: ClusterRun): ClusterView {
  const d = collection.dimension;
  const labelOf = new Map(run.faceIds.map((id, i) => [id, run.labels[i] as number]));
  const { ids, vectors } = collection.matrix(run.faceIds);
  const labels = Int32Array.from(ids, (id) => labelOf.get(id) as number);
  const members = ids.length > 0
    ? representatives(kernel, vectors, d, labels, run.centroids).map((rows) => rows.map((r) => ids[r] as string))
    : Array.from({ length: run.k }, () => []);
  if (ids.length < 2) return { run, members, ids, labels, points: new Float32Array(ids.length * 2), explained: [0, 0] };
  const projection = projectPca2d(kernel, vectors, d);
  return { run, members, ids, labels, points: projection.points, explained: projection.explainedVarianceRatio };
}

/**
 * Merges clusters of a run into one (the lowest index), renumbering the rest in order and recomputing the
 * merged centroid and the silhouette. Names follow their clusters; the merged cluster keeps the first name
 * among those merged. The merged run's k was set by the merge, so the silhouette search is not carried
 * over; its `kChoice` says it was merged from `run`.
 * @throws InvalidInputError for fewer than two distinct clusters or an index outside [0, k).
 */
export function mergeClusters(
  kernel: Kernel, collection: FaceCollection, run: ClusterRun, merged: readonly number[], names: ReadonlyMap<number, string>,
  request: { id: string; now: number },
): { run: ClusterRun; names: Map<number, string> } {
  const chosen = [...new Set(merged)].sort((a, b) => a - b);
  if (chosen.length < 2) throw new InvalidInputError(`merging needs two or more clusters; got ${chosen.length}`);
  for (const c of chosen) {
    if (!Number.isInteger(c) || c < 0 || c >= run.k) throw new InvalidInputError(`cluster ${c} is not in [0, ${run.k})`);
  }
  const target = chosen[0] as number;
  const mapping = new Map<number, number>();
  let next = 0;
  for (let c = 0; c < run.k; c++) {
    if (chosen.includes(c) && c !== target) continue;
    mapping.set(c, next++);
  }
  for (const c of chosen) mapping.set(c, mapping.get(target) as number);
  const k = next;
  const labels = run.labels.map((l) => mapping.get(l) as number);
  const d = collection.dimension;
  const { ids, vectors } = collection.matrix(run.faceIds);
  const labelOf = new Map(run.faceIds.map((id, i) => [id, labels[i] as number]));
  const centroids = new Float32Array(k * d);
  const counts = new Float64Array(k);
  ids.forEach((id, i) => {
    const l = labelOf.get(id) as number;
    counts[l] = (counts[l] as number) + 1;
    for (let j = 0; j < d; j++) centroids[l * d + j] = (centroids[l * d + j] as number) + (vectors[i * d + j] as number);
  });
  for (let l = 0; l < k; l++) {
    const c = counts[l] as number;
    if (c > 0) for (let j = 0; j < d; j++) centroids[l * d + j] = (centroids[l * d + j] as number) / c;
    else centroids.set(run.centroids.subarray(l * d, (l + 1) * d), l * d);
  }
  // The old run's inertia and silhouette search describe clusters that no longer exist.
  const scores: Record<string, number> = {};
  const silhouette = silhouetteOf(kernel, vectors, d, Int32Array.from(ids, (id) => labelOf.get(id) as number));
  if (silhouette !== null) scores.silhouette = silhouette;
  const newNames = new Map<number, string>();
  for (const c of [...names.keys()].sort((a, b) => a - b)) {
    const to = mapping.get(c);
    if (to !== undefined && !newNames.has(to)) newNames.set(to, names.get(c) as string);
  }
  return {
    run: { ...run, id: request.id, createdAt: request.now, k, labels, centroids, kChoice: { kind: 'merged', from: [run.id] }, scores },
    names: newNames,
  };
}

/** A distinct name and the faces of every cluster that carries it. */
export interface NamedClusters {
  name: string;
  clusters: number[];
  faceIds: string[];
}

/** The distinct names of a run's clusters, in cluster order; clusters sharing a name form one group. */
export function namedGroups(view: ClusterView, names: ReadonlyMap<number, string>): NamedClusters[] {
  const groups = new Map<string, NamedClusters>();
  for (let c = 0; c < view.run.k; c++) {
    const name = names.get(c)?.trim();
    if (!name) continue;
    let group = groups.get(name);
    if (!group) groups.set(name, (group = { name, clusters: [], faceIds: [] }));
    group.clusters.push(c);
    group.faceIds.push(...(view.members[c] ?? []));
  }
  return [...groups.values()].filter((g) => g.faceIds.length > 0);
}

/** How well the named groups separate, and the assigner that probes new faces. */
export interface NamedGroupFigures {
  groups: { name: string; faces: number }[];
  /** k-means (k = groups) matched accuracy on the named faces. */
  accuracy: number;
  /** Its chance level (labels shuffled, mean of 20). */
  chance: number;
  /** Cross-validated linear-probe accuracy, or null when a group has fewer than 2 faces. */
  probeCeiling: number | null;
  /** Fisher score per dimension. */
  fisher: Float64Array;
  /** Dimensions by decreasing Fisher score. */
  ranking: number[];
  assigner: FaceAssigner;
}

/**
 * Figures for two or more named groups: Fisher scores, unsupervised accuracy and chance, the probe ceiling,
 * and an assigner trained on every named face.
 * @throws InvalidInputError with fewer than two groups.
 */
export function groupFigures(kernel: Kernel, collection: FaceCollection, groups: readonly NamedClusters[], seed: number): NamedGroupFigures {
  if (groups.length < 2) throw new InvalidInputError(`figures need two or more named groups; got ${groups.length}`);
  const d = collection.dimension;
  const parts = groups.map((g) => collection.matrix(g.faceIds));
  const classes: number[] = [];
  parts.forEach((p, c) => p.ids.forEach(() => classes.push(c)));
  const all = new Float32Array(classes.length * d);
  let offset = 0;
  for (const p of parts) {
    all.set(p.vectors, offset);
    offset += p.vectors.length;
  }
  const fisher = fisherScores(all, d, classes);
  const { labels } = kernel.kmeans(all, d, { k: groups.length, seed, restarts: 10 });
  const accuracy = matchedAccuracy(classes, labels).accuracy;
  const chance = chanceAccuracy(classes, labels, seed, 20);
  const named = groups.map((g, c) => ({ name: g.name, vectors: (parts[c] as { vectors: Float32Array }).vectors }));
  return {
    groups: groups.map((g, c) => ({ name: g.name, faces: (parts[c] as { ids: string[] }).ids.length })),
    accuracy,
    chance,
    probeCeiling: probeCeiling(kernel, all, d, classes, groups.map((g) => g.name), seed),
    fisher,
    ranking: rankDimensions(fisher),
    assigner: trainAssigner(kernel, named, d),
  };
}

/** Stratified k-fold accuracy (k = min(5, smallest group)) of the assigner's linear probe. */
function probeCeiling(kernel: Kernel, data: Float32Array, d: number, classes: number[], names: string[], seed: number): number | null {
  const sizes = names.map((_, c) => classes.filter((x) => x === c).length);
  const folds = Math.min(5, ...sizes);
  if (folds < 2) return null;
  const fold = stratifiedFolds(classes, folds, seed);
  let correct = 0;
  for (let f = 0; f < folds; f++) {
    const test: number[] = [];
    const train: Float32Array[][] = names.map(() => []);
    classes.forEach((c, i) => {
      const row = data.subarray(i * d, (i + 1) * d);
      if (fold[i] === f) test.push(i);
      else (train[c] as Float32Array[]).push(row);
    });
    const assigner = trainAssigner(kernel, names.map((name, c) => ({ name, vectors: concatRows(train[c] as Float32Array[], d) })), d);
    const testRows = concatRows(test.map((i) => data.subarray(i * d, (i + 1) * d)), d);
    assignFaces(kernel, assigner, testRows).forEach((a, r) => {
      if (a.probe.index === classes[test[r] as number]) correct++;
    });
  }
  return correct / classes.length;
}

function concatRows(rows: readonly Float32Array[], d: number): Float32Array {
  const out = new Float32Array(rows.length * d);
  rows.forEach((row, i) => out.set(row, i * d));
  return out;
}

/** The named groups and their trained probe as a storable record (one per run). */
export function probeRecord(run: ClusterRun, groups: readonly NamedClusters[], figures: NamedGroupFigures, now: number): ProbeRecord {
  const { assigner } = figures;
  const d = assigner.d;
  const weights = new Float32Array(assigner.probes.length * d);
  assigner.probes.forEach((p, i) => weights.set(p.weights, i * d));
  return {
    id: `probe:${run.id}`,
    modelId: run.modelId,
    runId: run.id,
    name: groups.map((g) => g.name).join(' / '),
    createdAt: now,
    groups: groups.map((g) => ({ name: g.name, faceIds: g.faceIds })),
    trained: {
      weights,
      bias: Float32Array.from(assigner.probes, (p) => p.intercept),
      mean: assigner.standardization.mean,
      std: assigner.standardization.variance.map(Math.sqrt),
      classes: assigner.names,
    },
    metrics: {
      accuracy: figures.accuracy,
      chance: figures.chance,
      ...(figures.probeCeiling === null ? {} : { probeCeiling: figures.probeCeiling }),
    },
  };
}

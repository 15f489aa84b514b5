/**
 * The records section of an export file, checked whole before anything is written: every record's
 * shape (as it is decoded), keys unique within the file, photos and faces listing each other, runs' centroids of one
 * dimension, cluster names inside their run's k, vectors only for the file's faces. What needs the store
 * (face ids the file does not hold, photos already stored) is checked by the import's transaction.
 */
import { decodeLists, type ListSpec } from './codec.ts';
import { ImportFailure, refuse } from './import-failure.ts';
import { restrictFaceIds, v1Upgrades } from './legacy.ts';
import type { CorrectionRecord } from './correction-record.ts';
import type { ClusterName, ClusterRun, FaceRecord, IdentityGroup, PhotoRecord, ProbeRecord } from './types.ts';
import {
  validateClusterName,
  validateCorrection,
  validateFace,
  validateIdentityGroup,
  validatePhoto,
  validateProbe,
  validateRun,
} from './validate.ts';

/** Everything an export file carries besides the vectors themselves. */
export interface ExportRecords {
  photos: PhotoRecord[];
  faces: FaceRecord[];
  runs: ClusterRun[];
  clusterNames: ClusterName[];
  probes: ProbeRecord[];
  identityGroups: IdentityGroup[];
  /** Corrections of the grouping by person (absent from files written before they existed). */
  corrections?: CorrectionRecord[];
  /** One face id per vector, in row order. */
  embeddingFaceIds: string[];
}

/** {@link ExportRecords} after {@link checkRecords}. */
export interface CheckedRecords extends ExportRecords {
  /** The dimension the runs' centroids and trained probes have (undefined when the file has neither). */
  analysisDimension: number | undefined;
  /** Face ids that runs, probes and identity groups name but the file does not hold: the store must. */
  outsideFaceIds: Set<string>;
}

/** What the header declared. */
export interface DeclaredCounts {
  modelId: string;
  /** The vectors' dimension; 0 when there are none. */
  dimension: number;
  vectors: number;
  counts: { photos: number; faces: number; runs: number; clusterNames: number; probes: number; identityGroups: number };
}

/** Refuses the second record of `records` with a key already seen. */
function unique<T>(records: readonly T[], key: (record: T) => string, what: string): void {
  const seen = new Set<string>();
  records.forEach((record, i) => {
    const k = key(record);
    if (seen.has(k)) refuse(ImportFailure.InvalidRecord, `${what}[${i}] repeats the key ${k} of an earlier record in the file`);
    seen.add(k);
  });
}

const invalid = (message: string): never => refuse(ImportFailure.InvalidRecord, message);

/**
 * Decodes and checks an export file's records section against its header: each record's shape as soon as
 * it is read (see codec.ts's decodeLists), then everything that relates records to each other.
 * @param version the file's format version (1 is upgraded record by record).
 * @throws InvalidInputError with details.reason an ImportFailure.
 */
export function readRecords(bytes: Uint8Array, h: DeclaredCounts, version: number): CheckedRecords {
  const up = version === 1 ? v1Upgrades(h.modelId) : undefined;
  const spec = <T>(count: number | undefined, check: (value: unknown, path: string) => T, name: string, upgrade?: (item: unknown) => unknown): ListSpec => ({
    count,
    item: (value, i) => check(upgrade ? upgrade(value) : value, `${name}[${i}]`),
  });
  const faceIdItem = (value: unknown, path: string): string => {
    if (typeof value !== 'string') invalid(`${path} is not a face id`);
    return value as string;
  };
  const lists = decodeLists(bytes, {
    photos: spec(h.counts.photos, validatePhoto, 'photos', up?.photos),
    faces: spec(h.counts.faces, validateFace, 'faces', up?.faces),
    runs: spec(h.counts.runs, validateRun, 'runs', up?.runs),
    clusterNames: spec(h.counts.clusterNames, validateClusterName, 'clusterNames'),
    probes: spec(h.counts.probes, validateProbe, 'probes', up?.probes),
    identityGroups: spec(h.counts.identityGroups, validateIdentityGroup, 'identityGroups', up?.identityGroups),
    embeddingFaceIds: spec(h.vectors, faceIdItem, 'embeddingFaceIds', up?.embeddingFaceIds),
    // Not counted in the header (the list came after the header's layout was fixed): any length, or absent.
    corrections: { ...spec(undefined, validateCorrection, 'corrections'), optional: true },
  });
  const records = lists as unknown as ExportRecords;
  if (up) {
    const held = new Set(records.faces.map((f) => f.id));
    records.photos = records.photos.map((p) => restrictFaceIds(p, held));
  }
  return checkRecords(records, h);
}

/** Checks how the records of a file relate to each other (each record's own shape is already checked). */
function checkRecords(records: ExportRecords, h: DeclaredCounts): CheckedRecords {
  const { photos, faces, runs, clusterNames, probes, identityGroups, embeddingFaceIds } = records;
  const corrections = records.corrections ?? [];
  unique(corrections, (c) => c.id, 'corrections');
  corrections.forEach((c, i) => {
    if (c.modelId !== h.modelId) invalid(`corrections[${i}] belongs to model '${c.modelId}', not the file's '${h.modelId}'`);
  });
  unique(photos, (p) => p.hash, 'photos');
  unique(faces, (f) => f.id, 'faces');
  unique(runs, (x) => x.id, 'runs');
  unique(clusterNames, (n) => `[${n.runId}, ${n.cluster}]`, 'clusterNames');
  unique(probes, (x) => x.id, 'probes');
  unique(identityGroups, (x) => x.id, 'identityGroups');

  const photoByHash = new Map(photos.map((p) => [p.hash, p]));
  const faceIds = new Set(faces.map((f) => f.id));
  faces.forEach((f, i) => {
    if (f.modelId !== h.modelId) invalid(`faces[${i}] belongs to model '${f.modelId}', not the file's '${h.modelId}'`);
    const photo = photoByHash.get(f.photoHash);
    if (!photo) return invalid(`faces[${i}] refers to photo ${f.photoHash}, which the file does not hold`);
    if (!photo.faceIds.includes(f.id)) invalid(`faces[${i}] (${f.id}) is not listed in its photo's faceIds`);
  });
  photos.forEach((p, i) => {
    p.faceIds.forEach((id, j) => {
      if (!faceIds.has(id)) invalid(`photos[${i}].faceIds[${j}] is ${id}, not a face in the file`);
    });
  });
  const seen = new Set<string>();
  embeddingFaceIds.forEach((id, i) => {
    if (!faceIds.has(id)) invalid(`embeddingFaceIds[${i}] is ${JSON.stringify(id)}, not a face in the file`);
    if (seen.has(id)) invalid(`face ${id} has more than one vector`);
    seen.add(id);
  });

  let analysisDimension: number | undefined;
  const dimensionOf = (d: number, what: string): void => {
    const expected = h.dimension > 0 ? h.dimension : analysisDimension;
    if (expected !== undefined && d !== expected) {
      refuse(ImportFailure.WrongDimension, `${what} has dimension ${d}, but the file's ${h.dimension > 0 ? 'vectors have' : 'other analyses have'} ${expected}`, { expected, got: d });
    }
    analysisDimension = d;
  };
  const runsById = new Map(runs.map((run) => [run.id, run]));
  runs.forEach((run, i) => {
    if (run.modelId !== h.modelId) invalid(`runs[${i}] belongs to model '${run.modelId}', not '${h.modelId}'`);
    dimensionOf(run.centroids.length / run.k, `runs[${i}] (${run.centroids.length} centroid floats for k = ${run.k})`);
  });
  clusterNames.forEach((n, i) => {
    const run = runsById.get(n.runId);
    if (!run) return invalid(`clusterNames[${i}] names a cluster of run '${n.runId}', which the file does not hold`);
    if (n.cluster >= run.k) invalid(`clusterNames[${i}] names cluster ${n.cluster} of a run with k = ${run.k} (clusters 0 to ${run.k - 1})`);
  });
  probes.forEach((probe, i) => {
    if (probe.trained) dimensionOf(probe.trained.weights.length / probe.trained.bias.length, `probes[${i}].trained`);
    if (probe.runId !== undefined && !runsById.has(probe.runId)) invalid(`probes[${i}] was trained on run '${probe.runId}', which the file does not hold`);
  });
  for (const [i, x] of [...probes, ...identityGroups].entries()) {
    if (x.modelId !== h.modelId) invalid(`probe or identity group ${i} ('${x.id}') belongs to model '${x.modelId}', not '${h.modelId}'`);
  }
  const outsideFaceIds = new Set<string>();
  const named = (ids: readonly string[]): void => {
    for (const id of ids) if (!faceIds.has(id)) outsideFaceIds.add(id);
  };
  runs.forEach((run) => named(run.faceIds));
  probes.forEach((probe) => probe.groups.forEach((g) => named(g.faceIds)));
  identityGroups.forEach((group) => named(group.faceIds));
  return { photos, faces, runs, clusterNames, probes, identityGroups, corrections, embeddingFaceIds, analysisDimension, outsideFaceIds };
}

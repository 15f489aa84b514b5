/**
 * Conversions from the records of schema v2 and export format 1 to today's: face ids without the model
 * (`${photoHash}:${index}`) and a run's k choice kept as string keys in `scores` (`curve:<k>`, `auto`,
 * `merged`). Used by the v3 migration and by the import of old export files.
 */
import { faceId, type KChoice } from './types.ts';

const LEGACY_FACE_ID = /^([0-9a-f]{64}):(\d+)$/;

/**
 * The face id of today for a v2 face id of model `modelId`; an id of another shape is returned as it is
 * (it is already of today's shape, or it never named a face).
 */
export function upgradeFaceId(id: string, modelId: string): string {
  const match = LEGACY_FACE_ID.exec(id);
  return match ? faceId(match[1] as string, modelId, Number(match[2])) : id;
}

/** {@link upgradeFaceId} over a list. */
export function upgradeFaceIds(ids: readonly string[], modelId: string): string[] {
  return ids.map((id) => upgradeFaceId(id, modelId));
}

/**
 * Splits a v2 run's scores into its k choice and the quality figures that remain: `curve:<k>` entries and
 * `auto: 1` mean k was searched (a curve without `auto` too: older runs had no flag), `merged: 1` that it came
 * from a merge (of runs no longer known), anything else that it was set.
 */
export function kChoiceFromScores(scores: Readonly<Record<string, number>>): { kChoice: KChoice; scores: Record<string, number> } {
  const rest: Record<string, number> = {};
  const curve: { k: number; score: number }[] = [];
  for (const [key, value] of Object.entries(scores)) {
    if (key.startsWith('curve:') && /^\d+$/.test(key.slice(6))) curve.push({ k: Number(key.slice(6)), score: value });
    else if (key !== 'auto' && key !== 'merged') rest[key] = value;
  }
  curve.sort((a, b) => a.k - b.k);
  const kChoice: KChoice =
    scores.merged === 1 ? { kind: 'merged', from: [] } : scores.auto === 1 || curve.length > 0 ? { kind: 'auto', curve } : { kind: 'set' };
  return { kChoice, scores: rest };
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The lists of an export file's records section that hold records of format 1. */
export type V1List = 'photos' | 'faces' | 'runs' | 'probes' | 'identityGroups' | 'embeddingFaceIds';

/**
 * Per-item upgrades of an export file of format 1 (model `modelId`) to today's shape, applied as each item
 * is decoded: face ids keyed by the model, runs with a `kChoice`, probes named `probe:<runId>` (of a run
 * read before) with their `runId`. Anything not of the expected shape is returned as it is for validation to
 * refuse. Photos still list every face they had: see {@link restrictFaceIds}.
 */
export function v1Upgrades(modelId: string): Record<V1List, (item: unknown) => unknown> {
  const ids = (v: unknown): unknown => (strings(v) ? upgradeFaceIds(v, modelId) : v);
  const runIds = new Set<unknown>();
  const upgrade = (f: (record: Loose) => Loose) => (item: unknown): unknown => (isObject(item) ? f(item) : item);
  return {
    photos: upgrade((p) => ({ ...p, faceIds: ids(p.faceIds) })),
    faces: upgrade((f) => ({ ...f, id: typeof f.id === 'string' ? upgradeFaceId(f.id, modelId) : f.id })),
    runs: upgrade((r) => {
      runIds.add(r.id);
      const scores = isObject(r.scores) && Object.values(r.scores).every((x) => typeof x === 'number') ? kChoiceFromScores(r.scores as Record<string, number>) : {};
      return { ...r, faceIds: ids(r.faceIds), ...scores };
    }),
    probes: upgrade((p) => {
      const runId = typeof p.id === 'string' && p.id.startsWith('probe:') ? p.id.slice(6) : undefined;
      return {
        ...p,
        groups: Array.isArray(p.groups) ? p.groups.map((g: unknown) => (isObject(g) ? { ...g, faceIds: ids(g.faceIds) } : g)) : p.groups,
        ...(p.runId === undefined && runId !== undefined && runIds.has(runId) ? { runId } : {}),
      };
    }),
    identityGroups: upgrade((g) => ({ ...g, faceIds: ids(g.faceIds) })),
    embeddingFaceIds: (id) => (typeof id === 'string' ? upgradeFaceId(id, modelId) : id),
  };
}

/**
 * Format 1 photos listed the faces of whatever model found them, the file holding one model's: keeps the
 * ids of faces in `held` (the photo itself when all are).
 */
export function restrictFaceIds<T extends { faceIds: string[] }>(photo: T, held: ReadonlySet<string>): T {
  return photo.faceIds.every((id) => held.has(id)) ? photo : { ...photo, faceIds: photo.faceIds.filter((id) => held.has(id)) };
}

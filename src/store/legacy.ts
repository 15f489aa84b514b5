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

/**
 * The records section of an export file of format 1 (model `modelId`), in today's shape: face ids keyed by
 * the model, photos listing only the file's faces, runs with a `kChoice`, probes named `probe:<runId>` with
 * their `runId`. Anything not of the expected shape is left as it is for validation to refuse.
 */
export function upgradeV1Records(value: unknown, modelId: string): unknown {
  if (!isObject(value)) return value;
  const map = (list: unknown, f: (record: Loose) => Loose): unknown => (Array.isArray(list) ? list.map((r) => (isObject(r) ? f(r) : r)) : list);
  const ids = (v: unknown): unknown => (strings(v) ? upgradeFaceIds(v, modelId) : v);
  const faces = map(value.faces, (f) => ({ ...f, id: typeof f.id === 'string' ? upgradeFaceId(f.id, modelId) : f.id }));
  const inFile = new Set(Array.isArray(faces) ? faces.map((f) => (isObject(f) ? f.id : undefined)) : []);
  const runs = map(value.runs, (r) => {
    const scores = isObject(r.scores) && Object.values(r.scores).every((x) => typeof x === 'number') ? kChoiceFromScores(r.scores as Record<string, number>) : {};
    return { ...r, faceIds: ids(r.faceIds), ...scores };
  });
  const runIds = new Set(Array.isArray(runs) ? runs.map((r) => (isObject(r) ? r.id : undefined)) : []);
  return {
    ...value,
    photos: map(value.photos, (p) => ({ ...p, faceIds: strings(p.faceIds) ? upgradeFaceIds(p.faceIds, modelId).filter((id) => inFile.has(id)) : p.faceIds })),
    faces,
    runs,
    probes: map(value.probes, (p) => {
      const runId = typeof p.id === 'string' && p.id.startsWith('probe:') ? p.id.slice(6) : undefined;
      return {
        ...p,
        groups: map(p.groups, (g) => ({ ...g, faceIds: ids(g.faceIds) })),
        ...(p.runId === undefined && runId !== undefined && runIds.has(runId) ? { runId } : {}),
      };
    }),
    identityGroups: map(value.identityGroups, (g) => ({ ...g, faceIds: ids(g.faceIds) })),
    embeddingFaceIds: ids(value.embeddingFaceIds),
  };
}

/**
 * The data step of schema v3, run inside the upgrade transaction: faces are re-keyed by model
 * (`${photoHash}:${index}` → {@link faceId}), every record that names faces follows (photos, embedding
 * chunks, runs, identity groups, probes), runs get a typed {@link KChoice} instead of the `curve:<k>`,
 * `auto` and `merged` score keys, and probes named `probe:<runId>` get their `runId`. Every record is kept.
 */
import type { IDBPTransaction, StoreNames } from 'idb';
import { kChoiceFromScores, upgradeFaceId, upgradeFaceIds } from './legacy.ts';
import type { ChunkV4 } from './migrate-v5.ts';
import type { FaceDbSchema } from './schema.ts';
import { faceId, type ClusterRun, type EmbeddingChunk, type FaceRecord } from './types.ts';

type UpgradeTx = IDBPTransaction<FaceDbSchema, StoreNames<FaceDbSchema>[], 'versionchange'>;

/** Rewrites every record of `store` that `change` returns a new value for (undefined: keep it as it is). */
async function rewrite<S extends 'photos' | 'runs' | 'identityGroups' | 'probes'>(
  tx: UpgradeTx,
  store: S,
  change: (value: FaceDbSchema[S]['value']) => FaceDbSchema[S]['value'] | undefined,
): Promise<void> {
  let cursor = await tx.objectStore(store).openCursor();
  while (cursor) {
    const next = change(cursor.value);
    if (next !== undefined) await cursor.update(next);
    cursor = await cursor.continue();
  }
}

/** Moves every face to its model-keyed id; returns old id → new id. */
async function rekeyFaces(tx: UpgradeTx): Promise<Map<string, string>> {
  const moved = new Map<string, string>();
  const faces = tx.objectStore('faces');
  const rekeyed: FaceRecord[] = [];
  let cursor = await faces.openCursor();
  while (cursor) {
    const face = cursor.value;
    const id = faceId(face.photoHash, face.modelId, face.index);
    if (id !== face.id) {
      moved.set(face.id, id);
      rekeyed.push({ ...face, id });
      await cursor.delete();
    }
    cursor = await cursor.continue();
  }
  // Written after the scan so the cursor never meets a moved face again.
  for (const face of rekeyed) await faces.put(face);
  return moved;
}

/** Schema v3's data step (see the module comment). */
export async function migrateToV3(tx: UpgradeTx): Promise<void> {
  const moved = await rekeyFaces(tx);
  await rewrite(tx, 'photos', (photo) =>
    photo.faceIds.some((id) => moved.has(id)) ? { ...photo, faceIds: photo.faceIds.map((id) => moved.get(id) ?? id) } : undefined,
  );
  // Chunks still have v1–v4's shape here (schema v5's step runs after this one).
  let chunks = await tx.objectStore('embeddings').openCursor();
  while (chunks) {
    const chunk = chunks.value as unknown as ChunkV4;
    await chunks.update({ ...chunk, faceIds: upgradeFaceIds(chunk.faceIds, chunk.modelId) } as unknown as EmbeddingChunk);
    chunks = await chunks.continue();
  }
  const runIds = new Set<string>();
  await rewrite(tx, 'runs', (run) => {
    runIds.add(run.id);
    const old = run as ClusterRun & { kChoice?: ClusterRun['kChoice'] };
    const choice = old.kChoice === undefined ? kChoiceFromScores(run.scores) : { kChoice: old.kChoice, scores: run.scores };
    return { ...run, ...choice, faceIds: upgradeFaceIds(run.faceIds, run.modelId) };
  });
  await rewrite(tx, 'identityGroups', (group) => ({ ...group, faceIds: upgradeFaceIds(group.faceIds, group.modelId) }));
  await rewrite(tx, 'probes', (probe) => {
    const runId = probe.id.startsWith('probe:') ? probe.id.slice(6) : undefined;
    return {
      ...probe,
      groups: probe.groups.map((g) => ({ ...g, faceIds: g.faceIds.map((id) => upgradeFaceId(id, probe.modelId)) })),
      ...(probe.runId === undefined && runId !== undefined && runIds.has(runId) ? { runId } : {}),
    };
  });
}

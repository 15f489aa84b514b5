/**
 * The data step of schema v5, run inside the upgrade transaction: every embedding chunk is rewritten
 * from the v1–v4 shape ({@link ChunkV4}: an array of face ids and a Float32Array) to v5's
 * {@link EmbeddingChunk} (the ids packed into one string, the vectors' bytes in a Blob). Every chunk is
 * kept, under the same key, with the same rows in the same order; nothing else changes.
 */
import type { IDBPTransaction, StoreNames } from 'idb';
import { packFaceIds, vectorsBlob } from './embeddings.ts';
import type { FaceDbSchema } from './schema.ts';
import type { EmbeddingChunk } from './types.ts';

type UpgradeTx = IDBPTransaction<FaceDbSchema, StoreNames<FaceDbSchema>[], 'versionchange'>;

/** An embedding chunk as schema versions 1 to 4 stored it. */
export interface ChunkV4 {
  modelId: string;
  seq: number;
  dimension: number;
  count: number;
  faceIds: string[];
  vectors: Float32Array;
}

/** A v4 chunk in v5's shape. */
export function chunkToV5(chunk: ChunkV4): EmbeddingChunk {
  return {
    modelId: chunk.modelId,
    seq: chunk.seq,
    dimension: chunk.dimension,
    count: chunk.count,
    ...packFaceIds(chunk.faceIds),
    vectors: vectorsBlob(chunk.vectors),
  };
}

/** Schema v5's data step (see the module comment). */
export async function migrateToV5(tx: UpgradeTx): Promise<void> {
  let cursor = await tx.objectStore('embeddings').openCursor();
  while (cursor) {
    const chunk = cursor.value as EmbeddingChunk | ChunkV4;
    if ('faceIds' in chunk) await cursor.update(chunkToV5(chunk));
    cursor = await cursor.continue();
  }
}

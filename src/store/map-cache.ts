/**
 * The map of every face, cached in IndexedDB so reopening the page does not recompute UMAP. It lives in a small
 * database of its own, `<face database>-map` (for the default, 'face-attribute-probe-map'), apart from the face
 * store's schema: one record per model and set of faces, keyed by [model, SHA-256 of the face ids in map order],
 * holding the face ids, their 2-D positions and the projection method. Only the newest map of a model is kept.
 */
import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { hashBytes } from '../runtime/hash.ts';
import { resolveFactory } from './open.ts';

/** A cached map: where each face sits. */
export interface CachedMap {
  modelId: string;
  /** SHA-256 (hex) of the face ids joined by '\n', in map order. */
  idsHash: string;
  faceIds: string[];
  /** faceIds.length × 2 positions, row-major. */
  points: Float32Array;
  /** How it was computed (e.g. PROJECTION_METHOD). */
  method: string;
  /** Faces in the last full projection; the rest were placed among them afterwards. */
  projected: number;
  /** When it was stored (ms since the epoch). */
  savedAt: number;
}

interface MapDb extends DBSchema {
  maps: { key: [string, string]; value: CachedMap; indexes: { 'by-model': string } };
}

/** The map cache's database name for a face database. */
export function mapDatabaseName(faceDatabase: string): string {
  return `${faceDatabase}-map`;
}

/** SHA-256 of the ids in order: the cache key's second part. */
export function hashFaceIds(ids: readonly string[]): Promise<string> {
  return hashBytes(new TextEncoder().encode(ids.join('\n')));
}

/** The map cache of one face database. Open with {@link MapCache.open}; close when done. */
export class MapCache {
  private constructor(private readonly db: IDBPDatabase<MapDb>) {}

  /** Opens (creating if needed) the cache of `faceDatabase`. @throws StorageError when there is no IndexedDB. */
  static async open(faceDatabase: string): Promise<MapCache> {
    resolveFactory(undefined);
    const db = await openDB<MapDb>(mapDatabaseName(faceDatabase), 1, {
      upgrade(database, oldVersion) {
        if (oldVersion < 1) database.createObjectStore('maps', { keyPath: ['modelId', 'idsHash'] }).createIndex('by-model', 'modelId');
      },
    });
    return new MapCache(db);
  }

  /** The newest map of `modelId`, or undefined. */
  async latest(modelId: string): Promise<CachedMap | undefined> {
    const maps = await this.db.getAllFromIndex('maps', 'by-model', modelId);
    return maps.sort((a, b) => b.savedAt - a.savedAt)[0];
  }

  /** Stores `map` as its model's only map (older maps of the model are deleted in the same transaction). */
  async save(map: CachedMap): Promise<void> {
    const tx = this.db.transaction('maps', 'readwrite');
    const older = await tx.store.index('by-model').getAllKeys(map.modelId);
    await Promise.all([...older.map((key) => tx.store.delete(key)), tx.store.put(map)]);
    await tx.done;
  }

  close(): void {
    this.db.close();
  }

  /** Deletes the cache database of `faceDatabase` (when the faces are erased). */
  static async erase(faceDatabase: string): Promise<void> {
    await deleteDB(mapDatabaseName(faceDatabase));
  }
}

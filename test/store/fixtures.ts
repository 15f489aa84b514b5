/**
 * Seeded test records for the store tests (portable: no Node APIs, also bundled for Chromium).
 */
import { crc32 } from '../../src/store/crc32.ts';
import type { FaceStore } from '../../src/store/face-store.ts';
import type { CorrectionRecord } from '../../src/store/correction-record.ts';
import { faceId } from '../../src/store/types.ts';
import type {
  ClusterRun,
  EmbeddingBatch,
  FaceBatch,
  FaceRecord,
  IdentityGroup,
  PhotoRecord,
  ProbeRecord,
} from '../../src/store/types.ts';
import { createRng } from '../../src/analysis/rng.ts';

/** Seeded uniform floats in [0, 1), from the project's own generator. */
export function rng(seed: number): () => number {
  const generator = createRng(seed);
  return () => generator.next();
}

/** A random well-formed content hash (64 hex digits). */
export function fakeHash(random: () => number): string {
  let out = '';
  for (let i = 0; i < 64; i++) out += Math.floor(random() * 16).toString(16);
  return out;
}

/** Options for {@link makeBatch}. */
export interface BatchSpec {
  seed: number;
  photos: number;
  facesPerPhoto: number;
  dimension: number;
  modelId?: string;
  /** Include original bytes on photos. */
  originals?: boolean;
  /** Photos start at this added time (ms). */
  addedAt?: number;
}

/** A batch of `photos` photos with `facesPerPhoto` faces each and one vector per face. */
export function makeBatch(spec: BatchSpec): FaceBatch & { embeddings: EmbeddingBatch[]; faces: FaceRecord[] } {
  const random = rng(spec.seed);
  const modelId = spec.modelId ?? 'test-model';
  const photos: PhotoRecord[] = [];
  const faces: FaceRecord[] = [];
  for (let p = 0; p < spec.photos; p++) {
    const hash = fakeHash(random);
    const faceIds = Array.from({ length: spec.facesPerPhoto }, (_, i) => faceId(hash, modelId, i));
    photos.push({
      hash,
      name: `photo-${spec.seed}-${p}.jpg`,
      size: 1000 + p,
      type: 'image/jpeg',
      addedAt: (spec.addedAt ?? 1_700_000_000_000) + p,
      width: 640,
      height: 480,
      faceIds,
      ...(spec.originals ? { original: Uint8Array.from({ length: 32 }, () => Math.floor(random() * 256)) } : {}),
    });
    faceIds.forEach((id, index) => {
      faces.push({
        id,
        photoHash: hash,
        index,
        box: { x: random() * 500, y: random() * 300, width: 80, height: 96 },
        score: random(),
        landmarks: Float32Array.from({ length: 136 }, () => random() * 640),
        foundBy: index === 0 ? 'detected' : 'padded',
        modelId,
        thumbnail: { type: 'image/webp', bytes: Uint8Array.from({ length: 24 }, () => Math.floor(random() * 256)), width: 64, height: 64 },
        ...(index % 2 === 0
          ? { attributes: { age: 20 + random() * 40, gender: 'female', genderProbability: random(), expressions: { happy: random(), neutral: random() } } }
          : {}),
      });
    });
  }
  const vectors = Float32Array.from({ length: faces.length * spec.dimension }, () => random() * 2 - 1);
  return {
    photos,
    faces,
    embeddings: [{ modelId, dimension: spec.dimension, faceIds: faces.map((f) => f.id), vectors }],
  };
}

/** A cluster run over `faceIds`. */
export function makeRun(id: string, faceIds: string[], k: number, dimension: number, modelId = 'test-model'): ClusterRun {
  const random = rng(faceIds.length + k);
  return {
    id,
    modelId,
    createdAt: 1_700_000_100_000,
    scope: { kind: 'all' },
    k,
    seed: 7,
    faceIds,
    labels: Int32Array.from(faceIds, (_, i) => i % k),
    centroids: Float32Array.from({ length: k * dimension }, () => random()),
    kChoice: { kind: 'set' },
    scores: { inertia: 12.5, silhouette: 0.25 },
  };
}

/** A trained probe. */
export function makeProbe(id: string, faceIds: string[], dimension: number, modelId = 'test-model'): ProbeRecord {
  return {
    id,
    modelId,
    name: 'smiling',
    createdAt: 1_700_000_200_000,
    groups: [
      { name: 'yes', faceIds: faceIds.slice(0, 2) },
      { name: 'no', faceIds: faceIds.slice(2, 4) },
    ],
    trained: {
      weights: Float32Array.from({ length: dimension }, (_, i) => i / dimension - 0.5),
      bias: Float32Array.of(0.1),
      classes: ['yes', 'no'],
    },
    metrics: { accuracy: 0.75 },
  };
}

/** An identity group. */
export function makeGroup(id: string, faceIds: string[], modelId = 'test-model'): IdentityGroup {
  return { id, modelId, name: 'Person A', createdAt: 1_700_000_300_000, faceIds: faceIds.slice(0, 3), runId: 'run-1' };
}

/** A "not this person" correction of face `faceIds[0]` against the person of the other faces. */
export function makeCorrection(id: string, faceIds: string[], modelId = 'test-model'): CorrectionRecord {
  return {
    id, modelId, createdAt: 1_700_000_400_000, kind: 'not-person', faceId: faceIds[0]!,
    people: [{ id: 'g1', name: 'Person A', createdAt: 1_700_000_300_000, faceIds: faceIds.slice(0, 3) }],
  };
}

/** Concatenates row-major chunks. */
export function concat(chunks: Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** A unique database name for one test. */
let counter = 0;
export function uniqueName(prefix = 'face-store-test'): string {
  counter++;
  return `${prefix}-${counter}-${Math.floor(Math.random() * 1e9)}`;
}

/**
 * Deletes a database, waiting for the deletion to finish. A connection closed while its last
 * transaction finishes makes Chromium fire 'blocked' briefly; the deletion still goes ahead.
 */
export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

/** Promise wrapper for a raw IDBRequest. */
export function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Byte offsets of the export header fields used by the hostile-import tests (see export-format.ts). */
export const Header = { version: 8, length: 12, dimension: 16, vectors: 20, photos: 24, recordsLength: 48, recordsCrc: 52, embeddingsCrc: 56 } as const;

/** Recomputes every checksum of an export file after a test tampered with it, so other checks are reached. */
export function reseal(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = view.getUint32(Header.length, true);
  const r = view.getUint32(Header.recordsLength, true);
  const e = h + r + ((4 - (r % 4)) % 4);
  view.setUint32(Header.recordsCrc, crc32(bytes.subarray(h, h + r)), true);
  view.setUint32(Header.embeddingsCrc, crc32(bytes.subarray(e)), true);
  view.setUint32(h - 4, crc32(bytes.subarray(0, h - 4)), true);
  return bytes;
}

/** Where the embeddings section starts in an export file. */
export function embeddingsOffset(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = view.getUint32(Header.length, true);
  const r = view.getUint32(Header.recordsLength, true);
  return h + r + ((4 - (r % 4)) % 4);
}

/** Everything in the store, for "unchanged" checks. */
export async function snapshot(s: FaceStore): Promise<unknown> {
  const models = await s.models();
  const embeddings: Record<string, { ids: string[]; vectors: Float32Array }> = {};
  for (const m of models) {
    const rows = [];
    for await (const r of s.streamEmbeddings(m.modelId)) rows.push(r);
    embeddings[m.modelId] = { ids: rows.flatMap((r) => r.faceIds), vectors: concat(rows.map((r) => r.vectors)) };
  }
  const runs = await s.listRuns();
  return {
    photos: await s.listPhotos(),
    faces: await s.listFaces(),
    models,
    embeddings,
    runs,
    names: await Promise.all(runs.map(async (r) => [...(await s.clusterNames(r.id))])),
    probes: await s.listProbes(),
    groups: await s.listIdentityGroups(),
    corrections: await s.listCorrections(),
  };
}

/**
 * An export file (format 2, model 'm', no vectors, every checksum right) around a records section written
 * by hand; `photos` is the photo count its header declares (other counts 0).
 */
export function exportAround(records: Uint8Array, photos: number): Uint8Array {
  const modelId = new TextEncoder().encode('m');
  const headerLength = 64 + 4 + 4;
  const padding = (4 - (records.length % 4)) % 4;
  const bytes = new Uint8Array(headerLength + records.length + padding);
  const view = new DataView(bytes.buffer);
  bytes.set(records, headerLength);
  bytes.set(new TextEncoder().encode('FAPSTORE'), 0);
  const fields = [2, headerLength, 0, 0, photos, 0, 0, 0, 0, 0, records.length, crc32(records), 0, modelId.length];
  fields.forEach((value, i) => view.setUint32(8 + 4 * i, value, true));
  bytes.set(modelId, 64);
  view.setUint32(headerLength - 4, crc32(bytes.subarray(0, headerLength - 4)), true);
  return bytes;
}

/** A records section `{ [key]: [<items>] }` with `count` items written by `item` (tag bytes included). */
function listSection(key: string, count: number, itemBytes: number, item: (bytes: Uint8Array, at: number) => void): Uint8Array {
  const keyBytes = new TextEncoder().encode(key);
  const records = new Uint8Array(1 + 4 + 4 + keyBytes.length + 1 + 4 + count * itemBytes);
  const view = new DataView(records.buffer);
  records[0] = 7; // object of one property
  view.setUint32(1, 1, true);
  view.setUint32(5, keyBytes.length, true);
  records.set(keyBytes, 9);
  let at = 9 + keyBytes.length;
  records[at++] = 6; // array
  view.setUint32(at, count, true);
  at += 4;
  for (let i = 0; i < count; i++, at += itemBytes) item(records, at);
  return records;
}

/**
 * A hostile export file whose records section is `{ [key]: [entries × Uint8Array(0)] }`: 5 bytes per
 * entry, each a JS object and an ArrayBuffer once decoded. The header declares `entries` photos and every
 * checksum is right, so only the records are wrong.
 */
export function hostileExport(entries: number, key = 'photos'): Uint8Array {
  return exportAround(listSection(key, entries, 5, (bytes, at) => (bytes[at] = 8)), entries);
}

/** An export file whose one photo is `levels` arrays nested in each other (the innermost holds null). */
export function deeplyNestedExport(levels: number): Uint8Array {
  const section = listSection('photos', 1, levels * 5 + 1, (bytes, at) => {
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    for (let i = 0; i < levels; i++) {
      bytes[at + i * 5] = 6;
      view.setUint32(at + i * 5 + 1, 1, true);
    }
  });
  return exportAround(section, 1);
}

/** An export file whose one photo carries a property `junk` holding `entries` empty Uint8Arrays. */
export function bloatedRecordExport(entries: number): Uint8Array {
  const key = new TextEncoder().encode('junk');
  const itemBytes = 1 + 4 + 4 + key.length + 1 + 4 + entries * 5;
  const section = listSection('photos', 1, itemBytes, (bytes, at) => {
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    bytes[at] = 7;
    view.setUint32(at + 1, 1, true);
    view.setUint32(at + 5, key.length, true);
    bytes.set(key, at + 9);
    let p = at + 9 + key.length;
    bytes[p++] = 6;
    view.setUint32(p, entries, true);
    p += 4;
    for (let i = 0; i < entries; i++, p += 5) bytes[p] = 8;
  });
  return exportAround(section, 1);
}

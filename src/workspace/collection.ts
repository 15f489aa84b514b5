/**
 * The faces of one embedding model held in memory for analysis: their records (with thumbnails) and their
 * embeddings as one growable row-major matrix, so clustering and projections never re-read IndexedDB.
 */
import type { FaceStore } from '../store/face-store.ts';
import type { FaceAttributes, FaceRecord } from '../store/types.ts';

/** Faces of one model and their vectors: row i of {@link FaceCollection.vectors} belongs to faces[i]. */
export class FaceCollection {
  /** Faces in row order. */
  readonly faces: FaceRecord[] = [];
  private readonly rowOf = new Map<string, number>();
  private data: Float32Array;

  constructor(
    /** The embedding model whose faces these are. */
    readonly modelId: string,
    /** Floats per vector. */
    readonly dimension: number,
  ) {
    this.data = new Float32Array(dimension * 64);
  }

  /**
   * Loads every face of `modelId` with its vector. Faces whose vector is missing (never the case for
   * what this element writes, since a batch is atomic) are left out rather than analysed as zeros.
   */
  static async load(store: FaceStore, modelId: string, dimension: number, signal?: AbortSignal): Promise<FaceCollection> {
    const collection = new FaceCollection(modelId, dimension);
    const faces = new Map((await store.listFaces({ modelId })).map((f) => [f.id, f]));
    for await (const rows of store.streamEmbeddings(modelId, signal ? { signal } : {})) {
      rows.faceIds.forEach((id, i) => {
        const face = faces.get(id);
        if (face) collection.add(face, rows.vectors.subarray(i * rows.dimension, (i + 1) * rows.dimension));
      });
    }
    return collection;
  }

  /** Number of faces. */
  get size(): number {
    return this.faces.length;
  }

  /** All vectors, n × dimension (a view: do not keep it across {@link add}). */
  get vectors(): Float32Array {
    return this.data.subarray(0, this.faces.length * this.dimension);
  }

  /** Appends a face and its vector (copied); a face id already present is ignored. */
  add(face: FaceRecord, vector: Float32Array): void {
    if (this.rowOf.has(face.id)) return;
    if (vector.length !== this.dimension) {
      throw new RangeError(`face ${face.id}: vector of length ${vector.length}, expected ${this.dimension}`);
    }
    const n = this.faces.length;
    if ((n + 1) * this.dimension > this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data.set(vector, n * this.dimension);
    this.rowOf.set(face.id, n);
    this.faces.push(face);
  }

  /** Gives the face `id` its attributes (found after it was added); false when no such face is here. */
  setAttributes(id: string, attributes: FaceAttributes): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) return false;
    this.faces[row] = { ...(this.faces[row] as FaceRecord), attributes };
    return true;
  }

  /** A new collection of these faces except `excluded` (in the same order, vectors copied). */
  without(excluded: ReadonlySet<string>): FaceCollection {
    const kept = new FaceCollection(this.modelId, this.dimension);
    this.faces.forEach((face, row) => {
      if (!excluded.has(face.id)) kept.add(face, this.data.subarray(row * this.dimension, (row + 1) * this.dimension));
    });
    return kept;
  }

  /** The row of a face, or undefined. */
  row(id: string): number | undefined {
    return this.rowOf.get(id);
  }

  /** The face with this id, or undefined. */
  face(id: string): FaceRecord | undefined {
    const row = this.rowOf.get(id);
    return row === undefined ? undefined : this.faces[row];
  }

  /** The vectors of the given faces, in that order, as a new contiguous matrix; unknown ids are skipped. */
  matrix(ids: readonly string[]): { ids: string[]; vectors: Float32Array } {
    const known = ids.filter((id) => this.rowOf.has(id));
    const d = this.dimension;
    const out = new Float32Array(known.length * d);
    known.forEach((id, i) => {
      const row = this.rowOf.get(id) as number;
      out.set(this.data.subarray(row * d, (row + 1) * d), i * d);
    });
    return { ids: known, vectors: out };
  }
}

/**
 * The records the store keeps. Every value is plain and structured-cloneable (no Blob, no class
 * instances), so the same objects cross a worker boundary, go into IndexedDB, and work in Node.
 * Pixel coordinates are in the photo's own pixels (after EXIF orientation); times are epoch ms.
 */
import type { FaceAttributes, Thumbnail } from '../embedding/types.ts';
import type { FaceMeasures } from '../vision/face-measures.ts';
import type { FoundBy } from '../vision/find-faces.ts';
import type { Box } from '../vision/image.ts';

/** A failure recorded for a photo that could not be processed (decode error, no face, ...). */
export interface PhotoError {
  /** An {@link ErrorCode} value or another short machine-readable code. */
  code: string;
  /** Human-readable message. */
  message: string;
}

/** One photo, keyed by the SHA-256 of its file bytes: the same file added twice is one record. */
export interface PhotoRecord {
  /** SHA-256 of the file bytes, 64 lowercase hex digits (see `hashBytes`). */
  hash: string;
  /** File name as the user gave it. */
  name: string;
  /** File size in bytes. */
  size: number;
  /** MIME type, e.g. 'image/jpeg'. */
  type: string;
  /** When the photo was added (epoch ms). */
  addedAt: number;
  /** Decoded width in px (0 when decoding failed). */
  width: number;
  /** Decoded height in px (0 when decoding failed). */
  height: number;
  /** Ids of this photo's faces, in index order. */
  faceIds: string[];
  /** The original file bytes; kept only when the caller asks (`keepOriginals`). */
  original?: Uint8Array;
  /**
   * A small copy of the photo (longer side at most 1,024 px, JPEG or WebP) to show it with its face boxes;
   * made in browsers only, so absent in Node and for photos stored before previews were kept.
   */
  preview?: Thumbnail;
  /** Present when processing the photo failed. */
  error?: PhotoError;
}

// Types of what the pipeline produces are owned by the pipeline; the store keeps them as they come.
export type { Box } from '../vision/image.ts';
export type { FoundBy } from '../vision/find-faces.ts';
export type { FaceAttributes, Thumbnail, ThumbnailType } from '../embedding/types.ts';

/**
 * The id of a photo's face as one model found it: `${photoHash}:${modelId}:${index}`. The model is part
 * of the key, so a photo can hold the faces of several models (switching models re-embeds stored photos).
 */
export function faceId(photoHash: string, modelId: string, index: number): string {
  return `${photoHash}:${modelId}:${index}`;
}

/** One face in a photo. */
export interface FaceRecord {
  /** {@link faceId}(photoHash, modelId, index). */
  id: string;
  photoHash: string;
  /** 0-based index of the face in its photo. */
  index: number;
  /** Face box in photo px. */
  box: Box;
  /** Detector confidence in [0, 1]. */
  score: number;
  /** 68 landmarks as x0, y0, x1, y1, … in photo px: length 136. */
  landmarks: Float32Array;
  foundBy: FoundBy;
  /** Id of the embedding model whose vector this face has (e.g. 'face-api-resnet34'). */
  modelId: string;
  thumbnail: Thumbnail;
  attributes?: FaceAttributes;
  /** Head pose and the chip's brightness, contrast and sharpness, when the engine measured them. */
  measures?: FaceMeasures;
}

/**
 * Embeddings handed to `addBatch`: `faceIds.length` rows of `dimension` floats, row-major,
 * row i belonging to `faceIds[i]`.
 */
export interface EmbeddingBatch {
  modelId: string;
  dimension: number;
  faceIds: string[];
  /** `faceIds.length × dimension`, row-major. */
  vectors: Float32Array;
}

/**
 * A stored chunk of embeddings (up to the store's chunk size, 10,000 by default), as schema v5 stores it:
 * the face ids packed into one string and the vectors' bytes in one Blob, because cloning one string is
 * ~5× cheaper than cloning an array of thousands, and a Blob's bytes are neither cloned nor Snappy-checked
 * on the way in and are read without deserialising (see src/store/embeddings.ts). Use
 * `chunkFaceIds` and `readChunkVectors` (src/store/embeddings.ts) to unpack one.
 */
export interface EmbeddingChunk {
  modelId: string;
  /** Position of this chunk among the model's chunks (0, 1, 2, …; gaps are allowed after deletions). */
  seq: number;
  dimension: number;
  /** Rows in this chunk. */
  count: number;
  /** The rows' face ids concatenated: row i's id is `faceIdText.slice(faceIdEnds[i - 1] ?? 0, faceIdEnds[i])`. */
  faceIdText: string;
  /** Where each row's face id ends in {@link faceIdText} (`count` offsets, ascending). */
  faceIdEnds: Uint32Array;
  /** `count × dimension` float32 (platform byte order, little-endian everywhere in practice), row-major. */
  vectors: Blob;
}

/** What the store knows about one embedding model's vectors. */
export interface ModelRecord {
  modelId: string;
  /** Floats per vector; fixed for a model once its first vector is stored. */
  dimension: number;
  /** Vectors stored for this model. */
  count: number;
  /** The next chunk's `seq`. */
  nextSeq: number;
}

/** What a cluster run covered: every face of the model, or one person's (identity group's) faces. */
export type RunScope = { kind: 'all' } | { kind: 'person'; groupId: string };

/**
 * How a run's k was chosen: searched by mean silhouette (`auto`, with the score of every k tried), set
 * by the person (`set`), or the result of merging clusters of other runs (`merged`, their ids).
 */
export type KChoice =
  | { kind: 'auto'; curve: { k: number; score: number }[] }
  | { kind: 'set' }
  | { kind: 'merged'; from: string[] };

/** One clustering run over embeddings. */
export interface ClusterRun {
  id: string;
  modelId: string;
  createdAt: number;
  scope: RunScope;
  /** Number of clusters. */
  k: number;
  seed: number;
  /** The clustered faces, in the order of `labels`. */
  faceIds: string[];
  /** Cluster of each face, values in [0, k). */
  labels: Int32Array;
  /** `k × dimension` centroids, row-major. */
  centroids: Float32Array;
  /** How k was chosen. */
  kChoice: KChoice;
  /** Quality figures by name (e.g. inertia, silhouette, nmi). */
  scores: Record<string, number>;
}

/** A user's name for one cluster of a run. */
export interface ClusterName {
  runId: string;
  /** Cluster index in [0, k). */
  cluster: number;
  name: string;
}

/** A named group of faces used to train a probe (e.g. 'smiling'). */
export interface ProbeGroup {
  name: string;
  faceIds: string[];
}

/** A trained linear probe: score = weights · x + bias over (optionally standardised) embeddings. */
export interface ProbeWeights {
  /** Length = dimension (one-vs-rest: classes × dimension, row-major). */
  weights: Float32Array;
  /** One bias per output. */
  bias: Float32Array;
  /** Per-dimension mean/std used to standardise inputs, when used. */
  mean?: Float32Array;
  std?: Float32Array;
  /** Output labels, in weight-row order. */
  classes: string[];
}

/** A probe: named groups of faces and, once trained, its weights and metrics. */
export interface ProbeRecord {
  id: string;
  modelId: string;
  name: string;
  createdAt: number;
  groups: ProbeGroup[];
  trained?: ProbeWeights;
  /** Evaluation figures by name (accuracy, auc, …). */
  metrics?: Record<string, number>;
  /** The cluster run whose named clusters it was trained on, when it was; replacing that run deletes it. */
  runId?: string;
}

/** A person: faces the user or an identity clustering grouped as one identity. */
export interface IdentityGroup {
  id: string;
  modelId: string;
  name: string;
  createdAt: number;
  faceIds: string[];
  /** The run it came from, when it came from clustering. */
  runId?: string;
}

/** Everything one drop of photos adds, written all-or-nothing by `FaceStore.addBatch`. */
export interface FaceBatch {
  photos: PhotoRecord[];
  faces?: FaceRecord[];
  /** The faces' embeddings (for any number of models). */
  embeddings?: EmbeddingBatch[];
}

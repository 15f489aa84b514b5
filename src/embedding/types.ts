/**
 * What the engine produces and accepts. Every value here is plain and structured-cloneable, so the same
 * objects come out of the Node engine and across the browser worker boundary.
 */
import type { SerializedError } from '../errors.ts';
import type { ImageFormat } from '../vision/decode.ts';
import type { FaceMeasures } from '../vision/face-measures.ts';
import type { FoundBy } from '../vision/find-faces.ts';
import type { Subject } from '../vision/subject.ts';
import type { Box } from '../vision/image.ts';

/** Image types a thumbnail may have. */
export type ThumbnailType = 'image/jpeg' | 'image/webp' | 'image/png';

/** The accepted {@link ThumbnailType} values. */
export const THUMBNAIL_TYPES: readonly ThumbnailType[] = ['image/jpeg', 'image/webp', 'image/png'];

/** A small encoded face image for galleries (bytes rather than a Blob so it works in Node too). */
export interface Thumbnail {
  type: ThumbnailType;
  /** The encoded image file. */
  bytes: Uint8Array;
  /** Width in px. */
  width: number;
  /** Height in px. */
  height: number;
}

/** Face attributes from the attribute models (age/gender/expression), when they ran. */
export interface FaceAttributes {
  /** Estimated age in years. */
  age: number;
  /** The predicted gender label. */
  gender: string;
  /** Probability of {@link gender}, in [0, 1]. */
  genderProbability: number;
  /** Expression label → probability. */
  expressions: Record<string, number>;
}

/** One face of an image, embedded. Coordinates are in the source image's pixels (after EXIF rotation). */
export interface FaceResult {
  /** 0-based index of the face in its image (largest first). */
  index: number;
  box: Box;
  /** Detector confidence in [0, 1] (0 when the whole image was taken as the face). */
  score: number;
  foundBy: FoundBy;
  /** 68 landmarks, x0, y0, x1, y1, …: length 136. */
  landmarks: Float32Array;
  /** L2-normalised embedding, length = the model's dimension. */
  embedding: Float32Array;
  /** The embedding model's id: vectors of different models are never compared. */
  modelId: string;
  /** The aligned 150×150 chip, encoded, when thumbnails were asked for. */
  thumbnail?: Thumbnail;
  /** Age/gender/expression from the attribute heads, when asked for. */
  attributes?: FaceAttributes;
  /** Head pose and the aligned chip's brightness, contrast and sharpness (absent in results cached by older versions). */
  measures?: FaceMeasures;
}

/** A successfully processed image. */
export interface ImageResult {
  ok: true;
  /** The name the caller gave (file name or path). */
  name: string;
  /** SHA-256 of the file bytes, hex. */
  hash: string;
  /** File size in bytes. */
  size: number;
  format: ImageFormat;
  /** Source size after EXIF orientation. */
  width: number;
  height: number;
  faces: FaceResult[];
  /** Milliseconds per stage for this image. */
  timings: StageTimings;
}

/** An image that failed; the batch went on without it. */
export interface ImageFailure {
  ok: false;
  name: string;
  /** SHA-256 of the bytes when they could be read. */
  hash?: string;
  size?: number;
  error: SerializedError;
}

/** The outcome for one image of a batch. */
export type ImageOutcome = ImageResult | ImageFailure;

/** Milliseconds spent in each stage. */
export interface StageTimings {
  decode: number;
  detect: number;
  landmarks: number;
  align: number;
  embed: number;
  attributes: number;
}

/** An input image: its bytes and a name for messages and results. */
export interface ImageInput {
  name: string;
  bytes: Uint8Array;
  /** SHA-256 of `bytes` (hex), when the caller already computed it (e.g. for a cache lookup). */
  hash?: string;
}

/** A file the user dropped (File/Blob with a name) or bytes already in memory. */
export type ImageSource = ImageInput | (Blob & { name: string });

/** Progress of a batch, reported after each image. */
export interface BatchProgress {
  /** Images finished (succeeded or failed). */
  done: number;
  total: number;
  /** Faces embedded so far. */
  faces: number;
  /** Images that failed so far. */
  failed: number;
  /** The image just finished. */
  name: string;
}

/** Options for processing images. */
export interface ProcessOptions {
  signal?: AbortSignal;
  onProgress?: (progress: BatchProgress) => void;
  /** Encode each face's aligned chip as a thumbnail. Default false. */
  thumbnails?: boolean;
  /** Run the age/gender/expression heads. Default false. */
  attributes?: boolean;
  /** Only the largest face of each image (the same as `subject: 'largest'`). Default false (all faces). */
  largestOnly?: boolean;
  /** Only each image's subject: its largest face, or the one at the centre (LFW). Default: all faces. */
  subject?: Subject;
}

/** The outcome of a batch: one entry per input that finished, in input order. */
export interface BatchResult {
  outcomes: ImageOutcome[];
  /** True when the signal stopped the batch early; `outcomes` then holds what finished. */
  cancelled: boolean;
}

/** A photo whose faces were found earlier, for {@link FaceEngineClient.attributesOf}: its faces' boxes in source pixels. */
export interface AttributeRequest {
  source: ImageSource;
  /** The boxes `process` reported for its faces (source pixels). */
  boxes: Box[];
}

/** The attribute heads' results for one {@link AttributeRequest}, in box order, or why its photo could not be read again. */
export type AttributeOutcome = { ok: true; name: string; attributes: FaceAttributes[] } | ImageFailure;

/** Options for {@link FaceEngineClient.attributesOf}. */
export interface AttributeOptions {
  signal?: AbortSignal;
  /** After each photo: photos finished and asked for. */
  onProgress?: (progress: { done: number; total: number }) => void;
}

/** The outcome of {@link FaceEngineClient.attributesOf}: one entry per request that finished, in order. */
export interface AttributeResult {
  outcomes: AttributeOutcome[];
  /** True when the signal stopped it early; `outcomes` then holds what finished. */
  cancelled: boolean;
}

/** What the engine is running on. */
export interface EngineInfo {
  /** The inference backend actually in use, e.g. 'onnxruntime-node', 'wasm', 'webgpu'. */
  backend: string;
  /** Why this backend was chosen (or why faster ones were not). */
  backendReason: string;
  /**
   * CPU threads the runtime uses (1 for WebGPU). In a browser, wasm gets more than one only when the page is
   * cross-origin isolated (threads need SharedArrayBuffer).
   */
  threads?: number;
  /** The embedding model's id and dimension. */
  modelId: string;
  dimension: number;
  /** The face detector in use. */
  detector: string;
  /** How faces are aligned onto the chip ('dlib-68', 'dlib-5' or 'arcface-5'). */
  alignment: string;
  /** The model's published same-person distance between L2-normalised embeddings, when its manifest has one. */
  samePersonDistance?: number;
}

/**
 * What a UI or the workspace needs from an engine, wherever it runs: the worker client in browsers
 * ({@link WorkerEngineClient}), the in-process {@link FaceEngine} in Node, or a fake in tests.
 */
export interface FaceEngineClient {
  readonly info: EngineInfo;
  /**
   * Processes images in input order: each failure is an outcome beside its name and the rest go on; on
   * abort it returns what finished with `cancelled: true`.
   */
  process(sources: readonly ImageSource[], options?: ProcessOptions): Promise<BatchResult>;
  /**
   * Runs the age, gender and expression heads on faces `process` found earlier without them, reading their photos
   * again, so faces can be shown (clustered, drawn) before their attributes are known. Present where the engine
   * was loaded with the attribute heads; each photo that cannot be read again is a failure beside its name.
   */
  attributesOf?(requests: readonly AttributeRequest[], options?: AttributeOptions): Promise<AttributeResult>;
  dispose(): Promise<void>;
}

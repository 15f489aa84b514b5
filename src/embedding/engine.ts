/**
 * The face engine: bytes in, one aligned, L2-normalised embedding per face out. Platform-neutral: the
 * decoder, the models and the thumbnail encoder are injected (Node: sharp + onnxruntime-node or -web;
 * browser worker: createImageBitmap + onnxruntime-web), so the same code runs in both places.
 */
import { InferenceError, InvalidInputError, NoFaceError, isAbortError, serializeError, throwIfAborted } from '../errors.ts';
import type { AlignmentSpec } from '../models/manifest.ts';
import { hashBytes } from '../runtime/hash.ts';
import { type AlignmentMethod, alignFace } from '../vision/align.ts';
import type { DecodedImage } from '../vision/decode.ts';
import { measureFace } from '../vision/face-measures.ts';
import { type Detector, FIND_FACES_DEFAULTS, type FindFacesOptions, FoundBy, findFaces } from '../vision/find-faces.ts';
import type { Box, RgbImage } from '../vision/image.ts';
import { subjectFace } from '../vision/subject.ts';
import { chipAlignment } from './chip-alignment.ts';
import { isReadFailure, readSource } from './source.ts';
import type {
  BatchResult,
  EngineInfo,
  FaceAttributes,
  FaceEngineClient,
  FaceResult,
  ImageInput,
  ImageOutcome,
  ImageResult,
  ImageSource,
  ProcessOptions,
  StageTimings,
  Thumbnail,
} from './types.ts';

/** The models the engine runs, behind plain functions (see models.ts for the ONNX implementations). */
export interface FaceModelSet {
  /** Face detector over a whole image. */
  detect: Detector;
  /** 68 landmarks (flat x,y in image px: length 136) for each face box of one image, in one model run. */
  landmarks(image: RgbImage, boxes: readonly Box[], signal?: AbortSignal): Promise<Float32Array[]>;
  /** Embeddings of aligned chips (as `embedding.alignment` says), one Float32Array each (not yet normalised). */
  embed(chips: RgbImage[], signal?: AbortSignal): Promise<Float32Array[]>;
  /** Age/gender/expression for a face box, when the attribute heads are loaded. */
  attributes?(image: RgbImage, box: Box, signal?: AbortSignal): Promise<FaceAttributes>;
  /** The embedding model's id, dimension and, from its manifest, the alignment its chips need. */
  readonly embedding: { id: string; dimension: number; alignment?: AlignmentSpec; samePersonDistance?: number };
  readonly info: Omit<EngineInfo, 'modelId' | 'dimension' | 'alignment' | 'samePersonDistance'>;
  dispose(): Promise<void>;
}

/** Platform services the engine needs. */
export interface EnginePlatform {
  decode(bytes: Uint8Array, name: string): Promise<DecodedImage>;
  /** Encodes an aligned chip for galleries. */
  encodeThumbnail(chip: RgbImage): Promise<Thumbnail>;
  now(): number;
}

/** Divides a vector by its L2 norm in place (a zero vector stays zero) and returns it. */
export function l2Normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const norm = Math.sqrt(s);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}

const zeroTimings = (): StageTimings => ({ decode: 0, detect: 0, landmarks: 0, align: 0, embed: 0, attributes: 0 });

/** Pipeline settings of an engine. */
export interface EngineOptions {
  /** Face finding: thresholds, padding, the whole-image fallback (off by default: no face means no face). */
  find?: Omit<FindFacesOptions, 'signal'>;
  /** How dlib's template is fitted, for models aligned on it. Default 'dlib-68'. A model's own template wins. */
  align?: AlignmentMethod;
}

/** Runs the pipeline over images; one instance holds loaded models. */
export class FaceEngine implements FaceEngineClient {
  constructor(
    private readonly models: FaceModelSet,
    private readonly platform: EnginePlatform,
    private readonly options: EngineOptions = {},
  ) {}

  /** Backend, model, detector and alignment in use. */
  get info(): EngineInfo {
    return {
      ...this.models.info,
      modelId: this.models.embedding.id,
      dimension: this.models.embedding.dimension,
      alignment: chipAlignment(this.models.embedding.alignment, this.options.align).method,
      ...(this.models.embedding.samePersonDistance ? { samePersonDistance: this.models.embedding.samePersonDistance } : {}),
    };
  }

  /**
   * Processes one image. Errors of the image itself (decode, no face) come back as an ImageFailure; an abort
   * rejects with an AbortError.
   */
  async processImage(input: ImageInput, options: ProcessOptions = {}): Promise<ImageOutcome> {
    const { signal } = options;
    if (options.attributes && !this.models.attributes) {
      throw new InvalidInputError('attributes were asked for, but this engine was created without the attribute models (attributes: true)');
    }
    let hash: string | undefined;
    try {
      throwIfAborted(signal);
      if (!(input.bytes instanceof Uint8Array)) {
        throw new InvalidInputError(`${input.name}: image bytes must be a Uint8Array; got ${typeof input.bytes}`);
      }
      hash = input.hash ?? (await hashBytes(input.bytes));
      return await this.run(input, hash, options);
    } catch (error: unknown) {
      if (isAbortError(error)) throw error;
      // Typed failures (decode, no face) and unexpected ones alike belong to this image, not the batch.
      const size = input.bytes?.length;
      return { ok: false, name: input.name, ...(hash ? { hash } : {}), ...(size === undefined ? {} : { size }), error: serializeError(error) };
    }
  }

  /**
   * This engine's outcome for a result computed earlier (a cache hit). The steps that find faces are the same
   * with and without the whole-image fallback, so a result made with it holds for an engine without it, except
   * that a whole image taken as the face means no face was found: that becomes a no-face failure.
   */
  reuse(result: ImageResult): ImageOutcome {
    const wholeImage = this.options.find?.wholeImageFallback ?? FIND_FACES_DEFAULTS.wholeImageFallback;
    if (wholeImage || !result.faces.some((f) => f.foundBy === FoundBy.WholeImage)) return result;
    const error = new NoFaceError('no face found in this photo (an earlier run had taken the whole image as the face)');
    return { ok: false, name: result.name, hash: result.hash, size: result.size, error: serializeError(error) };
  }

  /**
   * Processes images (bytes, or files read one at a time) one after another; each failure is recorded
   * beside its name and the rest go on. On abort, stops promptly and returns what finished with
   * `cancelled: true`.
   */
  async processBatch(inputs: readonly ImageSource[], options: ProcessOptions = {}): Promise<BatchResult> {
    const outcomes: ImageOutcome[] = [];
    const total = inputs.length;
    let faces = 0;
    let failed = 0;
    try {
      for (const source of inputs) {
        // Files are read one at a time, so a large drop never holds every photo's bytes at once.
        const input = await readSource(source, false);
        const outcome = isReadFailure(input) ? input : await this.processImage(input, options);
        outcomes.push(outcome);
        if (outcome.ok) faces += outcome.faces.length;
        else failed++;
        options.onProgress?.({ done: outcomes.length, total, faces, failed, name: input.name });
      }
    } catch (error: unknown) {
      if (isAbortError(error)) return { outcomes, cancelled: true };
      throw error;
    }
    return { outcomes, cancelled: false };
  }

  /** {@link processBatch} under the name every {@link FaceEngineClient} shares. */
  process(sources: readonly ImageSource[], options: ProcessOptions = {}): Promise<BatchResult> {
    return this.processBatch(sources, options);
  }

  private async run(input: ImageInput, hash: string, options: ProcessOptions): Promise<ImageResult> {
    const { signal } = options;
    const t = zeroTimings();
    const clock = this.platform;
    let start = clock.now();
    const decoded = await this.platform.decode(input.bytes, input.name);
    t.decode = clock.now() - start;
    throwIfAborted(signal);
    const { image } = decoded;
    // Results are reported in source pixels: undo the decoder's downscaling, per axis (each side is rounded).
    const sx = decoded.sourceWidth / image.width;
    const sy = decoded.sourceHeight / image.height;

    start = clock.now();
    let found = await findFaces(image, this.models.detect, { ...this.options.find, ...(signal ? { signal } : {}) });
    found.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
    if (options.subject) {
      const subject = subjectFace(found, options.subject, image);
      found = subject ? [subject] : [];
    } else if (options.largestOnly) found = found.slice(0, 1);
    t.detect = clock.now() - start;

    throwIfAborted(signal);
    start = clock.now();
    const landmarks = found.length ? await this.models.landmarks(image, found.map((f) => f.box), signal) : [];
    if (landmarks.length !== found.length) {
      throw new InferenceError(`the landmark model returned ${landmarks.length} results for ${found.length} faces`);
    }
    t.landmarks = clock.now() - start;
    start = clock.now();
    const chip = chipAlignment(this.models.embedding.alignment, this.options.align);
    const chips = landmarks.map((points) => alignFace(image, points, chip.size, chip.padding, chip.method).chip);
    t.align = clock.now() - start;

    throwIfAborted(signal);
    start = clock.now();
    const vectors = chips.length ? await this.models.embed(chips, signal) : [];
    t.embed = clock.now() - start;
    if (vectors.length !== chips.length) {
      throw new InferenceError(`the embedding model returned ${vectors.length} vectors for ${chips.length} faces`);
    }

    const faces: FaceResult[] = [];
    for (let i = 0; i < found.length; i++) {
      throwIfAborted(signal);
      const face = found[i]!;
      let attributes: FaceAttributes | undefined;
      if (options.attributes && this.models.attributes) {
        start = clock.now();
        attributes = await this.models.attributes(image, face.box, signal);
        t.attributes += clock.now() - start;
      }
      const thumbnail = options.thumbnails ? await this.platform.encodeThumbnail(chips[i]!) : undefined;
      const points = landmarks[i]!;
      const sourcePoints = new Float32Array(points.length);
      for (let j = 0; j < points.length; j += 2) {
        sourcePoints[j] = points[j]! * sx;
        sourcePoints[j + 1] = points[j + 1]! * sy;
      }
      faces.push({
        index: i,
        box: { x: face.box.x * sx, y: face.box.y * sy, width: face.box.width * sx, height: face.box.height * sy },
        score: face.score,
        foundBy: face.foundBy,
        landmarks: sourcePoints,
        embedding: l2Normalize(vectors[i]!),
        modelId: this.models.embedding.id,
        measures: measureFace(chips[i]!, sourcePoints),
        ...(thumbnail ? { thumbnail } : {}),
        ...(attributes ? { attributes } : {}),
      });
    }
    return {
      ok: true,
      name: input.name,
      hash,
      size: input.bytes.length,
      format: decoded.format,
      width: decoded.sourceWidth,
      height: decoded.sourceHeight,
      faces,
      timings: t,
    };
  }

  /** Releases the models' sessions. */
  async dispose(): Promise<void> {
    await this.models.dispose();
  }
}

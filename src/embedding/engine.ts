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
import { type Detector, FIND_FACES_DEFAULTS, type FindFacesOptions, FoundBy, type FoundFace, findFaces } from '../vision/find-faces.ts';
import type { Box, RgbImage } from '../vision/image.ts';
import type { FaceCrop } from '../vision/landmarks.ts';
import { subjectFace } from '../vision/subject.ts';
import { chipAlignment } from './chip-alignment.ts';
import { isReadFailure, readSource } from './source.ts';
import type {
  AttributeOptions,
  AttributeOutcome,
  AttributeRequest,
  AttributeResult,
  BatchResult,
  EngineInfo,
  FaceAttributes,
  FaceEngineClient,
  FaceResult,
  ImageFailure,
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
  /** 68 landmarks (flat x,y in image px: length 136) for each face box, of one image or several, in one model run. */
  landmarks(faces: readonly FaceCrop[], signal?: AbortSignal): Promise<Float32Array[]>;
  /** Embeddings of aligned chips (as `embedding.alignment` says), one Float32Array each (not yet normalised). */
  embed(chips: RgbImage[], signal?: AbortSignal): Promise<Float32Array[]>;
  /** Age/gender/expression for each face box, of one image or several, when the attribute heads are loaded. */
  attributes?(faces: readonly FaceCrop[], signal?: AbortSignal): Promise<FaceAttributes[]>;
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

/**
 * Faces a batch gathers, across photos, before the landmark and recognition networks run on them together: a
 * run of 8 faces costs less per face than 8 runs of one (measured here in onnxruntime-web's wasm: about half
 * the time per face for landmarks, a fifth less for recognition).
 */
export const FACES_PER_RUN = 8;

/** Decoded pixels held waiting for those runs, at most (16 M pixels: about 48 MB of RGB). */
const PIXELS_PER_RUN = 16_000_000;

/** A photo read and hashed, its decoding under way. */
interface Started {
  input: ImageInput;
  hash: string;
  decoding: Promise<DecodedImage>;
}

/** A photo whose faces are found, waiting for the landmark and recognition networks. */
interface Located {
  input: ImageInput;
  hash: string;
  decoded: DecodedImage;
  found: FoundFace[];
  t: StageTimings;
}

/** What the networks gave for one located photo's faces. */
interface Networked {
  landmarks: Float32Array[];
  chips: RgbImage[];
  vectors: Float32Array[];
  /** Present when attributes were asked for. */
  attributes?: FaceAttributes[];
}

const isFailure = (x: object): x is ImageFailure => 'ok' in x;

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
    this.checkOptions(options);
    const started = await this.start(input);
    const located = isFailure(started) ? started : await this.locate(started, options);
    return (await this.finish([located], options))[0]!;
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
   * Processes images (bytes, or files read one at a time, the next one read and decoded while this one's faces
   * are found), each failure recorded beside its name while the rest go on. Faces are gathered across photos
   * ({@link FACES_PER_RUN}) for the landmark and recognition networks; outcomes and progress come in input order.
   * On abort, stops promptly and returns what finished with `cancelled: true` (photos waiting for those
   * networks are not finished).
   */
  async processBatch(inputs: readonly ImageSource[], options: ProcessOptions = {}): Promise<BatchResult> {
    this.checkOptions(options);
    const outcomes: ImageOutcome[] = [];
    const total = inputs.length;
    let faces = 0;
    let failed = 0;
    let group: (Located | ImageFailure)[] = [];
    let groupFaces = 0;
    let groupPixels = 0;
    const flush = async (): Promise<void> => {
      const finished = await this.finish(group, options);
      group = [];
      groupFaces = 0;
      groupPixels = 0;
      for (const outcome of finished) {
        outcomes.push(outcome);
        if (outcome.ok) faces += outcome.faces.length;
        else failed++;
        options.onProgress?.({ done: outcomes.length, total, faces, failed, name: outcome.name });
      }
    };
    const begin = async (source: ImageSource): Promise<Started | ImageFailure> => {
      // Files are read one at a time (and one ahead), so a large drop never holds every photo's bytes at once.
      const input = await readSource(source, false);
      return isReadFailure(input) ? input : this.start(input);
    };
    let next = inputs.length > 0 ? begin(inputs[0]!) : undefined;
    try {
      for (let i = 0; i < inputs.length; i++) {
        const current = await next!;
        next = i + 1 < inputs.length ? begin(inputs[i + 1]!) : undefined;
        const located = isFailure(current) ? current : await this.locate(current, options);
        group.push(located);
        if (!isFailure(located)) {
          groupFaces += located.found.length;
          groupPixels += located.decoded.image.width * located.decoded.image.height;
        }
        if (groupFaces >= FACES_PER_RUN || groupPixels >= PIXELS_PER_RUN) await flush();
      }
      await flush();
    } catch (error: unknown) {
      // The photo read ahead is dropped; its decoding may still fail, and nobody waits for it.
      next?.then((started) => (isFailure(started) ? undefined : started.decoding)).catch(() => undefined);
      if (isAbortError(error)) return { outcomes, cancelled: true };
      throw error;
    }
    return { outcomes, cancelled: false };
  }

  /** {@link processBatch} under the name every {@link FaceEngineClient} shares. */
  process(sources: readonly ImageSource[], options: ProcessOptions = {}): Promise<BatchResult> {
    return this.processBatch(sources, options);
  }

  /**
   * The attribute heads on faces found earlier ({@link FaceEngineClient.attributesOf}): each photo is read and decoded
   * again, its boxes taken back to the decoded pixels, and the crops of several photos run together
   * ({@link FACES_PER_RUN}). A photo that cannot be read or decoded again is a failure beside its name; when a
   * run fails, its photos are run again one by one so a failure stays the photo's own. On abort, returns what
   * finished with `cancelled: true`.
   * @throws InvalidInputError when this engine was created without the attribute heads.
   */
  async attributesOf(requests: readonly AttributeRequest[], options: AttributeOptions = {}): Promise<AttributeResult> {
    const heads = this.models.attributes;
    if (!heads) throw new InvalidInputError('attributes were asked for, but this engine was created without the attribute models (attributes: true)');
    const { signal, onProgress } = options;
    const outcomes: AttributeOutcome[] = [];
    type Pending = { name: string; size: number; crops: FaceCrop[] } | ImageFailure;
    let group: Pending[] = [];
    let faces = 0;
    let pixels = 0;
    const run = async (photos: readonly { crops: FaceCrop[] }[]): Promise<FaceAttributes[][]> => {
      const crops = photos.flatMap((p) => p.crops);
      const found = crops.length ? await heads(crops, signal) : [];
      if (found.length !== crops.length) throw new InferenceError(`the attribute models returned ${found.length} results for ${crops.length} faces`);
      let at = 0;
      return photos.map((p) => found.slice(at, (at += p.crops.length)));
    };
    const flush = async (): Promise<void> => {
      const done = await togetherOrAlone(
        group,
        run,
        (photo, attributes): AttributeOutcome => ({ ok: true, name: photo.name, attributes }),
        (photo, error): AttributeOutcome => ({ ok: false, name: photo.name, size: photo.size, error: serializeError(error) }),
      );
      for (const outcome of done) {
        outcomes.push(outcome);
        onProgress?.({ done: outcomes.length, total: requests.length });
      }
      group = [];
      faces = 0;
      pixels = 0;
    };
    try {
      for (const request of requests) {
        throwIfAborted(signal);
        const input = await readSource(request.source, false);
        if (isReadFailure(input)) {
          group.push(input);
        } else {
          try {
            const decoded = await this.platform.decode(input.bytes, input.name);
            // Boxes come in source pixels: back to the decoded image's, as the engine found them.
            const sx = decoded.sourceWidth / decoded.image.width;
            const sy = decoded.sourceHeight / decoded.image.height;
            const crops = request.boxes.map((b) => ({ image: decoded.image, box: { x: b.x / sx, y: b.y / sy, width: b.width / sx, height: b.height / sy } }));
            group.push({ name: input.name, size: input.bytes.length, crops });
            faces += crops.length;
            pixels += decoded.image.width * decoded.image.height;
          } catch (error: unknown) {
            if (isAbortError(error)) throw error;
            group.push(failureOf(input, undefined, error));
          }
        }
        if (faces >= FACES_PER_RUN || pixels >= PIXELS_PER_RUN) await flush();
      }
      await flush();
    } catch (error: unknown) {
      if (isAbortError(error)) return { outcomes, cancelled: true };
      throw error;
    }
    return { outcomes, cancelled: false };
  }

  /** @throws InvalidInputError when attributes are asked of an engine loaded without them. */
  private checkOptions(options: ProcessOptions): void {
    if (options.attributes && !this.models.attributes) {
      throw new InvalidInputError('attributes were asked for, but this engine was created without the attribute models (attributes: true)');
    }
  }

  /** Hashes the bytes and starts decoding them (awaited by {@link locate}). */
  private async start(input: ImageInput): Promise<Started | ImageFailure> {
    let hash: string | undefined;
    try {
      if (!(input.bytes instanceof Uint8Array)) {
        throw new InvalidInputError(`${input.name}: image bytes must be a Uint8Array; got ${typeof input.bytes}`);
      }
      hash = input.hash ?? (await hashBytes(input.bytes));
      const decoding = this.platform.decode(input.bytes, input.name);
      // Awaited by locate(); until then a failure must not count as unhandled.
      decoding.catch(() => undefined);
      return { input, hash, decoding };
    } catch (error: unknown) {
      return failureOf(input, hash, error);
    }
  }

  /** Waits for the decoding and finds the faces (the subject only, when asked). */
  private async locate(started: Started, options: ProcessOptions): Promise<Located | ImageFailure> {
    const { input, hash } = started;
    const { signal } = options;
    try {
      throwIfAborted(signal);
      const t = zeroTimings();
      const clock = this.platform;
      // The time waited for the decoding: in a batch it ran while the previous photo's faces were found.
      let start = clock.now();
      const decoded = await started.decoding;
      t.decode = clock.now() - start;
      throwIfAborted(signal);
      start = clock.now();
      let found = await findFaces(decoded.image, this.models.detect, { ...this.options.find, ...(signal ? { signal } : {}) });
      found.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
      if (options.subject) {
        const subject = subjectFace(found, options.subject, decoded.image);
        found = subject ? [subject] : [];
      } else if (options.largestOnly) found = found.slice(0, 1);
      t.detect = clock.now() - start;
      return { input, hash, decoded, found, t };
    } catch (error: unknown) {
      if (isAbortError(error)) throw error;
      return failureOf(input, hash, error);
    }
  }

  /**
   * Runs the landmark and recognition networks once over the faces of every located photo of `group`, then
   * builds each photo's result, in order. When a run fails, each photo is run again alone, so a failure stays
   * that photo's.
   */
  private finish(group: readonly (Located | ImageFailure)[], options: ProcessOptions): Promise<ImageOutcome[]> {
    return togetherOrAlone<Located, Networked, ImageOutcome>(
      group,
      (photos) => this.runNetworks(photos, options),
      (photo, networked) => this.result(photo, networked, options),
      (photo, error) => failureOf(photo.input, photo.hash, error),
    );
  }

  /**
   * Landmarks, alignment, embeddings (and attributes when asked) for the faces of `photos`: one run of each
   * network for all of them. Each photo's timings get its share of a run, by its number of faces.
   */
  private async runNetworks(photos: readonly Located[], options: ProcessOptions): Promise<Networked[]> {
    const { signal } = options;
    const clock = this.platform;
    const crops: FaceCrop[] = photos.flatMap((p) => p.found.map((f) => ({ image: p.decoded.image, box: f.box })));
    const share = (key: 'landmarks' | 'embed' | 'attributes', ms: number): void => {
      for (const p of photos) p.t[key] = (ms * p.found.length) / Math.max(1, crops.length);
    };
    throwIfAborted(signal);
    let start = clock.now();
    const landmarks = crops.length ? await this.models.landmarks(crops, signal) : [];
    if (landmarks.length !== crops.length) {
      throw new InferenceError(`the landmark model returned ${landmarks.length} results for ${crops.length} faces`);
    }
    share('landmarks', clock.now() - start);
    const chip = chipAlignment(this.models.embedding.alignment, this.options.align);
    const chips: RgbImage[] = [];
    let at = 0;
    for (const p of photos) {
      start = clock.now();
      for (let i = 0; i < p.found.length; i++) chips.push(alignFace(p.decoded.image, landmarks[at + i]!, chip.size, chip.padding, chip.method).chip);
      at += p.found.length;
      p.t.align = clock.now() - start;
    }
    throwIfAborted(signal);
    start = clock.now();
    const vectors = chips.length ? await this.models.embed(chips, signal) : [];
    if (vectors.length !== chips.length) {
      throw new InferenceError(`the embedding model returned ${vectors.length} vectors for ${chips.length} faces`);
    }
    share('embed', clock.now() - start);
    let attributes: FaceAttributes[] | undefined;
    if (options.attributes && this.models.attributes) {
      throwIfAborted(signal);
      start = clock.now();
      attributes = crops.length ? await this.models.attributes(crops, signal) : [];
      if (attributes.length !== crops.length) {
        throw new InferenceError(`the attribute models returned ${attributes.length} results for ${crops.length} faces`);
      }
      share('attributes', clock.now() - start);
    }
    at = 0;
    return photos.map((p) => {
      const end = at + p.found.length;
      const own: Networked = { landmarks: landmarks.slice(at, end), chips: chips.slice(at, end), vectors: vectors.slice(at, end) };
      if (attributes) own.attributes = attributes.slice(at, end);
      at = end;
      return own;
    });
  }

  /** One photo's result: its faces with attributes, thumbnails and measures, in source pixels. */
  private async result(photo: Located, networked: Networked, options: ProcessOptions): Promise<ImageResult> {
    const { signal } = options;
    const { input, hash, decoded, found, t } = photo;
    const { image } = decoded;
    const { landmarks, chips, vectors } = networked;
    // Results are reported in source pixels: undo the decoder's downscaling, per axis (each side is rounded).
    const sx = decoded.sourceWidth / image.width;
    const sy = decoded.sourceHeight / image.height;
    const faces: FaceResult[] = [];
    for (let i = 0; i < found.length; i++) {
      throwIfAborted(signal);
      const face = found[i]!;
      const attributes = networked.attributes?.[i];
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

/** An image's failure: its name, hash and size where known, and the error. */
function failureOf(input: ImageInput, hash: string | undefined, error: unknown): ImageFailure {
  // Typed failures (decode, no face) and unexpected ones alike belong to this image, not the batch.
  const size = input.bytes?.length;
  return { ok: false, name: input.name, ...(hash ? { hash } : {}), ...(size === undefined ? {} : { size }), error: serializeError(error) };
}

/**
 * Runs `run` once over the items of `group` that are not already failures (when there are several), then makes each
 * one's outcome with `done`; when that run fails, each item is run again alone, so a failure stays that item's own
 * (`fail` makes its outcome). Failures already in `group` keep their place. An abort passes through.
 */
async function togetherOrAlone<T extends object, R, O>(
  group: readonly (T | ImageFailure)[],
  run: (items: readonly T[]) => Promise<R[]>,
  done: (item: T, result: R) => Promise<O> | O,
  fail: (item: T, error: unknown) => O,
): Promise<(O | ImageFailure)[]> {
  const items = group.filter((x): x is T => !isFailure(x));
  let together: R[] | undefined;
  try {
    together = items.length > 1 ? await run(items) : undefined;
  } catch (error: unknown) {
    if (isAbortError(error)) throw error;
    // Not reported here: the items are run again one by one below, where a failure is the item's own.
  }
  const out: (O | ImageFailure)[] = [];
  for (const item of group) {
    if (isFailure(item)) {
      out.push(item);
      continue;
    }
    try {
      out.push(await done(item, together?.[items.indexOf(item)] ?? (await run([item]))[0]!));
    } catch (error: unknown) {
      if (isAbortError(error)) throw error;
      out.push(fail(item, error));
    }
  }
  return out;
}

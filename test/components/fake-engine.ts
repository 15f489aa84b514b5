/**
 * A fake face engine for component tests (runs in the browser): each "photo" is a file whose name says
 * what it holds — `<group>-<n>.jpg` is one face near group's direction (a → e0, b → e1, …) with seeded
 * noise, `two-<group>-<n>.jpg` two faces, `bad-<n>.jpg` a decode failure. Hashes are real SHA-256 of the
 * bytes, thumbnails a real small PNG. It can hold images back (`pause`/`allow`/`resume`) so a test can see
 * the working state and press Cancel mid-batch.
 */
import { InferenceError, hashBytes, type AttributeOptions, type AttributeRequest, type AttributeResult, type BatchResult, type EngineInfo, type FaceEngineClient, type FaceResult, type ImageOutcome, type ImageSource, type ProcessOptions, type Thumbnail } from '../../src/index.ts';

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

let thumbnail: Promise<Thumbnail> | undefined;

/** A real 24×24 PNG (so <img> elements load it), made once. */
function makeThumbnail(): Promise<Thumbnail> {
  thumbnail ??= (async () => {
    const canvas = new OffscreenCanvas(24, 24);
    const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    context.fillStyle = '#c08060';
    context.fillRect(0, 0, 24, 24);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    return { type: 'image/png' as const, bytes: new Uint8Array(await blob.arrayBuffer()), width: 24, height: 24 };
  })();
  return thumbnail;
}

/** A photo file for the fake engine; the content is unique per name, so every name has its own hash. */
export function photo(name: string): File {
  return new File([`fake photo ${name}`], name, { type: 'image/jpeg' });
}

/** A real JPEG photo of `width` × `height` px (a gradient, a dark square and its name), for tests that look at the photo itself. */
export async function realPhoto(name: string, width: number, height: number): Promise<File> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
  const gradient = context.createLinearGradient(0, 0, width, height);
  gradient.addColorStop(0, '#d9b38c');
  gradient.addColorStop(1, '#4a6fa5');
  context.fillStyle = gradient;
  context.fillRect(0, 0, width, height);
  // The name written on it makes every photo's content, and so its hash, its own.
  context.fillStyle = '#222222';
  context.fillRect(0, 0, width / 8, height / 8);
  context.font = `${Math.round(height / 10)}px sans-serif`;
  context.fillText(name, width / 4, height / 2);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
  return new File([blob], name, { type: 'image/jpeg' });
}

/** The injected engine. */
export class FakeEngine implements FaceEngineClient {
  readonly info: EngineInfo;
  /** Every process() call's file names and options. */
  readonly calls: { names: string[]; options: ProcessOptions }[] = [];
  /** Content hash → file name, for every photo seen. */
  readonly names = new Map<string, string>();
  /** File name → the photo's size in px, for real images (see {@link realPhoto}); 100 × 100 otherwise. */
  readonly sizes = new Map<string, { width: number; height: number }>();
  disposed = false;
  /** When set, the process() call with this 1-based number rejects, as a crashed worker would. */
  failOnCall: number | undefined;
  private paused = false;
  private permits = 0;
  private wake: (() => void) | undefined;

  constructor(readonly dimension = 8, info: Partial<EngineInfo> = {}) {
    this.info = {
      backend: 'fake', backendReason: 'injected by the test', modelId: 'fake-model', dimension, detector: 'fake-detector', alignment: 'dlib-68',
      ...info,
    };
  }

  /** Holds every following image until {@link allow} or {@link resume}. */
  pause(): void {
    this.paused = true;
  }

  /** Lets `n` held images through. */
  allow(n = 1): void {
    this.permits += n;
    this.wake?.();
  }

  /** Stops holding images. */
  resume(): void {
    this.paused = false;
    this.wake?.();
  }

  private async gate(): Promise<void> {
    while (this.paused && this.permits === 0) await new Promise<void>((ok) => { this.wake = ok; });
    if (this.paused) this.permits--;
  }

  /** The group letter of a face id (`hash:index`), from the file it came from. */
  groupOf(faceId: string): string | undefined {
    const name = this.names.get(faceId.split(':')[0] ?? '');
    return name?.replace(/^two-/, '').split('-')[0];
  }

  async process(sources: readonly ImageSource[], options: ProcessOptions = {}): Promise<BatchResult> {
    this.calls.push({ names: sources.map((s) => s.name), options });
    if (this.calls.length === this.failOnCall) throw new InferenceError('wasm inference failed for inputs x [1, 3, 512, 512]: out of memory');
    const outcomes: ImageOutcome[] = [];
    let faces = 0;
    let failed = 0;
    for (const source of sources) {
      if (options.signal?.aborted) return { outcomes, cancelled: true };
      await this.gate();
      const bytes = source instanceof Blob ? new Uint8Array(await source.arrayBuffer()) : source.bytes;
      const outcome = await this.outcome(source.name, bytes, options);
      outcomes.push(outcome);
      if (outcome.ok) faces += outcome.faces.length;
      else failed++;
      options.onProgress?.({ done: outcomes.length, total: sources.length, faces, failed, name: source.name });
    }
    return { outcomes, cancelled: false };
  }

  private async outcome(name: string, bytes: Uint8Array, options: ProcessOptions): Promise<ImageOutcome> {
    const hash = await hashBytes(bytes);
    this.names.set(hash, name);
    if (name.startsWith('bad-')) {
      return { ok: false, name, hash, size: bytes.length, error: { name: 'DecodeError', code: 'decode', message: `${name} is not a JPEG, PNG or WebP image` } };
    }
    const two = name.startsWith('two-');
    const group = name.replace(/^two-/, '').charCodeAt(0) - 97;
    const count = two ? 2 : 1;
    const thumb = await makeThumbnail();
    const faces: FaceResult[] = [];
    for (let index = 0; index < count; index++) {
      const random = rng(seedOf(`${name}#${index}`));
      const v = new Float32Array(this.dimension);
      for (let j = 0; j < v.length; j++) v[j] = (random() - 0.5) * 0.1;
      v[(group + index) % this.dimension] = (v[(group + index) % this.dimension] as number) + 1;
      const norm = Math.hypot(...v);
      for (let j = 0; j < v.length; j++) v[j] = (v[j] as number) / norm;
      faces.push({
        index,
        box: { x: 10 * index, y: 0, width: 50, height: 50 },
        score: 0.9,
        foundBy: 'detected',
        landmarks: new Float32Array(136),
        embedding: v,
        modelId: this.info.modelId,
        ...(options.thumbnails ? { thumbnail: { ...thumb, bytes: thumb.bytes.slice() } } : {}),
        ...(options.attributes ? { attributes: { age: 31, gender: 'female', genderProbability: 0.8, expressions: { neutral: 0.7, happy: 0.3 } } } : {}),
      });
    }
    return {
      ok: true, name, hash, size: bytes.length, format: 'jpeg', ...(this.sizes.get(name) ?? { width: 100, height: 100 }), faces,
      timings: { decode: 0, detect: 0, landmarks: 0, align: 0, embed: 0, attributes: 0 },
    };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

/**
 * The fake engine with {@link FaceEngineClient.attributesOf}, as the real worker engine has: the element then finds
 * age, gender and expression after the clustering. Each call's photo names are recorded, with `events` (the
 * element's events, when a test pushes them) as they stood when it was called.
 */
export class LaterAttributesEngine extends FakeEngine {
  readonly attributeCalls: { names: string[]; eventsBefore: string[] }[] = [];
  readonly events: string[] = [];
  private held: Promise<void> | undefined;
  private release: (() => void) | undefined;

  /** Holds the next attributesOf calls until {@link letGo}, so a test can see the page while they are pending. */
  hold(): void {
    this.held = new Promise<void>((ok) => { this.release = ok; });
  }

  letGo(): void {
    this.release?.();
    this.held = undefined;
  }

  async attributesOf(requests: readonly AttributeRequest[], options: AttributeOptions = {}): Promise<AttributeResult> {
    this.attributeCalls.push({ names: requests.map((r) => r.source.name), eventsBefore: [...this.events] });
    await this.held;
    const outcomes: AttributeResult['outcomes'] = [];
    for (const request of requests) {
      if (options.signal?.aborted) return { outcomes, cancelled: true };
      const age = 20 + request.source.name.length;
      outcomes.push({ ok: true, name: request.source.name, attributes: request.boxes.map(() => ({ age, gender: 'male', genderProbability: 0.7, expressions: { neutral: 0.4, happy: 0.6 } })) });
      options.onProgress?.({ done: outcomes.length, total: requests.length });
    }
    return { outcomes, cancelled: false };
  }
}

/**
 * The engine's models: loads the built-in ONNX models (or a user's own embedding model) and adapts the
 * runners to the {@link FaceModelSet} the engine drives. Works wherever createSession does.
 */
import { InvalidInputError } from '../errors.ts';
import { inputSide } from '../models/manifest.ts';
import { BUILTIN_EMBEDDING_MODELS, DEFAULT_EMBEDDING_MODEL } from '../models/embedding-models.ts';
import { type LoadedModel, loadBuiltinModels, loadModel } from '../models/load.ts';
import type { FaceAttributes } from './types.ts';
import { predictAttributesBatch } from '../vision/attributes.ts';
import { decodeSsdOutput, runSsdDetector, type SsdOutput } from '../vision/detect-ssd.ts';
import { decodeTinyGrid, runTinyDetector, type TinyGrid } from '../vision/detect-tiny.ts';
import { reusingDetector } from '../vision/reusing-detector.ts';
import { COARSE_MAX_SIDE, COARSE_SIDE, coarseFirstDetector } from '../vision/coarse-first.ts';
import type { Detector } from '../vision/find-faces.ts';
import type { Box, RgbImage } from '../vision/image.ts';
import { type FaceCrop, detectLandmarks68Crops } from '../vision/landmarks.ts';
import { cropImage } from '../vision/resize.ts';
import type { OrtSessionOptions } from '../runtime/ort.ts';
import type { DownloadMeter } from '../runtime/downloads.ts';
import { computeDescriptors } from '../vision/descriptor.ts';
import type { FaceModelSet } from './engine.ts';

/**
 * Which detector finds faces. 'auto' (the default) runs the tiny detector on images whose longer side is at most
 * {@link TINY_MAX_SIDE} px, where it sees every pixel, and SSD MobileNet v1 (512 px input) on larger photos, where
 * small faces need its higher resolution and recall. Measured here: on 250 px LFW and 200 px UTKFace images the
 * tiny detector found more faces at the first try than SSD (887 vs 827 of 908; 192 vs 164 of 300) in a third of
 * the time; on uncropped CelebA photos and group photos SSD found more (179 vs 165 of 180).
 */
export type DetectorName = 'auto' | 'ssd' | 'tiny';

/** The largest image side the tiny detector takes without downscaling (its largest trained input size). */
export const TINY_MAX_SIDE = 416;

/** Options for {@link loadFaceModels}. */
export interface FaceModelOptions extends OrtSessionOptions {
  /** Folder (URL ending in '/', or a directory path in Node) holding index.json and the built-in .onnx files. */
  base: string | URL;
  /** Default 'auto'. */
  detector?: DetectorName;
  /** The tiny 68-point landmark model instead of the full one. Default false. */
  tinyLandmarks?: boolean;
  /** Load the age/gender and expression heads. Default false. */
  attributes?: boolean;
  /** A built-in embedding model by manifest id (see BUILTIN_EMBEDDING_MODELS); default face-api-face-recognition. */
  model?: string;
  /** A user's own embedding model with its manifest, validated on load; it replaces the built-in one. */
  embedding?: { manifest: unknown; model: Uint8Array | ArrayBuffer | string | URL };
  /** Told the built-in models' files and sizes before they download, then their bytes as they arrive. */
  download?: DownloadMeter;
}

/**
 * Loads the models the options ask for and returns them as a FaceModelSet.
 * @throws ModelLoadError when a model is missing or disagrees with its manifest; UnsupportedEnvironmentError when
 *   the requested backend is unavailable.
 */
export async function loadFaceModels(options: FaceModelOptions): Promise<FaceModelSet> {
  const detectorName = options.detector ?? 'auto';
  if (detectorName !== 'auto' && detectorName !== 'ssd' && detectorName !== 'tiny') {
    throw new InvalidInputError(`detector must be 'auto', 'ssd' or 'tiny'; got ${JSON.stringify(detectorName)}`);
  }
  const session: OrtSessionOptions = {
    ...(options.backend ? { backend: options.backend } : {}),
    ...(options.threads ? { threads: options.threads } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const modelId = options.model ?? DEFAULT_EMBEDDING_MODEL;
  const embeddingName = BUILTIN_EMBEDDING_MODELS[modelId];
  if (!embeddingName) {
    throw new InvalidInputError(`model must be one of ${Object.keys(BUILTIN_EMBEDDING_MODELS).join(', ')}; got ${JSON.stringify(modelId)}`);
  }
  const names = [
    ...(detectorName === 'tiny' ? [] : ['ssd-mobilenetv1']),
    ...(detectorName === 'ssd' ? [] : ['tiny-face-detector']),
    options.tinyLandmarks ? 'face-landmark-68-tiny' : 'face-landmark-68',
    ...(options.embedding ? [] : [embeddingName]),
    ...(options.attributes ? ['age-gender', 'face-expression'] : []),
  ];
  const loaded = await loadBuiltinModels(options.base, names, { ...session, ...(options.download ? { download: options.download } : {}) });
  const all = [...loaded.values()];
  try {
    const embedder = options.embedding
      ? await loadModel(options.embedding.manifest, options.embedding.model, { ...session, task: 'embedding' })
      : loaded.get(embeddingName)!;
    if (options.embedding) all.push(embedder);
    return modelSet(loaded, embedder, detectorName, options.tinyLandmarks ?? false);
  } catch (error: unknown) {
    await Promise.all(all.map((m) => m.session.dispose()));
    throw error;
  }
}

/**
 * The tiny detector's input side for an image: its longer side rounded up to a multiple of 32, within
 * [224, 416]. The network is fully convolutional, so it runs at any multiple of 32; upsampling a small image
 * to 416 only costs time (3.4× the work of 224) without adding detail.
 */
export function tinyInputSize(width: number, height: number): number {
  return Math.min(416, Math.max(224, Math.ceil(Math.max(width, height) / 32) * 32));
}

function modelSet(loaded: Map<string, LoadedModel>, embedder: LoadedModel, detectorName: DetectorName, tiny: boolean): FaceModelSet {
  const ssd = loaded.get('ssd-mobilenetv1');
  const tinyDetector = loaded.get('tiny-face-detector');
  const landmarkModel = loaded.get(tiny ? 'face-landmark-68-tiny' : 'face-landmark-68')!;
  const ageGender = loaded.get('age-gender');
  const expression = loaded.get('face-expression');
  const spec = embedder.manifest.embedding!;

  const useTiny = (width: number, height: number): boolean => detectorName === 'tiny' || (detectorName === 'auto' && Math.max(width, height) <= TINY_MAX_SIDE);
  // One network run per image: findFaces's lower thresholds decode the same output again.
  const fine: Detector = reusingDetector<{ tiny: TinyGrid } | { ssd: SsdOutput }>(
    async (image, signal) => {
      return useTiny(image.width, image.height)
        ? { tiny: await runTinyDetector(tinyDetector!, image, tinyInputSize(image.width, image.height), signal) }
        : { ssd: await runSsdDetector(ssd!, image, signal) };
    },
    (output, minConfidence) => ('tiny' in output ? decodeTinyGrid(output.tiny, minConfidence) : decodeSsdOutput(output.ssd, { minConfidence })),
  );
  fine.inputSide = (width, height) => (useTiny(width, height) ? tinyInputSize(width, height) : inputSide(ssd!.manifest)!);
  // Small photos are searched at the tiny detector's coarse input first (see coarse-first.ts); SSD, when asked for, alone.
  const coarse = reusingDetector<TinyGrid>(
    (image, signal) => runTinyDetector(tinyDetector!, image, COARSE_SIDE, signal),
    (grid, minConfidence) => decodeTinyGrid(grid, minConfidence),
  );
  const detect = detectorName === 'ssd'
    ? fine
    : coarseFirstDetector(coarse, fine, (width, height) => Math.max(width, height) <= COARSE_MAX_SIDE);

  const attributes = ageGender && expression
    ? async (faces: readonly FaceCrop[], signal?: AbortSignal): Promise<FaceAttributes[]> => {
      if (faces.length === 0) return [];
      const crops = faces.map((f) => cropImage(f.image, f.box).image);
      const o = signal ? { signal } : {};
      const { ageGender: ag, expressions } = await predictAttributesBatch(ageGender, expression, crops, o);
      return ag.map((a, i) => ({ age: a.age, gender: a.gender, genderProbability: a.genderProbability, expressions: expressions[i]! }));
    }
    : undefined;

  const sessions = new Set([...loaded.values(), embedder].map((m) => m.session));
  const first = embedder.session;
  const detectorId = detectorName === 'auto'
    ? `auto (${tinyDetector!.manifest.id} up to ${TINY_MAX_SIDE} px, else ${ssd!.manifest.id})`
    : (ssd ?? tinyDetector)!.manifest.id;
  return {
    detect,
    landmarks: async (faces, signal) => {
      const found = await detectLandmarks68Crops(landmarkModel, faces, signal ? { signal } : {});
      return found.map(({ points }) => {
        const flat = new Float32Array(136);
        points.forEach((p, i) => {
          flat[2 * i] = p.x;
          flat[2 * i + 1] = p.y;
        });
        return flat;
      });
    },
    embed: async (chips, signal) =>
      (await computeDescriptors(embedder, chips, signal ? { signal } : {})).map((e) => e.vector),
    ...(attributes ? { attributes } : {}),
    embedding: {
      id: embedder.manifest.id,
      dimension: spec.dimension,
      ...(embedder.manifest.alignment ? { alignment: embedder.manifest.alignment } : {}),
      ...(spec.samePersonDistance ? { samePersonDistance: spec.samePersonDistance } : {}),
    },
    info: {
      backend: first.backend,
      backendReason: first.fallbackReason ?? (first.backend === 'node' ? 'onnxruntime-node is installed' : `${first.backend} chosen`),
      detector: detectorId,
      threads: first.threads,
    },
    dispose: async () => {
      await Promise.all([...sessions].map((s) => s.dispose()));
    },
  };
}

/**
 * The engine in Node: sharp decodes, onnxruntime-node runs the models when it is installed (else
 * onnxruntime-web's wasm), and thumbnails are JPEG-encoded with sharp. Used by the CLI and benchmarks.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { ModelLoadError } from '../errors.ts';
import { decodeImageNode } from '../vision/decode-node.ts';
import type { RgbImage } from '../vision/image.ts';
import { type EngineOptions, FaceEngine } from './engine.ts';
import { type FaceModelOptions, loadFaceModels } from './models.ts';

/**
 * Where the built models are: build/models beside the CLI bundle (build/node) or above the sources, or in the
 * installed package, the standalone build's models (dist/standalone/models, beside dist/src).
 * @throws ModelLoadError when none holds index.json (the build has not run).
 */
export function defaultModelsDir(): string {
  const candidates = [new URL('../models/', import.meta.url), new URL('../../build/models/', import.meta.url),
    new URL('../../standalone/models/', import.meta.url)];
  for (const url of candidates) {
    const dir = fileURLToPath(url);
    if (existsSync(`${dir}index.json`)) return dir;
  }
  throw new ModelLoadError(
    `no built models found (looked for index.json in ${candidates.map((u) => fileURLToPath(u)).join(' and ')}); run \`npm run build\``,
  );
}

/** Options for {@link createNodeEngine}. */
export interface NodeEngineOptions extends Omit<FaceModelOptions, 'base'>, EngineOptions {
  /** Folder of the built models; default {@link defaultModelsDir}. */
  modelsDir?: string;
}

/** JPEG thumbnail of an aligned chip. */
async function encodeThumbnail(chip: RgbImage) {
  const bytes = await sharp(chip.data, { raw: { width: chip.width, height: chip.height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
  return { type: 'image/jpeg' as const, bytes: new Uint8Array(bytes), width: chip.width, height: chip.height };
}

/**
 * Loads the models and returns a ready engine. Call `dispose()` when done.
 * @throws ModelLoadError / UnsupportedEnvironmentError as loadFaceModels does.
 */
export async function createNodeEngine(options: NodeEngineOptions = {}): Promise<FaceEngine> {
  const { modelsDir, find, align, ...modelOptions } = options;
  const models = await loadFaceModels({ ...modelOptions, base: modelsDir ?? defaultModelsDir() });
  return new FaceEngine(models, { decode: decodeImageNode, encodeThumbnail, now: () => performance.now() }, {
    ...(find ? { find } : {}),
    ...(align ? { align } : {}),
  });
}

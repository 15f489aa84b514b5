/**
 * Computes face embeddings with the default recognition model or a user's own embedding model: each chip is
 * padded to a centred square (or as its manifest says), resized to the model's input side, normalised per the
 * manifest and run in batches. Every vector carries the id of the model that produced it.
 */
import { InvalidInputError, throwIfAborted } from '../errors.ts';
import { inputSide } from '../models/manifest.ts';
import { assertTask, type LoadedModel } from '../models/load.ts';
import type { RgbImage } from './image.ts';
import { batchTensor } from './resize.ts';

/** An embedding and the model it came from (vectors of different models must never be compared). */
export interface Embedding {
  /** The producing model's manifest id. */
  modelId: string;
  /** The raw model output (the default model's 128-D descriptor is not L2-normalised). */
  vector: Float32Array;
}

/** Options of {@link computeDescriptors}. */
export interface DescriptorOptions {
  /** Chips per model run. Default 16. */
  batchSize?: number;
  signal?: AbortSignal;
}

/**
 * Embeds face chips (for the default model: aligned 150×150 RGB chips; other sizes are padded and resized
 * like face-api does).
 * @returns one embedding per chip, in order.
 * @throws InvalidInputError for a malformed chip, a non-embedding model, or a bad batch size;
 *   InferenceError when the runtime fails; an AbortError on abort.
 */
export async function computeDescriptors(model: LoadedModel, chips: readonly RgbImage[], options: DescriptorOptions = {}): Promise<Embedding[]> {
  assertTask(model, 'embedding', 'computeDescriptors');
  const batchSize = options.batchSize ?? 16;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidInputError(`batchSize must be a positive integer; got ${batchSize}`);
  const { manifest, session } = model;
  const spec = manifest.embedding!;
  const size = inputSide(manifest);
  if (size === undefined) throw new InvalidInputError(`embedding model ${manifest.id} must declare a fixed square input size`);
  const out: Embedding[] = [];
  for (let start = 0; start < chips.length; start += batchSize) {
    throwIfAborted(options.signal);
    const batch = chips.slice(start, start + batchSize);
    const result = await session.run({ [manifest.input.name]: batchTensor(manifest.input, batch, size) }, options.signal);
    const vectors = result[spec.output];
    if (!vectors || vectors.data.length !== batch.length * spec.dimension) {
      throw new InvalidInputError(`model ${manifest.id} did not return "${spec.output}" as [${batch.length}, ${spec.dimension}]`);
    }
    for (let i = 0; i < batch.length; i++) {
      out.push({ modelId: manifest.id, vector: vectors.data.slice(i * spec.dimension, (i + 1) * spec.dimension) });
    }
  }
  return out;
}

/** Embeds one face chip. @throws as {@link computeDescriptors}. */
export async function computeDescriptor(model: LoadedModel, chip: RgbImage, options: { signal?: AbortSignal } = {}): Promise<Embedding> {
  return (await computeDescriptors(model, [chip], options))[0]!;
}

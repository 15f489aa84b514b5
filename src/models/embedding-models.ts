/**
 * The built-in embedding models a user can choose, by manifest id, with their file stems in build/models/.
 * Data only.
 */
import { BUILTIN_MODELS } from './builtin.ts';
import { MOBILEFACENET_MANIFEST, MOBILEFACENET_NAME } from './mobilefacenet.ts';

/** Manifest id → file stem of every built-in embedding model; the first is the default. */
export const BUILTIN_EMBEDDING_MODELS: Readonly<Record<string, string>> = {
  [BUILTIN_MODELS['face-recognition'].id]: 'face-recognition',
  [MOBILEFACENET_MANIFEST.id]: MOBILEFACENET_NAME,
};

/** Id of the default embedding model (dlib's ResNet via face-api). */
export const DEFAULT_EMBEDDING_MODEL = BUILTIN_MODELS['face-recognition'].id;

/** How a person sees a built-in embedding model: a short name, and the name with what it makes of a face. */
export interface EmbeddingModelLabel {
  /** Short name, e.g. for a table's column: 'dlib ResNet-34'. */
  short: string;
  /** For a picker: 'dlib ResNet-34 (2017, 128 numbers per face)'. */
  long: string;
}

/** Plain-words labels of the built-in embedding models, by manifest id. */
export const EMBEDDING_MODEL_LABELS: Readonly<Record<string, EmbeddingModelLabel>> = {
  [BUILTIN_MODELS['face-recognition'].id]: { short: 'dlib ResNet-34', long: 'dlib ResNet-34 (2017, 128 numbers per face)' },
  [MOBILEFACENET_MANIFEST.id]: { short: 'MobileFaceNet', long: 'MobileFaceNet (192 numbers per face)' },
};

/** The short label of a model id; the id itself for a model that is not built in (a person's own). */
export function embeddingModelLabel(modelId: string): string {
  return EMBEDDING_MODEL_LABELS[modelId]?.short ?? modelId;
}

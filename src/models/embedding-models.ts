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

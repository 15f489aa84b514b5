/**
 * Which alignment and chip an embedding model gets: the one its manifest names (e.g. the ArcFace template at
 * 112 px for MobileFaceNet), or, for dlib-style models and manifests without one, dlib's template fitted as the
 * engine's `align` option says.
 */
import type { AlignmentSpec } from '../models/manifest.ts';
import { type AlignmentMethod, CHIP_PADDING, CHIP_SIZE } from '../vision/align.ts';

/** The alignment method, chip side and padding for a model. */
export interface ChipAlignment {
  method: AlignmentMethod;
  size: number;
  padding: number;
}

/**
 * @param spec the embedding model's manifest `alignment` (undefined: dlib's 150-pixel chip, padding 0.25).
 * @param dlibFit how dlib's template is fitted (68 or 5 landmarks) when the model uses it.
 */
export function chipAlignment(spec: AlignmentSpec | undefined, dlibFit: AlignmentMethod = 'dlib-68'): ChipAlignment {
  if (spec?.template === 'arcface-5') return { method: 'arcface-5', size: spec.size, padding: 0 };
  return { method: dlibFit, size: spec?.size ?? CHIP_SIZE, padding: spec?.padding ?? CHIP_PADDING };
}

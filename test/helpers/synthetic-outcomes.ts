/**
 * Image outcomes made up without inference, for tests of what the CLI writes: `faces` faces per image with
 * embeddings and landmarks of realistic length and digits, from a fixed formula (no randomness needed).
 */
import type { ImageResult } from '../../src/embedding/types.ts';

/** The i-th synthetic image with `faces` faces (128-D embeddings, 68 landmarks). */
export function syntheticOutcome(i: number, faces: number): ImageResult {
  return {
    ok: true,
    name: `photos/image-${i}.jpg`,
    hash: i.toString(16).padStart(64, '0'),
    size: 10_000 + i,
    format: 'jpeg',
    width: 640,
    height: 480,
    faces: Array.from({ length: faces }, (_, f) => ({
      index: f,
      box: { x: 10.5 + f, y: 20.25, width: 100, height: 120 },
      score: 0.987654321,
      foundBy: 'detected' as const,
      landmarks: Float32Array.from({ length: 136 }, (_, k) => 100 + Math.sin(i + f + k) * 50),
      embedding: Float32Array.from({ length: 128 }, (_, k) => Math.sin(i * 7 + f * 3 + k) / 11.3),
      modelId: 'm',
    })),
    timings: { decode: 1, detect: 2, landmarks: 3, align: 4, embed: 5, attributes: 0 },
  };
}

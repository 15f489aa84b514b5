/**
 * face-api's FaceLandmark68Net and FaceLandmark68TinyNet as ONNX: a normalised 112×112 RGB crop
 * [N, 3, 112, 112] → `landmarks` [N, 136] = 68 (x, y) pairs relative to the padded square
 * (the runner maps them back to image pixels, as face-api's postProcess does).
 */
import { OnnxGraph } from '../onnx-graph.ts';
import { dense } from '../layers.ts';
import { requireWeight, type TfjsWeight } from '../tfjs-weights.ts';
import { denseFeatures, FEATURE_INPUT_SIZE } from './dense-features.ts';

/** Builds the full (`tiny = false`) or tiny landmark graph. */
export function buildFaceLandmark68(weights: Map<string, TfjsWeight>, tiny: boolean): OnnxGraph {
  const g = new OnnxGraph(tiny ? 'face_landmark_68_tiny' : 'face_landmark_68');
  const input = g.input('input', ['batch', 3, FEATURE_INPUT_SIZE, FEATURE_INPUT_SIZE]);
  const features = denseFeatures(g, weights, input, tiny ? 3 : 4);
  const out = dense(g, features.name, requireWeight(weights, 'fc/weights', 2), requireWeight(weights, 'fc/bias', 1));
  g.output(out, 'landmarks', ['batch', 136]);
  return g;
}

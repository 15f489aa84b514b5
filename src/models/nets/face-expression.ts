/**
 * face-api's FaceExpressionNet as ONNX: a normalised 112×112 RGB crop [N, 3, 112, 112] →
 * `expressions` [N, 7], softmax probabilities in face-api's order (neutral, happy, sad, angry, fearful,
 * disgusted, surprised).
 */
import { EXPRESSION_LABELS } from '../builtin.ts';
import { OnnxGraph } from '../onnx-graph.ts';
import { dense } from '../layers.ts';
import { requireWeight, type TfjsWeight } from '../tfjs-weights.ts';
import { denseFeatures, FEATURE_INPUT_SIZE } from './dense-features.ts';


/** Builds the expression graph from face-api's face_expression_model weights. */
export function buildFaceExpression(weights: Map<string, TfjsWeight>): OnnxGraph {
  const g = new OnnxGraph('face_expression');
  const input = g.input('input', ['batch', 3, FEATURE_INPUT_SIZE, FEATURE_INPUT_SIZE]);
  const features = denseFeatures(g, weights, input, 4);
  const logits = dense(g, features.name, requireWeight(weights, 'fc/weights', 2), requireWeight(weights, 'fc/bias', 1));
  g.output(g.op('Softmax', [logits], { axis: -1 }), 'expressions', ['batch', EXPRESSION_LABELS.length]);
  return g;
}

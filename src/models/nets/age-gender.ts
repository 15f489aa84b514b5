/**
 * face-api's AgeGenderNet (a TinyXception with two middle blocks) as ONNX: a normalised 112×112 RGB crop
 * [N, 3, 112, 112] → `age` [N, 1] in years and `gender` [N, 2] softmax probabilities (male, female).
 */
import { OnnxGraph } from '../onnx-graph.ts';
import { type Act, avgPool, binary, conv2d, dense, flatten, maxPool, separableConv2d, unary } from '../layers.ts';
import { requireWeight, type TfjsWeight } from '../tfjs-weights.ts';
import { FEATURE_INPUT_SIZE } from './dense-features.ts';

/** Middle-flow blocks in face-api's age/gender TinyXception. */
const MAIN_BLOCKS = 2;

/** Builds the age/gender graph from face-api's age_gender_model weights. */
export function buildAgeGender(weights: Map<string, TfjsWeight>): OnnxGraph {
  const g = new OnnxGraph('age_gender');
  const w = (name: string) => requireWeight(weights, name);
  const relu = (x: Act) => unary(g, 'Relu', x);
  const sep = (x: Act, prefix: string) =>
    separableConv2d(g, x, w(`${prefix}/depthwise_filter`), w(`${prefix}/pointwise_filter`), w(`${prefix}/bias`), 1, 'same');
  const conv = (x: Act, prefix: string, stride: number) => conv2d(g, x, w(`${prefix}/filters`), w(`${prefix}/bias`), stride, 'same');

  const reductionBlock = (x: Act, prefix: string, activateInput: boolean): Act => {
    let out = activateInput ? relu(x) : x;
    out = sep(out, `${prefix}/separable_conv0`);
    out = sep(relu(out), `${prefix}/separable_conv1`);
    out = maxPool(g, out, 3, 2, 'same');
    // The shortcut reads the block's input before activation, as in face-api.
    return binary(g, 'Add', out, conv(x, `${prefix}/expansion_conv`, 2));
  };
  const mainBlock = (x: Act, prefix: string): Act => {
    let out = sep(relu(x), `${prefix}/separable_conv0`);
    out = sep(relu(out), `${prefix}/separable_conv1`);
    out = sep(relu(out), `${prefix}/separable_conv2`);
    return binary(g, 'Add', out, x);
  };

  let x: Act = { name: g.input('input', ['batch', 3, FEATURE_INPUT_SIZE, FEATURE_INPUT_SIZE]), channels: 3, size: FEATURE_INPUT_SIZE };
  x = relu(conv(x, 'entry_flow/conv_in', 2));
  x = reductionBlock(x, 'entry_flow/reduction_block_0', false);
  x = reductionBlock(x, 'entry_flow/reduction_block_1', true);
  for (let i = 0; i < MAIN_BLOCKS; i++) x = mainBlock(x, `middle_flow/main_block_${i}`);
  x = reductionBlock(x, 'exit_flow/reduction_block', true);
  x = relu(sep(x, 'exit_flow/separable_conv'));
  const pooled = flatten(g, avgPool(g, x, 7, 2));
  const age = dense(g, pooled, w('fc/age/weights'), w('fc/age/bias'));
  const gender = g.op('Softmax', [dense(g, pooled, w('fc/gender/weights'), w('fc/gender/bias'))], { axis: -1 });
  g.output(age, 'age', ['batch', 1]);
  g.output(gender, 'gender', ['batch', 2]);
  return g;
}

/**
 * face-api's FaceFeatureExtractor (four dense blocks) and TinyFaceFeatureExtractor (three), the shared trunk of
 * the 68-point landmark nets and the expression net: a normalised 112×112 RGB crop → pooled features [N, C].
 */
import type { OnnxGraph } from '../onnx-graph.ts';
import { type Act, avgPool, binary, conv2d, flatten, separableConv2d, unary } from '../layers.ts';
import { requireWeight, type TfjsWeight } from '../tfjs-weights.ts';

/** Input side of the dense-block feature extractors. */
export const FEATURE_INPUT_SIZE = 112;

/**
 * Adds the feature extractor to `g`, reading `input` [N, 3, 112, 112].
 * @param blocks 4 for the full extractor (256 features), 3 for the tiny one (128 features).
 * @returns the pooled features [N, C].
 */
export function denseFeatures(g: OnnxGraph, weights: Map<string, TfjsWeight>, input: string, blocks: 3 | 4): { name: string; channels: number } {
  const w = (name: string) => requireWeight(weights, name);
  const sep = (x: Act, prefix: string, stride: number) =>
    separableConv2d(g, x, w(`${prefix}/depthwise_filter`), w(`${prefix}/pointwise_filter`), w(`${prefix}/bias`), stride, 'same');
  const relu = (x: Act) => unary(g, 'Relu', x);
  const add = (a: Act, b: Act) => binary(g, 'Add', a, b);

  let x: Act = { name: input, channels: 3, size: FEATURE_INPUT_SIZE };
  for (let b = 0; b < blocks; b++) {
    const p = `dense${b}`;
    const out1 = relu(b === 0 ? conv2d(g, x, w(`${p}/conv0/filters`), w(`${p}/conv0/bias`), 2, 'same') : sep(x, `${p}/conv0`, 2));
    const out2 = sep(out1, `${p}/conv1`, 1);
    const in3 = relu(add(out1, out2));
    const out3 = sep(in3, `${p}/conv2`, 1);
    if (blocks === 3) {
      x = relu(add(out1, add(out2, out3)));
      continue;
    }
    const in4 = relu(add(out1, add(out2, out3)));
    const out4 = sep(in4, `${p}/conv3`, 1);
    x = relu(add(out1, add(out2, add(out3, out4))));
  }
  const pooled = avgPool(g, x, blocks === 4 ? 7 : 14, 2);
  return { name: flatten(g, pooled), channels: pooled.channels };
}

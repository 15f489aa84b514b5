/**
 * face-api's SSD MobileNet v1 face detector as ONNX: a normalised 512×512 RGB image [N, 3, 512, 512] →
 * `boxes` [N, 5118, 4] (ymin, xmin, ymax, xmax, relative to the padded square) and `scores` [N, 5118].
 * The anchor decoding (face-api's outputLayer) is in the graph; non-maximum suppression is in TypeScript
 * (src/vision/detect-ssd.ts) because face-api's variant differs from ONNX's NonMaxSuppression.
 */
import { OnnxGraph } from '../onnx-graph.ts';
import { type Act, clip, conv2d, depthwiseConv2d } from '../layers.ts';
import { dequantize, requireWeight, type TfjsWeight } from '../tfjs-weights.ts';

/** Input side the SSD graph expects (face-api always resizes to 512). */
export const SSD_INPUT_SIZE = 512;
/** Anchors in face-api's SSD weights. */
export const SSD_ANCHORS = 5118;
/** BatchNorm epsilon as stored in face-api's mobileNetV1. */
const BN_EPSILON = 0.0010000000474974513;

/** Builds the SSD MobileNet v1 graph from face-api's ssd_mobilenetv1_model weights. */
export function buildSsdMobilenetv1(weights: Map<string, TfjsWeight>): OnnxGraph {
  const g = new OnnxGraph('ssd_mobilenetv1');
  const w = (name: string) => requireWeight(weights, name);

  // conv (same padding) + the folded batch-norm offset, then ReLU6.
  const pointwise = (x: Act, prefix: string, stride: number): Act =>
    clip(g, conv2d(g, x, w(`${prefix}/weights`), w(`${prefix}/convolution_bn_offset`), stride, 'same'), 0, 6);

  const depthwise = (x: Act, idx: number, stride: number): Act => {
    const p = `MobilenetV1/Conv2d_${idx}_depthwise`;
    const out = depthwiseConv2d(g, x, w(`${p}/depthwise_weights`), stride, 'same');
    const bn = g.op('BatchNormalization', [
      out.name, g.weight(w(`${p}/BatchNorm/gamma`)), g.weight(w(`${p}/BatchNorm/beta`)),
      g.weight(w(`${p}/BatchNorm/moving_mean`)), g.weight(w(`${p}/BatchNorm/moving_variance`)),
    ], { epsilon: { float: BN_EPSILON } });
    return clip(g, { ...out, name: bn }, 0, 6);
  };

  let x: Act = { name: g.input('input', ['batch', 3, SSD_INPUT_SIZE, SSD_INPUT_SIZE]), channels: 3, size: SSD_INPUT_SIZE };
  x = pointwise(x, 'MobilenetV1/Conv2d_0_pointwise', 2);
  let conv11: Act | undefined;
  for (let i = 1; i <= 13; i++) {
    x = depthwise(x, i, [2, 4, 6, 12].includes(i) ? 2 : 1);
    x = pointwise(x, `MobilenetV1/Conv2d_${i}_pointwise`, 1);
    if (i === 11) conv11 = x;
  }
  const features: Act[] = [conv11!, x];
  let p = x;
  for (let i = 0; i < 8; i++) {
    p = pointwise(p, `Prediction/Conv2d_${i}_pointwise`, i % 2 === 1 ? 2 : 1);
    if (i % 2 === 1) features.push(p);
  }

  // Each predictor's NHWC output is flattened cell by cell (face-api reshapes NHWC), hence the transpose.
  const boxParts: string[] = [];
  const classParts: string[] = [];
  const shape4 = g.int64Const('shape.boxes', [0, -1, 4]);
  const shape3 = g.int64Const('shape.classes', [0, -1, 3]);
  features.forEach((f, i) => {
    const pre = `Prediction/BoxPredictor_${i}`;
    const enc = conv2d(g, f, w(`${pre}/BoxEncodingPredictor/weights`), w(`${pre}/BoxEncodingPredictor/biases`), 1, 'same');
    const cls = conv2d(g, f, w(`${pre}/ClassPredictor/weights`), w(`${pre}/ClassPredictor/biases`), 1, 'same');
    boxParts.push(g.op('Reshape', [g.op('Transpose', [enc.name], { perm: [0, 2, 3, 1] }), shape4]));
    classParts.push(g.op('Reshape', [g.op('Transpose', [cls.name], { perm: [0, 2, 3, 1] }), shape3]));
  });
  const encodings = g.op('Concat', boxParts, { axis: 1 }, 'box_encodings');
  const classes = g.op('Concat', classParts, { axis: 1 }, 'class_predictions');

  // Anchor sizes and centres are constants: computed here in float32, in face-api's order of operations.
  const anchors = dequantize(w('Output/extra_dim'));
  if (anchors.length !== SSD_ANCHORS * 4) throw new Error(`Output/extra_dim holds ${anchors.length / 4} anchors; expected ${SSD_ANCHORS}`);
  const sizes = new Float32Array(SSD_ANCHORS * 2);
  const centers = new Float32Array(SSD_ANCHORS * 2);
  for (let a = 0; a < SSD_ANCHORS; a++) {
    for (let k = 0; k < 2; k++) {
      const lo = anchors[a * 4 + k]!;
      const size = Math.fround(anchors[a * 4 + k + 2]! - lo);
      sizes[a * 2 + k] = size;
      centers[a * 2 + k] = lo + Math.fround(size / 2);
    }
  }
  const sizesC = g.floatConst('anchor.sizes', sizes, [SSD_ANCHORS, 2]);
  const centersC = g.floatConst('anchor.centers', centers, [SSD_ANCHORS, 2]);
  const slice = (t: string, from: number, to: number) =>
    g.op('Slice', [t, g.int64Const('slice.start', [from]), g.int64Const('slice.end', [to]), g.int64Const('slice.axes', [2])]);
  const scalar = (v: number) => g.floatConst('scalar', [v], []);
  const center = g.op('Add', [g.op('Mul', [g.op('Div', [slice(encodings, 0, 2), scalar(10)]), sizesC]), centersC]);
  const half = g.op('Div', [g.op('Mul', [g.op('Exp', [g.op('Div', [slice(encodings, 2, 4), scalar(5)])]), sizesC]), scalar(2)]);
  const boxes = g.op('Concat', [g.op('Sub', [center, half]), g.op('Add', [center, half])], { axis: 2 });
  g.output(boxes, 'boxes', ['batch', SSD_ANCHORS, 4]);
  const scores = g.op('Squeeze', [g.op('Sigmoid', [slice(classes, 1, 2)]), g.int64Const('squeeze.axes', [2])]);
  g.output(scores, 'scores', ['batch', SSD_ANCHORS]);
  return g;
}

/**
 * face-api's TinyFaceDetector (a Tiny-YOLOv2 with depthwise-separable convolutions) as ONNX:
 * a normalised RGB image [N, 3, S, S] (S a multiple of 32, e.g. 416) → the raw YOLO grid
 * `grid` [N, S/32, S/32, 25] (5 anchors × (x, y, w, h, objectness), channel = anchor × 5 + field).
 * Box decoding and NMS are in TypeScript (src/vision/detect-tiny.ts), as in face-api.
 */
import { OnnxGraph } from '../onnx-graph.ts';
import { type Act, conv2d, maxPool, separableConv2d, unary } from '../layers.ts';
import { requireWeight, type TfjsWeight } from '../tfjs-weights.ts';

/** tf.scalar(0.1) as float32: face-api's leaky-ReLU slope. */
const LEAKY_ALPHA = 0.10000000149011612;

/** Builds the tiny face detector graph from face-api's tiny_face_detector_model weights. */
export function buildTinyFaceDetector(weights: Map<string, TfjsWeight>): OnnxGraph {
  const g = new OnnxGraph('tiny_face_detector');
  const w = (name: string) => requireWeight(weights, name);
  const leaky = (x: Act) => unary(g, 'LeakyRelu', x, { alpha: { float: LEAKY_ALPHA } });
  // face-api pads by one pixel and convolves 'valid': the same as symmetric padding of 1.
  const separable = (x: Act, prefix: string) =>
    leaky(separableConv2d(g, x, w(`${prefix}/depthwise_filter`), w(`${prefix}/pointwise_filter`), w(`${prefix}/bias`), 1, [1, 1, 1, 1]));

  let x: Act = { name: g.input('input', ['batch', 3, 'size', 'size']), channels: 3, size: null };
  x = leaky(conv2d(g, x, w('conv0/filters'), w('conv0/bias'), 1, 'valid'));
  x = maxPool(g, x, 2, 2, 'same');
  for (const name of ['conv1', 'conv2', 'conv3', 'conv4']) {
    x = maxPool(g, separable(x, name), 2, 2, 'same');
  }
  x = maxPool(g, separable(x, 'conv5'), 2, 1, 'same');
  x = conv2d(g, x, w('conv8/filters'), w('conv8/bias'), 1, 'valid');
  const grid = g.op('Transpose', [x.name], { perm: [0, 2, 3, 1] });
  g.output(grid, 'grid', ['batch', 'cells', 'cells', x.channels]);
  return g;
}

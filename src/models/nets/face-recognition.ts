/**
 * face-api's FaceRecognitionNet (dlib's ResNet-34 variant) as ONNX: a normalised 150×150 RGB chip
 * [N, 3, 150, 150] → the 128-D descriptor [N, 128], op for op as in face-api's src/faceRecognitionNet.
 */
import { OnnxGraph } from '../onnx-graph.ts';
import { type Act, avgPool, binary, channelVector, conv2d, maxPool, unary, type Padding } from '../layers.ts';
import { requireWeight, type TfjsWeight } from '../tfjs-weights.ts';

/** Builds the recognition graph from face-api's face_recognition_model weights. */
export function buildFaceRecognition(weights: Map<string, TfjsWeight>): OnnxGraph {
  const g = new OnnxGraph('face_recognition');
  const w = (name: string) => requireWeight(weights, name);

  // conv → bias → per-channel scale and shift (dlib's affine layer) → optional ReLU.
  const convLayer = (x: Act, prefix: string, stride: number, relu: boolean, padding: Padding): Act => {
    let out = conv2d(g, x, w(`${prefix}/conv/filters`), w(`${prefix}/conv/bias`), stride, padding);
    out = binary(g, 'Mul', out, channelVector(g, w(`${prefix}/scale/weights`)));
    out = binary(g, 'Add', out, channelVector(g, w(`${prefix}/scale/biases`)));
    return relu ? unary(g, 'Relu', out) : out;
  };

  const residual = (x: Act, prefix: string): Act => {
    let out = convLayer(x, `${prefix}/conv1`, 1, true, 'same');
    out = convLayer(out, `${prefix}/conv2`, 1, false, 'same');
    return unary(g, 'Relu', binary(g, 'Add', out, x));
  };

  const residualDown = (x: Act, prefix: string): Act => {
    let out = convLayer(x, `${prefix}/conv1`, 2, true, 'valid');
    out = convLayer(out, `${prefix}/conv2`, 1, false, 'same');
    let pooled = avgPool(g, x, 2, 2);
    // face-api appends zero rows/columns when the strided conv came out one pixel smaller than the pool ...
    const grow = (pooled.size ?? 0) - (out.size ?? 0);
    if (grow > 0) {
      out = { ...out, name: g.op('Pad', [out.name, g.int64Const('pad.hw', [0, 0, 0, 0, 0, 0, grow, grow])]), size: pooled.size };
    }
    // ... and zero channels to the shortcut when the block widens.
    const widen = out.channels - pooled.channels;
    if (widen > 0) {
      pooled = { ...pooled, name: g.op('Pad', [pooled.name, g.int64Const('pad.c', [0, 0, 0, 0, 0, widen, 0, 0])]), channels: out.channels };
    }
    return unary(g, 'Relu', binary(g, 'Add', pooled, out));
  };

  let x: Act = { name: g.input('input', ['batch', 3, 150, 150]), channels: 3, size: 150 };
  x = convLayer(x, 'conv32_down', 2, true, 'valid');
  x = maxPool(g, x, 3, 2, 'valid');
  for (const p of ['conv32_1', 'conv32_2', 'conv32_3']) x = residual(x, p);
  x = residualDown(x, 'conv64_down');
  for (const p of ['conv64_1', 'conv64_2', 'conv64_3']) x = residual(x, p);
  x = residualDown(x, 'conv128_down');
  for (const p of ['conv128_1', 'conv128_2']) x = residual(x, p);
  x = residualDown(x, 'conv256_down');
  for (const p of ['conv256_1', 'conv256_2']) x = residual(x, p);
  x = residualDown(x, 'conv256_down_out');
  const pooled = g.op('ReduceMean', [x.name], { axes: [2, 3], keepdims: 0 });
  const descriptor = g.op('MatMul', [pooled, g.weight(w('fc'))]);
  g.output(descriptor, 'embedding', ['batch', 128]);
  return g;
}

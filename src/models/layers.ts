/**
 * TF.js layer semantics expressed as ONNX nodes, for NCHW activations with square spatial size.
 * Padding follows TensorFlow's 'same' rule (the extra pixel of an odd total goes after, i.e. bottom/right),
 * computed explicitly when the size is known and via auto_pad=SAME_UPPER (the same rule) when it is not.
 */
import type { OnnxGraph } from './onnx-graph.ts';
import type { TfjsWeight } from './tfjs-weights.ts';

/** An activation in the graph: NCHW, square, `size` = height = width (null when it depends on the input). */
export interface Act {
  name: string;
  channels: number;
  size: number | null;
}

/** 'same' / 'valid' as in TF.js, or explicit [top, left, bottom, right] pads. */
export type Padding = 'same' | 'valid' | [number, number, number, number];

/** TF 'same' padding for one axis: [before, after]. */
export function samePads(size: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

function windowAttrs(size: number | null, kernel: number, stride: number, padding: Padding): {
  attrs: Record<string, number[] | string>;
  outSize: number | null;
} {
  const base = { kernel_shape: [kernel, kernel], strides: [stride, stride] };
  if (Array.isArray(padding)) {
    const [t, l, b, r] = padding;
    const outSize = size === null ? null : Math.floor((size + t + b - kernel) / stride) + 1;
    if (t !== l || b !== r) throw new Error('square activations need the same pads on both axes');
    return { attrs: { ...base, pads: [t, l, b, r] }, outSize };
  }
  if (padding === 'valid') {
    return { attrs: { ...base, pads: [0, 0, 0, 0] }, outSize: size === null ? null : Math.floor((size - kernel) / stride) + 1 };
  }
  if (size === null) {
    if (stride === 1) {
      const before = Math.floor((kernel - 1) / 2);
      const after = kernel - 1 - before;
      return { attrs: { ...base, pads: [before, before, after, after] }, outSize: null };
    }
    return { attrs: { ...base, auto_pad: 'SAME_UPPER' }, outSize: null };
  }
  const [before, after] = samePads(size, kernel, stride);
  return { attrs: { ...base, pads: [before, before, after, after] }, outSize: Math.ceil(size / stride) };
}

/**
 * 2-D convolution with TF.js filters [kh, kw, in, out] (transposed to ONNX's [out, in, kh, kw]) and an optional
 * bias [out] folded into the Conv node.
 */
export function conv2d(g: OnnxGraph, x: Act, filters: TfjsWeight, bias: TfjsWeight | undefined, stride: number, padding: Padding): Act {
  const [kh, kw, cin, cout] = filters.shape as [number, number, number, number];
  if (kh !== kw) throw new Error(`weight ${filters.name}: only square kernels are supported, got ${kh}×${kw}`);
  if (cin !== x.channels) throw new Error(`weight ${filters.name}: expects ${cin} input channels, activation has ${x.channels}`);
  const w = g.weight(filters, { perm: [3, 2, 0, 1] });
  const inputs = bias ? [x.name, w, g.weight(bias)] : [x.name, w];
  const { attrs, outSize } = windowAttrs(x.size, kh, stride, padding);
  return { name: g.op('Conv', inputs, attrs, filters.name.replace(/\//g, '.') + '.out'), channels: cout, size: outSize };
}

/** Depthwise convolution with TF.js filters [kh, kw, C, 1] (multiplier 1), no bias. */
export function depthwiseConv2d(g: OnnxGraph, x: Act, filters: TfjsWeight, stride: number, padding: Padding, bias?: TfjsWeight): Act {
  const [kh, , c, mult] = filters.shape as [number, number, number, number];
  if (mult !== 1 || c !== x.channels) throw new Error(`weight ${filters.name}: expected [k, k, ${x.channels}, 1]`);
  const w = g.weight(filters, { perm: [2, 3, 0, 1] });
  const { attrs, outSize } = windowAttrs(x.size, kh, stride, padding);
  const inputs = bias ? [x.name, w, g.weight(bias)] : [x.name, w];
  return { name: g.op('Conv', inputs, { ...attrs, group: c }, filters.name.replace(/\//g, '.') + '.out'), channels: c, size: outSize };
}

/** tf.separableConv2d (depthwise with `stride`, then 1×1 pointwise) followed by a bias add. */
export function separableConv2d(
  g: OnnxGraph, x: Act, depthwise: TfjsWeight, pointwise: TfjsWeight, bias: TfjsWeight, stride: number, padding: Padding,
): Act {
  const dw = depthwiseConv2d(g, x, depthwise, stride, padding);
  return conv2d(g, dw, pointwise, bias, 1, 'valid');
}

/** Max pooling (padded cells never win, as in TF). */
export function maxPool(g: OnnxGraph, x: Act, kernel: number, stride: number, padding: Padding): Act {
  const { attrs, outSize } = windowAttrs(x.size, kernel, stride, padding);
  return { name: g.op('MaxPool', [x.name], attrs), channels: x.channels, size: outSize };
}

/** Average pooling; only 'valid' padding is used by the networks, so padding never enters the mean. */
export function avgPool(g: OnnxGraph, x: Act, kernel: number, stride: number): Act {
  const { attrs, outSize } = windowAttrs(x.size, kernel, stride, 'valid');
  return { name: g.op('AveragePool', [x.name], attrs), channels: x.channels, size: outSize };
}

/** Elementwise binary op between two activations of equal shape (or an activation and a broadcastable constant). */
export function binary(g: OnnxGraph, type: 'Add' | 'Sub' | 'Mul' | 'Div', a: Act, b: Act | string): Act {
  return { name: g.op(type, [a.name, typeof b === 'string' ? b : b.name]), channels: a.channels, size: a.size };
}

/** Unary op that keeps the shape (Relu, Sigmoid, …). */
export function unary(g: OnnxGraph, type: string, x: Act, attrs: Record<string, number | { float: number }> = {}): Act {
  return { name: g.op(type, [x.name], attrs), channels: x.channels, size: x.size };
}

/** tf.clipByValue(x, lo, hi). */
export function clip(g: OnnxGraph, x: Act, lo: number, hi: number): Act {
  const min = g.floatConst('clip.min', [lo], []);
  const max = g.floatConst('clip.max', [hi], []);
  return { name: g.op('Clip', [x.name, min, max]), channels: x.channels, size: x.size };
}

/** A per-channel vector weight [C] reshaped to [C, 1, 1] so it broadcasts over NCHW. */
export function channelVector(g: OnnxGraph, w: TfjsWeight): string {
  return g.weight(w, { dims: [w.values.length, 1, 1] });
}

/** Flattens [N, C, 1, 1] to [N, C]. */
export function flatten(g: OnnxGraph, x: Act): string {
  return g.op('Flatten', [x.name], { axis: 1 });
}

/** x·W + b for x [N, in], TF.js weights [in, out], bias [out]. */
export function dense(g: OnnxGraph, x: string, weights: TfjsWeight, bias: TfjsWeight | undefined): string {
  const y = g.op('MatMul', [x, g.weight(weights)]);
  return bias ? g.op('Add', [y, g.weight(bias)]) : y;
}

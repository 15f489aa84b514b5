/**
 * Maps a float32 TFLite graph (NHWC) onto ONNX operators (NCHW), operator for operator, so the ONNX model
 * computes what TFLite computes: 4-D activations are kept in NCHW inside the graph (one Transpose after the
 * input, one before any reshape or output), constants are laid out for ONNX at conversion time, and the
 * batch axis, fixed in many TFLite files, becomes symbolic. Build-time only.
 */
import { OnnxGraph, transpose } from '../onnx-graph.ts';
import { samePads } from '../layers.ts';
import type { TfliteModel, TfliteOperator, TfliteTensor } from './read-model.ts';
import { Activation, BuiltinOperator, Padding } from './schema.ts';

/** Names for the converted graph's interface. */
export interface TfliteToOnnxOptions {
  graphName: string;
  /** Name of the ONNX input (NHWC, batch symbolic). */
  inputName: string;
  /** Name of the ONNX output. */
  outputName: string;
  /** Name of the symbolic batch dimension. */
  batch: string;
}

/** A value in the ONNX graph: its name, TFLite (NHWC) shape, and whether a 4-D value is held as NCHW. */
interface Value {
  name: string;
  shape: number[];
  nchw: boolean;
}

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];

/**
 * Converts `model` (one input, one output, every dimension 0 equal to the batch) to an ONNX graph.
 * @throws Error naming the operator and what about it is unsupported.
 */
export function tfliteToOnnx(model: TfliteModel, options: TfliteToOnnxOptions): OnnxGraph {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error(`the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; one of each is supported`);
  }
  const g = new OnnxGraph(options.graphName);
  const tensorIn = model.tensors[model.inputs[0]!]!;
  const batch = tensorIn.shape[0]!;
  if (tensorIn.shape.length !== 4 || tensorIn.shape[3] !== 3) throw new Error(`input ${tensorIn.name} is [${tensorIn.shape.join(', ')}]; an NHWC image [n, h, w, 3] is expected`);
  const values = new Map<number, Value>();
  const input = g.input(options.inputName, [options.batch, ...tensorIn.shape.slice(1)]);
  values.set(tensorIn.index, { name: g.op('Transpose', [input], { perm: NHWC_TO_NCHW }, 'input.nchw'), shape: tensorIn.shape, nchw: true });

  for (const op of model.operators) {
    const out = model.tensors[op.outputs[0]!]!;
    if (op.outputs.length !== 1) throw new Error(`${describe(op, out)}: has ${op.outputs.length} outputs; one is supported`);
    const result = convertOperator(g, model, op, out, values, batch);
    values.set(out.index, result);
  }

  const tensorOut = model.tensors[model.outputs[0]!]!;
  const last = values.get(tensorOut.index);
  if (!last) throw new Error(`output ${tensorOut.name} is not computed by any operator`);
  g.output(toNhwc(g, last).name, options.outputName, [options.batch, ...tensorOut.shape.slice(1)]);
  return g;
}

function convertOperator(g: OnnxGraph, model: TfliteModel, op: TfliteOperator, out: TfliteTensor, values: Map<number, Value>, batch: number): Value {
  const what = describe(op, out);
  const hint = out.name.replace(/\//g, '.');
  const tensor = (i: number) => {
    const t = model.tensors[op.inputs[i]!];
    if (!t) throw new Error(`${what}: input ${i} is missing`);
    return t;
  };
  const activation = (i: number): Value => {
    const v = values.get(op.inputs[i]!);
    if (!v) throw new Error(`${what}: input ${tensor(i).name} is neither computed nor constant`);
    return v;
  };
  const constant = (i: number): Float32Array => {
    const t = tensor(i);
    if (!t.float) throw new Error(`${what}: input ${t.name} must be a float32 constant`);
    return t.float;
  };
  const options = () => {
    if (!op.options) throw new Error(`${what}: its options are missing`);
    return op.options;
  };

  switch (op.code) {
    case BuiltinOperator.CONV_2D:
    case BuiltinOperator.DEPTHWISE_CONV_2D: {
      const depthwise = op.code === BuiltinOperator.DEPTHWISE_CONV_2D;
      const x = toNchw(g, activation(0));
      const o = options();
      const w = tensor(1);
      const [outC, kh, kw, inC] = w.shape as [number, number, number, number];
      const channels = x.shape[3]!;
      const dilation = depthwise ? o.depthwiseDilation() : o.convDilation();
      if (dilation[0] !== 1 || dilation[1] !== 1) throw new Error(`${what}: dilation ${dilation.join('×')} is not supported`);
      // TFLite filters: conv [out, kh, kw, in], depthwise [1, kh, kw, in × multiplier]; ONNX: [out, in / group, kh, kw].
      const weights = depthwise
        ? g.floatConst(`${hint}.w`, transpose(constant(1), w.shape, [3, 0, 1, 2]), [inC, 1, kh, kw])
        : g.floatConst(`${hint}.w`, transpose(constant(1), w.shape, NHWC_TO_NCHW), [outC, inC, kh, kw]);
      if (depthwise && (outC !== 1 || inC % channels !== 0 || inC / channels !== o.depthMultiplier())) {
        throw new Error(`${what}: filter [${w.shape.join(', ')}] does not match ${channels} channels × multiplier ${o.depthMultiplier()}`);
      }
      if (!depthwise && inC !== channels) throw new Error(`${what}: filter expects ${inC} channels, the input has ${channels}`);
      const inputs = [x.name, weights];
      if (op.inputs.length > 2 && op.inputs[2]! >= 0) inputs.push(g.floatConst(`${hint}.b`, constant(2), [constant(2).length]));
      const strides = [o.strideH(), o.strideW()];
      const [inH, inW] = [x.shape[1]!, x.shape[2]!];
      let pads = [0, 0, 0, 0];
      if (o.padding() === Padding.SAME) {
        const [top, bottom] = samePads(inH, kh, strides[0]!);
        const [left, right] = samePads(inW, kw, strides[1]!);
        pads = [top, left, bottom, right];
      } else if (o.padding() !== Padding.VALID) {
        throw new Error(`${what}: padding ${o.padding()} is not supported`);
      }
      const attrs = { kernel_shape: [kh, kw], strides, pads, dilations: [1, 1], group: depthwise ? channels : 1 };
      const y = { name: g.op('Conv', inputs, attrs, hint), shape: out.shape, nchw: true };
      return fused(y, depthwise ? o.depthwiseActivation() : o.convActivation(), what);
    }
    case BuiltinOperator.ADD:
    case BuiltinOperator.SUB:
    case BuiltinOperator.MUL: {
      const type = op.code === BuiltinOperator.ADD ? 'Add' : op.code === BuiltinOperator.SUB ? 'Sub' : 'Mul';
      const [a, b] = [0, 1].map((i) => values.get(op.inputs[i]!));
      const layoutOf = a ?? b;
      if (!layoutOf) throw new Error(`${what}: both inputs are constants; fold them before converting`);
      const nchw = layoutOf.nchw && (!a || !b || a.nchw === b.nchw);
      const operand = (i: number, v: Value | undefined) => v ? (nchw ? toNchw(g, v) : toNhwc(g, v)).name : broadcastConstant(g, tensor(i), nchw, what);
      const y = { name: g.op(type, [operand(0, a), operand(1, b)], {}, hint), shape: out.shape, nchw };
      return fused(y, op.options?.firstActivation() ?? Activation.NONE, what);
    }
    case BuiltinOperator.ABS:
    case BuiltinOperator.RELU: {
      const x = activation(0);
      return { name: g.op(op.code === BuiltinOperator.ABS ? 'Abs' : 'Relu', [x.name], {}, hint), shape: out.shape, nchw: x.nchw };
    }
    case BuiltinOperator.RESHAPE: {
      const x = toNhwc(g, activation(0));
      const target = tensor(1).int ? Array.from(tensor(1).int!) : options().newShape();
      if (!target) throw new Error(`${what}: the new shape is neither a constant input nor an option`);
      // Keep the batch symbolic: ONNX's 0 copies the input's dimension 0 (the batch) into the output.
      if (target[0] !== batch && target[0] !== -1) throw new Error(`${what}: reshaping across the batch axis is not supported`);
      const shape = g.int64Const(`${hint}.shape`, [0, ...target.slice(1)]);
      return { name: g.op('Reshape', [x.name, shape], {}, hint), shape: out.shape, nchw: false };
    }
    default:
      throw new Error(`${what}: TFLite builtin operator ${op.code} has no ONNX mapping here`);
  }
}

/** A constant operand laid out to broadcast against an activation held as NCHW (or as TFLite has it). */
function broadcastConstant(g: OnnxGraph, t: TfliteTensor, nchw: boolean, what: string): string {
  if (!t.float) throw new Error(`${what}: operand ${t.name} is neither computed nor a float32 constant`);
  const hint = t.name.replace(/\//g, '.');
  if (!nchw || t.float.length === 1) return g.floatConst(hint, t.float, t.float.length === 1 ? [] : t.shape);
  // A per-channel vector ([C] or [1, 1, 1, C]) broadcasts over NHWC's last axis; in NCHW it must be [C, 1, 1].
  const perChannel = t.shape.length === 1 || (t.shape.length === 4 && t.shape[0] === 1 && t.shape[1] === 1 && t.shape[2] === 1);
  if (!perChannel) throw new Error(`${what}: operand ${t.name} [${t.shape.join(', ')}] is neither a scalar nor a per-channel vector`);
  return g.floatConst(hint, t.float, [t.float.length, 1, 1]);
}

/** Fused activations: only NONE, the one MobileFaceNet uses and the equality test covers. */
function fused(x: Value, activation: number, what: string): Value {
  if (activation === Activation.NONE) return x;
  throw new Error(`${what}: fused activation ${activation} is not supported`);
}

function toNchw(g: OnnxGraph, v: Value): Value {
  if (v.nchw || v.shape.length !== 4) return v;
  return { ...v, name: g.op('Transpose', [v.name], { perm: NHWC_TO_NCHW }), nchw: true };
}

function toNhwc(g: OnnxGraph, v: Value): Value {
  if (!v.nchw || v.shape.length !== 4) return { ...v, nchw: false };
  return { ...v, name: g.op('Transpose', [v.name], { perm: NCHW_TO_NHWC }), nchw: false };
}

function describe(op: TfliteOperator, out: TfliteTensor | undefined): string {
  return `operator ${op.index} (builtin ${op.code}, output ${out?.name ?? '?'})`;
}

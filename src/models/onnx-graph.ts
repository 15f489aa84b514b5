/**
 * A small ONNX graph builder on top of the `onnx-proto` protobuf bindings: it names values,
 * collects nodes and initializers, and serialises a ModelProto. Build-time only (the converter);
 * nothing at run time imports it.
 */
import onnxProto from 'onnx-proto';
import type { TfjsWeight } from './tfjs-weights.ts';
import { dequantize, dequantizeTable } from './tfjs-weights.ts';

const { onnx } = onnxProto;

/** The ONNX operator set the converted graphs use (every op here exists unchanged since opset 13). */
export const OPSET = 13;

/** A tagged float attribute (plain numbers are INT attributes). */
export interface FloatAttr {
  float: number;
}

/** Attribute values: integer, integer list, string, or a tagged float. */
export type AttrValue = number | number[] | string | FloatAttr;

/** Element types used for graph inputs/outputs. */
export const ElemType = { float: onnx.TensorProto.DataType.FLOAT, int64: onnx.TensorProto.DataType.INT64 } as const;

/**
 * Weights with more elements than this are stored as uint8 codes plus a 256-entry lookup table; smaller
 * ones as float32 (a table would cost more bytes than it saves).
 */
const LUT_MIN_ELEMENTS = 512;

/** Builds one ONNX graph. */
export class OnnxGraph {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  constructor(readonly name: string) {}

  /** A fresh value name derived from `hint`. */
  fresh(hint: string): string {
    let name = hint.replace(/[^A-Za-z0-9_/.-]/g, '_');
    while (this.used.has(name)) name = `${hint}_${++this.counter}`;
    this.used.add(name);
    return name;
  }

  /** Declares a graph input; string dims are symbolic (e.g. 'batch'). */
  input(name: string, dims: Array<number | string>, elemType: number = ElemType.float): string {
    const value = this.fresh(name);
    this.inputs.push(valueInfo(value, dims, elemType));
    return value;
  }

  /** Declares `value` as a graph output named `name` (an Identity node renames it when needed). */
  output(value: string, name: string, dims: Array<number | string>, elemType: number = ElemType.float): string {
    const out = value === name ? name : this.op('Identity', [value], {}, name);
    this.outputs.push(valueInfo(out, dims, elemType));
    return out;
  }

  /** Adds a float32 initializer. */
  floatConst(hint: string, values: Float32Array | number[], dims: number[]): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    return this.initializer(hint, onnx.TensorProto.DataType.FLOAT, dims, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  /** Adds an int64 initializer (shapes, axes, pads). */
  int64Const(hint: string, values: number[], dims: number[] = [values.length]): string {
    const data = BigInt64Array.from(values, (v) => BigInt(v));
    return this.initializer(hint, onnx.TensorProto.DataType.INT64, dims, new Uint8Array(data.buffer));
  }

  /**
   * Adds a weight, optionally transposed (`perm`, in TF.js axis order) and reshaped (`dims`), whose float values
   * equal tfjs's dequantised ones bit for bit. Large uint8-quantised weights stay uint8 in the file and are
   * expanded in the graph by Cast → Gather on their 256-entry table, so the file stays small while the values
   * are exactly tfjs's (a DequantizeLinear or Mul/Add in float32 would round differently from tfjs's float64 map).
   */
  weight(w: TfjsWeight, options: { perm?: number[]; dims?: number[] } = {}): string {
    const shape = options.perm ? options.perm.map((p) => w.shape[p]!) : w.shape;
    const dims = options.dims ?? shape;
    if (dims.reduce((a, b) => a * b, 1) !== w.values.length) {
      throw new Error(`weight ${w.name}: dims [${dims.join(', ')}] do not hold ${w.values.length} values`);
    }
    const hint = w.name.replace(/\//g, '.');
    if (w.quant && w.values.length > LUT_MIN_ELEMENTS) {
      const codes = options.perm ? transpose(w.values as Uint8Array, w.shape, options.perm) : (w.values as Uint8Array);
      const codesName = this.initializer(`${hint}.q`, onnx.TensorProto.DataType.UINT8, dims, codes as Uint8Array);
      const table = this.floatConst(`${hint}.table`, dequantizeTable(w.quant), [256]);
      const index = this.op('Cast', [codesName], { to: onnx.TensorProto.DataType.INT32 }, `${hint}.idx`);
      return this.op('Gather', [table, index], { axis: 0 }, hint);
    }
    const values = dequantize(w);
    return this.floatConst(hint, options.perm ? transpose(values, w.shape, options.perm) : values, dims);
  }

  /** Adds a node with one output and returns the output's name. */
  op(type: string, inputs: string[], attrs: Record<string, AttrValue> = {}, hint?: string): string {
    return this.opN(type, inputs, 1, attrs, hint)[0]!;
  }

  /** Adds a node with `count` outputs. */
  opN(type: string, inputs: string[], count: number, attrs: Record<string, AttrValue> = {}, hint?: string): string[] {
    const base = hint ?? `${type.toLowerCase()}`;
    const outputs = Array.from({ length: count }, (_, i) => this.fresh(count === 1 ? base : `${base}:${i}`));
    this.nodes.push(onnx.NodeProto.create({
      opType: type,
      name: this.fresh(`node.${base}`),
      input: inputs,
      output: outputs,
      attribute: Object.entries(attrs).map(([name, value]) => attribute(name, value)),
    }));
    return outputs;
  }

  /** Serialises the model (IR version 8, opset {@link OPSET}). */
  toBytes(meta: { docString?: string; metadata?: Record<string, string> } = {}): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: 'face-attribute-probe',
      producerVersion: '1',
      docString: meta.docString ?? '',
      metadataProps: Object.entries(meta.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: onnx.GraphProto.create({
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      }),
    });
    return onnx.ModelProto.encode(model).finish();
  }

  private initializer(hint: string, dataType: number, dims: number[], raw: Uint8Array): string {
    const name = this.fresh(hint);
    this.initializers.push(onnx.TensorProto.create({ name, dataType, dims, rawData: raw }));
    return name;
  }
}

/** Permutes a row-major tensor of `shape` so that output axis i is input axis perm[i]. */
export function transpose<T extends Float32Array | Uint8Array>(values: T, shape: number[], perm: number[]): T {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i]!;
  }
  const strides = perm.map((p) => inStrides[p]!);
  const out = new (values.constructor as { new (n: number): T })(values.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < values.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += index[i]! * strides[i]!;
    out[o] = values[src]!;
    for (let i = rank - 1; i >= 0; i--) {
      if (++index[i]! < outShape[i]!) break;
      index[i] = 0;
    }
  }
  return out;
}

function valueInfo(name: string, dims: Array<number | string>, elemType: number): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: AttrValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'number') return { name, type: T.INT, i: value };
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  return { name, type: T.FLOAT, f: value.float };
}

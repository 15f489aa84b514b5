/**
 * Reads a float32 TFLite model's only subgraph into plain objects: tensors (name, shape, constant data) and
 * operators (builtin code, inputs, outputs, options). Build-time only; quantised, sparse, multi-subgraph
 * and custom-operator models are refused with a message naming what is unsupported.
 */
import { ModelTable, type OptionsTable, TensorType } from './schema.ts';

/** One tensor of the subgraph. */
export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  type: number;
  /** The constant's values (a copy) for float32 tensors backed by a buffer; undefined for activations. */
  float?: Float32Array;
  /** The constant's values for int32 tensors backed by a buffer (shapes). */
  int?: Int32Array;
}

/** One operator of the subgraph, in execution order. */
export interface TfliteOperator {
  index: number;
  /** BuiltinOperator code. */
  code: number;
  /** Input tensor indices (−1: omitted optional input). */
  inputs: number[];
  outputs: number[];
  /** BuiltinOptions type tag (0: none). */
  optionsType: number;
  options: OptionsTable | undefined;
}

/** A model read from a .tflite file. */
export interface TfliteModel {
  /** The file's description string (e.g. "TOCO Converted."). */
  description: string;
  tensors: TfliteTensor[];
  operators: TfliteOperator[];
  inputs: number[];
  outputs: number[];
}

/**
 * Parses `bytes` as a TFLite flatbuffer.
 * @throws Error naming the problem: not a TFLite file, several subgraphs, custom operators, quantised, sparse
 *   or externally stored tensors, or element types other than float32 and int32.
 */
export function readTflite(bytes: Uint8Array): TfliteModel {
  const model = ModelTable.read(bytes);
  if (model.version() !== 3) throw new Error(`TFLite schema version ${model.version()} is not supported (expected 3)`);
  const subgraphs = model.subgraphs();
  if (subgraphs.length !== 1) throw new Error(`the model has ${subgraphs.length} subgraphs; only single-subgraph models are supported`);
  const graph = subgraphs[0]!;
  const codes = model.operatorCodes();
  const buffers = model.buffers();
  const tensors = graph.tensors().map((t, index): TfliteTensor => {
    const name = t.name();
    if (t.quantized()) throw new Error(`tensor ${name} is quantised; only float32 models are supported`);
    if (t.hasSparsity()) throw new Error(`tensor ${name} is sparse; only dense tensors are supported`);
    const type = t.type();
    const tensor: TfliteTensor = { index, name, shape: t.shape(), type };
    const buffer = buffers[t.buffer()];
    if (buffer && buffer.offset() !== 0n) throw new Error(`tensor ${name} is stored outside the flatbuffer; this is not supported`);
    const data = buffer?.data();
    if (!data || data.length === 0) return tensor;
    // Copy into an aligned buffer: the flatbuffer's vectors need not be 4-byte aligned for typed-array views.
    const copy = data.slice().buffer;
    if (type === TensorType.FLOAT32) tensor.float = new Float32Array(copy);
    else if (type === TensorType.INT32) tensor.int = new Int32Array(copy);
    else throw new Error(`tensor ${name} has element type ${type}; only float32 and int32 constants are supported`);
    const expected = tensor.shape.reduce((a, b) => a * b, 1);
    const actual = (tensor.float ?? tensor.int)!.length;
    if (actual !== expected) throw new Error(`tensor ${name}: shape [${tensor.shape.join(', ')}] needs ${expected} values, its buffer holds ${actual}`);
    return tensor;
  });
  const operators = graph.operators().map((op, index): TfliteOperator => {
    const code = codes[op.opcodeIndex()];
    if (!code) throw new Error(`operator ${index} names operator code ${op.opcodeIndex()}, which the model does not list`);
    const custom = code.customCode();
    if (custom !== undefined) throw new Error(`operator ${index} is the custom operator "${custom}"; custom operators are not supported`);
    return { index, code: code.builtinCode(), inputs: op.inputs(), outputs: op.outputs(), optionsType: op.optionsType(), options: op.options() };
  });
  return { description: model.description() ?? '', tensors, operators, inputs: graph.inputs(), outputs: graph.outputs() };
}

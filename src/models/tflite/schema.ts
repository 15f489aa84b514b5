/**
 * Minimal typed accessors for the TensorFlow Lite flatbuffer schema (tensorflow/lite/schema/schema.fbs, schema
 * version 3): only the tables and fields the converter reads, written by hand from the published schema. Field
 * numbers are the schema's declaration order; a field's vtable slot is 4 + 2 × its number. Build-time only.
 */
import { ByteBuffer } from 'flatbuffers';

/** The file identifier TFLite writes at bytes 4..8. */
export const TFLITE_IDENTIFIER = 'TFL3';

/** TensorType (schema.fbs): the element types the converter meets. */
export const TensorType = { FLOAT32: 0, FLOAT16: 1, INT32: 2, UINT8: 3, INT64: 4, INT8: 9 } as const;

/**
 * BuiltinOperator codes (schema.fbs) of the operators the converter maps: those MobileFaceNet uses (its PReLU is
 * written as RELU + ABS + SUB + MUL + ADD), each proven against TFLite by the equality test.
 */
export const BuiltinOperator = {
  ADD: 0, CONV_2D: 3, DEPTHWISE_CONV_2D: 4, MUL: 18, RELU: 19, RESHAPE: 22, SUB: 41, ABS: 101,
} as const;

/** Padding (schema.fbs). */
export const Padding = { SAME: 0, VALID: 1 } as const;

/** ActivationFunctionType (schema.fbs): NONE (the only one converted; the others are refused by number). */
export const Activation = { NONE: 0 } as const;

/** A table: a position in the buffer, read through its vtable. */
class Table {
  constructor(protected readonly bb: ByteBuffer, protected readonly pos: number) {}

  /** Absolute position of field `n`'s value, or 0 when the field is absent. */
  protected field(n: number): number {
    const o = this.bb.__offset(this.pos, 4 + 2 * n);
    return o ? this.pos + o : 0;
  }

  protected int8(n: number, fallback: number): number {
    const at = this.field(n);
    return at ? this.bb.readInt8(at) : fallback;
  }

  protected uint8(n: number, fallback: number): number {
    const at = this.field(n);
    return at ? this.bb.readUint8(at) : fallback;
  }

  protected int32(n: number, fallback: number): number {
    const at = this.field(n);
    return at ? this.bb.readInt32(at) : fallback;
  }

  protected uint32(n: number, fallback: number): number {
    const at = this.field(n);
    return at ? this.bb.readUint32(at) : fallback;
  }

  protected uint64(n: number, fallback: bigint): bigint {
    const at = this.field(n);
    return at ? this.bb.readUint64(at) : fallback;
  }

  protected string(n: number): string | undefined {
    const at = this.field(n);
    return at ? (this.bb.__string(at) as string) : undefined;
  }

  /** The table at field `n` (an offset to it is stored there), or undefined. */
  protected table<T>(n: number, make: (bb: ByteBuffer, pos: number) => T): T | undefined {
    const at = this.field(n);
    return at ? make(this.bb, this.bb.__indirect(at)) : undefined;
  }

  /** A vector of int32 (copied out). */
  protected int32s(n: number): number[] | undefined {
    const at = this.field(n);
    if (!at) return undefined;
    const start = this.bb.__vector(at);
    return Array.from({ length: this.bb.__vector_len(at) }, (_, i) => this.bb.readInt32(start + 4 * i));
  }

  /** A vector of ubyte, as a view into the buffer (not copied). */
  protected bytes(n: number): Uint8Array | undefined {
    const at = this.field(n);
    if (!at) return undefined;
    const bytes = this.bb.bytes();
    return bytes.subarray(this.bb.__vector(at), this.bb.__vector(at) + this.bb.__vector_len(at));
  }

  /** A vector of tables. */
  protected tables<T>(n: number, make: (bb: ByteBuffer, pos: number) => T): T[] {
    const at = this.field(n);
    if (!at) return [];
    const start = this.bb.__vector(at);
    return Array.from({ length: this.bb.__vector_len(at) }, (_, i) => make(this.bb, this.bb.__indirect(start + 4 * i)));
  }
}

/** table Model { version, operator_codes, subgraphs, description, buffers, … } */
export class ModelTable extends Table {
  /** Opens a .tflite file; checks the identifier so a wrong file fails with a clear message. */
  static read(bytes: Uint8Array): ModelTable {
    if (bytes.length < 8) throw new Error(`a TFLite file has at least 8 bytes; this one has ${bytes.length}`);
    const bb = new ByteBuffer(bytes);
    if (bb.getBufferIdentifier() !== TFLITE_IDENTIFIER) {
      throw new Error(`not a TFLite flatbuffer: its identifier is "${bb.getBufferIdentifier()}", not "${TFLITE_IDENTIFIER}"`);
    }
    return new ModelTable(bb, bb.readInt32(bb.position()) + bb.position());
  }

  version(): number { return this.uint32(0, 0); }
  operatorCodes(): OperatorCodeTable[] { return this.tables(1, (bb, p) => new OperatorCodeTable(bb, p)); }
  subgraphs(): SubGraphTable[] { return this.tables(2, (bb, p) => new SubGraphTable(bb, p)); }
  description(): string | undefined { return this.string(3); }
  buffers(): BufferTable[] { return this.tables(4, (bb, p) => new BufferTable(bb, p)); }
}

/** table OperatorCode { deprecated_builtin_code: byte, custom_code, version, builtin_code: int } */
export class OperatorCodeTable extends Table {
  /** The builtin code: the larger of the deprecated byte field and the newer int field (the schema's rule). */
  builtinCode(): number { return Math.max(this.int8(0, 0), this.int32(3, 0)); }
  customCode(): string | undefined { return this.string(1); }
}

/** table SubGraph { tensors, inputs, outputs, operators, name } */
export class SubGraphTable extends Table {
  tensors(): TensorTable[] { return this.tables(0, (bb, p) => new TensorTable(bb, p)); }
  inputs(): number[] { return this.int32s(1) ?? []; }
  outputs(): number[] { return this.int32s(2) ?? []; }
  operators(): OperatorTable[] { return this.tables(3, (bb, p) => new OperatorTable(bb, p)); }
  name(): string | undefined { return this.string(4); }
}

/** table Tensor { shape, type, buffer, name, quantization, is_variable, sparsity, shape_signature } */
export class TensorTable extends Table {
  shape(): number[] { return this.int32s(0) ?? []; }
  type(): number { return this.int8(1, TensorType.FLOAT32); }
  buffer(): number { return this.uint32(2, 0); }
  name(): string { return this.string(3) ?? ''; }
  /** True when quantization parameters with a scale are present. */
  quantized(): boolean {
    const q = this.table(4, (bb, p) => new QuantizationTable(bb, p));
    return q !== undefined && (q.scaleCount() > 0);
  }
  hasSparsity(): boolean { return this.field(6) !== 0; }
}

/** table QuantizationParameters { min, max, scale, zero_point, … }: only whether scales exist. */
class QuantizationTable extends Table {
  scaleCount(): number {
    const at = this.field(2);
    return at ? this.bb.__vector_len(at) : 0;
  }
}

/** table Buffer { data: [ubyte], offset: ulong, size: ulong } */
export class BufferTable extends Table {
  data(): Uint8Array | undefined { return this.bytes(0); }
  /** Offset of data stored after the flatbuffer (files over 2 GB); 0 when the data is inline. */
  offset(): bigint { return this.uint64(1, 0n); }
}

/** table Operator { opcode_index, inputs, outputs, builtin_options_type, builtin_options, … } */
export class OperatorTable extends Table {
  opcodeIndex(): number { return this.uint32(0, 0); }
  /** Input tensor indices; −1 marks an omitted optional input. */
  inputs(): number[] { return this.int32s(1) ?? []; }
  outputs(): number[] { return this.int32s(2) ?? []; }
  optionsType(): number { return this.uint8(3, 0); }
  /** The builtin options table (its type is {@link optionsType}). */
  options(): OptionsTable | undefined { return this.table(4, (bb, p) => new OptionsTable(bb, p)); }
}

/**
 * Any builtin options table, read by field number; each getter names the schema table and field it reads.
 * (Conv2DOptions and DepthwiseConv2DOptions share padding, stride_w and stride_h as fields 0–2.)
 */
export class OptionsTable extends Table {
  /** Conv2D / DepthwiseConv2D: padding (field 0). */
  padding(): number { return this.int8(0, Padding.SAME); }
  /** Conv2D / DepthwiseConv2D: stride_w (field 1). */
  strideW(): number { return this.int32(1, 0); }
  /** Conv2D / DepthwiseConv2D: stride_h (field 2). */
  strideH(): number { return this.int32(2, 0); }
  /** Conv2DOptions.fused_activation_function (field 3). */
  convActivation(): number { return this.int8(3, Activation.NONE); }
  /** Conv2DOptions.dilation_h_factor, dilation_w_factor (fields 5, 4), as [h, w]. */
  convDilation(): [number, number] { return [this.int32(5, 1), this.int32(4, 1)]; }
  /** DepthwiseConv2DOptions.depth_multiplier (field 3). */
  depthMultiplier(): number { return this.int32(3, 0); }
  /** DepthwiseConv2DOptions.fused_activation_function (field 4). */
  depthwiseActivation(): number { return this.int8(4, Activation.NONE); }
  /** DepthwiseConv2DOptions.dilation_h_factor, dilation_w_factor (fields 6, 5), as [h, w]. */
  depthwiseDilation(): [number, number] { return [this.int32(6, 1), this.int32(5, 1)]; }
  /** fused_activation_function at field 0: AddOptions, SubOptions, MulOptions. */
  firstActivation(): number { return this.int8(0, Activation.NONE); }
  /** ReshapeOptions.new_shape (field 0). */
  newShape(): number[] | undefined { return this.int32s(0); }
}

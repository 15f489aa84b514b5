/**
 * A small lossless binary encoding for the store's plain records (the export file's records section).
 * JSON would lose typed arrays, -0, undefined and exact float bits; this keeps them.
 *
 * Each value is a 1-byte tag followed by its payload (all integers u32 little-endian):
 *   0 null · 1 undefined · 2 false · 3 true
 *   4 number: float64 LE (8 bytes, exact bits)
 *   5 string: byte length, UTF-8 bytes
 *   6 array: length, then that many values
 *   7 object: property count, then (key as a tag-5 string payload, value) pairs, in property order
 *   8 Uint8Array · 9 Float32Array · 10 Int32Array · 11 Float64Array: element count, then the raw
 *     little-endian element bytes
 * Anything else (Date, Map, Blob, class instances, functions) is refused when encoding.
 * Decoding checks every length against the bytes that remain, limits nesting, and charges every value
 * an estimate of the memory it takes against a budget (by default {@link DEFAULT_BUDGET_FACTOR} × the
 * input), so hostile input fails with a clear error instead of allocating absurd amounts of memory.
 * {@link decodeLists} also checks each record as soon as it is decoded, so a file whose first record is
 * wrong is refused after reading that record, not after building all of them.
 */
import { InvalidInputError, UnsupportedEnvironmentError } from '../errors.ts';

const Tag = {
  Null: 0,
  Undefined: 1,
  False: 2,
  True: 3,
  Number: 4,
  String: 5,
  Array: 6,
  Object: 7,
  Uint8: 8,
  Float32: 9,
  Int32: 10,
  Float64: 11,
} as const;

/** Deepest nesting accepted (records are a handful of levels deep). */
export const MAX_DEPTH = 32;

/**
 * Decoded values may take at most this many times the encoded bytes (plus {@link BUDGET_SLACK}), by the
 * estimates below. Real records (thumbnails, landmarks, vectors as typed arrays) take about 1–3×; a file of
 * tiny values that each cost a JS object (an empty Uint8Array: 5 bytes encoded, ~100 in memory) does not fit.
 */
export const DEFAULT_BUDGET_FACTOR = 8;
const BUDGET_SLACK = 1 << 20;

/** Bytes per element of each typed-array tag. */
const ELEMENT_BYTES: Partial<Record<number, number>> = { [Tag.Uint8]: 1, [Tag.Float32]: 4, [Tag.Int32]: 4, [Tag.Float64]: 8 };

/**
 * Estimated bytes of memory per decoded value, beyond its payload. A typed array costs an ArrayBuffer
 * allocation (~200 bytes in V8, and most of the time it takes to decode a tiny one): charged high, since real
 * records hold a few each (landmarks, a thumbnail) and a file of thousands of tiny ones is an attack.
 */
const Cost = { scalar: 16, string: 32, array: 32, slot: 8, object: 64, property: 32, typed: 1024 } as const;

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Throws on big-endian hosts: the format stores typed arrays as raw little-endian bytes. */
export function assertLittleEndian(): void {
  if (!littleEndian) {
    throw new UnsupportedEnvironmentError('This host is big-endian; the store export format needs a little-endian host.');
  }
}

/** A value the codec can carry. */
export type CodecValue =
  | null
  | undefined
  | boolean
  | number
  | string
  | Uint8Array
  | Float32Array
  | Int32Array
  | Float64Array
  | CodecValue[]
  | { [key: string]: CodecValue };

/** Appends encoded values to a growing buffer. */
export class Encoder {
  private bytes = new Uint8Array(1024);
  private view = new DataView(this.bytes.buffer);
  private length = 0;
  private readonly text = new TextEncoder();

  /** The bytes written so far (a copy sized exactly). */
  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }

  private u8(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  private u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }

  private raw(data: Uint8Array): void {
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  private stringPayload(value: string): void {
    const data = this.text.encode(value);
    this.u32(data.length);
    this.raw(data);
  }

  private typed(tag: number, value: ArrayBufferView & { length: number }): void {
    this.u8(tag);
    this.u32(value.length);
    this.raw(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  }

  /**
   * Appends one value.
   * @throws InvalidInputError for a value outside {@link CodecValue} (path names where).
   */
  write(value: unknown, path = '$', depth = 0): void {
    if (depth > MAX_DEPTH) throw new InvalidInputError(`${path}: nested deeper than ${MAX_DEPTH} levels`);
    if (value === null) return this.u8(Tag.Null);
    if (value === undefined) return this.u8(Tag.Undefined);
    if (value === false) return this.u8(Tag.False);
    if (value === true) return this.u8(Tag.True);
    if (typeof value === 'number') {
      this.u8(Tag.Number);
      this.reserve(8);
      this.view.setFloat64(this.length, value, true);
      this.length += 8;
      return;
    }
    if (typeof value === 'string') {
      this.u8(Tag.String);
      this.stringPayload(value);
      return;
    }
    if (value instanceof Uint8Array) return this.typed(Tag.Uint8, value);
    if (value instanceof Float32Array) return this.typed(Tag.Float32, value);
    if (value instanceof Int32Array) return this.typed(Tag.Int32, value);
    if (value instanceof Float64Array) return this.typed(Tag.Float64, value);
    if (Array.isArray(value)) {
      this.u8(Tag.Array);
      this.u32(value.length);
      value.forEach((item, i) => this.write(item, `${path}[${i}]`, depth + 1));
      return;
    }
    if (typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
      const entries = Object.entries(value);
      this.u8(Tag.Object);
      this.u32(entries.length);
      for (const [key, item] of entries) {
        this.stringPayload(key);
        this.write(item, `${path}.${key}`, depth + 1);
      }
      return;
    }
    const kind = typeof value === 'object' ? (Object.getPrototypeOf(value)?.constructor?.name ?? 'object') : typeof value;
    throw new InvalidInputError(
      `${path}: cannot store a ${kind}; accepted are null, booleans, numbers, strings, arrays, plain objects, ` +
        'Uint8Array, Float32Array, Int32Array and Float64Array',
    );
  }
}

/** Encodes one value. */
export function encodeValue(value: unknown): Uint8Array {
  assertLittleEndian();
  const encoder = new Encoder();
  encoder.write(value);
  return encoder.finish();
}

/** Reads values back; every read is bounds-checked. */
class Decoder {
  private offset = 0;
  private readonly view: DataView;
  private readonly text = new TextDecoder('utf-8', { fatal: true });

  private spent = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly budget: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Counts `bytes` of memory against the budget, before they are allocated. */
  private charge(bytes: number): void {
    this.spent += bytes;
    if (this.spent > this.budget) {
      this.fail(`its values would take more than ${this.budget} bytes of memory, far more than ${this.bytes.length} bytes of records can describe`);
    }
  }

  /** Reads a tag that must be `expected`. */
  expect(expected: number, what: string): void {
    const tag = this.u8();
    if (tag !== expected) this.fail(`expected ${what} (tag ${expected}), found tag ${tag}`);
  }

  /**
   * Reads a count that must be `expected` (a list's length as the header declares it), or any count when
   * `expected` is undefined (a list the header does not count); returns it.
   */
  count(expected: number | undefined, what: string): number {
    const found = this.u32(`the length of ${what}`);
    if (expected !== undefined && found !== expected) this.fail(`${what} holds ${found} records but the header declares ${expected}`);
    this.charge(Cost.array + Cost.slot * found);
    return found;
  }

  /** Reads a property name. */
  key(): string {
    return this.stringPayload();
  }

  /** Reads a u32 length field. */
  length(what: string): number {
    return this.u32(what);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  fail(message: string): never {
    throw new InvalidInputError(`malformed records at byte ${this.offset}: ${message}`, { details: { reason: 'malformed' } });
  }

  private need(count: number, what: string): void {
    if (count > this.remaining) this.fail(`${what} needs ${count} bytes but only ${this.remaining} remain`);
  }

  private u8(): number {
    this.need(1, 'a tag');
    return this.bytes[this.offset++] as number;
  }

  private u32(what: string): number {
    this.need(4, what);
    const value = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }

  private take(count: number, what: string): Uint8Array {
    this.need(count, what);
    // A copy, so decoded values own their buffers (and are aligned for typed-array views).
    const out = this.bytes.slice(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  private stringPayload(): string {
    const length = this.u32('a string length');
    this.charge(Cost.string + 2 * length);
    const data = this.take(length, 'a string');
    try {
      return this.text.decode(data);
    } catch {
      return this.fail('a string is not valid UTF-8');
    }
  }

  private typed(elementBytes: number, what: string): ArrayBuffer {
    const count = this.u32(`${what} length`);
    this.need(count * elementBytes, what);
    this.charge(Cost.typed + count * elementBytes);
    return this.take(count * elementBytes, what).buffer as ArrayBuffer;
  }

  /** Steps over one value without building it (bounds and nesting still checked). */
  skip(depth = 0): void {
    if (depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    const tag = this.u8();
    if (tag <= Tag.True) return;
    if (tag === Tag.Number) {
      this.need(8, 'a number');
      this.offset += 8;
    } else if (tag === Tag.String) {
      const length = this.u32('a string length');
      this.need(length, 'a string');
      this.offset += length;
    } else if (tag === Tag.Array) {
      const length = this.u32('an array length');
      for (let i = 0; i < length; i++) this.skip(depth + 1);
    } else if (tag === Tag.Object) {
      const count = this.u32('a property count');
      for (let i = 0; i < count; i++) {
        const length = this.u32('a string length');
        this.need(length, 'a property name');
        this.offset += length;
        this.skip(depth + 1);
      }
    } else if (tag >= Tag.Uint8 && tag <= Tag.Float64) {
      const bytes = this.u32('a typed array length') * (ELEMENT_BYTES[tag] as number);
      this.need(bytes, 'a typed array');
      this.offset += bytes;
    } else {
      this.fail(`unknown tag ${tag}`);
    }
  }

  read(depth = 0): CodecValue {
    if (depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    const tag = this.u8();
    if (tag <= Tag.Number) this.charge(Cost.scalar);
    switch (tag) {
      case Tag.Null:
        return null;
      case Tag.Undefined:
        return undefined;
      case Tag.False:
        return false;
      case Tag.True:
        return true;
      case Tag.Number: {
        this.need(8, 'a number');
        const value = this.view.getFloat64(this.offset, true);
        this.offset += 8;
        return value;
      }
      case Tag.String:
        return this.stringPayload();
      case Tag.Array: {
        const length = this.u32('an array length');
        // Every item takes at least one byte, so a longer claim is a lie.
        if (length > this.remaining) this.fail(`an array claims ${length} items but only ${this.remaining} bytes remain`);
        this.charge(Cost.array + Cost.slot * length);
        const out: CodecValue[] = [];
        for (let i = 0; i < length; i++) out.push(this.read(depth + 1));
        return out;
      }
      case Tag.Object: {
        const count = this.u32('a property count');
        if (count > this.remaining) this.fail(`an object claims ${count} properties but only ${this.remaining} bytes remain`);
        this.charge(Cost.object + Cost.property * count);
        const out: Record<string, CodecValue> = {};
        for (let i = 0; i < count; i++) {
          const key = this.stringPayload();
          if (key === '__proto__') this.fail('property name __proto__ is not allowed');
          out[key] = this.read(depth + 1);
        }
        return out;
      }
      case Tag.Uint8:
        return new Uint8Array(this.typed(1, 'a Uint8Array'));
      case Tag.Float32:
        return new Float32Array(this.typed(4, 'a Float32Array'));
      case Tag.Int32:
        return new Int32Array(this.typed(4, 'an Int32Array'));
      case Tag.Float64:
        return new Float64Array(this.typed(8, 'a Float64Array'));
      default:
        return this.fail(`unknown tag ${tag}`);
    }
  }
}

function budgetFor(bytes: Uint8Array, factor: number): number {
  return factor * bytes.length + BUDGET_SLACK;
}

function assertConsumed(decoder: Decoder): void {
  if (decoder.remaining !== 0) {
    throw new InvalidInputError(`malformed records: ${decoder.remaining} unexpected bytes after the last value`, {
      details: { reason: 'malformed' },
    });
  }
}

/**
 * Decodes one value that must fill `bytes` exactly.
 * @param options.budgetFactor decoded values may take this many times `bytes.length` (see {@link DEFAULT_BUDGET_FACTOR}).
 * @throws InvalidInputError (details.reason 'malformed') on any inconsistency.
 */
export function decodeValue(bytes: Uint8Array, options: { budgetFactor?: number } = {}): CodecValue {
  assertLittleEndian();
  const decoder = new Decoder(bytes, budgetFor(bytes, options.budgetFactor ?? DEFAULT_BUDGET_FACTOR));
  const value = decoder.read();
  assertConsumed(decoder);
  return value;
}

/** One list of {@link decodeLists}: its declared length, and the check each item gets as soon as it is read. */
export interface ListSpec {
  /** Its length as the header declares it; undefined for a list the header does not count. */
  count: number | undefined;
  item: (value: CodecValue, index: number) => unknown;
  /** A list that may be absent (files written before it existed): it is read as empty then. */
  optional?: boolean;
}

/**
 * Decodes an object whose properties are lists of records (the export file's records section), checking
 * as it goes: each named list's length against `lists[name].count` before reading it, each item with
 * `lists[name].item` right after reading it. Properties not named are stepped over without being built.
 * @returns each named list, as its `item` checks returned the items.
 * @throws InvalidInputError (details.reason 'malformed') for a broken encoding, a wrong length or a missing
 *   list; whatever an `item` check throws, unchanged.
 */
export function decodeLists<K extends string>(
  bytes: Uint8Array,
  lists: Record<K, ListSpec>,
  options: { budgetFactor?: number } = {},
): Record<K, unknown[]> {
  assertLittleEndian();
  const decoder = new Decoder(bytes, budgetFor(bytes, options.budgetFactor ?? DEFAULT_BUDGET_FACTOR));
  decoder.expect(Tag.Object, 'an object of lists');
  const properties = decoder.length('a property count');
  const out: Partial<Record<K, unknown[]>> = {};
  for (let p = 0; p < properties; p++) {
    const key = decoder.key();
    if (!Object.hasOwn(lists, key)) {
      decoder.skip(1);
      continue;
    }
    const name = key as K;
    if (out[name]) decoder.fail(`the list ${name} appears twice`);
    const spec = lists[name];
    decoder.expect(Tag.Array, `the list ${name}`);
    const count = decoder.count(spec.count, `the list ${name}`);
    const items: unknown[] = [];
    for (let i = 0; i < count; i++) items.push(spec.item(decoder.read(2), i));
    out[name] = items;
  }
  for (const name of Object.keys(lists) as K[]) {
    if (!out[name] && lists[name].optional) out[name] = [];
    if (!out[name]) decoder.fail(`there is no ${name} list`);
  }
  assertConsumed(decoder);
  return out as Record<K, unknown[]>;
}

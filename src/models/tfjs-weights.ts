/**
 * Reads TF.js "weights manifest + .bin" pairs (the format face-api ships in its model/ folder) into
 * named tensors, keeping uint8-quantised tensors quantised so the converter can store them compactly.
 *
 * Dequantisation follows tfjs-core's `decodeWeights` exactly: each byte `q` becomes
 * `Math.fround(q * scale + min)` (the product and sum are done in float64, then stored as float32).
 */
import { ModelLoadError } from '../errors.ts';
import { concatBytes } from '../runtime/bytes.ts';

/** One entry of a TF.js weights manifest. */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

/** A group of weights stored in one or more .bin shards (the manifest is an array of these). */
export interface TfjsWeightGroup {
  paths: string[];
  weights: TfjsWeightSpec[];
}

/** A weight tensor as stored: either plain float32 values or uint8 codes with their affine map. */
export interface TfjsWeight {
  name: string;
  /** Shape in TF.js order (e.g. conv filters are [kh, kw, in, out]). */
  shape: number[];
  /** Plain float32 values, or the uint8 codes when `quant` is set. */
  values: Float32Array | Uint8Array | Int32Array;
  /** Set when `values` holds uint8 codes: the float value of code q is fround(q × scale + min). */
  quant?: { scale: number; min: number };
}

const bytesPerValue = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 } as const;

/**
 * Parses a manifest (JSON text or parsed value) and checks its structure.
 * @param file the manifest's file name, used in error messages.
 * @throws ModelLoadError when the manifest is not valid JSON or not a TF.js weights manifest.
 */
export function parseWeightsManifest(json: string | unknown, file: string): TfjsWeightGroup[] {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (cause) {
      throw new ModelLoadError(`weights manifest ${file} is not valid JSON: ${(cause as Error).message}`, { cause });
    }
  }
  const bad = (why: string) => new ModelLoadError(`weights manifest ${file} is not a TF.js weights manifest: ${why}`);
  if (!Array.isArray(value) || value.length === 0) throw bad('expected a non-empty array of weight groups');
  for (const group of value as TfjsWeightGroup[]) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights)) throw bad('a group lacks "paths" or "weights"');
    for (const w of group.weights) {
      if (typeof w?.name !== 'string' || !Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && d >= 0)) {
        throw bad(`weight ${JSON.stringify(w?.name)} has no valid name/shape`);
      }
      if (w.dtype !== 'float32' && w.dtype !== 'int32') throw bad(`weight ${w.name} has dtype ${String(w.dtype)}; accepted: float32, int32`);
      const q = w.quantization;
      if (q && (q.dtype !== 'uint8' || typeof q.scale !== 'number' || typeof q.min !== 'number')) {
        throw bad(`weight ${w.name} uses quantisation ${JSON.stringify(q)}; accepted: uint8 with numeric scale and min`);
      }
    }
  }
  return value as TfjsWeightGroup[];
}

/**
 * Splits the concatenated shard bytes of one manifest into named weights.
 * @param groups the parsed manifest.
 * @param shards the bytes of each file named in `groups[*].paths`, keyed by that path.
 * @throws ModelLoadError naming the shard when a file is missing or its size disagrees with the manifest.
 */
export function readWeights(groups: TfjsWeightGroup[], shards: Map<string, Uint8Array>): Map<string, TfjsWeight> {
  const out = new Map<string, TfjsWeight>();
  for (const group of groups) {
    const parts = group.paths.map((p) => {
      const bytes = shards.get(p);
      if (!bytes) throw new ModelLoadError(`weights file ${p} is missing`);
      return bytes;
    });
    const expected = group.weights.reduce(
      (sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * bytesPerValue[w.quantization?.dtype ?? w.dtype], 0);
    const total = parts.reduce((sum, p) => sum + p.length, 0);
    if (total !== expected) {
      throw new ModelLoadError(
        `weights file ${group.paths.join(' + ')} holds ${total} bytes but its manifest describes ${expected}: the file is corrupt or truncated`);
    }
    const buffer = concatBytes(parts);
    let offset = 0;
    for (const spec of group.weights) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const q = spec.quantization;
      if (q) {
        const codes = buffer.slice(offset, offset + size);
        offset += size;
        if (spec.dtype === 'int32') {
          // Integer tensors (shape constants in the SSD graph) are never used by the networks; tfjs rounds them.
          out.set(spec.name, { name: spec.name, shape: spec.shape, values: Int32Array.from(codes, (c) => Math.round(c * q.scale! + q.min!)) });
        } else {
          out.set(spec.name, { name: spec.name, shape: spec.shape, values: codes, quant: { scale: q.scale!, min: q.min! } });
        }
      } else {
        const bytes = buffer.slice(offset, offset + size * 4);
        offset += size * 4;
        const values = spec.dtype === 'int32' ? new Int32Array(bytes.buffer) : new Float32Array(bytes.buffer);
        out.set(spec.name, { name: spec.name, shape: spec.shape, values });
      }
    }
  }
  return out;
}

/** The float32 values of a weight, dequantised exactly as tfjs-core does. */
export function dequantize(weight: TfjsWeight): Float32Array {
  if (!weight.quant) {
    if (weight.values instanceof Float32Array) return weight.values;
    return Float32Array.from(weight.values);
  }
  const { scale, min } = weight.quant;
  const codes = weight.values;
  const values = new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i++) values[i] = codes[i]! * scale + min;
  return values;
}

/** The 256-entry table that maps each uint8 code to its dequantised float32 value. */
export function dequantizeTable(quant: { scale: number; min: number }): Float32Array {
  const table = new Float32Array(256);
  for (let q = 0; q < 256; q++) table[q] = q * quant.scale + quant.min;
  return table;
}

/**
 * Looks up a weight and checks its shape.
 * @throws ModelLoadError naming the weight when it is absent or shaped differently.
 */
export function requireWeight(weights: Map<string, TfjsWeight>, name: string, rank?: number): TfjsWeight {
  const w = weights.get(name);
  if (!w) throw new ModelLoadError(`weight ${name} is missing from the weights manifest`);
  if (rank !== undefined && w.shape.length !== rank) {
    throw new ModelLoadError(`weight ${name} has shape [${w.shape.join(', ')}]; expected rank ${rank}`);
  }
  return w;
}

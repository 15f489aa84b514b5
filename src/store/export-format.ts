/**
 * The export file: one model's embeddings plus the photos, faces and analyses that go with them.
 *
 * Layout (version 2; version 1 had the same layout with face ids `${photoHash}:${index}` and a run's
 * k choice in its scores, and is still read). All integers are unsigned 32-bit little-endian; offsets in bytes.
 *
 *   offset  size    field
 *   0       8       magic: ASCII "FAPSTORE"
 *   8       4       format version = 2
 *   12      4       header length H = 64 + m + padding to a multiple of 4 + 4
 *   16      4       embedding dimension d (0 only when n = 0)
 *   20      4       vector count n
 *   24      4       photo count
 *   28      4       face count
 *   32      4       cluster run count
 *   36      4       cluster name count
 *   40      4       probe count
 *   44      4       identity group count
 *   48      4       records section length R
 *   52      4       CRC-32 of the records section
 *   56      4       CRC-32 of the embeddings section
 *   60      4       model id length m (UTF-8 bytes, 1 … 1024)
 *   64      m       model id, UTF-8, then zero bytes up to a multiple of 4
 *   H - 4   4       CRC-32 of header bytes [0, H - 4)
 *   H       R       records section: one value in the codec of codec.ts, an object
 *                   { photos, faces, runs, clusterNames, probes, identityGroups, embeddingFaceIds,
 *                   corrections } (arrays, in store key order; embeddingFaceIds has n face ids in row
 *                   order; corrections, oldest first, is not counted in the header and may be absent:
 *                   files written before it existed read as having none, and older readers skip it)
 *   H + R   0…3     zero padding to a multiple of 4
 *   E       n·d·4   embeddings: float32 little-endian, row-major, row i belongs to embeddingFaceIds[i]
 *
 * The file ends exactly at E + n·d·4. CRC-32 is IEEE 802.3 (zlib's). The file holds no timestamp of
 * its own, so exporting the same data twice gives the same bytes.
 *
 * Reading checks, in order: size of the fixed header, magic, version, header length, header CRC,
 * plausible counts (d ≤ 65,536; n·d·4 ≤ 2 GiB; record counts ≤ R), the expected model and
 * dimension, exact file length, section CRCs, the records' shapes and cross references, and that
 * every float is finite. Every failure is an InvalidInputError whose `details.reason` is an
 * {@link ImportFailure}.
 */
import { InvalidInputError } from '../errors.ts';
import { encodeValue } from './codec.ts';
import { crc32, crc32Update } from './crc32.ts';
import { readRecords, type CheckedRecords, type ExportRecords } from './check-records.ts';
import { ImportFailure, refuse } from './import-failure.ts';
import { MAX_DIMENSION } from './validate.ts';

/** The file's first 8 bytes. */
export const EXPORT_MAGIC = 'FAPSTORE';
/** The format version this build writes; it reads this one and {@link OLDEST_EXPORT_VERSION} onwards. */
export const EXPORT_VERSION = 2;
/** The oldest format version still read (its records are upgraded on import). */
export const OLDEST_EXPORT_VERSION = 1;
/** Bytes of the fixed part of the header (before the model id). */
export const FIXED_HEADER_BYTES = 64;
const MAX_MODEL_ID_BYTES = 1024;
/** Largest embeddings section accepted (2 GiB). */
export const MAX_EMBEDDING_BYTES = 2 ** 31;

export { ImportFailure } from './import-failure.ts';

/** A fully validated export file. */
export interface DecodedExport extends CheckedRecords {
  modelId: string;
  /** The vectors' dimension (0 when the file holds none). */
  dimension: number;
  /** n × d, row-major (its own buffer). */
  vectors: Float32Array;
}

const pad4 = (n: number): number => (4 - (n % 4)) % 4;

/**
 * Builds an export file as parts (header, records, padding, then each vector chunk's bytes) so a
 * caller can make a Blob without one contiguous copy, or concatenate them.
 * @param vectorChunks row-major chunks of width `dimension` whose rows total `records.embeddingFaceIds.length`.
 */
export function encodeExport(modelId: string, dimension: number, records: ExportRecords, vectorChunks: Float32Array[]): Uint8Array[] {
  const n = records.embeddingFaceIds.length;
  const rows = vectorChunks.reduce((sum, c) => sum + c.length, 0);
  if (rows !== n * dimension) {
    throw new InvalidInputError(`export: ${rows} floats for ${n} face ids of dimension ${dimension} (expected ${n * dimension})`);
  }
  const body = encodeValue({
    photos: records.photos,
    faces: records.faces,
    runs: records.runs,
    clusterNames: records.clusterNames,
    probes: records.probes,
    identityGroups: records.identityGroups,
    embeddingFaceIds: records.embeddingFaceIds,
    corrections: records.corrections ?? [],
  });
  const vectorBytes = vectorChunks.map((c) => new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
  const embeddingsCrc = vectorBytes.reduce((crc, part) => crc32Update(crc, part), 0);
  const id = new TextEncoder().encode(modelId);
  const headerLength = FIXED_HEADER_BYTES + id.length + pad4(id.length) + 4;
  const header = new Uint8Array(headerLength);
  const view = new DataView(header.buffer);
  header.set(new TextEncoder().encode(EXPORT_MAGIC), 0);
  const fields = [
    EXPORT_VERSION,
    headerLength,
    n === 0 ? 0 : dimension,
    n,
    records.photos.length,
    records.faces.length,
    records.runs.length,
    records.clusterNames.length,
    records.probes.length,
    records.identityGroups.length,
    body.length,
    crc32(body),
    embeddingsCrc,
    id.length,
  ];
  fields.forEach((value, i) => view.setUint32(8 + 4 * i, value, true));
  header.set(id, FIXED_HEADER_BYTES);
  view.setUint32(headerLength - 4, crc32(header.subarray(0, headerLength - 4)), true);
  return [header, body, new Uint8Array(pad4(body.length)), ...vectorBytes];
}

/** Header fields, after the header's own checks. */
interface Header {
  version: number;
  length: number;
  dimension: number;
  vectors: number;
  counts: { photos: number; faces: number; runs: number; clusterNames: number; probes: number; identityGroups: number };
  recordsLength: number;
  recordsCrc: number;
  embeddingsCrc: number;
  modelId: string;
}

function readHeader(bytes: Uint8Array): Header {
  if (bytes.length < FIXED_HEADER_BYTES) {
    refuse(ImportFailure.Truncated, `it is ${bytes.length} bytes long, shorter than the ${FIXED_HEADER_BYTES}-byte header`);
  }
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (magic !== EXPORT_MAGIC) {
    refuse(ImportFailure.BadMagic, `it starts with ${JSON.stringify(magic)}, not ${JSON.stringify(EXPORT_MAGIC)}: not a face store export`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (offset: number): number => view.getUint32(offset, true);
  const version = u32(8);
  if (version < OLDEST_EXPORT_VERSION || version > EXPORT_VERSION) {
    refuse(ImportFailure.UnsupportedVersion, `its format version is ${version}; this app reads versions ${OLDEST_EXPORT_VERSION} to ${EXPORT_VERSION}`, { version });
  }
  const length = u32(12);
  const idLength = u32(60);
  if (idLength < 1 || idLength > MAX_MODEL_ID_BYTES) {
    refuse(ImportFailure.AbsurdCount, `its model id length is ${idLength} bytes; accepted are 1 to ${MAX_MODEL_ID_BYTES}`);
  }
  const expectedLength = FIXED_HEADER_BYTES + idLength + pad4(idLength) + 4;
  if (length !== expectedLength) refuse(ImportFailure.Malformed, `its header length is ${length}, expected ${expectedLength}`);
  if (bytes.length < length) refuse(ImportFailure.Truncated, `it is ${bytes.length} bytes long, shorter than its ${length}-byte header`);
  const storedCrc = u32(length - 4);
  const actualCrc = crc32(bytes.subarray(0, length - 4));
  if (storedCrc !== actualCrc) {
    refuse(ImportFailure.ChecksumMismatch, `the header checksum is ${hex(storedCrc)} but the header hashes to ${hex(actualCrc)} (corrupted)`);
  }
  let modelId: string;
  try {
    modelId = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(FIXED_HEADER_BYTES, FIXED_HEADER_BYTES + idLength));
  } catch {
    return refuse(ImportFailure.Malformed, 'its model id is not valid UTF-8');
  }
  return {
    version,
    length,
    dimension: u32(16),
    vectors: u32(20),
    counts: { photos: u32(24), faces: u32(28), runs: u32(32), clusterNames: u32(36), probes: u32(40), identityGroups: u32(44) },
    recordsLength: u32(48),
    recordsCrc: u32(52),
    embeddingsCrc: u32(56),
    modelId,
  };
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

function checkCounts(h: Header, fileLength: number): void {
  if (h.dimension > MAX_DIMENSION) refuse(ImportFailure.AbsurdCount, `its dimension is ${h.dimension}; at most ${MAX_DIMENSION} is accepted`);
  if ((h.dimension === 0) !== (h.vectors === 0)) {
    refuse(ImportFailure.AbsurdCount, `it declares ${h.vectors} vectors of dimension ${h.dimension} (dimension 0 only with 0 vectors)`);
  }
  const embeddingBytes = h.vectors * h.dimension * 4;
  if (embeddingBytes > MAX_EMBEDDING_BYTES) {
    refuse(ImportFailure.AbsurdCount, `it declares ${h.vectors} vectors × ${h.dimension} floats (${embeddingBytes} bytes); at most ${MAX_EMBEDDING_BYTES} bytes are accepted`);
  }
  if (h.recordsLength > fileLength) {
    refuse(ImportFailure.Truncated, `its records section is ${h.recordsLength} bytes but the file is only ${fileLength} bytes`);
  }
  for (const [name, count] of Object.entries(h.counts)) {
    // Every record takes at least one byte of the records section.
    if (count > h.recordsLength) refuse(ImportFailure.AbsurdCount, `it declares ${count} ${name} in a ${h.recordsLength}-byte records section`);
  }
  if (h.vectors > h.recordsLength) {
    refuse(ImportFailure.AbsurdCount, `it declares ${h.vectors} vectors but its records section (${h.recordsLength} bytes) cannot hold that many face ids`);
  }
}

/**
 * Validates an export file completely and returns its contents.
 * @param expect `modelId`: refuse a file for another model; `dimension`: refuse another dimension.
 * @throws InvalidInputError with details.reason an {@link ImportFailure}.
 */
export function decodeExport(bytes: Uint8Array, expect: { modelId?: string; dimension?: number } = {}): DecodedExport {
  const h = readHeader(bytes);
  checkCounts(h, bytes.length);
  if (expect.modelId !== undefined && expect.modelId !== h.modelId) {
    refuse(ImportFailure.DifferentModel, `it holds embeddings of model '${h.modelId}', not of '${expect.modelId}'`, {
      expected: expect.modelId,
      got: h.modelId,
    });
  }
  if (expect.dimension !== undefined && h.vectors > 0 && expect.dimension !== h.dimension) {
    refuse(ImportFailure.WrongDimension, `its vectors have dimension ${h.dimension}; model '${h.modelId}' here has dimension ${expect.dimension}`, {
      expected: expect.dimension,
      got: h.dimension,
    });
  }
  const recordsStart = h.length;
  const embeddingsStart = recordsStart + h.recordsLength + pad4(h.recordsLength);
  const embeddingBytes = h.vectors * h.dimension * 4;
  const total = embeddingsStart + embeddingBytes;
  if (bytes.length < total) refuse(ImportFailure.Truncated, `it is ${bytes.length} bytes long but its header describes ${total} bytes`);
  if (bytes.length > total) refuse(ImportFailure.Malformed, `it has ${bytes.length - total} unexpected bytes after the ${total} its header describes`);
  const recordBytes = bytes.subarray(recordsStart, recordsStart + h.recordsLength);
  if (crc32(recordBytes) !== h.recordsCrc) refuse(ImportFailure.ChecksumMismatch, 'the records section does not match its checksum (corrupted)');
  const embeddingView = bytes.subarray(embeddingsStart, total);
  if (crc32(embeddingView) !== h.embeddingsCrc) refuse(ImportFailure.ChecksumMismatch, 'the embeddings section does not match its checksum (corrupted)');
  let records: CheckedRecords;
  try {
    records = readRecords(recordBytes, { modelId: h.modelId, dimension: h.dimension, vectors: h.vectors, counts: h.counts }, h.version);
  } catch (error) {
    // Record validators and the codec word their messages for any caller; say that this is an import.
    if (error instanceof InvalidInputError && !error.message.startsWith('Cannot import')) {
      throw new InvalidInputError(`Cannot import this file: ${error.message}`, { cause: error, details: error.details });
    }
    throw error;
  }
  // A copy: the section may sit at an offset that is not a multiple of 4 in the caller's buffer.
  const vectors = new Float32Array(embeddingView.slice().buffer);
  for (let i = 0; i < vectors.length; i++) {
    if (!Number.isFinite(vectors[i])) {
      const row = Math.floor(i / h.dimension);
      refuse(ImportFailure.NonFinite, `vector ${row} (face ${records.embeddingFaceIds[row]}) holds ${vectors[i]} at dimension ${i % h.dimension}; only finite numbers are accepted`, { row });
    }
  }
  return { modelId: h.modelId, dimension: h.dimension, vectors, ...records };
}

/**
 * Shape checks for every record the store accepts, from a caller or from an imported file. Each
 * returns its input typed, or throws an InvalidInputError whose message names the path, the bad value
 * and what is accepted.
 */
import { InvalidInputError } from '../errors.ts';
import { isContentHash } from '../runtime/hash.ts';
import { THUMBNAIL_TYPES } from '../embedding/types.ts';
import { FOUND_BY } from '../vision/find-faces.ts';
import { CORRECTION_KINDS, type CorrectionRecord } from './correction-record.ts';
import { faceId, type ClusterName, type ClusterRun, type FaceBatch, type FaceRecord, type IdentityGroup, type KChoice, type PhotoRecord, type ProbeRecord } from './types.ts';

/** Longest accepted model id, in UTF-16 units. */
export const MAX_MODEL_ID_LENGTH = 256;
/** Largest accepted embedding dimension. */
export const MAX_DIMENSION = 65_536;
/** Landmark array length: 68 points × (x, y). */
export const LANDMARK_LENGTH = 136;

function bad(path: string, value: unknown, accepted: string): never {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : describe(value);
  throw new InvalidInputError(`${path} is ${shown}; expected ${accepted}`, { details: { reason: 'invalid-record', path } });
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as { length: number }).length}`;
  return `a ${typeof value === 'object' ? (Object.getPrototypeOf(value)?.constructor?.name ?? 'object') : typeof value}`;
}

type Obj = Record<string, unknown>;

function object(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
    bad(path, value, 'an object');
  }
  return value as Obj;
}

function string(value: unknown, path: string, options: { nonEmpty?: boolean; max?: number } = {}): string {
  if (typeof value !== 'string' || (options.nonEmpty && value.length === 0) || value.length > (options.max ?? Infinity)) {
    bad(path, value, `a${options.nonEmpty ? ' non-empty' : ''} string${options.max ? ` of at most ${options.max} characters` : ''}`);
  }
  return value;
}

function number(value: unknown, path: string, options: { min?: number; max?: number; integer?: boolean } = {}): number {
  const { min = -Infinity, max = Infinity, integer = false } = options;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const range = `${Number.isFinite(min) ? `≥ ${min}` : ''}${Number.isFinite(min) && Number.isFinite(max) ? ' and ' : ''}${Number.isFinite(max) ? `≤ ${max}` : ''}`;
    bad(path, value, `a finite ${integer ? 'integer' : 'number'}${range ? ` ${range}` : ''}`);
  }
  return value;
}

function stringArray(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) bad(path, value, 'an array of strings');
  value.forEach((item, i) => string(item, `${path}[${i}]`, { nonEmpty: true }));
  return value as string[];
}

function numberRecord(value: unknown, path: string): Record<string, number> {
  const o = object(value, path);
  for (const [key, item] of Object.entries(o)) {
    if (typeof item !== 'number' || Number.isNaN(item)) bad(`${path}.${key}`, item, 'a number');
  }
  return o as Record<string, number>;
}

function typed<T extends Float32Array | Int32Array | Uint8Array>(
  value: unknown,
  Type: { new (n: number): T; name: string },
  path: string,
  length?: number,
): T {
  if (!(value instanceof Type) || (length !== undefined && value.length !== length)) {
    bad(path, value, `a ${Type.name}${length === undefined ? '' : ` of length ${length}`}`);
  }
  return value;
}

function finite(values: Float32Array, path: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) bad(`${path}[${i}]`, values[i], 'a finite number (no NaN or ±Infinity)');
  }
}

/** Checks a model id: a non-empty string of at most {@link MAX_MODEL_ID_LENGTH} characters. */
export function validateModelId(value: unknown, path = 'modelId'): string {
  return string(value, path, { nonEmpty: true, max: MAX_MODEL_ID_LENGTH });
}

/** Checks an embedding dimension: an integer in [1, {@link MAX_DIMENSION}]. */
export function validateDimension(value: unknown, path = 'dimension'): number {
  return number(value, path, { min: 1, max: MAX_DIMENSION, integer: true });
}

/** Checks that every float is finite; `path` names the array in the message. */
export function validateFinite(values: Float32Array, path: string): void {
  finite(values, path);
}

/** Checks an encoded image (a face's thumbnail, a photo's preview): its type, bytes and size. */
function validateImage(value: unknown, path: string): void {
  const t = object(value, path);
  if (!THUMBNAIL_TYPES.includes(t.type as never)) bad(`${path}.type`, t.type, `one of ${THUMBNAIL_TYPES.join(', ')}`);
  typed(t.bytes, Uint8Array, `${path}.bytes`);
  number(t.width, `${path}.width`, { min: 0, integer: true });
  number(t.height, `${path}.height`, { min: 0, integer: true });
}

/** Checks a photo record. */
export function validatePhoto(value: unknown, path = 'photo'): PhotoRecord {
  const o = object(value, path);
  if (!isContentHash(o.hash)) bad(`${path}.hash`, o.hash, 'a SHA-256 content hash (64 lowercase hex digits; see hashBytes)');
  string(o.name, `${path}.name`);
  number(o.size, `${path}.size`, { min: 0, integer: true });
  string(o.type, `${path}.type`);
  number(o.addedAt, `${path}.addedAt`);
  number(o.width, `${path}.width`, { min: 0, integer: true });
  number(o.height, `${path}.height`, { min: 0, integer: true });
  stringArray(o.faceIds, `${path}.faceIds`);
  if (o.original !== undefined) typed(o.original, Uint8Array, `${path}.original`);
  if (o.preview !== undefined) validateImage(o.preview, `${path}.preview`);
  if (o.error !== undefined) {
    const e = object(o.error, `${path}.error`);
    string(e.code, `${path}.error.code`);
    string(e.message, `${path}.error.message`);
  }
  return o as unknown as PhotoRecord;
}

/** Checks a face record, including that its id is {@link faceId}(photoHash, modelId, index). */
export function validateFace(value: unknown, path = 'face'): FaceRecord {
  const o = object(value, path);
  if (!isContentHash(o.photoHash)) bad(`${path}.photoHash`, o.photoHash, 'a SHA-256 content hash');
  const index = number(o.index, `${path}.index`, { min: 0, integer: true });
  const modelId = validateModelId(o.modelId, `${path}.modelId`);
  const id = faceId(o.photoHash as string, modelId, index);
  if (o.id !== id) bad(`${path}.id`, o.id, `'${id}' (photoHash:modelId:index)`);
  const box = object(o.box, `${path}.box`);
  for (const key of ['x', 'y', 'width', 'height'] as const) number(box[key], `${path}.box.${key}`);
  number(o.score, `${path}.score`);
  finite(typed(o.landmarks, Float32Array, `${path}.landmarks`, LANDMARK_LENGTH), `${path}.landmarks`);
  if (!FOUND_BY.includes(o.foundBy as never)) bad(`${path}.foundBy`, o.foundBy, `one of ${FOUND_BY.join(', ')}`);
  validateImage(o.thumbnail, `${path}.thumbnail`);
  if (o.attributes !== undefined) {
    const a = object(o.attributes, `${path}.attributes`);
    number(a.age, `${path}.attributes.age`);
    string(a.gender, `${path}.attributes.gender`);
    number(a.genderProbability, `${path}.attributes.genderProbability`, { min: 0, max: 1 });
    numberRecord(a.expressions, `${path}.attributes.expressions`);
  }
  if (o.measures !== undefined) {
    const m = object(o.measures, `${path}.measures`);
    for (const key of ['yaw', 'pitch', 'roll', 'brightness', 'contrast', 'sharpness'] as const) number(m[key], `${path}.measures.${key}`);
  }
  return o as unknown as FaceRecord;
}

/** Checks a cluster run: labels in [0, k) and as many as faceIds, centroids a whole number of k rows. */
export function validateRun(value: unknown, path = 'run'): ClusterRun {
  const o = object(value, path);
  string(o.id, `${path}.id`, { nonEmpty: true });
  validateModelId(o.modelId, `${path}.modelId`);
  number(o.createdAt, `${path}.createdAt`);
  const scope = object(o.scope, `${path}.scope`);
  if (scope.kind === 'person') string(scope.groupId, `${path}.scope.groupId`, { nonEmpty: true });
  else if (scope.kind !== 'all') bad(`${path}.scope.kind`, scope.kind, "'all' or 'person'");
  const k = number(o.k, `${path}.k`, { min: 1, integer: true });
  number(o.seed, `${path}.seed`, { integer: true });
  const faceIds = stringArray(o.faceIds, `${path}.faceIds`);
  const labels = typed(o.labels, Int32Array, `${path}.labels`, faceIds.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    if (label < 0 || label >= k) bad(`${path}.labels[${i}]`, label, `a cluster index in [0, ${k})`);
  }
  const centroids = typed(o.centroids, Float32Array, `${path}.centroids`);
  if (centroids.length % k !== 0) bad(`${path}.centroids`, centroids, `k × dimension = ${k} × d floats`);
  finite(centroids, `${path}.centroids`);
  validateKChoice(o.kChoice, `${path}.kChoice`);
  numberRecord(o.scores, `${path}.scores`);
  return o as unknown as ClusterRun;
}

/** Checks how a run's k was chosen: 'auto' with its curve of {k, score}, 'set', or 'merged' from run ids. */
function validateKChoice(value: unknown, path: string): KChoice {
  const o = object(value, path);
  if (o.kind === 'auto') {
    if (!Array.isArray(o.curve)) bad(`${path}.curve`, o.curve, 'an array of {k, score}');
    o.curve.forEach((point: unknown, i: number) => {
      const p = object(point, `${path}.curve[${i}]`);
      number(p.k, `${path}.curve[${i}].k`, { min: 1, integer: true });
      number(p.score, `${path}.curve[${i}].score`);
    });
  } else if (o.kind === 'merged') {
    stringArray(o.from, `${path}.from`);
  } else if (o.kind !== 'set') {
    bad(`${path}.kind`, o.kind, "'auto', 'set' or 'merged'");
  }
  return o as unknown as KChoice;
}

/** Checks a cluster name record. */
export function validateClusterName(value: unknown, path = 'clusterName'): ClusterName {
  const o = object(value, path);
  string(o.runId, `${path}.runId`, { nonEmpty: true });
  number(o.cluster, `${path}.cluster`, { min: 0, integer: true });
  string(o.name, `${path}.name`, { nonEmpty: true });
  return o as unknown as ClusterName;
}

/** Checks a probe record. */
export function validateProbe(value: unknown, path = 'probe'): ProbeRecord {
  const o = object(value, path);
  string(o.id, `${path}.id`, { nonEmpty: true });
  validateModelId(o.modelId, `${path}.modelId`);
  string(o.name, `${path}.name`);
  number(o.createdAt, `${path}.createdAt`);
  if (!Array.isArray(o.groups)) bad(`${path}.groups`, o.groups, 'an array of {name, faceIds}');
  o.groups.forEach((g: unknown, i: number) => {
    const group = object(g, `${path}.groups[${i}]`);
    string(group.name, `${path}.groups[${i}].name`);
    stringArray(group.faceIds, `${path}.groups[${i}].faceIds`);
  });
  if (o.trained !== undefined) {
    const t = object(o.trained, `${path}.trained`);
    const weights = typed(t.weights, Float32Array, `${path}.trained.weights`);
    const bias = typed(t.bias, Float32Array, `${path}.trained.bias`);
    finite(weights, `${path}.trained.weights`);
    finite(bias, `${path}.trained.bias`);
    if (bias.length === 0 || weights.length % bias.length !== 0) {
      bad(`${path}.trained.weights`, weights, `outputs × dimension floats with outputs = bias.length = ${bias.length}`);
    }
    if (t.mean !== undefined) typed(t.mean, Float32Array, `${path}.trained.mean`);
    if (t.std !== undefined) typed(t.std, Float32Array, `${path}.trained.std`);
    stringArray(t.classes, `${path}.trained.classes`);
  }
  if (o.metrics !== undefined) numberRecord(o.metrics, `${path}.metrics`);
  if (o.runId !== undefined) string(o.runId, `${path}.runId`, { nonEmpty: true });
  return o as unknown as ProbeRecord;
}

/** Checks an identity group. */
export function validateIdentityGroup(value: unknown, path = 'identityGroup'): IdentityGroup {
  const o = object(value, path);
  string(o.id, `${path}.id`, { nonEmpty: true });
  validateModelId(o.modelId, `${path}.modelId`);
  string(o.name, `${path}.name`);
  number(o.createdAt, `${path}.createdAt`);
  stringArray(o.faceIds, `${path}.faceIds`);
  if (o.runId !== undefined) string(o.runId, `${path}.runId`, { nonEmpty: true });
  return o as unknown as IdentityGroup;
}

/** Checks a correction of the grouping by person (see correction-record.ts). */
export function validateCorrection(value: unknown, path = 'correction'): CorrectionRecord {
  const o = object(value, path);
  string(o.id, `${path}.id`, { nonEmpty: true });
  validateModelId(o.modelId, `${path}.modelId`);
  number(o.createdAt, `${path}.createdAt`);
  const kind = string(o.kind, `${path}.kind`);
  if (!(CORRECTION_KINDS as readonly string[]).includes(kind)) bad(`${path}.kind`, kind, `one of ${CORRECTION_KINDS.join(', ')}`);
  if (kind !== 'strictness' && kind !== 'merge') string(o.faceId, `${path}.faceId`, { nonEmpty: true });
  const [least, most] = kind === 'not-person' || kind === 'move' ? [1, 2] : kind === 'merge' ? [2, 2] : [0, 1];
  if (o.people !== undefined || least > 0) {
    if (!Array.isArray(o.people) || o.people.length < least || o.people.length > most) {
      bad(`${path}.people`, o.people, `${least === most ? least : `${least} to ${most}`} people for a '${kind}' correction`);
    }
    (o.people as unknown[]).forEach((p, i) => {
      const person = object(p, `${path}.people[${i}]`);
      string(person.id, `${path}.people[${i}].id`, { nonEmpty: true });
      string(person.name, `${path}.people[${i}].name`);
      number(person.createdAt, `${path}.people[${i}].createdAt`);
      stringArray(person.faceIds, `${path}.people[${i}].faceIds`);
    });
  }
  if (kind === 'strictness') number(o.scale, `${path}.scale`, { min: 0.25, max: 4 });
  return o as unknown as CorrectionRecord;
}

/**
 * Checks a whole batch before any write: records' shapes, faces belonging to photos of the batch
 * (and listed in their `faceIds`), embeddings' sizes, finiteness and faces.
 */
export function validateBatch(batch: unknown): FaceBatch {
  const o = object(batch, 'batch');
  if (!Array.isArray(o.photos)) bad('batch.photos', o.photos, 'an array of photo records');
  const photos = new Map<string, PhotoRecord>();
  o.photos.forEach((p: unknown, i: number) => {
    const photo = validatePhoto(p, `batch.photos[${i}]`);
    photos.set(photo.hash, photo);
  });
  const faces = new Map<string, FaceRecord>();
  if (o.faces !== undefined) {
    if (!Array.isArray(o.faces)) bad('batch.faces', o.faces, 'an array of face records');
    o.faces.forEach((f: unknown, i: number) => {
      const face = validateFace(f, `batch.faces[${i}]`);
      const photo = photos.get(face.photoHash);
      if (!photo) bad(`batch.faces[${i}].photoHash`, face.photoHash, 'the hash of a photo in the same batch');
      if (!photo.faceIds.includes(face.id)) bad(`batch.faces[${i}].id`, face.id, `one of its photo's faceIds (${photo.faceIds.join(', ') || 'none'})`);
      if (faces.has(face.id)) bad(`batch.faces[${i}].id`, face.id, 'an id not used by another face of the batch');
      faces.set(face.id, face);
    });
  }
  if (o.embeddings !== undefined) {
    if (!Array.isArray(o.embeddings)) bad('batch.embeddings', o.embeddings, 'an array of {modelId, dimension, faceIds, vectors}');
    o.embeddings.forEach((e: unknown, i: number) => {
      const path = `batch.embeddings[${i}]`;
      const emb = object(e, path);
      const modelId = validateModelId(emb.modelId, `${path}.modelId`);
      const d = validateDimension(emb.dimension, `${path}.dimension`);
      const ids = stringArray(emb.faceIds, `${path}.faceIds`);
      const vectors = typed(emb.vectors, Float32Array, `${path}.vectors`, ids.length * d);
      finite(vectors, `${path}.vectors`);
      const seen = new Set<string>();
      ids.forEach((id, j) => {
        const face = faces.get(id);
        if (!face) bad(`${path}.faceIds[${j}]`, id, 'the id of a face in the same batch');
        if (face.modelId !== modelId) bad(`${path}.faceIds[${j}]`, id, `a face of model '${modelId}' (this face's modelId is '${face.modelId}')`);
        if (seen.has(id)) bad(`${path}.faceIds[${j}]`, id, 'a face id that appears once');
        seen.add(id);
      });
    });
  }
  return o as unknown as FaceBatch;
}

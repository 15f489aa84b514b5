/**
 * Probes a person makes by naming: the two sides of a discovered split, or two or more named clusters.
 * Each is a calibrated probe (src/analysis/discovery/calibrated-probe.ts): a named within-people split
 * learns on identity-removed vectors (each face minus its person's mean), so it carries over to new
 * people; every stated confidence is Platt-calibrated on held-out people. More than two names are
 * one calibrated probe per name against the rest; a face goes to the name whose probe is surest.
 * New faces get their identity removed with the person they match among the stored people (their
 * stored faces' mean), or with the other new faces of the same person; a face of nobody known, alone,
 * is centred on the training faces instead and says so.
 */
import {
  type CalibratedProbe,
  type MeasurableFace,
  applyCalibratedProbe,
  measurementTable,
  trainCalibratedProbe,
} from '../analysis/discovery/index.ts';
import { DEFAULT_SAME_PERSON_DISTANCE, groupByIdentity } from '../analysis/identity.ts';
import { InvalidInputError } from '../errors.ts';
import type { Kernel } from '../kernel/types.ts';
import type { ProbeRecord, Thumbnail } from '../store/types.ts';
import type { FaceCollection } from './collection.ts';
import type { GroupAssignment } from './types.ts';
import type { PersonView } from './views.ts';

/** A trained named probe: plain, structured-cloneable data, kept in the probe's store record. */
export interface NamedProbe {
  /**
   * 'split': the two sides of a discovered split; 'clusters': named clusters of the shown clustering;
   * 'selection': faces picked by hand (on the map) against the other faces or a second pick.
   */
  source: 'split' | 'clusters' | 'selection';
  /** The names, in order. */
  names: string[];
  /** Two names: one probe (class 1 = names[1]). More: one per name against the rest. */
  probes: CalibratedProbe[];
  /** Whether identity was removed before training (a within-people split). */
  identityRemoved: boolean;
  /** People among the training faces. */
  people: number;
  /** Faces per name. */
  faces: number[];
  /** People per name (a person with faces under both names counts for both). */
  peoplePerName: number[];
  /** The split it was made from, when it was: its view and id. */
  split?: { view: string; id: string };
}

/** One probed face, as shown and stored (its thumbnail included). */
export interface ProbedFaceResult extends GroupAssignment {
  thumbnail: Thumbnail | undefined;
}

/** A named group of stored faces to train on. */
export interface NamedFaces {
  name: string;
  faceIds: readonly string[];
}

/** Person of every stored face: its identity group, or the face itself when seen once. */
export function personOfFaces(people: readonly PersonView[]): Map<string, string> {
  const personOf = new Map<string, string>();
  for (const p of people) for (const id of p.group.faceIds) personOf.set(id, p.group.id);
  return personOf;
}

/**
 * Trains a named probe on stored faces (see the module comment). Faces named twice keep the first name.
 * @throws InvalidInputError for fewer than two names, or a name with fewer than 2 faces.
 */
export function trainNamedProbe(
  kernel: Kernel, collection: FaceCollection, people: readonly PersonView[], groups: readonly NamedFaces[],
  options: { source: NamedProbe['source']; identityRemoved: boolean; split?: { view: string; id: string } },
): NamedProbe {
  if (groups.length < 2) throw new InvalidInputError(`a probe needs at least two names; got ${groups.length}`);
  const seen = new Set<string>();
  const ids: string[] = [];
  const classOf: number[] = [];
  groups.forEach((g, c) => {
    for (const id of g.faceIds) {
      if (seen.has(id) || collection.row(id) === undefined) continue;
      seen.add(id);
      ids.push(id);
      classOf.push(c);
    }
  });
  const { vectors } = collection.matrix(ids);
  const d = collection.dimension;
  const personOf = personOfFaces(people);
  const persons = ids.map((id) => personOf.get(id) ?? id);
  const measurements = measurementTable(ids.map((id) => collection.face(id) as MeasurableFace));
  const names = groups.map((g) => g.name);
  const train = (classes: number[], pair: [string, string]) => trainCalibratedProbe(kernel, { vectors, d, classes, persons, names: pair }, {
    identityRemoved: options.identityRemoved, measurements,
  });
  const probes = names.length === 2
    ? [train(classOf, [names[0] as string, names[1] as string])]
    : names.map((name, c) => train(classOf.map((k) => (k === c ? 1 : 0)), [`not ${name}`, name]));
  return {
    source: options.source, names, probes, identityRemoved: options.identityRemoved,
    people: new Set(persons).size, faces: names.map((_, c) => classOf.filter((k) => k === c).length),
    peoplePerName: names.map((_, c) => new Set(persons.filter((_, i) => classOf[i] === c)).size),
    ...(options.split ? { split: options.split } : {}),
  };
}

/** Longest name a group may have. */
const MAX_NAME = 200;

/**
 * The two named groups of a hand-picked selection: `group` against `against` (a second selection), or
 * against every other stored face ("not NAME"). Ids not stored are left out; a face in both selections
 * stays in the first.
 * @throws InvalidInputError for an empty or too long name, the same name twice, or a side with fewer
 *   than 2 stored faces (the message says how many were picked).
 */
export function selectionGroups(collection: FaceCollection, group: NamedFaces, against?: NamedFaces): [NamedFaces, NamedFaces] {
  const name = group.name.trim();
  const otherName = against ? against.name.trim() : `not ${name}`;
  if (name === '' || name.length > MAX_NAME || otherName === '' || otherName.length > MAX_NAME) {
    throw new InvalidInputError(`give the group a name of 1 to ${MAX_NAME} characters`);
  }
  if (name === otherName) throw new InvalidInputError(`the two groups are both named "${name}": give each its own name`);
  const first = [...new Set(group.faceIds)].filter((id) => collection.row(id) !== undefined);
  const taken = new Set(first);
  const second = against
    ? [...new Set(against.faceIds)].filter((id) => collection.row(id) !== undefined && !taken.has(id))
    : collection.faces.map((f) => f.id).filter((id) => !taken.has(id));
  const few = (n: number) => (n === 1 ? '1 is' : `${n} are`);
  if (first.length < 2) throw new InvalidInputError(`select at least 2 faces to name a group; ${few(first.length)} selected`);
  if (second.length < 2) {
    throw new InvalidInputError(against
      ? `select at least 2 other faces to compare "${name}" with; ${few(second.length)} selected that are not in "${name}"`
      : `"${name}" holds all but ${second.length} of the faces: at least 2 must be left to compare it with`);
  }
  return [{ name, faceIds: first }, { name: otherName, faceIds: second }];
}

/**
 * What a named probe says of stored faces (`ids`; unknown ids get undefined): the name it gives each, with
 * its calibrated confidence. An identity-removed probe removes each face's person (from `people`) first.
 */
export function probeStoredFaces(
  kernel: Kernel, probe: NamedProbe, collection: FaceCollection, people: readonly PersonView[], ids: readonly string[],
): Array<{ group: string; confidence: number } | undefined> {
  const known = ids.filter((id) => collection.row(id) !== undefined);
  const out: Array<{ group: string; confidence: number } | undefined> = ids.map(() => undefined);
  if (known.length === 0) return out;
  const { vectors } = collection.matrix(known);
  const personOf = personOfFaces(people);
  const measurements = measurementTable(known.map((id) => collection.face(id) as MeasurableFace));
  const input = { vectors, persons: known.map((id) => personOf.get(id) ?? id), measurements };
  const assigned = probe.probes.map((p) => applyCalibratedProbe(kernel, p, input));
  const at = new Map(known.map((id, i) => [id, i]));
  ids.forEach((id, k) => {
    const i = at.get(id);
    if (i === undefined) return;
    if (assigned.length === 1) {
      const a = assigned[0]![i]!;
      out[k] = { group: a.name, confidence: a.confidence };
      return;
    }
    // One probe per name: the name whose probe is surest the face is theirs.
    let best = 0;
    assigned.forEach((list, c) => { if (list[i]!.probability > assigned[best]![i]!.probability) best = c; });
    out[k] = { group: probe.names[best] as string, confidence: assigned[best]![i]!.probability };
  });
  return out;
}

/** A face to probe: its vector, and what the heads and measures say. */
export interface FaceToProbe extends MeasurableFace {
  embedding: Float32Array;
}

/**
 * The person of each new face, for removing identity: a stored person whose mean lies within the
 * same-person distance (their stored faces join the rows), else the other new faces it groups with.
 */
function newFacePersons(kernel: Kernel, collection: FaceCollection, people: readonly PersonView[], vectors: Float32Array, d: number, threshold: number) {
  const n = vectors.length / d;
  const means = people.map((p) => {
    const { vectors: own } = collection.matrix(p.group.faceIds);
    const mean = kernel.meanVariance(own, d).mean;
    const norm = Math.hypot(...mean) || 1;
    return mean.map((x) => x / norm);
  });
  const persons: string[] = [];
  const extraIds: string[] = [];
  const extraPersons: string[] = [];
  const matched = new Set<number>();
  const unmatched: number[] = [];
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestDistance = Infinity;
    means.forEach((mean, p) => {
      let s = 0;
      for (let j = 0; j < d; j++) s += ((vectors[i * d + j] as number) - (mean[j] as number)) ** 2;
      if (s < bestDistance) { bestDistance = s; best = p; }
    });
    if (best >= 0 && Math.sqrt(bestDistance) < threshold) {
      const person = people[best] as PersonView;
      persons.push(person.group.id);
      if (!matched.has(best)) {
        matched.add(best);
        for (const id of person.group.faceIds) { extraIds.push(id); extraPersons.push(person.group.id); }
      }
    } else {
      persons.push('');
      unmatched.push(i);
    }
  }
  if (unmatched.length > 1) {
    const rows = new Float32Array(unmatched.length * d);
    unmatched.forEach((i, r) => rows.set(vectors.subarray(i * d, i * d + d), r * d));
    const groups = groupByIdentity(kernel, rows, d, { threshold });
    unmatched.forEach((i, r) => { persons[i] = `new:${groups.labels[r] as number}`; });
  } else {
    for (const i of unmatched) persons[i] = `new:${i}`;
  }
  return { persons, extraIds, extraPersons };
}

/**
 * Assigns new faces with a named probe. Returns one entry per face, in order.
 * @param threshold the same-person distance between unit vectors (the model's, or the default).
 */
export function applyNamedProbe(
  kernel: Kernel, probe: NamedProbe, collection: FaceCollection, people: readonly PersonView[], faces: readonly FaceToProbe[],
  threshold = DEFAULT_SAME_PERSON_DISTANCE,
): Array<{ group: string; confidence: number; identityRemoved: boolean; disagreement: string | null }> {
  const n = faces.length;
  if (n === 0) return [];
  const d = collection.dimension;
  const vectors = new Float32Array(n * d);
  faces.forEach((f, i) => vectors.set(f.embedding, i * d));
  const measurements = measurementTable(faces);
  let input: { vectors: Float32Array; persons?: string[] } = { vectors };
  if (probe.identityRemoved) {
    const { persons, extraIds, extraPersons } = newFacePersons(kernel, collection, people, vectors, d, threshold);
    const extra = collection.matrix(extraIds).vectors;
    const all = new Float32Array(vectors.length + extra.length);
    all.set(vectors);
    all.set(extra, vectors.length);
    input = { vectors: all, persons: [...persons, ...extraPersons] };
  }
  // The head columns are of the new faces only; the stored faces that join the rows have none.
  const rows = input.vectors.length / d;
  const padded = { faces: rows, columns: measurements.columns.map((c) => ({ ...c, values: Float64Array.from({ length: rows }, (_, i) => (i < n ? c.values[i] as number : Number.NaN)) })) };
  const assigned = probe.probes.map((p) => applyCalibratedProbe(kernel, p, { ...input, measurements: padded }).slice(0, n));
  return Array.from({ length: n }, (_, i) => {
    if (probe.probes.length === 1) {
      const a = (assigned[0] as ReturnType<typeof applyCalibratedProbe>)[i]!;
      return { group: a.name, confidence: a.confidence, identityRemoved: a.identityRemoved, disagreement: a.disagreement };
    }
    // One probe per name: the name whose probe is surest the face is theirs.
    let best = 0;
    assigned.forEach((list, c) => { if ((list[i]!.probability) > (assigned[best]![i]!.probability)) best = c; });
    const a = assigned[best]![i]!;
    return { group: probe.names[best] as string, confidence: a.probability, identityRemoved: a.identityRemoved, disagreement: a.index === 1 ? a.disagreement : null };
  });
}

/** Fields this module adds to a stored probe record. */
export interface NamedProbeFields {
  named?: NamedProbe;
  results?: ProbedFaceResult[];
}

/** The id of a model's split probe record (one per model: naming another split replaces it). */
export function splitProbeId(modelId: string): string {
  return `probe:split:${modelId}`;
}

/** A store record for a split probe. */
export function splitProbeRecord(modelId: string, probe: NamedProbe, groups: readonly NamedFaces[], now: number): ProbeRecord & NamedProbeFields {
  return {
    id: splitProbeId(modelId), modelId, name: probe.names.join(' / '), createdAt: now,
    groups: groups.map((g) => ({ name: g.name, faceIds: [...g.faceIds] })),
    metrics: { people: probe.people, ...(probe.probes[0] && Number.isFinite(probe.probes[0].reliability.ece) ? { heldOutAccuracy: probe.probes[0].reliability.accuracy, ece: probe.probes[0].reliability.ece } : {}) },
    named: probe,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The named probe a stored record holds, when it holds a well-formed one (an imported file may not). */
export function namedProbeOf(record: ProbeRecord | undefined): NamedProbe | undefined {
  const named = (record as (ProbeRecord & NamedProbeFields) | undefined)?.named;
  if (!isObject(named) || !Array.isArray(named.names) || !Array.isArray(named.probes) || named.probes.length === 0) return undefined;
  if (!Array.isArray(named.peoplePerName)) return undefined;
  const ok = named.probes.every((p: unknown) => isObject(p) && isObject(p.model) && Array.isArray(p.model.weights) && isObject(p.standardization)
    && p.standardization.mean instanceof Float32Array && isObject(p.platt) && typeof p.platt.a === 'number' && Array.isArray(p.names));
  return ok && (named.source === 'split' || named.source === 'clusters' || named.source === 'selection') ? named : undefined;
}

/** The probed faces a stored record holds, when well-formed; else []. */
export function resultsOf(record: ProbeRecord | undefined): ProbedFaceResult[] {
  const results = (record as (ProbeRecord & NamedProbeFields) | undefined)?.results;
  if (!Array.isArray(results)) return [];
  return results.filter((r: unknown): r is ProbedFaceResult => isObject(r) && typeof r.photo === 'string' && typeof r.group === 'string'
    && typeof r.confidence === 'number' && typeof r.face === 'number'
    && (r.thumbnail === undefined || (isObject(r.thumbnail) && r.thumbnail.bytes instanceof Uint8Array)));
}

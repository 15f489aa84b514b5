/**
 * A person's corrections of the grouping by person, turned into what the grouping needs: the detections to
 * leave out ("not a face"), must-links (a face moved to a person, two people merged), cannot-links ("not this
 * person") and the strictness. Corrections apply in the order they were made, and a later one overrides what
 * an earlier one said about the same face: "not this person" after a move undoes the move's link, a move
 * after "not this person" lifts the ban on the person moved to, and a face moved out of a person is also not
 * that person. Also the words that name a correction
 * ("Undo: not Colin Powell") and the grouping as the person expects it right after a correction or its undo
 * (so people keep their ids and names through it). Pure functions.
 */
import type { CorrectionRecord, PersonSnapshot } from '../store/correction-record.ts';
import type { IdentityGroup } from '../store/types.ts';

/** The strictness a grouping has when nobody changed it: the model's own same-person distance. */
export const DEFAULT_STRICTNESS = 1;
/** Strictness range offered (multipliers of the model's same-person distance). */
export const STRICTNESS_RANGE = { min: 0.7, max: 1.3, step: 0.05 } as const;

/** What the grouping needs from the corrections, by face id. */
export interface CorrectionConstraints {
  /** Detections that are not faces: out of every view and grouping. */
  excluded: Set<string>;
  mustLink: Array<[string, string]>;
  cannotLink: Array<[string, string]>;
  /** Multiplier of the model's same-person distance. */
  strictness: number;
}

/** The constraints the corrections (oldest first) add up to. */
export function correctionConstraints(corrections: readonly CorrectionRecord[]): CorrectionConstraints {
  const excluded = new Set<string>();
  // Must-linked sets and cannot-linked (face, faces) pairs, edited as later corrections override earlier ones.
  const must: Set<string>[] = [];
  const cannot: { face: string; others: Set<string> }[] = [];
  let strictness = DEFAULT_STRICTNESS;
  for (const c of corrections) {
    const face = c.faceId;
    const [first, second] = c.people ?? [];
    if (c.kind === 'not-face' && face) excluded.add(face);
    else if (c.kind === 'strictness') strictness = c.scale ?? DEFAULT_STRICTNESS;
    else if (c.kind === 'not-person' && face && first) {
      const others = new Set(first.faceIds.filter((id) => id !== face));
      for (const set of must) if (set.has(face) && [...others].some((id) => set.has(id))) set.delete(face);
      cannot.push({ face, others });
    } else if (c.kind === 'move' && face && first) {
      for (const set of must) set.delete(face);
      for (const entry of cannot) if (entry.face === face) for (const id of first.faceIds) entry.others.delete(id);
      for (const entry of cannot) if (first.faceIds.includes(entry.face)) entry.others.delete(face);
      must.push(new Set([face, ...first.faceIds]));
      // Moved out of a person means not that person: without it, the rest of the person would follow the face.
      if (second) cannot.push({ face, others: new Set(second.faceIds.filter((id) => id !== face && !first.faceIds.includes(id))) });
    } else if (c.kind === 'merge' && first && second) {
      const all = new Set([...first.faceIds, ...second.faceIds]);
      for (const entry of cannot) if (all.has(entry.face)) for (const id of all) entry.others.delete(id);
      must.push(all);
    }
  }
  const mustLink: Array<[string, string]> = [];
  for (const set of must) {
    const [head, ...rest] = [...set];
    if (head !== undefined) for (const id of rest) mustLink.push([head, id]);
  }
  const cannotLink = cannot.flatMap(({ face, others }) => [...others].map((id): [string, string] => [face, id]));
  return { excluded, mustLink, cannotLink, strictness };
}

/** The current name of a person the correction names: their name now if they are still here, else then. */
function nameOf(person: PersonSnapshot | undefined, people: readonly IdentityGroup[]): string {
  if (!person) return 'a person';
  return people.find((p) => p.id === person.id)?.name ?? person.name;
}

/**
 * A correction in words, e.g. "not Colin Powell", "move to Ada", "not a face", "merge Person 3 into Ada",
 * "stricter grouping".
 * @param before the corrections made before it (to tell stricter from looser).
 */
export function correctionWords(c: CorrectionRecord, people: readonly IdentityGroup[], before: readonly CorrectionRecord[] = []): string {
  const [first, second] = c.people ?? [];
  switch (c.kind) {
    case 'not-person': return `not ${nameOf(first, people)}`;
    case 'move': return `move to ${nameOf(first, people)}`;
    case 'not-face': return 'not a face';
    case 'merge': return `merge ${nameOf(second, people)} into ${nameOf(first, people)}`;
    case 'strictness': {
      const previous = before.filter((b) => b.kind === 'strictness').at(-1)?.scale ?? DEFAULT_STRICTNESS;
      return (c.scale ?? DEFAULT_STRICTNESS) < previous ? 'stricter grouping' : 'looser grouping';
    }
  }
}

/** `groups` with `faces` taken out of every group. */
function without(groups: readonly IdentityGroup[], faces: ReadonlySet<string>): IdentityGroup[] {
  return groups.map((g) => (g.faceIds.some((id) => faces.has(id)) ? { ...g, faceIds: g.faceIds.filter((id) => !faces.has(id)) } : g));
}

/**
 * The people as the person expects them right after `c`: the grouping that follows is matched to these, so
 * each keeps their id and name (a merge keeps the first person's; a moved face counts for the person it went to).
 */
export function groupsAfter(groups: readonly IdentityGroup[], c: CorrectionRecord): IdentityGroup[] {
  const [first, second] = c.people ?? [];
  const face = c.faceId;
  if ((c.kind === 'not-face' || c.kind === 'not-person') && face) return without(groups, new Set([face]));
  if (c.kind === 'move' && face && first) {
    return without(groups, new Set([face])).map((g) => (g.id === first.id ? { ...g, faceIds: [...g.faceIds, face] } : g));
  }
  if (c.kind === 'merge' && first && second) {
    return groups.filter((g) => g.id !== second.id).map((g) => (g.id === first.id ? { ...g, faceIds: [...new Set([...g.faceIds, ...second.faceIds])] } : g));
  }
  return [...groups];
}

/**
 * The people as they were before `c`, for its undo: the people it involved get their faces (and, for a
 * merge, the person merged away their id and name) back.
 */
export function groupsBefore(groups: readonly IdentityGroup[], c: CorrectionRecord, modelId: string): IdentityGroup[] {
  const snapshots = c.people ?? [];
  if (snapshots.length === 0) return [...groups];
  const restored = without(groups, new Set(snapshots.flatMap((s) => s.faceIds)));
  for (const s of snapshots) {
    const group: IdentityGroup = { id: s.id, modelId, name: nameOf(s, groups), createdAt: s.createdAt, faceIds: [...s.faceIds] };
    const at = restored.findIndex((g) => g.id === s.id);
    if (at >= 0) restored[at] = { ...restored[at] as IdentityGroup, faceIds: group.faceIds };
    else restored.push(group);
  }
  return restored;
}

/** A person as a correction keeps them. */
export function snapshotOf(group: IdentityGroup): PersonSnapshot {
  return { id: group.id, name: group.name, createdAt: group.createdAt, faceIds: [...group.faceIds] };
}

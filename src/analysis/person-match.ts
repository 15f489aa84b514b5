/**
 * Keeping people's identities across regroupings: each new group takes the id of the previous group it shares
 * the most faces with, one to one, so a person's name and colour (keyed by id) survive added photos, a stricter
 * or looser grouping, and reloads.
 *
 * The assignment is the one that maximises the total number of shared faces (the Hungarian algorithm, per
 * connected part of the overlap graph), not a greedy pass over overlap counts. Greedy can lose a person: when
 * A's faces split into X (5 of A, plus 4 of B) and Y (4 of A), greedy gives X A's id and leaves B's id unused
 * (Y shares nothing with B), while the optimum (X → B, Y → A: 8 shared faces against 5) keeps both names.
 * Ties in the shared count go to the pairs with the larger overlap relative to their sizes (Jaccard), so an
 * even split keeps the id on the half that is most like the old group; remaining ties go to the earlier group.
 */
import { InvalidInputError } from '../errors.ts';
import { linearAssignment } from './metrics.ts';

/** A group as it was: its id and its faces. */
export interface PreviousGroup {
  id: string;
  faceIds: readonly string[];
}

/** A group of the new grouping: its faces. */
export interface NextGroup {
  faceIds: readonly string[];
}

/** Options for {@link matchGroups}. */
export interface MatchGroupsOptions {
  /**
   * The id proposed for a new group that inherits none (default: `person:` + its smallest face id, as the
   * element names groups). A proposal that is already taken (by any previous group, inherited or not, or by
   * an earlier new group) gets `~2`, `~3`, … appended, so a retired person's id, name and colour never come
   * back on someone else.
   */
  newId?: (group: NextGroup, index: number) => string;
}

/** What {@link matchGroups} decided, one entry per next group in its order. */
export interface GroupMatch {
  /** The id of each next group: inherited or new; all distinct. */
  ids: string[];
  /** The index in `previous` of the group whose id it inherited, or -1 for a new id. */
  from: number[];
  /** Faces it shares with that previous group (0 for a new id). */
  shared: number[];
  /** Ids of previous groups no next group inherited (the person left, or was merged into another). */
  retired: string[];
}

/** The default new id: `person:` and the smallest face id (the element's scheme). */
export function defaultNewGroupId(group: NextGroup): string {
  const first = [...group.faceIds].sort()[0];
  return `person:${first ?? 'empty'}`;
}

/** Shared-face counts between previous and next groups, as sparse (previous, next, count) triples. */
function overlaps(previous: readonly PreviousGroup[], next: readonly NextGroup[]): Array<[number, number, number]> {
  const owner = new Map<string, number[]>();
  previous.forEach((g, p) => {
    for (const face of new Set(g.faceIds)) {
      const list = owner.get(face);
      if (list) list.push(p);
      else owner.set(face, [p]);
    }
  });
  const counts = new Map<number, Map<number, number>>();
  next.forEach((g, n) => {
    const row = new Map<number, number>();
    for (const face of new Set(g.faceIds)) for (const p of owner.get(face) ?? []) row.set(p, (row.get(p) ?? 0) + 1);
    counts.set(n, row);
  });
  const out: Array<[number, number, number]> = [];
  for (const [n, row] of counts) for (const [p, c] of row) out.push([p, n, c]);
  return out;
}

/** Connected parts of the bipartite overlap graph, as lists of edges (union–find over both sides). */
function components(edges: Array<[number, number, number]>, previousCount: number): Array<Array<[number, number, number]>> {
  const parent: number[] = [];
  const find = (x: number): number => {
    while ((parent[x] ?? x) !== x) {
      parent[x] = parent[parent[x] as number] ?? (parent[x] as number);
      x = parent[x] as number;
    }
    return x;
  };
  // Node ids: previous p → p, next n → previousCount + n.
  for (const [p, n] of edges) {
    const a = find(p);
    const b = find(previousCount + n);
    if (a !== b) parent[a] = b;
  }
  const parts = new Map<number, Array<[number, number, number]>>();
  for (const edge of edges) {
    const root = find(edge[0]);
    const part = parts.get(root);
    if (part) part.push(edge);
    else parts.set(root, [edge]);
  }
  return [...parts.values()];
}

/**
 * Gives each next group the id of the previous group it shares the most faces with, under the one-to-one
 * assignment that maximises the total shared faces; groups that share no face with any unassigned previous
 * group get new ids. Pure and deterministic.
 * @param previous the groups as they were (ids distinct).
 * @param next the new grouping.
 * @returns ids, sources and shared counts for `next` in order, and the previous ids nobody inherited.
 * @throws InvalidInputError when two previous groups have the same id.
 */
export function matchGroups(previous: readonly PreviousGroup[], next: readonly NextGroup[], options: MatchGroupsOptions = {}): GroupMatch {
  const seen = new Set<string>();
  for (const g of previous) {
    if (seen.has(g.id)) throw new InvalidInputError(`two previous groups have the id ${JSON.stringify(g.id)}; ids must be distinct`);
    seen.add(g.id);
  }
  const from = new Array<number>(next.length).fill(-1);
  const shared = new Array<number>(next.length).fill(0);
  for (const part of components(overlaps(previous, next), previous.length)) {
    const rows = [...new Set(part.map(([p]) => p))].sort((a, b) => a - b);
    const cols = [...new Set(part.map(([, n]) => n))].sort((a, b) => a - b);
    // The solver wants rows ≤ columns: put the smaller side on the rows.
    const transpose = rows.length > cols.length;
    const [r, c] = transpose ? [cols, rows] : [rows, cols];
    const rowIndex = new Map(r.map((x, i) => [x, i]));
    const colIndex = new Map(c.map((x, i) => [x, i]));
    // Weight = shared + δ·Jaccard with δ·(pairs in any assignment) < 1, so Jaccard only breaks ties in the shared total.
    const delta = 1 / (r.length + 1);
    const weight = r.map(() => new Array<number>(c.length).fill(0));
    const count = r.map(() => new Array<number>(c.length).fill(0));
    for (const [p, n, k] of part) {
      const i = rowIndex.get(transpose ? n : p) as number;
      const j = colIndex.get(transpose ? p : n) as number;
      const union = new Set(previous[p]?.faceIds).size + new Set(next[n]?.faceIds).size - k;
      (weight[i] as number[])[j] = k + (delta * k) / union;
      (count[i] as number[])[j] = k;
    }
    const assignment = linearAssignment(weight.map((row) => row.map((w) => -w)));
    assignment.forEach((j, i) => {
      const k = (count[i] as number[])[j] as number;
      if (j < 0 || k === 0) return;
      const p = transpose ? (c[j] as number) : (r[i] as number);
      const n = transpose ? (r[i] as number) : (c[j] as number);
      from[n] = p;
      shared[n] = k;
    });
  }
  const taken = new Set(previous.map((g) => g.id));
  const newId = options.newId ?? defaultNewGroupId;
  const ids = next.map((g, n) => {
    const p = from[n] as number;
    if (p >= 0) return (previous[p] as PreviousGroup).id;
    const proposed = newId(g, n);
    let id = proposed;
    for (let k = 2; taken.has(id); k++) id = `${proposed}~${k}`;
    taken.add(id);
    return id;
  });
  const inherited = new Set(from.filter((p) => p >= 0));
  return { ids, from, shared, retired: previous.filter((_, p) => !inherited.has(p)).map((g) => g.id) };
}

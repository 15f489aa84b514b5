/**
 * The views discovery looks at, each holding identity constant in its own way:
 * - across people: one point per person, the mean of their faces re-normalised to unit length, so who
 *   someone is counts once and what people differ by (gender, skin tone, age) is not drowned by how
 *   many photos each has. A face seen once is its own person.
 * - within people: each face minus its person's mean, pooled over every person with at least
 *   `minFacesWithin` faces, so what changes between photos of the same person (glasses, beard, smile,
 *   pose, light) is found once across everybody.
 * - per person: one person's own faces, as the paper clusters them.
 * People come from the caller's labels or, when none are given, from the identity grouping
 * (identity.ts, the same grouping the People view shows).
 */
import { InvalidInputError } from '../../errors.ts';
import type { Kernel } from '../../kernel/types.ts';
import { groupByIdentity, type IdentityOptions } from '../identity.ts';
import { checkMatrix } from '../matrix.ts';

/** Which view a set of points belongs to. */
export type ViewKind = 'across-people' | 'within-people' | 'person';

/** Points to split, with the faces and people behind each. */
export interface DiscoveryView {
  kind: ViewKind;
  /** Point dimension (the embedding's). */
  d: number;
  /** points × d, row-major. */
  vectors: Float32Array;
  /** Faces behind each point (indices into the caller's faces): one face within people, a person's faces across. */
  faces: number[][];
  /** Person of each point, an index into `people`. */
  person: Int32Array;
  /** Person names: the caller's labels, or `group N` from the identity grouping. */
  people: string[];
  /** The person of a per-person view; null otherwise. */
  subject: string | null;
  /** The face that shows each point: its own face, or across people the person's face nearest their mean. */
  representative: Int32Array;
}

/** Every view of one set of faces. */
export interface DiscoveryViews {
  across: DiscoveryView;
  /** Null when no person has `minFacesWithin` faces. */
  within: DiscoveryView | null;
  /** One view per person with at least `minFacesPerPerson` faces, largest first. */
  perPerson: DiscoveryView[];
  /** Person of each face (index into `people`), and the names. */
  personOfFace: Int32Array;
  people: string[];
  /** Mean of each person's faces (people × d, not re-normalised): what the within view subtracts. */
  personMeans: Float32Array;
}

/** Options for {@link buildViews}. */
export interface ViewOptions {
  /** Person of each face (any names or numbers); when absent the identity grouping decides. */
  persons?: ArrayLike<string | number>;
  /** Options of the identity grouping when `persons` is absent. */
  identity?: IdentityOptions;
  /** A person joins the within-people view with at least this many faces. Default 4. */
  minFacesWithin?: number;
  /** A person gets a per-person view with at least this many faces. Default 8. */
  minFacesPerPerson?: number;
}

function unit(v: Float32Array): Float32Array {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += (v[j] as number) ** 2;
  const norm = Math.sqrt(s);
  if (norm > 0) for (let j = 0; j < v.length; j++) v[j] = (v[j] as number) / norm;
  return v;
}

/**
 * Builds the across-people, within-people and per-person views of n faces.
 * @param vectors n × d embeddings (L2-normalised, as the engine gives them).
 * @throws InvalidInputError for a bad shape, or `persons` of the wrong length.
 */
export function buildViews(kernel: Kernel, vectors: Float32Array, d: number, options: ViewOptions = {}): DiscoveryViews {
  const n = checkMatrix(vectors, d, 'discovery faces');
  const minWithin = options.minFacesWithin ?? 4;
  const minPerPerson = options.minFacesPerPerson ?? 8;
  let names: string[];
  const personOfFace = new Int32Array(n);
  if (options.persons) {
    if (options.persons.length !== n) throw new InvalidInputError(`persons: ${options.persons.length} given for ${n} faces; give one per face`);
    const index = new Map<string, number>();
    names = [];
    for (let i = 0; i < n; i++) {
      const key = String(options.persons[i]);
      let p = index.get(key);
      if (p === undefined) {
        p = names.length;
        index.set(key, p);
        names.push(key);
      }
      personOfFace[i] = p;
    }
  } else {
    const groups = groupByIdentity(kernel, vectors, d, options.identity ?? {});
    personOfFace.set(groups.labels);
    names = Array.from({ length: groups.groups }, (_, g) => `group ${g + 1}`);
  }
  const members: number[][] = names.map(() => []);
  for (let i = 0; i < n; i++) (members[personOfFace[i] as number] as number[]).push(i);
  const personMeans = new Float32Array(names.length * d);
  members.forEach((faces, p) => {
    for (const i of faces) for (let j = 0; j < d; j++) personMeans[p * d + j] = (personMeans[p * d + j] as number) + (vectors[i * d + j] as number) / faces.length;
  });

  const people = names.length;
  const across: DiscoveryView = {
    kind: 'across-people', d, vectors: new Float32Array(people * d), faces: members.map((m) => [...m]),
    person: Int32Array.from({ length: people }, (_, p) => p), people: names, subject: null, representative: new Int32Array(people),
  };
  for (let p = 0; p < people; p++) {
    const mean = unit(personMeans.slice(p * d, p * d + d));
    across.vectors.set(mean, p * d);
    let best = -Infinity;
    for (const i of members[p] as number[]) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += (vectors[i * d + j] as number) * (mean[j] as number);
      if (dot > best) {
        best = dot;
        across.representative[p] = i;
      }
    }
  }

  const withinFaces: number[] = [];
  for (let i = 0; i < n; i++) if ((members[personOfFace[i] as number] as number[]).length >= minWithin) withinFaces.push(i);
  let within: DiscoveryView | null = null;
  if (withinFaces.length > 0) {
    const residuals = new Float32Array(withinFaces.length * d);
    withinFaces.forEach((i, r) => {
      const p = personOfFace[i] as number;
      for (let j = 0; j < d; j++) residuals[r * d + j] = (vectors[i * d + j] as number) - (personMeans[p * d + j] as number);
    });
    within = {
      kind: 'within-people', d, vectors: residuals, faces: withinFaces.map((i) => [i]),
      person: Int32Array.from(withinFaces, (i) => personOfFace[i] as number), people: names, subject: null,
      representative: Int32Array.from(withinFaces),
    };
  }

  const perPerson = members
    .map((faces, p) => ({ faces, p }))
    .filter(({ faces }) => faces.length >= minPerPerson)
    .sort((a, b) => b.faces.length - a.faces.length || a.p - b.p)
    .map(({ faces, p }): DiscoveryView => {
      const own = new Float32Array(faces.length * d);
      faces.forEach((i, r) => own.set(vectors.subarray(i * d, i * d + d), r * d));
      return { kind: 'person', d, vectors: own, faces: faces.map((i) => [i]), person: new Int32Array(faces.length).fill(p), people: names, subject: names[p] as string, representative: Int32Array.from(faces) };
    });

  return { across, within, perPerson, personOfFace, people: names, personMeans };
}

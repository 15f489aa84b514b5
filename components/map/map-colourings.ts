/**
 * The ways the map can be coloured, read from the workspace: by person, by the shown clustering, and by the
 * attribute heads (gender, age band, expression) where the engine measured them.
 */
import type { Workspace } from '../../src/index.ts';
import { colourBy, type Colouring } from './map-colours.ts';

/** A colouring a person can pick. */
export type ColourMode = 'person' | 'cluster' | 'gender' | 'age' | 'expression';

/** The modes' names, in the order offered. */
export const COLOUR_MODES: readonly { mode: ColourMode; label: string }[] = [
  { mode: 'person', label: 'person' },
  { mode: 'cluster', label: 'cluster' },
  { mode: 'gender', label: 'gender (estimated)' },
  { mode: 'age', label: 'age (estimated)' },
  { mode: 'expression', label: 'expression (estimated)' },
];

const AGE_BANDS = ['under 20', '20–29', '30–39', '40–49', '50–59', '60 and over'] as const;

function ageBand(age: number): string {
  return AGE_BANDS[Math.min(AGE_BANDS.length - 1, Math.max(0, Math.floor(age / 10) - 1))] as string;
}

/** The colouring of the faces `ids` (map order) by `mode`. */
export function colouringOf(session: Workspace, ids: readonly string[], mode: ColourMode): Colouring {
  const face = (id: string) => session.collection?.face(id);
  switch (mode) {
    case 'person': {
      const personOf = new Map<string, string>();
      for (const p of session.people) for (const id of p.group.faceIds) personOf.set(id, p.group.name);
      return colourBy(ids.map((id) => personOf.get(id)), { rest: 'other people and faces seen once' });
    }
    case 'cluster': {
      const run = session.view?.run;
      const of = new Map<string, string>();
      run?.faceIds.forEach((id, i) => {
        const c = run.labels[i] as number;
        of.set(id, session.names.get(c) || `cluster ${c + 1}`);
      });
      return colourBy(ids.map((id) => of.get(id)), { rest: run ? 'other clusters and faces not clustered' : 'not clustered yet' });
    }
    case 'gender':
      return colourBy(ids.map((id) => face(id)?.attributes?.gender), { rest: 'not measured' });
    case 'age':
      return colourBy(ids.map((id) => { const a = face(id)?.attributes?.age; return a === undefined ? undefined : ageBand(a); }), { order: AGE_BANDS, rest: 'not measured' });
    case 'expression':
      return colourBy(ids.map((id) => {
        const e = face(id)?.attributes?.expressions;
        if (!e) return undefined;
        return Object.entries(e).sort((a, b) => b[1] - a[1])[0]?.[0];
      }), { rest: 'other expressions or not measured' });
  }
}

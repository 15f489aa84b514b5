/**
 * The ways the map can be coloured, read from the workspace: by person, by the shown clustering, by the
 * attribute heads (gender, age band, expression) where the engine measured them, by each split discovery
 * found (its two sides, and the faces it did not look at), and by what a named probe says of each face.
 */
import { probeStoredFaces, type Workspace } from '../../src/index.ts';
import { colourBy, type Colouring } from './map-colours.ts';

/**
 * A colouring a person can pick: a fixed one, `split:VIEW:ID` (a discovered split) or `probe:split` /
 * `probe:clusters` (what the named split's or named group's probe, or the named clusters' probe, says).
 */
export type ColourMode = 'person' | 'cluster' | 'gender' | 'age' | 'expression' | `split:${SplitView}:${string}` | `probe:${'split' | 'clusters'}`;

type SplitView = 'across-people' | 'within-people';

/** Below this calibrated confidence a probe's answer is shown as unsure. */
export const SURE = 0.7;

/** The fixed modes' names, in the order offered. */
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

/** Cuts a sentence to about `n` characters for a menu. */
function short(text: string, n = 60): string {
  return text.length <= n ? text : `${text.slice(0, n - 1).trimEnd()}…`;
}

/** Every mode the workspace offers now: the fixed ones, then each discovered split, then each named probe. */
export function colourModes(session: Workspace | undefined): { mode: ColourMode; label: string }[] {
  const modes = [...COLOUR_MODES];
  const discovery = session?.discovery;
  for (const [view, found, words] of [['across-people', discovery?.across, 'across people'], ['within-people', discovery?.within, 'within people']] as const) {
    for (const split of found?.splits ?? []) {
      const what = split.description?.described ? `: ${short(split.description.text)}` : '';
      modes.push({ mode: `split:${view}:${split.id}`, label: `split ${split.rank} ${words}${what}` });
    }
  }
  const named = session?.splitProbe;
  if (named) modes.push({ mode: 'probe:split', label: `probe: ${short(named.names.join(' or '))}` });
  if (session?.clusterProbe) modes.push({ mode: 'probe:clusters', label: `probe: named clusters (${short(session.clusterProbe.names.join(', '))})` });
  return modes;
}

/** The legend's names of a split's sides: the names a person gave it, or "one side" and "the other side". */
function sideNames(session: Workspace, view: SplitView, id: string, rank: number | undefined): [string, string] {
  const named = session.splitProbe;
  if (named?.split?.view === view && named.split.id === id) return [named.names[0] as string, named.names[1] as string];
  return [`one side of split ${rank ?? ''}`.trim(), `the other side of split ${rank ?? ''}`.trim()];
}

/** The colouring of the faces `ids` (map order) by `mode`. */
export function colouringOf(session: Workspace, ids: readonly string[], mode: ColourMode): Colouring {
  const face = (id: string) => session.collection?.face(id);
  if (mode.startsWith('split:')) {
    const [, view, id] = mode.split(/:(across-people|within-people):/) as [string, SplitView, string];
    const sides = session.splitSides(view, id);
    const rank = (view === 'across-people' ? session.discovery?.across : session.discovery?.within)?.splits.find((s) => s.id === id)?.rank;
    const names = sideNames(session, view, id, rank);
    const of = new Map<string, string>();
    sides?.forEach((faces, s) => { for (const f of faces) of.set(f, names[s] as string); });
    return colourBy(ids.map((f) => of.get(f)), { order: names, rest: sides ? 'not in this split (added later, or left out by discovery)' : 'split no longer found: look for splits again' });
  }
  if (mode === 'probe:split' || mode === 'probe:clusters') {
    const probe = mode === 'probe:split' ? session.splitProbe : session.clusterProbe;
    const said = probe && session.collection ? probeStoredFaces(session.kernel, probe, session.collection, session.people, ids) : undefined;
    const names = probe?.names ?? [];
    const unsure = `the probe is unsure (under ${Math.round(SURE * 100)} % sure)`;
    const labels = ids.map((_, i) => {
      const s = said?.[i];
      if (!s) return undefined;
      return s.confidence < SURE ? unsure : `${s.group}, says the probe`;
    });
    return colourBy(labels, { order: [...names.map((n) => `${n}, says the probe`), unsure], rest: said ? 'not probed' : 'no named probe' });
  }
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
    default:
      return colourBy(ids.map(() => undefined), { rest: 'this colouring is no longer offered' });
  }
}

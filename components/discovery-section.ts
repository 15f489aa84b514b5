/**
 * "What the embedding separates": the ranked splits the workspace discovered across people and within
 * people, each in words (what describes it best, or plainly that nothing measured here does), how stable it
 * is, how many people it spans, and two strips of faces, the furthest along the split on each side, so a
 * person can name it by looking.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { MIN_FACES_TO_DISCOVER, fewestPointsToDescribe, type DiscoveredSplit, type DiscoveryProgress, type ViewDiscovery, type Workspace } from '../src/index.ts';
import { faceThumb, type FaceLookup } from './face-thumb.ts';
import type { ChosenSplit } from './discovery-controller.ts';
import { renderSplitDetail } from './split-detail-view.ts';
import { percent } from './styles.ts';

/** Splits shown per view. */
const SHOWN = 4;

/** What the section needs besides the workspace. */
export interface DiscoveryContext {
  faces: FaceLookup;
  /** Where faces-opened events come from (the element). */
  host: EventTarget;
  /** The discovery in progress, or undefined. */
  progress: DiscoveryProgress | undefined;
  /** The last discovery was cancelled by the person. */
  cancelled: boolean;
  onCancel: () => void;
  /** Starts discovery again. */
  onFind: () => void;
  /** The split shown in full, if one is chosen. */
  chosen: ChosenSplit | undefined;
  /** Shows (or hides) a split in full. */
  onChoose: (view: 'across-people' | 'within-people', splitId: string) => void;
  onColour: (key: string) => void;
  /** The person named the two sides of a split. */
  onNameSplit: (view: 'across-people' | 'within-people', splitId: string, names: [string, string]) => void;
}

/** The two name fields that make a split a probe, or the names it was given. */
function renderNaming(ws: Workspace, view: ViewDiscovery, split: DiscoveredSplit, c: DiscoveryContext): TemplateResult {
  const kind = view.view === 'across-people' ? 'across-people' : 'within-people';
  const named = ws.splitProbe?.split;
  if (named && named.view === kind && named.id === split.id) {
    return html`<p class="named-split">Named <strong>${ws.splitProbe?.names[0]}</strong> and <strong>${ws.splitProbe?.names[1]}</strong>:
      new faces are probed against these names below.</p>`;
  }
  const submit = (event: SubmitEvent): void => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const field = (name: string): string => (form.elements.namedItem(name) as HTMLInputElement | null)?.value.trim() ?? '';
    const names: [string, string] = [field('side-0'), field('side-1')];
    if (names[0] && names[1] && names[0] !== names[1]) c.onNameSplit(kind, split.id, names);
  };
  return html`<form class="name-split" @submit=${submit} aria-label="Name the sides of split ${split.rank}">
    <label>One side is <input name="side-0" required maxlength="200" placeholder="e.g. glasses"></label>
    <label>the other <input name="side-1" required maxlength="200" placeholder="e.g. no glasses"></label>
    <button type="submit" name="name-split">Make a probe</button>
  </form>`;
}

/** What discovery is doing, with its Cancel; or that it was cancelled, with a way to start again. */
function renderStatus(ws: Workspace, c: DiscoveryContext): TemplateResult {
  const p = c.progress;
  if (p) {
    const step = p.view === null ? '' : `: ${p.view} (view ${Math.min(p.done + 1, p.total)} of ${p.total})`;
    return html`<p class="muted" role="status">Looking for what the embedding separates${step}…
      <button type="button" name="cancel-discovery" @click=${c.onCancel}>Cancel</button></p>`;
  }
  if (c.cancelled) {
    return html`<p class="muted" role="status">Cancelled.
      <button type="button" name="find-splits" @click=${c.onFind}>Look again</button></p>`;
  }
  if (ws.faces < MIN_FACES_TO_DISCOVER) {
    return html`<p class="muted" role="status">Add at least ${MIN_FACES_TO_DISCOVER} faces to see what the embedding separates.</p>`;
  }
  if (ws.pendingAttributes > 0) {
    return html`<p class="muted" role="status">Looked for once age, gender and expression are read: they describe what is found.</p>`;
  }
  return html`<p class="muted" role="status">Not looked for yet.
    <button type="button" name="find-splits" @click=${c.onFind}>Look now</button></p>`;
}

function stabilityWords(stability: number): string {
  if (stability >= 0.8) return 'very stable';
  if (stability >= 0.5) return 'stable';
  if (stability >= 0.25) return 'somewhat stable';
  return 'unstable';
}

function renderSplit(ws: Workspace, view: ViewDiscovery, split: DiscoveredSplit, c: DiscoveryContext): TemplateResult {
  const ids = ws.discoveryFaces;
  const unit = view.view === 'across-people' ? 'people' : 'photos';
  const text = split.description?.text ?? 'Nothing measured here describes this split.';
  const kind = view.view === 'across-people' ? 'across-people' : 'within-people';
  const shown = c.chosen?.view === kind && c.chosen.id === split.id;
  const strip = (side: 0 | 1, label: string) => html`<div class="strip">
    <span class="muted">${label} (${split.sizes[side]} ${unit})</span>
    <ul aria-label="${label} of split ${split.rank}">${split.strips[side].slice(0, 6).map((i) => {
      const id = ids[i];
      return id === undefined ? nothing : html`<li>${faceThumb(c.host, c.faces, id, `${label.toLowerCase()} of split ${split.rank}`)}</li>`;
    })}</ul></div>`;
  return html`<li class="split" data-rank=${split.rank}>
    <p class="what"><strong>${split.rank}.</strong> ${text}</p>
    <p class="muted"><span title="Stability: how often the same split comes back when the photos are drawn again at random">${stabilityWords(split.stability)}</span>
      (${percent(split.stability)} agreement when the photos are drawn again at random);
      ${view.view === 'across-people' ? `${split.sizes[0]} and ${split.sizes[1]} people` : `spans ${split.spansPeople} ${split.spansPeople === 1 ? 'person' : 'people'}`};
      found by ${split.methodLabel}.</p>
    <div class="strips">${strip(0, 'One side')}${strip(1, 'Other side')}</div>
    ${renderNaming(ws, view, split, c)}
    <button type="button" name="show-split" aria-expanded=${shown ? 'true' : 'false'} @click=${() => c.onChoose(kind, split.id)}>
      ${shown ? 'Hide the details' : 'Show all its faces, its scatter and the numbers that carry it'}</button>
    ${shown && c.chosen ? renderSplitDetail(split, c.chosen, unit, c) : nothing}
  </li>`;
}

function renderView(ws: Workspace, view: ViewDiscovery | null, title: string, explain: string, c: DiscoveryContext): TemplateResult {
  return html`<div class="view">
    <h3>${title}</h3>
    <p class="muted">${explain}</p>
    ${view === null
      ? html`<p class="muted">Too few ${title === 'Across people' ? 'people' : 'people with 4 or more photos'} to look at yet.</p>`
      : view.splits.length === 0
        ? html`<p class="muted">No split held up when the photos were resampled.</p>`
        : html`<ol class="splits">${view.splits.slice(0, SHOWN).map((s) => renderSplit(ws, view, s, c))}</ol>`}
  </div>`;
}

/**
 * The across-people view when it has too few people for any split to be told from chance: folded away
 * under a line that says so, so the first screen leads with what can be said.
 */
function renderTooFew(ws: Workspace, view: ViewDiscovery, fewest: number, c: DiscoveryContext): TemplateResult {
  return html`<details class="view too-few">
    <summary><strong>Across people:</strong> <span class="muted">${view.points} people: too few to tell any split across people from chance
      (it takes ${fewest} or more). Open to see the guesses.</span></summary>
    ${renderView(ws, view, 'Across people', 'One point per person (the average of their photos), so who someone is does not hide what people differ by.', c)}
  </details>`;
}

/** The section, or nothing before discovery has anything to say. */
export function renderDiscovery(ws: Workspace, c: DiscoveryContext): TemplateResult {
  const d = ws.discovery;
  const fewest = fewestPointsToDescribe();
  const across = (): TemplateResult => renderView(ws, d?.across ?? null, 'Across people', 'One point per person (the average of their photos), so who someone is does not hide what people differ by.', c);
  const within = (): TemplateResult => renderView(ws, d?.within ?? null, 'Within people', 'Each photo compared with the same person\'s other photos (people with 4 or more), so what changes between photos of one person shows.', c);
  const fewPeople = d?.across && d.across.points < fewest && d.within && d.within.splits.length > 0;
  return html`<section part="discovery" aria-labelledby="discovery-h"><h2 id="discovery-h">What the embedding separates</h2>
    <p class="muted">The face model was trained only to tell people apart. These are the other ways it splits the faces by
      itself, without being told: across people, and between photos of the same person. Each split shows the faces
      furthest to each side; what describes it comes from estimates of age, gender, expression, head pose and light.</p>
    ${d === undefined
      ? renderStatus(ws, c)
      : fewPeople
        ? html`${within()}${renderTooFew(ws, d.across as ViewDiscovery, fewest, c)}`
        : html`${across()}${within()}`}
  </section>`;
}

/**
 * A chosen split in full: its two sides as groups of faces (the split's clusters), the scatter of its view
 * coloured by side, by person or by any attribute head or measure, and the numbers of the embedding that
 * carry it (the Fisher chart), each labelled by what it goes with, and the split-half curve.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { DiscoveredSplit } from '../src/index.ts';
import type { ChosenSplit } from './discovery-controller.ts';
import { faceThumb, type FaceLookup } from './face-thumb.ts';
import './fisher-chart.ts';
import './split-half-curve.ts';
import './pca-scatter.ts';

/** Faces shown per side. */
const PER_SIDE = 24;

/** What the detail needs besides the split. */
export interface SplitDetailContext {
  faces: FaceLookup;
  host: EventTarget;
  onColour: (key: string) => void;
}

/** The chosen split's sides, scatter and carrying numbers. */
export function renderSplitDetail(split: DiscoveredSplit, chosen: ChosenSplit, unit: string, c: SplitDetailContext): TemplateResult {
  const { detail } = chosen;
  const colouring = detail.colourings.find((x) => x.key === chosen.colourBy) ?? detail.colourings[0];
  const side = (s: 0 | 1, label: string) => {
    const ids = detail.faceIds.filter((_, i) => split.sides[i] === s);
    return html`<div class="side"><h4>${label} (${ids.length} ${unit})</h4>
      <ul aria-label="${label} of split ${split.rank}, all faces">${ids.slice(0, PER_SIDE).map((id) => html`<li>${faceThumb(c.host, c.faces, id, label.toLowerCase())}</li>`)}</ul>
      ${ids.length > PER_SIDE ? html`<p class="muted">and ${ids.length - PER_SIDE} more</p>` : nothing}</div>`;
  };
  const notes = new Map(detail.carrying.map((n) => [n.dimension, n.goesWith]));
  return html`<div class="split-detail" part="split-detail">
    <div class="sides">${side(0, 'One side')}${side(1, 'Other side')}</div>
    <figure class="split-scatter">
      <label>Colour by <select name="colour-by" @change=${(e: Event) => c.onColour((e.target as HTMLSelectElement).value)}>
        ${detail.colourings.map((x) => html`<option value=${x.key} ?selected=${x.key === colouring?.key}>${x.label}</option>`)}
      </select></label>
      ${colouring ? html`<fap-pca-scatter .ids=${detail.faceIds} .labels=${colouring.values} .points=${detail.points}
        .explained=${detail.explained} .categories=${colouring.categories} colouredBy=${colouring.label} .lookup=${c.faces}></fap-pca-scatter>` : nothing}
      <figcaption>Every ${unit === 'people' ? 'person (the average of their photos)' : 'photo (compared with the same person\'s other photos)'}
        on the two directions along which they differ most (principal components: the first two axes of a rotation that puts the
        most variation first), coloured by ${colouring?.label ?? 'side'}.</figcaption>
    </figure>
    <figure class="split-fisher">
      <fap-fisher-chart .scores=${detail.scores} .ranking=${detail.ranking} .top=${detail.carrying.length} separates="the two sides"
        .notes=${notes}></fap-fisher-chart>
      <figcaption>The embedding is ${detail.d} numbers per face; these carry the split most. "Goes with" names a measurement that
        rises or falls with that number (correlation of 0.3 or more).</figcaption>
    </figure>
    ${detail.curve ? html`<figure class="split-curve">
      <fap-split-half-curve .topM=${detail.curve.topM} .shuffled=${detail.curve.shuffled}></fap-split-half-curve>
      <figcaption>Half the ${unit} pick the strongest numbers; the other half is clustered in two using only those. Where the solid
        line rises above the dashed one, a few numbers carry the split; where they run together, it is spread over many.</figcaption>
    </figure>` : nothing}
  </div>`;
}

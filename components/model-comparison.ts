/**
 * "The face models side by side": for the photos every stored model has seen, each model's ranked splits (what its
 * embedding separates, most stable first) across people and within people, in columns, one per model.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { embeddingModelLabel, type ComparedSplit, type ModelComparison } from '../src/index.ts';

/** What the section shows and does. */
export interface ModelComparisonView {
  /** Two or more models have faces kept. */
  available: boolean;
  comparison: ModelComparison | undefined;
  busy: boolean;
  compare(): void;
}

const cell = (split: ComparedSplit | undefined) => (split
  ? html`<td>${split.description} <span class="muted">(stability ${split.stability.toFixed(2)}; ${split.sizes[0]} / ${split.sizes[1]} faces)</span></td>`
  : html`<td class="muted">—</td>`);

function rows(c: ModelComparison, view: 'across' | 'within', title: string): TemplateResult {
  const ranks = Math.max(0, ...c.models.map((m) => m[view].length));
  return html`<tr><th colspan=${c.models.length + 1} scope="colgroup">${title}</th></tr>
    ${ranks === 0 ? html`<tr><td></td><td colspan=${c.models.length} class="muted">Too few people or faces here to find a split.</td></tr>` : nothing}
    ${Array.from({ length: ranks }, (_, i) => html`<tr><td>${i + 1}</td>${c.models.map((m) => cell(m[view][i]))}</tr>`)}`;
}

/** The section (nothing while fewer than two models have faces kept). */
export function renderModelComparison(v: ModelComparisonView): TemplateResult | typeof nothing {
  if (!v.available) return nothing;
  const c = v.comparison;
  return html`<section part="comparison" aria-labelledby="comparison-h"><h2 id="comparison-h">The face models side by side</h2>
    <p class="muted">Each face model turns a face into its own list of numbers. On the photos both have seen, this shows what
      each one separates by itself, most stable split first. How well a model can tell apart groups you name is measured in
      the named-groups section, for the model shown.</p>
    <button type="button" name="compare-models" ?disabled=${v.busy} @click=${() => v.compare()}>${c ? 'Compare again' : 'Compare the face models'}</button>
    ${c ? html`<p>${c.photos} ${c.photos === 1 ? 'photo' : 'photos'} seen by every model.</p>
      <table class="comparison"><thead><tr><th scope="col">rank</th>${c.models.map((m) => html`<th scope="col">${embeddingModelLabel(m.modelId)}
        <span class="muted">(${m.faces} faces, ${m.people} people)</span></th>`)}</tr></thead>
      <tbody>${rows(c, 'across', 'Across people (one point per person)')}${rows(c, 'within', 'Within people (each face against its person\'s average)')}</tbody></table>` : nothing}
  </section>`;
}

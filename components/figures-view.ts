/**
 * The named-groups section: which names exist with how many faces, how well the groups separate without
 * supervision (k-means matched accuracy) against its chance level and the supervised linear-probe ceiling,
 * and the Fisher bar chart of the dimensions that separate them. The names label clusters of the shown
 * clustering, so the groups are k-means cells: the figures are near 100 % by construction and say how
 * cleanly the clustering split the faces, not how well the embedding encodes what the names mean.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Workspace } from '../src/index.ts';
import { percent } from './styles.ts';
import './fisher-chart.ts';

/** The figures of the session's named groups, or a hint on how to get them. */
export function renderFigures(session: Workspace): TemplateResult {
  const groups = session.groups;
  const f = session.figures;
  if (!f) {
    return html`<p class="muted">
      ${groups.length === 1 ? html`One name so far (${groups[0]?.name}). ` : nothing}
      Name two or more clusters (type a name and press Enter) to see which embedding dimensions separate them and how
      well. Clusters given the same name form one group.</p>`;
  }
  return html`
    <p class="muted construction">The named groups are clusters of the clustering shown: the groups come from the clustering itself,
      so this measures how cleanly it split the faces, not the attribute the names stand for. Expect figures near 100 %; to test an
      attribute, probe new faces below.</p>
    <dl class="figures">
      <dt>Groups</dt><dd>${f.groups.map((g, i) => html`${i ? ', ' : ''}<strong>${g.name}</strong> (${g.faces})`)}</dd>
      <dt>Unsupervised accuracy</dt><dd class="accuracy">${percent(f.accuracy)} <span class="muted">k-means with k = ${f.groups.length} on the named faces, best match of clusters to names (the names came from k-means, so this is high by construction)</span></dd>
      <dt>Chance level</dt><dd class="chance">${percent(f.chance)} <span class="muted">the same with the names shuffled</span></dd>
      <dt>Linear-probe ceiling</dt><dd class="ceiling">${f.probeCeiling === null
        ? html`<span class="muted">needs at least 2 faces in every group</span>`
        : html`${percent(f.probeCeiling)} <span class="muted">logistic regression, cross-validated, on groups the clustering drew</span>`}
        <span class="muted jargon">(Probe ceiling: the best a straight-line rule on the embedding reaches in telling the groups apart, tested on faces it did not learn from.)</span></dd>
    </dl>
    <figure>
      <fap-fisher-chart .scores=${f.fisher} .ranking=${f.ranking} separates="the named groups"></fap-fisher-chart>
      <figcaption>The embedding dimensions that best separate the named groups (Fisher score: between-group over within-group variance);
        they are the dimensions the clustering split along.</figcaption>
    </figure>`;
}

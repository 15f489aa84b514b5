/**
 * The element's analysis sections, drawn from the session: people, the clustering (controls, galleries,
 * PCA scatter, silhouette curve or how k was set), the named groups' figures, and the probe. The element
 * owns the state and the actions; this module only draws them and wires the events back.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { MIN_FACES_TO_CLUSTER, curveOf } from '../src/index.ts';
import type { NameDetail, SelectDetail } from './cluster-gallery.ts';
import type { FilesDetail } from './drop-zone.ts';
import { renderFigures } from './figures-view.ts';
import type { PersonDetail, RenamePersonDetail } from './people-panel.ts';
import type { PhotoFailure } from './events.ts';
import type { ProbeRow } from './probe-panel.ts';
import type { Workspace } from '../src/index.ts';
import type { FaceLookup } from './face-thumb.ts';
import './people-panel.ts';
import './cluster-gallery.ts';
import './pca-scatter.ts';
import './silhouette-curve.ts';
import './probe-panel.ts';

/** What the sections need from the element besides the session. */
export interface AnalysisContext {
  /** A batch or a blocking action runs: controls that start others are disabled. */
  blocked: boolean;
  k: number | 'auto';
  mergeSelection: ReadonlySet<number>;
  /** Thumbnails and labels of the faces. */
  faces: FaceLookup;
  /** The name shown in cluster `c`'s field: a name being saved, else the stored one. */
  nameOf: (cluster: number) => string;
  probeRows: ProbeRow[];
  probeFailures: PhotoFailure[];
  /** Progress of probing new photos, shown in the probe section where the person dropped them. */
  probeProgress: () => TemplateResult | typeof nothing;
  /** The "What the embedding separates" section. */
  discovery: () => TemplateResult;
  onPerson: (event: CustomEvent<PersonDetail>) => void;
  onRenamePerson: (event: CustomEvent<RenamePersonDetail>) => void;
  onClusterSubmit: (event: SubmitEvent) => void;
  onRunChange: (event: Event) => void;
  onName: (event: CustomEvent<NameDetail>) => void;
  onSelect: (event: CustomEvent<SelectDetail>) => void;
  onMerge: () => void;
  onProbeFiles: (event: CustomEvent<FilesDetail>) => void;
}

/** The one line that says what a silhouette is, wherever one is shown. */
const SILHOUETTE = html`<span class="muted jargon">(Silhouette: how much nearer each face is to its own cluster than to the next one, from −1 to 1; higher is cleaner.)</span>`;

/** How the shown run's k came about, under the scatter plot. */
function renderK(s: Workspace): TemplateResult {
  const run = s.view?.run;
  if (!run) return html``;
  const silhouette = run.scores.silhouette;
  const curve = curveOf(run);
  if (run.kChoice.kind === 'merged') {
    return html`<p class="muted">k = ${run.k} after merging${silhouette === undefined ? '' : html`; silhouette ${silhouette.toFixed(3)}. ${SILHOUETTE}`}</p>`;
  }
  if (curve.length) {
    return html`<figure part="silhouette" class="curve"><fap-silhouette-curve .curve=${curve} .chosen=${run.k}></fap-silhouette-curve>
      <figcaption>k = ${run.k} chosen by the highest mean silhouette${silhouette === undefined ? '' : ` (${silhouette.toFixed(3)})`}. ${SILHOUETTE}</figcaption></figure>`;
  }
  return html`<p class="muted">k = ${run.k}, set by hand${silhouette === undefined ? '' : html`; silhouette ${silhouette.toFixed(3)}. ${SILHOUETTE}`}</p>`;
}

/** The people, clustering, named-groups and probe sections. */
export function renderAnalysis(s: Workspace, c: AnalysisContext): TemplateResult {
  const view = s.view;
  const run = view?.run;
  // Before any clustering no tile is chosen; the form's default is everyone.
  const scope = run?.scope.kind === 'person' ? run.scope.groupId : run ? 'all' : '';
  const personName = (groupId: string): string => s.people.find((p) => p.group.id === groupId)?.group.name ?? 'a person no longer grouped';
  return html`
    <section part="people" aria-labelledby="people-h"><h2 id="people-h">People</h2>
      <fap-people .people=${s.people} .alone=${s.aloneFaces} .selected=${scope} .lookup=${c.faces} ?disabled=${c.blocked}
        .strictness=${s.strictness} .undoLabel=${s.undoLabel}
        @fap-person=${c.onPerson} @fap-rename-person=${c.onRenamePerson}></fap-people>
    </section>
    ${c.discovery()}
    <section part="clustering" aria-labelledby="clusters-h"><h2 id="clusters-h">Clusters</h2>
      <form class="controls" @submit=${c.onClusterSubmit}>
        <label>Faces <select name="scope">
          <option value="all" ?selected=${scope === 'all' || scope === ''}>Everyone (${s.faces})</option>
          ${s.people.map((p) => html`<option value=${p.group.id} ?selected=${scope === p.group.id}>${p.group.name} (${p.group.faceIds.length})</option>`)}
        </select></label>
        <label>Clusters (k) <input type="number" name="k" min="1" max="50" placeholder="auto"
          .value=${c.k === 'auto' ? '' : String(c.k)} aria-describedby="k-hint"></label>
        <span id="k-hint" class="muted">empty: chosen by silhouette</span>
        <button type="submit" class="primary" ?disabled=${c.blocked || s.faces < MIN_FACES_TO_CLUSTER}>${run ? 'Cluster again' : 'Cluster'}</button>
        ${s.runs.length > 1 ? html`<label>Clustering shown <select name="run" ?disabled=${c.blocked} @change=${c.onRunChange}>
          ${s.runs.map((r, i) => html`<option value=${r.id} ?selected=${r.id === run?.id}>#${i + 1}: ${r.scope.kind === 'all' ? 'everyone' : personName(r.scope.groupId)}, k = ${r.k}</option>`)}
        </select></label>` : nothing}
        ${view ? html`<button type="button" name="merge" ?disabled=${c.blocked || c.mergeSelection.size < 2}
          @click=${c.onMerge}>Merge selected (${c.mergeSelection.size})</button>` : nothing}
      </form>
      ${s.faces < MIN_FACES_TO_CLUSTER ? html`<p class="muted">Clustering needs at least ${MIN_FACES_TO_CLUSTER} faces.</p>` : nothing}
      ${view && run ? html`
        <div class="galleries">
          ${view.members.map((faces, i) => html`<fap-cluster-gallery part="cluster" .cluster=${i} .faces=${faces}
            .name=${live(c.nameOf(i))} .selected=${c.mergeSelection.has(i)} .lookup=${c.faces} ?disabled=${c.blocked}
            @fap-name=${c.onName} @fap-select=${c.onSelect}></fap-cluster-gallery>`)}
        </div>
        <div class="views">
          <figure part="scatter"><fap-pca-scatter .ids=${view.ids} .labels=${view.labels} .points=${view.points}
            .explained=${view.explained} .names=${s.names} .k=${run.k} .lookup=${c.faces}></fap-pca-scatter>
            <figcaption>Every face of this clustering on the first two principal components, coloured by cluster.</figcaption></figure>
          ${renderK(s)}
        </div>
      ` : nothing}
    </section>
    ${view ? html`<section part="named" aria-labelledby="named-h"><h2 id="named-h">Named groups</h2>${renderFigures(s)}</section>` : nothing}
    ${view || s.splitProbe ? html`<section part="probe" aria-labelledby="probe-h"><h2 id="probe-h">Probe new faces</h2>
      <fap-probe-panel .groups=${s.splitProbe?.names ?? s.groups.map((g) => g.name)} .probe=${s.splitProbe ?? s.clusterProbe}
        .rows=${c.probeRows} .failures=${c.probeFailures} ?busy=${c.blocked}
        @fap-probe-files=${c.onProbeFiles}></fap-probe-panel>${c.probeProgress()}</section>` : nothing}`;
}

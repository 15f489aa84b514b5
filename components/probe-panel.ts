/**
 * `<fap-probe-panel>`: drop new photos (`fap-files` from its own drop zone, re-sent as `fap-probe-files`)
 * and see, for each face, which named group it falls in with what confidence — by the linear probe and by
 * the nearest named centroid — beside what the supervised age/gender/expression heads say.
 */
import { LitElement, html, css, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { customElement } from './define.ts';
import './drop-zone.ts';
import type { FilesDetail } from './drop-zone.ts';
import type { PhotoFailure, ProbeAssignment } from './events.ts';
import { baseStyles, percent } from './styles.ts';

/** A probed face with its thumbnail URL. */
export interface ProbeRow extends ProbeAssignment {
  thumbnail: string | undefined;
}

/** The probe: new faces against the named groups. */
@customElement('fap-probe-panel')
export class FapProbePanel extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    table { border-collapse: collapse; margin-top: 0.5em; width: 100%; }
    th, td { text-align: left; padding: 0.25em 0.5em; border-bottom: 1px solid var(--fap-border, #c9c9d1); vertical-align: middle; }
    th { font-weight: 600; }
    .group { font-weight: 600; }
    ul { margin: 0.25em 0; }
  `];

  /** The named groups faces are assigned to (two or more enable the panel). */
  @property({ attribute: false }) groups: string[] = [];
  @property({ attribute: false }) rows: ProbeRow[] = [];
  @property({ attribute: false }) failures: PhotoFailure[] = [];
  @property({ type: Boolean }) busy = false;

  override render() {
    if (this.groups.length < 2) {
      return html`<p class="muted">Name at least two clusters (e.g. "glasses" and "no glasses") to probe new faces against them.</p>`;
    }
    return html`
      <p>New faces are assigned to <strong>${this.groups.join(', ')}</strong>; they are not added to your collection.</p>
      <fap-drop-zone name="probe" label="Drop photos to probe" .folders=${false} ?disabled=${this.busy}
        @fap-files=${this.onFiles}></fap-drop-zone>
      ${this.failures.length
        ? html`<ul>${this.failures.map((f) => html`<li><strong>${f.name}</strong>: ${f.message}</li>`)}</ul>`
        : nothing}
      ${this.rows.length ? this.table() : nothing}`;
  }

  private table() {
    return html`
      <table>
        <thead><tr>
          <th scope="col">Face</th><th scope="col">Named group (linear probe)</th><th scope="col">Nearest centroid</th>
          <th scope="col">Age</th><th scope="col">Gender</th><th scope="col">Expression</th>
        </tr></thead>
        <tbody>
          ${this.rows.map((r) => html`<tr>
            <td>${r.thumbnail ? html`<img class="thumb" src=${r.thumbnail} alt="Face ${r.face + 1} of ${r.photo}">` : nothing}
              <span class="muted">${r.photo}${r.face > 0 ? ` #${r.face + 1}` : ''}</span></td>
            <td><span class="group">${r.group}</span> ${percent(r.confidence)}</td>
            <td>${r.nearest} ${percent(r.nearestConfidence)}</td>
            <td>${r.age === undefined ? '–' : Math.round(r.age)}</td>
            <td>${r.gender === undefined ? '–' : `${r.gender} ${percent(r.genderProbability ?? 0)}`}</td>
            <td>${r.expression === undefined ? '–' : `${r.expression} ${percent(r.expressionProbability ?? 0)}`}</td>
          </tr>`)}
        </tbody>
      </table>`;
  }

  private onFiles(event: CustomEvent<FilesDetail>): void {
    event.stopPropagation();
    this.dispatchEvent(new CustomEvent<FilesDetail>('fap-probe-files', { detail: event.detail }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-probe-panel': FapProbePanel;
  }
}

/**
 * `<fap-probe-panel>`: drop new photos (`fap-files` from its own drop zone, re-sent as `fap-probe-files`)
 * and see, for each face, which name the probe gives it with a calibrated confidence, beside what the
 * age/gender/expression heads say, and where a head disagrees. Above the table: what the probe was
 * trained on, how far its confidence held on held-out people, and its warnings (too few people).
 */
import { LitElement, html, css, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { customElement } from './define.ts';
import './drop-zone.ts';
import type { FilesDetail } from './drop-zone.ts';
import type { PhotoFailure, ProbeAssignment } from './events.ts';
import type { NamedProbe } from '../src/index.ts';
import { baseStyles, percent } from './styles.ts';

/** Fewer people than this behind a probe, and it may be learning who rather than what. */
const MIN_PEOPLE = 10;

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
    .warning { color: var(--fap-warning, #8a4b00); font-weight: 600; }
  `];

  /** The named groups faces are assigned to (two or more enable the panel). */
  @property({ attribute: false }) groups: string[] = [];
  /** The probe of a named split, when one is named (it is used instead of named clusters). */
  @property({ attribute: false }) probe: NamedProbe | undefined;
  @property({ attribute: false }) rows: ProbeRow[] = [];
  @property({ attribute: false }) failures: PhotoFailure[] = [];
  @property({ type: Boolean }) busy = false;

  override render() {
    if (this.groups.length < 2) {
      return html`<p class="muted">Name the two sides of a split above (e.g. "glasses" and "no glasses"), or at least two clusters, to probe new faces against them.</p>`;
    }
    return html`
      <p>New faces are assigned to <strong>${this.groups.join(', ')}</strong>; they are not added to your collection.</p>
      ${this.about()}
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
          <th scope="col">Face</th><th scope="col">Name (calibrated confidence)</th>
          <th scope="col">Age</th><th scope="col">Gender</th><th scope="col">Expression</th><th scope="col">Note</th>
        </tr></thead>
        <tbody>
          ${this.rows.map((r) => html`<tr>
            <td>${r.thumbnail ? html`<img class="thumb" src=${r.thumbnail} alt="Face ${r.face + 1} of ${r.photo}">` : nothing}
              <span class="muted">${r.photo}${r.face > 0 ? ` #${r.face + 1}` : ''}</span></td>
            <td><span class="group">${r.group}</span> ${percent(r.confidence)}</td>
            <td>${r.age === undefined ? '–' : Math.round(r.age)}</td>
            <td>${r.gender === undefined ? '–' : `${r.gender} ${percent(r.genderProbability ?? 0)}`}</td>
            <td>${r.expression === undefined ? '–' : `${r.expression} ${percent(r.expressionProbability ?? 0)}`}</td>
            <td class="note">${note(r)}</td>
          </tr>`)}
        </tbody>
      </table>`;
  }

  /** What the probe learned from, how far its confidence can be trusted, and its warnings. */
  private about() {
    const p = this.probe;
    const first = p?.probes[0];
    const r = first?.reliability;
    const warnings = p?.probes.flatMap((x) => x.warnings.filter((w) => !/fewer than \d+\)/.test(w))) ?? [];
    return html`<div class="about">
      <p class="muted">Confidence is calibrated: on faces of people the probe was not trained on, faces given about 80 % were
        right about 80 % of the time.${r && r.faces > 0 && Number.isFinite(r.accuracy)
          ? html` Here it was right on <strong class="held-out">${percent(r.accuracy)}</strong> of ${r.faces} held-out faces,
            and its stated confidence was off by ${percent(r.ece)} on average.` : nothing}</p>
      ${p ? html`<p class="muted">Trained on ${p.faces.map((f, i) => `${f} ${p.names[i]}`).join(' and ')} faces of ${p.people}
        ${p.people === 1 ? 'person' : 'people'}${p.identityRemoved ? ', each face compared with the same person\'s other faces (who they are taken out)' : ''}.</p>` : nothing}
      ${p ? p.names.map((name, i) => {
        const people = p.peoplePerName[i] ?? 0;
        return people < MIN_PEOPLE ? html`<p class="warning" role="note">"${name}" spans only ${people} ${people === 1 ? 'person' : 'people'}
          (fewer than ${MIN_PEOPLE}): the probe may be learning who rather than what.</p>` : nothing;
      }) : nothing}
      ${warnings.map((w) => html`<p class="muted">${w}.</p>`)}
    </div>`;
  }

  private onFiles(event: CustomEvent<FilesDetail>): void {
    event.stopPropagation();
    this.dispatchEvent(new CustomEvent<FilesDetail>('fap-probe-files', { detail: event.detail }));
  }
}

/** Where a head disagrees, or the face's person could not be told. */
function note(r: ProbeRow) {
  const notes = [
    ...(r.disagreement ? [`Disagrees: ${r.disagreement}.`] : []),
    ...(r.identityRemoved ? [] : ['A face of someone not among your photos: who they are could not be taken out.']),
  ];
  return notes.length ? notes.join(' ') : '–';
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-probe-panel': FapProbePanel;
  }
}

/**
 * `<fap-progress>`: a batch's progress — photos done of total, faces found, failures — with a Cancel
 * button (`fap-cancel`), and the list of photos that failed with their reasons. A polite live region
 * announces the phase and each tenth done, not every photo.
 */
import { LitElement, html, css, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { customElement } from './define.ts';
import type { PhotoFailure } from './events.ts';
import { baseStyles } from './styles.ts';

/** Progress bar and Cancel button of a running batch. */
@customElement('fap-progress')
export class FapProgress extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    .row { display: flex; gap: 0.75em; align-items: center; flex-wrap: wrap; }
    progress { flex: 1 1 12em; height: 1em; accent-color: var(--fap-accent, #2255cc); }
  `];

  /** What is happening, e.g. 'Loading the models…' or 'Finding faces'. */
  @property() phase = '';
  @property({ type: Number }) done = 0;
  @property({ type: Number }) total = 0;
  @property({ type: Number }) faces = 0;
  @property({ type: Number }) failed = 0;
  /** The photo just finished. */
  @property() current = '';
  /** True once Cancel was pressed (the photo in flight still finishes). */
  @property({ type: Boolean }) cancelling = false;
  /** The photos are done and other work follows (grouping, clustering): the bar shows activity, not a count. */
  @property({ type: Boolean }) indeterminate = false;

  override render() {
    // No faces yet is not said: while photos are added, faces count once kept, so "0 faces" would read as none found.
    const counts = `${this.done} of ${this.total} photos`
      + (this.faces ? ` · ${this.faces} ${this.faces === 1 ? 'face' : 'faces'}` : '')
      + (this.failed ? ` · ${this.failed} failed` : '');
    return html`
      <div class="row">
        <progress part="bar" max=${Math.max(1, this.total)} value=${this.indeterminate ? nothing : this.done} aria-label="Photos processed"></progress>
        <button type="button" part="cancel" ?disabled=${this.cancelling} @click=${this.onCancel}>${this.cancelling ? 'Cancelling…' : 'Cancel'}</button>
      </div>
      <div>
        <span>${this.phase}</span> <span class="counts">${counts}</span>
        ${this.current ? html`<span class="muted"> — ${this.current}</span>` : nothing}
      </div>
      <div class="visually-hidden" role="status" aria-live="polite">${this.summary()}</div>`;
  }

  /** What a screen reader hears: the phase and the share done in steps of a tenth, so not every photo is announced. */
  private summary(): string {
    if (this.indeterminate || this.total === 0) return this.phase;
    const tenth = Math.floor((this.done / this.total) * 10) * 10;
    return `${this.phase}: ${tenth} % of ${this.total} photos`;
  }

  private onCancel(): void {
    this.dispatchEvent(new CustomEvent('fap-cancel'));
  }
}

/** The photos of the last batches that could not be used, each with its reason. */
@customElement('fap-failures')
export class FapFailures extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    ul { margin: 0.25em 0 0; padding-left: 1.25em; max-height: 12em; overflow: auto; }
    code { font-size: 0.85em; }
  `];

  @property({ attribute: false }) failures: PhotoFailure[] = [];

  override render() {
    if (this.failures.length === 0) return nothing;
    const n = this.failures.length;
    return html`
      <details ?open=${n <= 5}>
        <summary>${n} ${n === 1 ? 'photo' : 'photos'} could not be used</summary>
        <ul>
          ${this.failures.map((f) => html`<li><strong>${f.name}</strong>: ${f.message} <code>(${f.code})</code></li>`)}
        </ul>
      </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-progress': FapProgress;
    'fap-failures': FapFailures;
  }
}

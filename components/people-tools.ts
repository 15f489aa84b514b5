/**
 * `<fap-people-tools>`: under the people, how strict the grouping is (a slider between "Stricter: more
 * people" and "Looser: fewer people", applied when let go), merging two people into one (who keeps the name
 * of the one merged into), and undoing the latest correction ("Undo: not Colin Powell"). Each asks the
 * element through `fap-correct`.
 */
import { LitElement, html, css, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { customElement } from './define.ts';
import { DEFAULT_STRICTNESS, STRICTNESS_RANGE, type PersonView } from '../src/index.ts';
import { askCorrection } from './correction-intent.ts';
import { baseStyles } from './styles.ts';

/** Strictness, merging and undo for the people. */
@customElement('fap-people-tools')
export class FapPeopleTools extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; margin-top: 0.75em; }
    .row { display: flex; flex-wrap: wrap; gap: 0.5em; align-items: center; margin: 0.4em 0; }
    input[type='range'] { width: 10em; }
    .end { font-size: 0.9em; }
  `];

  @property({ attribute: false }) people: PersonView[] = [];
  /** The grouping's strictness (a multiplier of the model's same-person distance). */
  @property({ type: Number }) strictness = DEFAULT_STRICTNESS;
  /** The latest correction in words, or undefined when there is nothing to undo. */
  @property() undoLabel: string | undefined;
  @property({ type: Boolean }) disabled = false;
  @state() private from = '';
  @state() private into = '';

  override render() {
    const ids = new Set(this.people.map((p) => p.group.id));
    const from = ids.has(this.from) ? this.from : '';
    const into = ids.has(this.into) ? this.into : '';
    // The slider runs from stricter (left) to looser (right): its value is the multiplier itself.
    return html`
      <div class="row">
        <label for="strictness">How alike two faces must be to count as one person:</label>
        <span class="end" aria-hidden="true">Stricter: more people</span>
        <input id="strictness" type="range" name="strictness" min=${STRICTNESS_RANGE.min} max=${STRICTNESS_RANGE.max} step=${STRICTNESS_RANGE.step}
          .value=${String(this.strictness)} ?disabled=${this.disabled}
          aria-valuetext=${this.words(this.strictness)}
          @change=${(e: Event) => askCorrection(this, { kind: 'strictness', scale: Number((e.target as HTMLInputElement).value) })}>
        <span class="end" aria-hidden="true">Looser: fewer people</span>
        ${this.strictness !== DEFAULT_STRICTNESS ? html`<button type="button" name="strictness-default" ?disabled=${this.disabled}
          @click=${() => askCorrection(this, { kind: 'strictness', scale: DEFAULT_STRICTNESS })}>As the model suggests</button>` : nothing}
      </div>
      ${this.people.length >= 2 ? html`<div class="row">
        <label>Merge <select name="merge-from" .value=${from} ?disabled=${this.disabled} @change=${(e: Event) => { this.from = (e.target as HTMLSelectElement).value; }}>
          <option value="" ?selected=${from === ''}>choose a person</option>${this.options(from)}</select></label>
        <label>into <select name="merge-into" .value=${into} ?disabled=${this.disabled} @change=${(e: Event) => { this.into = (e.target as HTMLSelectElement).value; }}>
          <option value="" ?selected=${into === ''}>choose a person</option>${this.options(into)}</select></label>
        <button type="button" name="merge-people" ?disabled=${this.disabled || from === '' || into === '' || from === into}
          @click=${() => this.merge(into, from)}>Make them one person</button>
      </div>` : nothing}
      ${this.undoLabel ? html`<div class="row"><button type="button" name="undo" ?disabled=${this.disabled}
        @click=${() => askCorrection(this, { kind: 'undo' })}>Undo: ${this.undoLabel}</button></div>` : nothing}`;
  }

  private options(selected: string) {
    return this.people.map((p) => html`<option value=${p.group.id} ?selected=${p.group.id === selected}>${p.group.name}</option>`);
  }

  private merge(keepId: string, otherId: string): void {
    this.from = '';
    this.into = '';
    askCorrection(this, { kind: 'merge', keepId, otherId });
  }

  /** The slider's position in words, for screen readers. */
  private words(scale: number): string {
    if (Math.abs(scale - DEFAULT_STRICTNESS) < 1e-9) return 'as the model suggests';
    const percent = Math.round(Math.abs(scale - DEFAULT_STRICTNESS) * 100);
    return scale < DEFAULT_STRICTNESS ? `${percent} % stricter than the model suggests` : `${percent} % looser than the model suggests`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-people-tools': FapPeopleTools;
  }
}

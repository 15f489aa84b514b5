/**
 * `<fap-face-corrections>`: in the face dialog, the ways to correct who a face is: "Not this person" (it
 * leaves its person and stays out of them), "Move to…" another person, and "Not a face" (the detection leaves
 * every view). Each asks the element through `fap-correct`.
 */
import { LitElement, html, css, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { customElement } from './define.ts';
import type { FaceCorrectionsModel } from './face-view-model.ts';
import { askCorrection } from './correction-intent.ts';
import { baseStyles } from './styles.ts';

/** The correction buttons of a face. */
@customElement('fap-face-corrections')
export class FapFaceCorrections extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; margin-top: 1em; }
    fieldset { border: 1px solid var(--fap-border, #c9c9d1); border-radius: var(--fap-radius, 6px); display: flex; flex-wrap: wrap; gap: 0.5em; align-items: center; }
    legend { font-weight: 600; }
  `];

  @property({ attribute: false }) model: FaceCorrectionsModel | undefined;
  /** Disables the buttons (while the element is busy). */
  @property({ type: Boolean }) disabled = false;
  /** The person chosen in "Move to…". */
  @state() private target = '';

  override render() {
    const m = this.model;
    if (!m) return nothing;
    const target = m.others.some((p) => p.id === this.target) ? this.target : '';
    return html`<fieldset><legend>Is this right?</legend>
      ${m.person ? html`<button type="button" name="not-person" ?disabled=${this.disabled} title="Take this face out of ${m.person.name}; it stays out when people are grouped again"
        @click=${() => askCorrection(this, { kind: 'not-person', faceId: m.faceId })}>Not this person</button>` : nothing}
      ${m.others.length ? html`<label>Move to… <select name="move-to" .value=${target} ?disabled=${this.disabled}
          @change=${(e: Event) => { this.target = (e.target as HTMLSelectElement).value; }}>
          <option value="" ?selected=${target === ''}>choose a person</option>
          ${m.others.map((p) => html`<option value=${p.id} ?selected=${p.id === target}>${p.name}</option>`)}
        </select></label>
        <button type="button" name="move" ?disabled=${this.disabled || target === ''}
          @click=${() => askCorrection(this, { kind: 'move', faceId: m.faceId, groupId: target })}>Move</button>` : nothing}
      <button type="button" name="not-face" ?disabled=${this.disabled} title="This is not a face (a poster, a pattern): leave it out everywhere"
        @click=${() => askCorrection(this, { kind: 'not-face', faceId: m.faceId })}>Not a face</button>
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-face-corrections': FapFaceCorrections;
  }
}

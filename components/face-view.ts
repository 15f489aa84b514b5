/**
 * `<fap-face-view>`: one face opened from a gallery, a strip, the people list or the scatter plot, in a
 * modal dialog: its photo with the face's box drawn (see photo-view.ts), the face large, its photo's name, who it
 * was grouped with, how it was found and where it is in the photo. Closing it (the button, Escape) dispatches `fap-close`.
 */
import { LitElement, html, css, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { customElement } from './define.ts';
import { baseStyles } from './styles.ts';
import { foundByWords, type FaceViewModel } from './face-view-model.ts';
import './face-corrections.ts';
import './photo-view.ts';

export type { FaceViewModel } from './face-view-model.ts';

/** A face in a dialog. */
@customElement('fap-face-view')
export class FapFaceView extends LitElement {
  static override styles = [baseStyles, css`
    dialog { border: 1px solid var(--fap-border, #c9c9d1); border-radius: var(--fap-radius, 6px); width: min(94vw, 48em); }
    dialog::backdrop { background: rgb(0 0 0 / 0.4); }
    .face { display: flex; gap: 1em; align-items: flex-start; flex-wrap: wrap; }
    img.large { width: 150px; height: 150px; border-radius: var(--fap-radius, 6px); }
    h3 { margin: 0 0 0.5em; font-size: 1.05em; overflow-wrap: anywhere; }
    dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 0.75em; margin: 0; }
    dt { font-weight: 600; }
    dd { margin: 0; }
    .actions { display: flex; justify-content: flex-end; margin-top: 1em; }
  `];

  /** The face shown; undefined closes the dialog. */
  @property({ attribute: false }) face: FaceViewModel | undefined;

  override render() {
    const f = this.face;
    return html`<dialog aria-labelledby="face-title" @close=${this.onClose}>
      ${f ? html`<fap-photo-view .faceId=${f.faceId} .load=${f.photo}></fap-photo-view>
      <div class="face">
        ${f.thumb ? html`<img class="large" src=${f.thumb} alt="The face, aligned as the model sees it">` : nothing}
        <div>
          <h3 id="face-title">${f.label}</h3>
          <dl>
            <dt>Person</dt><dd>${f.person ?? 'seen once'}</dd>
            <dt>How</dt><dd>${foundByWords(f.foundBy)}</dd>
            <dt>Where</dt><dd>${Math.round(f.box.width)} × ${Math.round(f.box.height)} px at (${Math.round(f.box.x)}, ${Math.round(f.box.y)}) in the photo</dd>
          </dl>
        </div>
      </div>` : nothing}
      <fap-face-corrections .model=${f?.corrections}></fap-face-corrections>
      <div class="actions"><button type="button" name="close" @click=${() => this.dialog?.close()}>Close</button></div>
    </dialog>`;
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  override updated(): void {
    const dialog = this.dialog;
    if (!dialog) return;
    if (this.face && !dialog.open) dialog.showModal();
    else if (!this.face && dialog.open) dialog.close();
  }

  private onClose(): void {
    this.dispatchEvent(new CustomEvent('fap-close'));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-face-view': FapFaceView;
  }
}

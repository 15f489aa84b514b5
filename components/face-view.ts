/**
 * `<fap-face-view>`: one face opened from a gallery, a strip, the people list or the scatter plot, in a
 * modal dialog: its photo with the face's box drawn (see photo-view.ts), the face large, its photo's name, who it
 * was grouped with, how it was found and where it is in the photo. Closing it (the button, Escape) dispatches `fap-close`.
 */
import { LitElement, html, css, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { customElement } from './define.ts';
import type { Workspace } from '../src/index.ts';
import type { FaceLookup } from './face-thumb.ts';
import type { FacePhotoLoader } from './photo-view.ts';
import { baseStyles } from './styles.ts';
import { faceCorrectionsModel, type FaceCorrectionsModel } from './face-corrections.ts';
import './photo-view.ts';

/** What the dialog shows about a face. */
export interface FaceViewModel {
  faceId: string;
  /** The photo's file name (with the face's number when the photo holds several). */
  label: string;
  /** The face's thumbnail URL. */
  thumb: string | undefined;
  /** The person it belongs to, or undefined when seen once. */
  person: string | undefined;
  /** Words for how the face was found, e.g. 'found by the detector'. */
  foundBy: string;
  /** The face's box in its photo, in pixels. */
  box: { x: number; y: number; width: number; height: number };
  /** The corrections offered for it. */
  corrections?: FaceCorrectionsModel;
  /** Reads the face's photo (with its preview) to show the face in it. */
  photo: FacePhotoLoader;
}

const FOUND_BY_WORDS: Record<string, string> = {
  'detected': 'found by the face detector',
  'padded': 'found after padding the photo',
  'lower-threshold': 'found with a lower detection threshold (less certain)',
  'whole-image': 'the whole photo was taken as the face',
};

/** How a face was found, in words. */
export function foundByWords(foundBy: string): string {
  return FOUND_BY_WORDS[foundBy] ?? foundBy;
}

/** What the dialog shows for face `faceId` of `ws`, or undefined when the workspace no longer has it. */
export function faceViewModel(ws: Workspace, faces: FaceLookup, faceId: string): FaceViewModel | undefined {
  const face = ws.collection?.face(faceId);
  if (!face) return undefined;
  return {
    faceId,
    label: faces.label(faceId),
    thumb: faces.thumb(faceId),
    person: ws.people.find((p) => p.group.faceIds.includes(faceId))?.group.name,
    foundBy: face.foundBy,
    box: face.box,
    corrections: faceCorrectionsModel(ws, faceId),
    photo: (id) => ws.facePhoto(id),
  };
}

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

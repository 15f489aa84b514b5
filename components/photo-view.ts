/**
 * `<fap-photo-view>`: the photo a face was found in, from its stored preview, with the face's box drawn on it
 * and the file name under it. For a photo stored before previews were kept it says so in a sentence (the face
 * dialog still shows the face itself).
 */
import { LitElement, html, css, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { customElement } from './define.ts';
import type { FacePhoto } from '../src/index.ts';
import { baseStyles } from './styles.ts';

/** Reads a face's photo (the workspace's `facePhoto`). */
export type FacePhotoLoader = (faceId: string) => Promise<FacePhoto | undefined>;

/** What the element shows once loaded. */
type Shown =
  | { kind: 'loading' }
  | { kind: 'photo'; photo: FacePhoto; url: string }
  | { kind: 'no-preview'; photo: FacePhoto }
  | { kind: 'missing' }
  | { kind: 'failed'; message: string };

/** The box as percentages of the photo's size, clamped to the photo. */
export function boxPercent(photo: Pick<FacePhoto, 'width' | 'height' | 'box'>): { left: number; top: number; width: number; height: number } {
  const clamp = (v: number) => Math.min(100, Math.max(0, v));
  const left = clamp((photo.box.x / photo.width) * 100);
  const top = clamp((photo.box.y / photo.height) * 100);
  return {
    left,
    top,
    width: clamp(((photo.box.x + photo.box.width) / photo.width) * 100) - left,
    height: clamp(((photo.box.y + photo.box.height) / photo.height) * 100) - top,
  };
}

/**
 * The photo's frame: the photo's aspect ratio, at most twice the preview's own size (a small photo is enlarged so the
 * face can be seen), the dialog's width and 60 % of the window's height.
 */
function frameStyle(photo: FacePhoto): Record<string, string> {
  const previewWidth = photo.preview?.width ?? photo.width;
  return {
    'aspect-ratio': `${photo.width} / ${photo.height}`,
    width: `min(100%, ${2 * previewWidth}px, calc(60vh * ${photo.width / photo.height}))`,
  };
}

/** Sets inline styles through the CSSOM (see {@link FapPhotoView.updated}). */
function setStyles(element: Element | null, styles: Record<string, string>): void {
  if (!(element instanceof HTMLElement)) return;
  for (const [name, value] of Object.entries(styles)) element.style.setProperty(name, value);
}

/** A face's photo with its box. */
@customElement('fap-photo-view')
export class FapPhotoView extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    figure { margin: 0 0 1em; }
    .frame { position: relative; margin: 0 auto; }
    .frame img { display: block; width: 100%; height: 100%; border-radius: var(--fap-radius, 6px); }
    .box { position: absolute; box-sizing: border-box; border: 3px solid var(--fap-accent, #2255cc);
      outline: 2px solid #ffffff; border-radius: 2px; pointer-events: none; }
    figcaption { margin-top: 0.35em; overflow-wrap: anywhere; text-align: center; }
  `];

  /** The face whose photo is shown. */
  @property() faceId: string | undefined;
  /** Reads the face's photo; called again when {@link faceId} changes. */
  @property({ attribute: false }) load: FacePhotoLoader | undefined;
  @state() private shown: Shown = { kind: 'loading' };
  private url: string | undefined;
  private loading = 0;

  override willUpdate(changed: PropertyValues<this>): void {
    // The loader is a new function at every render of the dialog: only a new face, or a first loader, reads again.
    if (changed.has('faceId') || (changed.has('load') && changed.get('load') === undefined)) void this.read();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.revoke();
  }

  private revoke(): void {
    if (this.url !== undefined) URL.revokeObjectURL(this.url);
    this.url = undefined;
  }

  private async read(): Promise<void> {
    const ticket = ++this.loading;
    const { faceId, load } = this;
    this.revoke();
    this.shown = { kind: 'loading' };
    if (faceId === undefined || !load) return;
    let shown: Shown;
    try {
      const photo = await load(faceId);
      shown = !photo ? { kind: 'missing' } : photo.preview ? { kind: 'photo', photo, url: '' } : { kind: 'no-preview', photo };
    } catch (error: unknown) {
      shown = { kind: 'failed', message: (error as Error)?.message ?? String(error) };
    }
    // A newer face was opened meanwhile (its read shows instead), or the dialog closed.
    if (ticket !== this.loading || !this.isConnected) return;
    if (shown.kind === 'photo' && shown.photo.preview) {
      const p = shown.photo.preview;
      this.url = URL.createObjectURL(new Blob([p.bytes as BlobPart], { type: p.type }));
      shown = { ...shown, url: this.url };
    }
    this.shown = shown;
  }

  override updated(): void {
    // Sizes and places are set through the CSSOM: a page whose Content-Security-Policy allows no inline styles
    // (the demo's) refuses style attributes, which Lit's styleMap writes on first render.
    if (this.shown.kind !== 'photo') return;
    const { photo } = this.shown;
    const box = boxPercent(photo);
    setStyles(this.renderRoot.querySelector('.frame'), frameStyle(photo));
    setStyles(this.renderRoot.querySelector('.box'), { left: `${box.left}%`, top: `${box.top}%`, width: `${box.width}%`, height: `${box.height}%` });
  }

  override render() {
    const s = this.shown;
    switch (s.kind) {
      case 'loading':
        return html`<p class="muted" role="status">Opening the photo…</p>`;
      case 'missing':
        return html`<p class="muted">This photo is no longer kept here.</p>`;
      case 'failed':
        return html`<p class="muted" role="alert">The photo could not be read: ${s.message}</p>`;
      case 'no-preview':
        return html`<p class="no-preview muted">Only the face is shown: no copy of <strong>${s.photo.name}</strong> is kept here (it was
          added before photos were kept with their faces, or this browser could not read it). Add it again to see the face in its photo.</p>`;
      case 'photo': {
        const { photo } = s;
        return html`<figure>
          <div class="frame">
            <img src=${s.url} alt="The photo ${photo.name}, with this face marked by a box">
            <div class="box"></div>
          </div>
          <figcaption>${photo.name} <span class="muted">· ${photo.width} × ${photo.height} px</span></figcaption>
        </figure>`;
      }
      default:
        return nothing;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-photo-view': FapPhotoView;
  }
}

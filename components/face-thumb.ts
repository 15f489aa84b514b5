/**
 * A face thumbnail a person can reach and use: a button labelled with the face's photo name that, when
 * pressed (click, Enter or Space), asks the element to open the face with its photo (`fap-open-face`,
 * bubbling and composed, so it leaves the part's shadow root).
 */
import { html, type TemplateResult } from 'lit';

/** Detail of `fap-open-face`. */
export interface OpenFaceDetail {
  faceId: string;
}

/** Looks up what a face shows: its thumbnail URL and its label (the photo's file name). */
export interface FaceLookup {
  thumb(faceId: string): string | undefined;
  label(faceId: string): string;
}

/** Dispatches `fap-open-face` for `faceId` from `from`. */
export function openFace(from: EventTarget, faceId: string): void {
  from.dispatchEvent(new CustomEvent<OpenFaceDetail>('fap-open-face', { detail: { faceId }, bubbles: true, composed: true }));
}

/** The face as a thumbnail button; `context` is added to its accessible name (e.g. "face 2 of cluster 1"). */
export function faceThumb(from: EventTarget, faces: FaceLookup, faceId: string, context = ''): TemplateResult {
  const url = faces.thumb(faceId);
  const label = faces.label(faceId);
  return html`<button type="button" class="face" title=${label} aria-label=${context ? `${label}, ${context}` : label}
    @click=${() => openFace(from, faceId)}>${url ? html`<img class="thumb" src=${url} alt="">` : html`<span class="thumb"></span>`}</button>`;
}

/** No faces to look up (the default of a part before its parent sets one). */
export const NO_FACES: FaceLookup = { thumb: () => undefined, label: (id) => id };

/**
 * The face-model picker in `<face-attribute-probe>`'s header: the built-in embedding models in plain words, with
 * how many faces each one has kept on this device, and what switching means for photos added before (photos are
 * not kept, so a model that has not seen them needs them added again; the other model's faces stay).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { BUILTIN_EMBEDDING_MODELS, EMBEDDING_MODEL_LABELS, embeddingModelLabel } from '../src/index.ts';

/** What the picker shows and does. */
export interface ModelPickerView {
  /** The model picked (the engine's, once it runs). */
  value: string;
  /** Faces kept on this device per model id. */
  stored: ReadonlyMap<string, number>;
  /** Photos added before that have faces of another model only (see Workspace.photosWithoutModel). */
  photosWithoutModel: number;
  /** The model whose faces are shown (undefined before any). */
  shown: string | undefined;
  disabled: boolean;
  pick(modelId: string): void;
}

const faces = (n: number) => `${n} ${n === 1 ? 'face' : 'faces'}`;

/** The picker, and under it what a person must do for photos the picked model has not seen. */
export function renderModelPicker(v: ModelPickerView): TemplateResult {
  const ids = Object.keys(BUILTIN_EMBEDDING_MODELS);
  if (!ids.includes(v.value)) ids.push(v.value);
  const missing = v.shown !== undefined && v.photosWithoutModel > 0
    ? html`<p class="notice" role="status" part="model-notice">${v.photosWithoutModel === 1 ? '1 photo' : `${v.photosWithoutModel} photos`} added
      before ${v.photosWithoutModel === 1 ? 'has' : 'have'} faces for another face model only. Photos themselves are not kept on this device:
      add ${v.photosWithoutModel === 1 ? 'it' : 'them'} again to see ${v.photosWithoutModel === 1 ? 'its' : 'their'} faces with ${embeddingModelLabel(v.shown)}. The other
      model's faces stay, and come back when you switch back.</p>`
    : nothing;
  return html`<div part="model" class="model-picker">
    <label>Face model <select name="model" .value=${v.value} ?disabled=${v.disabled}
      @change=${(e: Event) => v.pick((e.target as HTMLSelectElement).value)}>
      ${ids.map((id) => {
        const kept = v.stored.get(id) ?? 0;
        return html`<option value=${id} ?selected=${id === v.value}>${EMBEDDING_MODEL_LABELS[id]?.long ?? id}${kept ? ` · ${faces(kept)} kept` : ''}</option>`;
      })}
    </select></label>
    ${missing}
  </div>`;
}

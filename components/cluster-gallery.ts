/**
 * `<fap-cluster-gallery>`: one cluster as a gallery of face thumbnails, most representative (nearest the
 * centroid) first, with a name field (`fap-name` on Enter or when the field loses focus) and a checkbox that
 * selects it for merging (`fap-select`). The parent owns the name: the field shows `name` again whenever the
 * parent sets it, so a rename the parent could not save does not stay on screen.
 */
import { LitElement, html, css, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { customElement } from './define.ts';
import { live } from 'lit/directives/live.js';
import { NO_FACES, faceThumb, type FaceLookup } from './face-thumb.ts';
import { baseStyles, colourClass, paletteStyles } from './styles.ts';

/** Detail of `fap-name`. */
export interface NameDetail {
  cluster: number;
  name: string;
}

/** Detail of `fap-select`. */
export interface SelectDetail {
  cluster: number;
  selected: boolean;
}

/** One cluster's gallery. */
@customElement('fap-cluster-gallery')
export class FapClusterGallery extends LitElement {
  static override styles = [baseStyles, paletteStyles, css`
    :host { display: block; border: 1px solid var(--fap-border, #c9c9d1); border-radius: var(--fap-radius, 6px); padding: 0.6em; background: var(--fap-bg, #fff); }
    header { display: flex; flex-wrap: wrap; gap: 0.5em; align-items: center; }
    .swatch { width: 0.9em; height: 0.9em; border-radius: 50%; background: var(--c); flex: none; }
    h3 { margin: 0; font-size: 1em; }
    ul { list-style: none; display: flex; flex-wrap: wrap; gap: 4px; margin: 0.5em 0 0; padding: 0; }
    label { display: inline-flex; gap: 0.3em; align-items: center; }
  `];

  /** The cluster's index in its run. */
  @property({ type: Number }) cluster = 0;
  /** Face ids, most representative first. */
  @property({ attribute: false }) faces: string[] = [];
  /** The cluster's name ('' for none), as the parent has it: typing a name only asks for it (`fap-name`). */
  @property() name = '';
  @property({ type: Boolean }) selected = false;
  /** Disables naming and selecting (while the parent is busy). */
  @property({ type: Boolean }) disabled = false;
  /** Thumbnails and labels of the faces. */
  @property({ attribute: false }) lookup: FaceLookup = NO_FACES;
  /** Thumbnails shown before "Show all". */
  @property({ type: Number }) limit = 40;
  @state() private expanded = false;

  override render() {
    const shown = this.expanded ? this.faces : this.faces.slice(0, this.limit);
    const title = `Cluster ${this.cluster + 1}`;
    return html`
      <header class=${colourClass(this.cluster)}>
        <span class="swatch" aria-hidden="true"></span>
        <h3>${title}${this.name ? html` — ${this.name}` : nothing}</h3>
        <span class="muted">${this.faces.length} ${this.faces.length === 1 ? 'face' : 'faces'}</span>
        <label>Name <input type="text" name="cluster-name" .value=${live(this.name)} placeholder="e.g. glasses"
          aria-label="Name of ${title}" ?disabled=${this.disabled} @keydown=${this.onKey} @change=${this.onChange}></label>
        <label><input type="checkbox" .checked=${live(this.selected)} aria-label="Merge ${title.toLowerCase()}" ?disabled=${this.disabled}
          @change=${this.onSelect}> merge</label>
      </header>
      <ul aria-label="Faces of ${title}, most representative first">
        ${shown.map((id, i) => html`<li>${faceThumb(this, this.lookup, id, `face ${i + 1} of ${title}`)}</li>`)}
      </ul>
      ${this.faces.length > shown.length
        ? html`<button type="button" @click=${() => { this.expanded = true; }}>Show all ${this.faces.length}</button>`
        : nothing}`;
  }

  private onKey(event: KeyboardEvent): void {
    // Enter commits the name; the change event that follows on blur sends it only if it still differs.
    if (event.key === 'Enter') this.commit(event.target as HTMLInputElement);
  }

  private onChange(event: Event): void {
    this.commit(event.target as HTMLInputElement);
  }

  private commit(input: HTMLInputElement): void {
    const name = input.value.trim();
    if (name === this.name) return;
    this.dispatchEvent(new CustomEvent<NameDetail>('fap-name', { detail: { cluster: this.cluster, name } }));
  }

  private onSelect(event: Event): void {
    const selected = (event.target as HTMLInputElement).checked;
    this.dispatchEvent(new CustomEvent<SelectDetail>('fap-select', { detail: { cluster: this.cluster, selected } }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-cluster-gallery': FapClusterGallery;
  }
}

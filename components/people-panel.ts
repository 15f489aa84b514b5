/**
 * `<fap-people>`: the faces grouped by person, each person shown by their most typical face. Choosing a
 * person asks for their faces to be clustered (`fap-person` with the group id); "Everyone" clusters all.
 */
import { LitElement, html, css, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { customElement } from './define.ts';
import type { PersonView } from './analysis-views.ts';
import type { ThumbnailLookup } from './thumbnails.ts';
import { baseStyles } from './styles.ts';

/** Detail of `fap-person`: the person's identity-group id, or 'all'. */
export interface PersonDetail {
  groupId: string;
}

/** People found among the faces. */
@customElement('fap-people')
export class FapPeople extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.5em; margin: 0.5em 0 0; padding: 0; }
    button.person { display: flex; flex-direction: column; align-items: center; gap: 0.25em; padding: 0.4em; }
    button[aria-pressed='true'] { border-color: var(--fap-accent, #2255cc); box-shadow: 0 0 0 2px var(--fap-accent, #2255cc); }
    .everyone { height: var(--fap-thumb-size, 56px); display: grid; place-items: center; }
  `];

  @property({ attribute: false }) people: PersonView[] = [];
  /** Faces that belong to no person (seen once). */
  @property({ type: Number }) alone = 0;
  /** The group whose faces the current clustering covers ('all' for everyone). */
  @property() selected = 'all';
  @property({ attribute: false }) thumb: ThumbnailLookup = () => undefined;
  /** Most people shown before "Show all". */
  @property({ type: Number }) limit = 24;
  @property({ type: Boolean }) expanded = false;
  /** Disables choosing a person (while the parent is busy). */
  @property({ type: Boolean }) disabled = false;

  override render() {
    const shown = this.expanded ? this.people : this.people.slice(0, this.limit);
    return html`
      <p class="muted">
        ${this.people.length} ${this.people.length === 1 ? 'person' : 'people'} seen more than once;
        ${this.alone} ${this.alone === 1 ? 'face' : 'faces'} seen once. Choose a person to cluster only their faces.
      </p>
      <ul>
        <li><button type="button" class="person" aria-pressed=${this.selected === 'all' ? 'true' : 'false'} ?disabled=${this.disabled}
          @click=${() => this.choose('all')}><span class="everyone">All</span><span>Everyone</span></button></li>
        ${shown.map((p) => html`<li>
          <button type="button" class="person" aria-pressed=${this.selected === p.group.id ? 'true' : 'false'} ?disabled=${this.disabled}
            @click=${() => this.choose(p.group.id)}>
            ${this.thumbImage(p)}
            <span>${p.group.name} · ${p.group.faceIds.length}</span>
          </button></li>`)}
      </ul>
      ${this.people.length > shown.length
        ? html`<button type="button" @click=${() => { this.expanded = true; }}>Show all ${this.people.length} people</button>`
        : nothing}`;
  }

  private thumbImage(p: PersonView) {
    const url = this.thumb(p.representative);
    return url ? html`<img class="thumb" src=${url} alt="">` : html`<span class="everyone">?</span>`;
  }

  private choose(groupId: string): void {
    this.dispatchEvent(new CustomEvent<PersonDetail>('fap-person', { detail: { groupId } }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-people': FapPeople;
  }
}

/**
 * `<fap-people>`: the faces grouped by person, each person shown by their most typical face. Choosing a
 * person asks for their faces to be clustered (`fap-person` with the group id); "Everyone" clusters all.
 */
import { LitElement, html, css, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { customElement } from './define.ts';
import type { PersonView } from '../src/index.ts';
import { NO_FACES, faceThumb, type FaceLookup } from './face-thumb.ts';
import { baseStyles } from './styles.ts';
import './people-tools.ts';

/** Detail of `fap-person`: the person's identity-group id, or 'all'. */
export interface PersonDetail {
  groupId: string;
}

/** Detail of `fap-rename-person`: the person and the name typed ('' gives back "Person N"). */
export interface RenamePersonDetail {
  groupId: string;
  name: string;
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
    ul.alone { gap: 0.25em; }
    li.tile { display: flex; flex-direction: column; align-items: center; gap: 0.2em; }
    button.rename { font-size: 0.8em; padding: 0.1em 0.4em; }
    input[name='person-name'] { width: 8em; }
  `];

  @property({ attribute: false }) people: PersonView[] = [];
  /** Ids of the faces that belong to no person (seen once). */
  @property({ attribute: false }) alone: string[] = [];
  /** The group whose faces the current clustering covers ('all' for everyone, '' before any clustering). */
  @property() selected = '';
  /** Thumbnails and labels of the faces. */
  @property({ attribute: false }) lookup: FaceLookup = NO_FACES;
  /** Whether the faces seen once are shown. */
  @state() private showAlone = false;
  /** The person whose name is being edited. */
  @state() private renaming: string | undefined;
  /** Most people shown before "Show all". */
  @property({ type: Number }) limit = 24;
  @property({ type: Boolean }) expanded = false;
  /** Disables choosing a person (while the parent is busy). */
  @property({ type: Boolean }) disabled = false;
  /** The grouping's strictness (a multiplier of the model's same-person distance). */
  @property({ type: Number }) strictness = 1;
  /** The latest correction in words ("not Colin Powell"), or undefined when there is nothing to undo. */
  @property() undoLabel: string | undefined;

  override render() {
    const shown = this.expanded ? this.people : this.people.slice(0, this.limit);
    return html`
      <p class="muted">
        ${this.people.length} ${this.people.length === 1 ? 'person' : 'people'} seen more than once;
        ${this.alone.length} ${this.alone.length === 1 ? 'face' : 'faces'} seen once. Choose a person to cluster only their faces.
      </p>
      <ul>
        <li><button type="button" class="person" aria-pressed=${this.selected === 'all' ? 'true' : 'false'} ?disabled=${this.disabled}
          @click=${() => this.choose('all')}><span class="everyone">All</span><span>Everyone</span></button></li>
        ${shown.map((p) => html`<li class="tile">
          <button type="button" class="person" aria-pressed=${this.selected === p.group.id ? 'true' : 'false'} ?disabled=${this.disabled}
            aria-label="${p.group.name}, ${p.group.faceIds.length} faces: cluster only their faces"
            @click=${() => this.choose(p.group.id)}>
            ${this.thumbImage(p)}
            <span>${p.group.name} · ${p.group.faceIds.length}</span>
          </button>
          ${this.renaming === p.group.id
            ? html`<input type="text" name="person-name" maxlength="200" .value=${p.group.name} aria-label="New name for ${p.group.name}"
                @keydown=${(e: KeyboardEvent) => this.onNameKey(e, p.group.id)} @blur=${(e: FocusEvent) => this.commit(p.group.id, (e.target as HTMLInputElement).value)}>`
            : html`<button type="button" class="rename" name="rename" ?disabled=${this.disabled} aria-label="Rename ${p.group.name}"
                @click=${() => { this.renaming = p.group.id; }}>Rename</button>`}
          </li>`)}
        ${this.alone.length ? html`<li><button type="button" class="person" name="alone" aria-expanded=${this.showAlone ? 'true' : 'false'}
          aria-controls="alone" @click=${() => { this.showAlone = !this.showAlone; }}>
          ${this.thumbOf(this.alone[0] as string)}<span>Seen once · ${this.alone.length}</span></button></li>` : nothing}
      </ul>
      ${this.showAlone ? html`<ul class="alone" id="alone" aria-label="Faces seen once">
        ${this.alone.map((id) => html`<li>${faceThumb(this, this.lookup, id, 'seen once')}</li>`)}</ul>` : nothing}
      ${this.people.length > shown.length
        ? html`<button type="button" @click=${() => { this.expanded = true; }}>Show all ${this.people.length} people</button>`
        : nothing}
      <fap-people-tools .people=${this.people} .strictness=${this.strictness} .undoLabel=${this.undoLabel} ?disabled=${this.disabled}></fap-people-tools>`;
  }

  private thumbImage(p: PersonView) {
    return this.thumbOf(p.representative);
  }

  private thumbOf(faceId: string) {
    const url = this.lookup.thumb(faceId);
    return url ? html`<img class="thumb" src=${url} alt="">` : html`<span class="everyone">?</span>`;
  }

  override updated(changed: Map<PropertyKey, unknown>): void {
    // Keyboard users land in the field they just opened.
    if (changed.has('renaming') && this.renaming) this.renderRoot.querySelector<HTMLInputElement>('input[name="person-name"]')?.select();
  }

  private onNameKey(event: KeyboardEvent, groupId: string): void {
    if (event.key === 'Enter') this.commit(groupId, (event.target as HTMLInputElement).value);
    else if (event.key === 'Escape') this.renaming = undefined;
  }

  private commit(groupId: string, name: string): void {
    if (this.renaming !== groupId) return;
    this.renaming = undefined;
    const person = this.people.find((p) => p.group.id === groupId);
    if (!person || person.group.name === name.trim()) return;
    this.dispatchEvent(new CustomEvent<RenamePersonDetail>('fap-rename-person', { detail: { groupId, name } }));
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

/**
 * `<fap-storage-panel>`: what is kept on this device (photos, faces, bytes used of the quota, whether the
 * browser may evict it) and the three one-click actions: Export (`fap-export`), Import (`fap-import` with
 * the chosen file) and Erase all (`fap-erase`, after an inline confirmation).
 */
import { LitElement, html, css, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { customElement } from './define.ts';
import { baseStyles, bytes } from './styles.ts';

/** Detail of `fap-import`. */
export interface ImportDetail {
  file: File;
}

/** Storage figures and data actions. */
@customElement('fap-storage-panel')
export class FapStoragePanel extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    .actions { display: flex; flex-wrap: wrap; gap: 0.5em; align-items: center; margin-top: 0.5em; }
    meter { width: 10em; }
    .confirm { display: flex; flex-wrap: wrap; gap: 0.5em; align-items: center; padding: 0.5em;
      border: 1px solid var(--fap-danger, #b3261e); border-radius: var(--fap-radius, 6px); }
  `];

  @property({ type: Number }) photos = 0;
  @property({ type: Number }) faces = 0;
  /** Bytes used by this origin, when the browser says. */
  @property({ attribute: false }) usage: number | undefined;
  @property({ attribute: false }) quota: number | undefined;
  /** Bytes of `usage` held by the database, where the browser says. */
  @property({ attribute: false }) databaseUsage: number | undefined;
  @property({ attribute: false }) persisted: boolean | undefined;
  @property({ type: Boolean }) busy = false;
  @state() private confirming = false;

  override render() {
    const known = this.usage !== undefined && this.quota !== undefined && this.quota > 0;
    const empty = this.photos === 0 && this.faces === 0;
    // The site's usage includes the app's own offline copy (models, runtime): where the browser breaks it
    // down, the photos' share is said apart, so an emptied store does not seem to keep megabytes.
    const other = this.databaseUsage !== undefined && this.usage !== undefined ? Math.max(0, this.usage - this.databaseUsage) : undefined;
    return html`
      <p>
        ${empty ? 'Nothing is kept yet.' : html`${this.photos} ${this.photos === 1 ? 'photo' : 'photos'} and ${this.faces} ${this.faces === 1 ? 'face' : 'faces'}
        kept in this browser only.`}
        ${known ? html`This site uses <span class="usage">${bytes(this.usage)}</span> of the ${bytes(this.quota)} the browser allows it${other !== undefined
          ? html` (photos and faces: ${bytes(this.databaseUsage)}; the app's offline copy and other site data: ${bytes(other)})` : nothing}.
          <meter min="0" max=${this.quota as number} value=${this.usage as number} aria-label="Storage used"></meter>` : nothing}
        <span class="muted">${this.persisted === true ? '(persistent)' : this.persisted === false ? '(may be cleared under storage pressure)' : ''}</span>
      </p>
      <div class="actions">
        <button type="button" name="export" ?disabled=${this.busy || empty} @click=${() => this.dispatchEvent(new CustomEvent('fap-export'))}>Export</button>
        <button type="button" ?disabled=${this.busy} @click=${this.pickImport}>Import…</button>
        <input class="visually-hidden" tabindex="-1" aria-hidden="true" type="file" name="import" accept=".fap,application/octet-stream"
          @change=${this.onImport}>
        ${this.confirming ? nothing : html`<button type="button" class="danger" name="erase" ?disabled=${this.busy || empty}
          @click=${() => { this.confirming = true; }}>Erase all</button>`}
      </div>
      ${this.confirming ? html`
        <div class="confirm" role="alertdialog" aria-label="Confirm erasing">
          <span>Erase every photo, face, clustering and name kept here? This cannot be undone.</span>
          <button type="button" class="danger" name="confirm-erase" @click=${this.onErase}>Erase everything</button>
          <button type="button" name="keep" @click=${() => { this.confirming = false; }}>Keep</button>
        </div>` : nothing}`;
  }

  override updated(changed: Map<PropertyKey, unknown>): void {
    // Move focus into the confirmation so keyboard users land on the choice they just asked for.
    if (changed.has('confirming') && this.confirming) this.renderRoot.querySelector<HTMLButtonElement>('button[name="keep"]')?.focus();
  }

  private pickImport(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[name="import"]')?.click();
  }

  private onImport(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) this.dispatchEvent(new CustomEvent<ImportDetail>('fap-import', { detail: { file } }));
  }

  private onErase(): void {
    this.confirming = false;
    this.dispatchEvent(new CustomEvent('fap-erase'));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-storage-panel': FapStoragePanel;
  }
}

/**
 * `<fap-map-launcher>`: the "Map of every face" section's opener, small enough for the first load. The map
 * itself (map-section.ts, its WebGL drawing and the worker client) is a separate chunk, imported only when a
 * person presses "Show the map".
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Workspace } from '../../src/index.ts';
import { customElement } from '../define.ts';
import { NO_FACES, type FaceLookup } from '../face-thumb.ts';
import { baseStyles } from '../styles.ts';

/** Opens the map of every face on demand. */
@customElement('fap-map-launcher')
export class FapMapLauncher extends LitElement {
  static override styles = [baseStyles, css`:host { display: block; }`];

  @property({ attribute: false }) session: Workspace | undefined;
  @property({ type: Number }) faceCount = 0;
  @property({ attribute: false }) lookup: FaceLookup = NO_FACES;
  /** URL of face-probe-map-worker.js. */
  @property({ attribute: false }) workerUrl = '';

  @state() private open = false;
  @state() private loaded = false;
  @state() private problem: string | undefined;

  private async show(): Promise<void> {
    this.open = !this.open;
    if (!this.open || this.loaded) return;
    try {
      // '.js', not '.ts': tsc rewrites the extension of static imports for dist/ but not of this dynamic one;
      // bundlers and tsc resolve it to map-section.ts.
      await import('./map-section.js');
      this.loaded = true;
    } catch (error: unknown) {
      this.open = false;
      this.problem = `The map could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  override render(): TemplateResult {
    return html`
      <p><button type="button" name="map" aria-expanded=${this.open ? 'true' : 'false'} @click=${() => void this.show()}>
        ${this.open ? 'Hide the map' : 'Show the map'}</button>
        <span class="muted">Every face as a point: faces the model finds alike lie close together.</span></p>
      ${this.problem ? html`<p class="notice" role="alert">${this.problem}</p>` : nothing}
      ${this.open && this.loaded ? html`<fap-map-section .session=${this.session} .faceCount=${this.faceCount} .lookup=${this.lookup}
        .workerUrl=${this.workerUrl}></fap-map-section>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-map-launcher': FapMapLauncher;
  }
}

/**
 * `<fap-map-section>`: the map of every face, loaded only when a person opens it (a chunk of its own). It asks
 * the workspace for the map (cached, extended with new faces, or computed by UMAP in a worker, with progress and
 * Cancel), and draws it with `<fap-face-map>`, coloured as the person picks (the menu is read from the
 * workspace when opened, so splits found and probes named meanwhile are offered). When faces are added while
 * it is open, the map is updated. A group the person selects and names on the map becomes the workspace's
 * named probe (`Workspace.nameGroup`); the section then says so with `fap-probe-made` (bubbling, composed), so
 * the element shows the probe under "Probe new faces".
 */
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { isAbortError, faceMap, workerProjection, type FaceMap, type ProjectionProgress, type Workspace } from '../../src/index.ts';
import { customElement } from '../define.ts';
import { NO_FACES, type FaceLookup } from '../face-thumb.ts';
import { baseStyles } from '../styles.ts';
import type { MapNameDetail, MapNaming } from './face-map-view.ts';
import type { Colouring } from './map-colours.ts';
import { colourModes, colouringOf, type ColourMode } from './map-colourings.ts';
import { fitToUnit } from './point-index.ts';
import './face-map-view.ts';

const SOURCE_WORDS = {
  cached: 'as stored on this device',
  placed: 'new faces placed beside the faces they resemble',
  computed: 'computed now',
} as const;

/** The map section. */
@customElement('fap-map-section')
export class FapMapSection extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    .bar { display: flex; flex-wrap: wrap; gap: 0.6em; align-items: center; margin-bottom: 0.5em; font-size: max(12px, 0.9em); }
    progress { width: 12em; }
    /* A menu is as wide as its longest option (a split's description, a probe's names): keep it to the bar. */
    select { max-width: 22em; }
  `];

  /** The open workspace. */
  @property({ attribute: false }) session: Workspace | undefined;
  /** Faces in the collection: a change updates the map. */
  @property({ type: Number }) faceCount = 0;
  /** Thumbnails and labels. */
  @property({ attribute: false }) lookup: FaceLookup = NO_FACES;
  /** URL of face-probe-map-worker.js. */
  @property({ attribute: false }) workerUrl = '';

  @state() private map: (FaceMap & { fitted: Float32Array }) | undefined;
  @state() private mode: ColourMode = 'person';
  @state() private progress: ProjectionProgress | undefined;
  @state() private problem: string | undefined;
  @state() private naming: MapNaming | undefined;
  /** The colouring shown, and what it was computed from (a probe's colouring is worth keeping). */
  private colouring: { key: unknown[]; value: Colouring } | undefined;
  private controller: AbortController | undefined;
  /** Faces were added while the map was being made. */
  private stale = false;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.controller?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!(changed.has('faceCount') || changed.has('session')) || !this.session?.collection) return;
    // Faces added while a map is being made do not restart it (a large map would never finish while photos
    // arrive): the map is brought up to date once it is done, by placing them.
    if (this.controller && !changed.has('session')) this.stale = true;
    else void this.load(false);
  }

  private async load(recompute: boolean): Promise<void> {
    const session = this.session;
    const collection = session?.collection;
    if (!session || !collection || collection.size === 0) return;
    this.stale = false;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.problem = undefined;
    this.progress = { phase: 'neighbours', done: 0, total: 1 };
    try {
      const map = await faceMap(session.database, collection, {
        runner: workerProjection(this.workerUrl),
        signal: controller.signal,
        recompute,
        onProgress: (p) => { if (this.controller === controller) this.progress = p; },
      });
      if (this.controller !== controller) return;
      this.map = { ...map, fitted: fitToUnit(map.points) };
    } catch (error: unknown) {
      if (this.controller !== controller) return;
      this.problem = isAbortError(error) ? 'Stopped: the map was not computed.' : `The map could not be made: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      if (this.controller === controller) {
        this.progress = undefined;
        this.controller = undefined;
        if (this.stale && !controller.signal.aborted) void this.load(false);
      }
    }
  }

  /** The colouring for the shown map and mode, computed again only when what it reads changed. */
  private colouringNow(session: Workspace, ids: string[]): Colouring {
    const key = [ids, this.mode, session.people, session.view, session.discovery, session.splitProbe, session.clusterProbe, session.namesRevision];
    const kept = this.colouring;
    if (kept && kept.key.length === key.length && kept.key.every((k, i) => k === key[i])) return kept.value;
    const value = colouringOf(session, ids, this.mode);
    this.colouring = { key, value };
    return value;
  }

  /** The person named a selection on the map: make it the probe, and say how it went beside the map. */
  private async onName(e: CustomEvent<MapNameDetail>): Promise<void> {
    e.stopPropagation();
    const session = this.session;
    if (!session) return;
    const { group, against } = e.detail;
    this.naming = { state: 'busy', text: `Making a probe of "${group.name}"…` };
    try {
      // Let the words paint before training blocks the page for a moment.
      await new Promise((r) => requestAnimationFrame(r));
      const probe = await session.nameGroup(group, against);
      const [a, b] = probe.names;
      this.naming = { state: 'done', text: `Made a probe of "${a}" (${probe.faces[0]?.toLocaleString('en')} faces) against "${b}" (${probe.faces[1]?.toLocaleString('en')} faces): `
        + 'new faces dropped under "Probe new faces" are probed against these names, and "Colour by" offers what it says of every face.' };
      this.dispatchEvent(new CustomEvent('fap-probe-made', { bubbles: true, composed: true }));
    } catch (error: unknown) {
      this.naming = { state: 'error', text: `No probe was made: ${error instanceof Error ? error.message : String(error)}.` };
    }
  }

  private renderProgress(): TemplateResult | typeof nothing {
    const p = this.progress;
    if (!p) return nothing;
    const words = p.phase === 'neighbours' ? 'Finding each face\'s nearest faces…' : `Laying out the map: step ${p.done} of ${p.total}`;
    return html`<span role="status">${words}</span>
      ${p.phase === 'layout' ? html`<progress max=${p.total} .value=${p.done}></progress>` : html`<progress></progress>`}
      <button type="button" name="cancel-map" @click=${() => this.controller?.abort()}>Cancel</button>`;
  }

  override render(): TemplateResult {
    const map = this.map;
    const session = this.session;
    return html`
      <div class="bar">
        <label>Colour by <select name="colour" @focus=${() => this.requestUpdate()} @pointerdown=${() => this.requestUpdate()}
          @change=${(e: Event) => { this.mode = (e.target as HTMLSelectElement).value as ColourMode; }}>
          ${colourModes(session).map((m) => html`<option value=${m.mode} ?selected=${m.mode === this.mode}>${m.label}</option>`)}
        </select></label>
        ${this.progress ? this.renderProgress() : html`<button type="button" name="recompute" ?disabled=${!map} @click=${() => void this.load(true)}>Compute again</button>`}
        ${map && !this.progress ? html`<span class="muted">UMAP of ${map.ids.length.toLocaleString('en')} faces, ${SOURCE_WORDS[map.source]}${map.source === 'placed' ? ` (${(map.ids.length - map.projected).toLocaleString('en')} placed)` : ''}.</span>` : nothing}
      </div>
      ${this.mode.startsWith('probe:') ? html`<p class="muted">The probe's answers include the faces it was trained on, so they agree with the
        names there by design; how far it can be trusted on faces it has not seen is shown under "Probe new faces".</p>` : nothing}
      ${this.problem ? html`<p class="notice" role="alert">${this.problem}</p>` : nothing}
      ${map && session ? html`<fap-face-map .ids=${map.ids} .points=${map.fitted} .lookup=${this.lookup} .naming=${this.naming}
        .colouring=${this.colouringNow(session, map.ids)} @fap-map-name=${(e: CustomEvent<MapNameDetail>) => void this.onName(e)}></fap-face-map>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-map-section': FapMapSection;
  }
}

/**
 * `<fap-face-map>`: every face as a point on a WebGL2 map, interactive at 100,000 points. Drag to pan; wheel,
 * the + and − buttons or the + / − keys to zoom (arrow keys pan, 0 fits the map); hovering a point shows its
 * face; Shift-drag, or "Select a box" then drag, selects the faces in a box; "Draw around faces" then drag
 * selects the faces inside a free-hand outline (Escape cancels either while drawing, and clears a selection
 * after). The selected faces are listed (each opens its photo) and can be named, against the other faces or a
 * second selection (`fap-map-name`; the section makes the probe and says how it went through {@link naming}).
 * Colours come from the section with a legend; where points overlap they add up to their full colour, so
 * dense areas are brighter. Styles are set through the CSSOM only, so it works under a strict
 * Content-Security-Policy.
 */
import { LitElement, css, html, nothing, svg, unsafeCSS, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { customElement } from '../define.ts';
import { NO_FACES, faceThumb, openFace, type FaceLookup } from '../face-thumb.ts';
import { baseStyles } from '../styles.ts';
import { MAP_PALETTE, MAP_PALETTE_CSS, type Colouring } from './map-colours.ts';
import { PointIndex } from './point-index.ts';
import { ScatterGl, type MapView } from './scatter-gl.ts';

/** Detail of `fap-map-select`: the faces in the box or outline (ids). */
export interface MapSelectDetail {
  ids: string[];
}

/** A named group of faces (ids). */
export interface MapGroup {
  name: string;
  faceIds: string[];
}

/** Detail of `fap-map-name`: name the selection `group`, against a second selection or (without) every other face. */
export interface MapNameDetail {
  group: MapGroup;
  against?: MapGroup;
}

/** How naming went, as the section tells the map: under way, done (what it made) or refused (why). */
export interface MapNaming {
  state: 'busy' | 'done' | 'error';
  text: string;
}

/** What a drag does: move the view, or select in a box or in a free-hand outline. */
type Tool = 'pan' | 'box' | 'lasso';

/** Height of the map in CSS px. */
const HEIGHT = 480;
/** How near (CSS px) the pointer must be to a point to show it. */
const HOVER_PX = 8;
/** Faces listed under the map after a selection. */
const LISTED = 60;

/** The map of every face. */
@customElement('fap-face-map')
export class FapFaceMap extends LitElement {
  static override styles = [baseStyles, css`
    :host { display: block; }
    .frame { position: relative; border: 1px solid var(--fap-border, #c9c9d1); border-radius: var(--fap-radius, 6px); overflow: hidden; }
    canvas { display: block; width: 100%; height: ${HEIGHT}px; touch-action: none; cursor: grab; }
    canvas.boxing { cursor: crosshair; }
    svg.lasso { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; }
    svg.lasso polygon { fill: rgba(255, 255, 255, 0.12); stroke: #fff; stroke-width: 1.5; stroke-dasharray: 4 3; }
    form.name-group { display: flex; flex-wrap: wrap; gap: 0.4em; align-items: center; margin: 0.4em 0; }
    .naming[data-state='error'] { color: var(--fap-error, #b00020); }
    canvas:focus-visible { outline: 3px solid var(--fap-accent, #0a66c2); outline-offset: -3px; }
    .tools { display: flex; flex-wrap: wrap; gap: 0.4em; align-items: center; margin: 0 0 0.4em; font-size: max(12px, 0.9em); }
    .tools button[aria-pressed='true'] { background: var(--fap-accent, #0a66c2); color: var(--fap-accent-fg, #fff); }
    .tip { position: absolute; pointer-events: none; background: var(--fap-bg, #fff); color: var(--fap-fg, #1d1d1f); border: 1px solid var(--fap-border, #c9c9d1);
      border-radius: 4px; padding: 4px; font-size: 12px; display: flex; gap: 6px; align-items: center; max-width: 260px; }
    .tip img, .tip .blank { width: 56px; height: 56px; object-fit: cover; border-radius: 3px; background: #ddd; }
    .box { position: absolute; border: 1px solid #fff; background: rgba(255, 255, 255, 0.12); pointer-events: none; }
    ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 0.3em 1em; padding: 0; margin: 0.5em 0 0; font-size: max(12px, 0.9em); }
    ul.legend li { display: flex; align-items: center; gap: 0.35em; }
    .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 50%; }
    .selection { margin-top: 0.6em; }
    .faces { display: flex; flex-wrap: wrap; gap: 4px; }
    .faces .face { padding: 0; border: 0; background: none; cursor: zoom-in; }
    .faces .thumb { width: var(--fap-thumb-size, 56px); height: var(--fap-thumb-size, 56px); object-fit: cover; border-radius: 3px; display: block; }
    .help { font-size: max(12px, 0.85em); color: var(--fap-muted, #5c5c66); margin: 0.3em 0 0; }
  `, unsafeCSS(MAP_PALETTE_CSS.map((c, i) => `.p${i} { background: ${c}; }`).join('\n'))];

  /** Face ids in point order. */
  @property({ attribute: false }) ids: string[] = [];
  /** n × 2 positions in [-1, 1] (fitToUnit). */
  @property({ attribute: false }) points: Float32Array = new Float32Array(0);
  /** Each point's colour and the legend. */
  @property({ attribute: false }) colouring: Colouring = { categories: new Uint8Array(0), legend: [] };
  /** Thumbnails and labels. */
  @property({ attribute: false }) lookup: FaceLookup = NO_FACES;
  /** How the last naming went (set by the section in answer to `fap-map-name`). */
  @property({ attribute: false }) naming: MapNaming | undefined;

  /** What the view shows; the bench and tests drive it through {@link setView}. */
  @state() private view: MapView = { cx: 0, cy: 0, zoom: 1 };
  @state() private hovered: number | undefined;
  @state() private selected: Uint32Array = new Uint32Array(0);
  @state() private tool: Tool = 'pan';
  @state() private box: { x0: number; y0: number; x1: number; y1: number } | undefined;
  /** The outline being drawn: x0, y0, x1, y1, … in CSS px. */
  @state() private lasso: number[] | undefined;
  /** The first group, named and kept while the person selects the group to compare it with. */
  @state() private pending: MapGroup | undefined;
  /** Selected faces listed (more on request). */
  @state() private listed = LISTED;
  /** Why the selection cannot be named yet (said by the map itself, before asking the section). */
  @state() private refusal: string | undefined;
  @state() private failure: string | undefined;

  private gl: ScatterGl | undefined;
  private index: PointIndex | undefined;
  private frame = 0;
  private drag: { kind: Tool; x: number; y: number; view: MapView } | undefined;
  private resize: ResizeObserver | undefined;
  /** Where the tip goes (CSS px in the frame), set while rendering it. */
  private tipAt: { left: number; top: number } | undefined;

  private get canvas(): HTMLCanvasElement | null {
    return this.renderRoot.querySelector('canvas');
  }

  /** CSS px per map unit at zoom 1. */
  private get ppu(): number {
    const c = this.canvas;
    return c ? (Math.min(c.clientWidth, c.clientHeight) / 2) * 0.92 : 1;
  }

  /** The current view (centre and zoom). */
  getView(): MapView {
    return { ...this.view };
  }

  /** Moves the view and draws it at once (for the benchmark and tests; people use the pointer and keys). */
  setView(view: MapView): void {
    this.view = { ...view, zoom: Math.min(400, Math.max(0.5, view.zoom)) };
    this.drawNow();
  }

  /** Map position of canvas point (sx, sy) in CSS px. */
  toMap(sx: number, sy: number): [number, number] {
    const c = this.canvas as HTMLCanvasElement;
    const k = this.ppu * this.view.zoom;
    return [this.view.cx + (sx - c.clientWidth / 2) / k, this.view.cy - (sy - c.clientHeight / 2) / k];
  }

  /** Canvas position in CSS px of map point (x, y). */
  toScreen(x: number, y: number): [number, number] {
    const c = this.canvas as HTMLCanvasElement;
    const k = this.ppu * this.view.zoom;
    return [c.clientWidth / 2 + (x - this.view.cx) * k, c.clientHeight / 2 - (y - this.view.cy) * k];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.frame);
    this.resize?.disconnect();
    this.gl?.destroy();
    this.gl = undefined;
  }

  protected override firstUpdated(): void {
    const canvas = this.canvas as HTMLCanvasElement;
    try {
      this.gl = new ScatterGl(canvas);
    } catch (error: unknown) {
      this.failure = error instanceof Error ? error.message : String(error);
      return;
    }
    canvas.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.resize = new ResizeObserver(() => this.fitCanvas());
    this.resize.observe(canvas);
    this.fitCanvas();
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.place();
    if (!this.gl) return;
    if (changed.has('points')) {
      this.index = new PointIndex(this.points);
      this.gl.setPoints(this.points, this.colouring.categories);
      this.selected = new Uint32Array(0);
      this.gl.setSelection(this.selected);
    } else if (changed.has('colouring')) {
      this.gl.setCategories(this.colouring.categories);
    }
    this.schedule();
  }

  /**
   * Positions the tip and the selection box through the CSSOM: a strict Content-Security-Policy
   * (style-src 'self') blocks style attributes in markup, not style properties set from script.
   */
  private place(): void {
    const tip = this.renderRoot.querySelector<HTMLElement>('.tip');
    if (tip && this.tipAt) {
      tip.style.left = `${this.tipAt.left}px`;
      tip.style.top = `${this.tipAt.top}px`;
    }
    const box = this.renderRoot.querySelector<HTMLElement>('.box');
    const b = this.box;
    if (box && b) {
      box.style.left = `${Math.min(b.x0, b.x1)}px`;
      box.style.top = `${Math.min(b.y0, b.y1)}px`;
      box.style.width = `${Math.abs(b.x1 - b.x0)}px`;
      box.style.height = `${Math.abs(b.y1 - b.y0)}px`;
    }
  }

  private fitCanvas(): void {
    const c = this.canvas;
    if (!c) return;
    const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
    const w = Math.max(1, Math.round(c.clientWidth * dpr));
    const h = Math.max(1, Math.round(c.clientHeight * dpr));
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
    }
    this.drawNow();
  }

  private schedule(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.drawNow());
  }

  /** Draws the map now (normally once per animation frame). */
  drawNow(): void {
    cancelAnimationFrame(this.frame);
    this.gl?.draw(this.view, MAP_PALETTE, this.ppu, this.hovered);
  }

  private zoomAt(factor: number, sx: number, sy: number): void {
    const [mx, my] = this.toMap(sx, sy);
    const zoom = Math.min(400, Math.max(0.5, this.view.zoom * factor));
    const c = this.canvas as HTMLCanvasElement;
    const k = this.ppu * zoom;
    // Keep the map point under the pointer where it is.
    this.view = { zoom, cx: mx - (sx - c.clientWidth / 2) / k, cy: my + (sy - c.clientHeight / 2) / k };
    this.schedule();
  }

  private zoomCentre(factor: number): void {
    const c = this.canvas as HTMLCanvasElement;
    this.zoomAt(factor, c.clientWidth / 2, c.clientHeight / 2);
  }

  private panBy(dxPx: number, dyPx: number): void {
    const k = this.ppu * this.view.zoom;
    this.view = { ...this.view, cx: this.view.cx - dxPx / k, cy: this.view.cy + dyPx / k };
    this.schedule();
  }

  private fit(): void {
    this.view = { cx: 0, cy: 0, zoom: 1 };
    this.schedule();
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const r = (this.canvas as HTMLCanvasElement).getBoundingClientRect();
    this.zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
  }

  private local(e: PointerEvent): [number, number] {
    const r = (this.canvas as HTMLCanvasElement).getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  private onDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    const [x, y] = this.local(e);
    try {
      (e.target as Element).setPointerCapture(e.pointerId);
    } catch {
      // A pointer the browser does not track (a synthetic event) cannot be captured; the drag still works.
    }
    const kind: Tool = e.shiftKey ? 'box' : this.tool;
    this.drag = { kind, x, y, view: this.view };
    if (kind === 'box') this.box = { x0: x, y0: y, x1: x, y1: y };
    if (kind === 'lasso') this.lasso = [x, y];
  }

  private onMove(e: PointerEvent): void {
    const [x, y] = this.local(e);
    const drag = this.drag;
    if (drag?.kind === 'pan') {
      const k = this.ppu * drag.view.zoom;
      this.view = { ...drag.view, cx: drag.view.cx - (x - drag.x) / k, cy: drag.view.cy + (y - drag.y) / k };
      this.schedule();
      return;
    }
    if (drag?.kind === 'box' && this.box) {
      this.box = { ...this.box, x1: x, y1: y };
      return;
    }
    if (drag?.kind === 'lasso' && this.lasso) {
      const l = this.lasso;
      // A vertex every 3 px is smooth enough and keeps the outline short.
      if (Math.hypot(x - (l[l.length - 2] as number), y - (l[l.length - 1] as number)) >= 3) this.lasso = [...l, x, y];
      return;
    }
    this.hoverAt(x, y);
  }

  /** Shows the face nearest canvas point (x, y) in CSS px, if one is within reach. */
  hoverAt(x: number, y: number): void {
    if (!this.index) return;
    const [mx, my] = this.toMap(x, y);
    const hit = this.index.nearest(mx, my, HOVER_PX / (this.ppu * this.view.zoom));
    if (hit !== this.hovered) {
      this.hovered = hit;
      this.schedule();
    }
  }

  private onUp(e: PointerEvent): void {
    const drag = this.drag;
    this.drag = undefined;
    if (drag?.kind === 'box' && this.box) {
      const [x, y] = this.local(e);
      this.selectBox(this.box.x0, this.box.y0, x, y);
      this.box = undefined;
    } else if (drag?.kind === 'lasso' && this.lasso) {
      const outline = [...this.lasso, ...this.local(e)];
      this.lasso = undefined;
      // A click with the lasso (no outline drawn) keeps the selection as it was.
      if (outline.length >= 6) this.selectLasso(outline);
    } else if (drag?.kind === 'pan' && Math.abs(this.local(e)[0] - drag.x) < 3 && Math.abs(this.local(e)[1] - drag.y) < 3 && this.hovered !== undefined) {
      openFace(this, this.ids[this.hovered] as string);
    }
  }

  /** Selects the faces inside the box between two canvas points (CSS px) and lists them. */
  selectBox(x0: number, y0: number, x1: number, y1: number): void {
    if (!this.index || !this.gl) return;
    const [ax, ay] = this.toMap(x0, y0);
    const [bx, by] = this.toMap(x1, y1);
    this.select(this.index.inside(ax, ay, bx, by));
  }

  /** Selects the faces inside a free-hand outline (x0, y0, x1, y1, … in canvas CSS px, closed) and lists them. */
  selectLasso(outline: readonly number[]): void {
    if (!this.index || !this.gl) return;
    const mapped: number[] = [];
    for (let k = 0; k + 1 < outline.length; k += 2) mapped.push(...this.toMap(outline[k] as number, outline[k + 1] as number));
    this.select(this.index.insidePolygon(mapped));
  }

  private select(indices: Uint32Array): void {
    this.selected = indices;
    this.listed = LISTED;
    this.refusal = undefined;
    this.gl?.setSelection(this.selected);
    this.schedule();
    const ids = Array.from(this.selected, (i) => this.ids[i] as string);
    this.dispatchEvent(new CustomEvent<MapSelectDetail>('fap-map-select', { detail: { ids }, bubbles: true, composed: true }));
  }

  private clearSelection(): void {
    this.selected = new Uint32Array(0);
    this.refusal = undefined;
    this.gl?.setSelection(this.selected);
    this.schedule();
  }

  /** Stops a box or outline being drawn, selecting nothing (Escape, or the browser taking the pointer). */
  private cancelDrag(): boolean {
    if (this.drag?.kind !== 'box' && this.drag?.kind !== 'lasso') return false;
    this.drag = undefined;
    this.box = undefined;
    this.lasso = undefined;
    return true;
  }

  /** The selected faces' ids. */
  private selectedIds(): string[] {
    return Array.from(this.selected, (i) => this.ids[i] as string);
  }

  /** The naming form was sent: name the selection now, or keep it as the first group of two. */
  private onName(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const name = (form.elements.namedItem('group-name') as HTMLInputElement).value.trim();
    const second = (e.submitter as HTMLButtonElement | null)?.name === 'name-then-compare';
    const ids = this.selectedIds();
    if (ids.length < 2) {
      this.refusal = `Select at least 2 faces to name a group; ${ids.length === 1 ? '1 is' : `${ids.length} are`} selected.`;
      return;
    }
    if (!name) {
      this.refusal = 'Type a name for these faces first.';
      return;
    }
    this.refusal = undefined;
    if (second) {
      this.pending = { name, faceIds: ids };
      this.clearSelection();
      return;
    }
    const detail: MapNameDetail = this.pending ? { group: this.pending, against: { name, faceIds: ids } } : { group: { name, faceIds: ids } };
    if (this.pending && this.pending.name === name) {
      this.refusal = `The first group is already named "${name}": give this one its own name.`;
      return;
    }
    this.pending = undefined;
    form.reset();
    this.dispatchEvent(new CustomEvent<MapNameDetail>('fap-map-name', { detail, bubbles: true, composed: true }));
  }

  private onKey(e: KeyboardEvent): void {
    const step = 60;
    const keys: Record<string, () => void> = {
      ArrowLeft: () => this.panBy(step, 0),
      ArrowRight: () => this.panBy(-step, 0),
      ArrowUp: () => this.panBy(0, step),
      ArrowDown: () => this.panBy(0, -step),
      '+': () => this.zoomCentre(1.5),
      '=': () => this.zoomCentre(1.5),
      '-': () => this.zoomCentre(1 / 1.5),
      '0': () => this.fit(),
      Escape: () => { if (!this.cancelDrag()) this.clearSelection(); },
      Enter: () => { if (this.hovered !== undefined) openFace(this, this.ids[this.hovered] as string); },
    };
    const act = keys[e.key];
    if (act) {
      e.preventDefault();
      act();
    }
  }

  private renderTip(): TemplateResult | typeof nothing {
    const i = this.hovered;
    const c = this.canvas;
    if (i === undefined || !c || this.drag) return nothing;
    const id = this.ids[i] as string;
    const [sx, sy] = this.toScreen(this.points[i * 2] as number, this.points[i * 2 + 1] as number);
    this.tipAt = { left: sx + 270 > c.clientWidth ? sx - 270 : sx + 14, top: Math.min(Math.max(0, sy - 30), HEIGHT - 70) };
    const entry = this.colouring.legend.find((l) => l.colour === this.colouring.categories[i]);
    const url = this.lookup.thumb(id);
    return html`<div class="tip">
      ${url ? html`<img src=${url} alt="">` : html`<span class="blank"></span>`}
      <span>${this.lookup.label(id)}${entry ? html`<br>${entry.label}` : nothing}</span></div>`;
  }

  private renderBox(): TemplateResult | typeof nothing {
    if (this.lasso) return html`<svg class="lasso" aria-hidden="true">${svg`<polygon points=${this.lasso.join(' ')}></polygon>`}</svg>`;
    const b = this.box;
    if (!b) return nothing;
    return html`<div class="box"></div>`;
  }

  private toolButton(tool: 'box' | 'lasso', label: string): TemplateResult {
    return html`<button type="button" name=${tool} aria-pressed=${this.tool === tool ? 'true' : 'false'}
      @click=${() => { this.tool = this.tool === tool ? 'pan' : tool; }}>${label}</button>`;
  }

  private renderNaming(): TemplateResult {
    const p = this.pending;
    const n = this.selected.length;
    const notice = this.refusal ? { state: 'error', text: this.refusal } : this.naming;
    return html`
      ${p ? html`<p>First group: <strong>${p.name}</strong> (${p.faceIds.length.toLocaleString('en')} faces). ${n ? 'Name these faces to compare them with it.' : 'Now select the faces to compare it with.'}
        <button type="button" name="drop-first" @click=${() => { this.pending = undefined; }}>Forget "${p.name}"</button></p>` : nothing}
      ${n || p ? html`<form class="name-group" @submit=${(e: SubmitEvent) => this.onName(e)} aria-label="Name the selected faces">
        <label>${p ? 'Name these faces' : 'Name this group'} <input name="group-name" maxlength="200" placeholder=${p ? 'e.g. no glasses' : 'e.g. glasses'}></label>
        <button type="submit" name="name-group" ?disabled=${this.naming?.state === 'busy'}>${p ? `Make a probe: "${p.name}" or these` : 'Make a probe against the other faces'}</button>
        ${p ? nothing : html`<button type="submit" name="name-then-compare">Name it, then select the faces to compare it with</button>`}
      </form>` : nothing}
      ${notice ? html`<p class="naming" data-state=${notice.state} role=${notice.state === 'error' ? 'alert' : 'status'}>${notice.text}</p>` : nothing}`;
  }

  private renderSelection(): TemplateResult | typeof nothing {
    const n = this.selected.length;
    if (!n && !this.pending && !this.naming && !this.refusal) return nothing;
    const shown = Math.min(n, this.listed);
    return html`<div class="selection" role="region" aria-label="Selected faces">
      ${n ? html`<p>${n.toLocaleString('en')} ${n === 1 ? 'face' : 'faces'} selected${n > shown ? `; the first ${shown.toLocaleString('en')} are shown` : ''}.
        <button type="button" name="clear" @click=${() => this.clearSelection()}>Clear selection</button></p>` : nothing}
      ${this.renderNaming()}
      ${n ? html`<div class="faces" aria-label="Open these faces">${Array.from(this.selected.subarray(0, shown), (i) => faceThumb(this, this.lookup, this.ids[i] as string, 'selected on the map'))}</div>
        ${n > shown ? html`<p><button type="button" name="more" @click=${() => { this.listed += LISTED * 4; }}>Show ${Math.min(n - shown, LISTED * 4).toLocaleString('en')} more</button></p>` : nothing}` : nothing}
    </div>`;
  }

  override render(): TemplateResult {
    if (this.failure) return html`<p class="error" role="alert">${this.failure}</p>`;
    const n = this.ids.length;
    const hovered = this.hovered === undefined ? '' : this.lookup.label(this.ids[this.hovered] as string);
    return html`
      <div class="tools" role="toolbar" aria-label="Map controls">
        <button type="button" name="zoom-in" aria-label="Zoom in" @click=${() => this.zoomCentre(1.5)}>+</button>
        <button type="button" name="zoom-out" aria-label="Zoom out" @click=${() => this.zoomCentre(1 / 1.5)}>−</button>
        <button type="button" name="fit" @click=${() => this.fit()}>Show everyone</button>
        ${this.toolButton('box', 'Select a box')}${this.toolButton('lasso', 'Draw around faces')}
        <span class="muted">${n.toLocaleString('en')} faces</span>
      </div>
      <div class="frame">
        <canvas tabindex="0" role="img" class=${this.tool === 'pan' ? '' : 'boxing'}
          aria-label=${`Map of ${n} faces: similar faces lie close together. Arrow keys pan, + and − zoom, 0 shows everyone.`}
          @pointerdown=${(e: PointerEvent) => this.onDown(e)} @pointermove=${(e: PointerEvent) => this.onMove(e)}
          @pointerup=${(e: PointerEvent) => this.onUp(e)} @pointercancel=${() => { if (!this.cancelDrag()) this.drag = undefined; }} @pointerleave=${() => { if (!this.drag) this.hovered = undefined; }}
          @keydown=${(e: KeyboardEvent) => this.onKey(e)}></canvas>
        ${this.renderTip()}${this.renderBox()}
      </div>
      <p class="help">Drag to move, scroll or use + and − to zoom; hold Shift and drag (or press "Select a box") to select faces in a box,
        or press "Draw around faces" and draw an outline around them; Escape cancels. Bright areas hold many faces.</p>
      <span class="visually-hidden" aria-live="polite">${hovered}</span>
      <ul class="legend" aria-label="Colours">
        ${this.colouring.legend.map((l) => html`<li><span class=${`swatch p${l.colour}`}></span>${l.label} (${l.count.toLocaleString('en')})</li>`)}
      </ul>
      ${this.renderSelection()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-face-map': FapFaceMap;
  }
}

/**
 * `<fap-face-map>`: every face as a point on a WebGL2 map, interactive at 100,000 points. Drag to pan; wheel,
 * the + and − buttons or the + / − keys to zoom (arrow keys pan, 0 fits the map); hovering a point shows its
 * face; Shift-drag, or "Select a box" then drag, selects the faces in a box and lists them (each opens its
 * photo). Colours come from the section (person, cluster or an attribute head) with a legend; where points
 * overlap they add up to their full colour, so dense areas are brighter. Styles are set through the CSSOM only, so it works under a
 * strict Content-Security-Policy.
 */
import { LitElement, css, html, nothing, unsafeCSS, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { customElement } from '../define.ts';
import { NO_FACES, faceThumb, openFace, type FaceLookup } from '../face-thumb.ts';
import { baseStyles } from '../styles.ts';
import { MAP_PALETTE, MAP_PALETTE_CSS, type Colouring } from './map-colours.ts';
import { PointIndex } from './point-index.ts';
import { ScatterGl, type MapView } from './scatter-gl.ts';

/** Detail of `fap-map-select`: the faces in the box (ids). */
export interface MapSelectDetail {
  ids: string[];
}

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

  /** What the view shows; the bench and tests drive it through {@link setView}. */
  @state() private view: MapView = { cx: 0, cy: 0, zoom: 1 };
  @state() private hovered: number | undefined;
  @state() private selected: Uint32Array = new Uint32Array(0);
  @state() private boxTool = false;
  @state() private box: { x0: number; y0: number; x1: number; y1: number } | undefined;
  @state() private failure: string | undefined;

  private gl: ScatterGl | undefined;
  private index: PointIndex | undefined;
  private frame = 0;
  private drag: { kind: 'pan' | 'box'; x: number; y: number; view: MapView } | undefined;
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
    this.drag = { kind: this.boxTool || e.shiftKey ? 'box' : 'pan', x, y, view: this.view };
    if (this.drag.kind === 'box') this.box = { x0: x, y0: y, x1: x, y1: y };
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
    } else if (drag?.kind === 'pan' && Math.abs(this.local(e)[0] - drag.x) < 3 && Math.abs(this.local(e)[1] - drag.y) < 3 && this.hovered !== undefined) {
      openFace(this, this.ids[this.hovered] as string);
    }
  }

  /** Selects the faces inside the box between two canvas points (CSS px) and lists them. */
  selectBox(x0: number, y0: number, x1: number, y1: number): void {
    if (!this.index || !this.gl) return;
    const [ax, ay] = this.toMap(x0, y0);
    const [bx, by] = this.toMap(x1, y1);
    this.selected = this.index.inside(ax, ay, bx, by);
    this.gl.setSelection(this.selected);
    this.schedule();
    const ids = Array.from(this.selected, (i) => this.ids[i] as string);
    this.dispatchEvent(new CustomEvent<MapSelectDetail>('fap-map-select', { detail: { ids }, bubbles: true, composed: true }));
  }

  private clearSelection(): void {
    this.selected = new Uint32Array(0);
    this.gl?.setSelection(this.selected);
    this.schedule();
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
      Escape: () => this.clearSelection(),
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
    const b = this.box;
    if (!b) return nothing;
    return html`<div class="box"></div>`;
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
        <button type="button" name="box" aria-pressed=${this.boxTool ? 'true' : 'false'} @click=${() => { this.boxTool = !this.boxTool; }}>Select a box</button>
        <span class="muted">${n.toLocaleString('en')} faces</span>
      </div>
      <div class="frame">
        <canvas tabindex="0" role="img" class=${this.boxTool ? 'boxing' : ''}
          aria-label=${`Map of ${n} faces: similar faces lie close together. Arrow keys pan, + and − zoom, 0 shows everyone.`}
          @pointerdown=${(e: PointerEvent) => this.onDown(e)} @pointermove=${(e: PointerEvent) => this.onMove(e)}
          @pointerup=${(e: PointerEvent) => this.onUp(e)} @pointerleave=${() => { if (!this.drag) this.hovered = undefined; }}
          @keydown=${(e: KeyboardEvent) => this.onKey(e)}></canvas>
        ${this.renderTip()}${this.renderBox()}
      </div>
      <p class="help">Drag to move, scroll or use + and − to zoom; hold Shift and drag (or press "Select a box") to select faces. Bright areas hold many faces.</p>
      <span class="visually-hidden" aria-live="polite">${hovered}</span>
      <ul class="legend" aria-label="Colours">
        ${this.colouring.legend.map((l) => html`<li><span class=${`swatch p${l.colour}`}></span>${l.label} (${l.count.toLocaleString('en')})</li>`)}
      </ul>
      ${this.selected.length ? html`<div class="selection" role="region" aria-label="Selected faces">
        <p>${this.selected.length.toLocaleString('en')} faces selected${this.selected.length > LISTED ? `; the first ${LISTED} are shown` : ''}.
          <button type="button" name="clear" @click=${() => this.clearSelection()}>Clear selection</button></p>
        <div class="faces">${Array.from(this.selected.subarray(0, LISTED), (i) => faceThumb(this, this.lookup, this.ids[i] as string, 'selected on the map'))}</div>
      </div>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-face-map': FapFaceMap;
  }
}

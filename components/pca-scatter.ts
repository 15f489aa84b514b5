/**
 * `<fap-pca-scatter>`: every face on the first two principal components, coloured by cluster. Hovering a
 * point, or focusing the plot and stepping with the arrow keys (left/right in x order, Home/End), shows that
 * face's thumbnail and cluster inside the plot and announces it to screen readers. Drawn as SVG with
 * attributes and classes only (no inline styles), so it works under a strict Content-Security-Policy.
 */
import { LitElement, html, svg, css, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { customElement } from './define.ts';
import type { ThumbnailLookup } from './thumbnails.ts';
import { baseStyles, colourClass, paletteStyles, percent } from './styles.ts';

const W = 480;
const H = 320;
const PAD = 14;
const TIP = 72;

/** Scatter plot of faces in PCA space. */
@customElement('fap-pca-scatter')
export class FapPcaScatter extends LitElement {
  static override styles = [baseStyles, paletteStyles, css`
    :host { display: block; }
    .plot { border: 1px solid var(--fap-border, #c9c9d1); border-radius: var(--fap-radius, 6px); background: var(--fap-bg, #fff); }
    svg { width: 100%; height: auto; display: block; }
    circle { fill: var(--c); stroke: var(--fap-bg, #fff); stroke-width: 0.8; }
    circle.active { stroke: var(--fap-fg, #1d1d1f); stroke-width: 2; }
    .tip rect { fill: var(--fap-bg, #fff); stroke: var(--fap-border, #c9c9d1); }
    .tip text { font-size: 11px; fill: var(--fap-fg, #1d1d1f); }
    .axis { font-size: 10px; fill: var(--fap-muted, #5c5c66); }
    ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 0.75em; padding: 0; margin: 0.4em 0 0; }
    ul.legend li { display: flex; align-items: center; gap: 0.3em; }
    .swatch { width: 0.8em; height: 0.8em; border-radius: 50%; background: var(--c); }
  `];

  /** Face ids in point order. */
  @property({ attribute: false }) ids: string[] = [];
  /** Cluster of each point. */
  @property({ attribute: false }) labels: Int32Array = new Int32Array(0);
  /** n × 2 coordinates, row-major. */
  @property({ attribute: false }) points: Float32Array = new Float32Array(0);
  /** Share of variance on each axis. */
  @property({ attribute: false }) explained: [number, number] = [0, 0];
  /** Cluster index → name. */
  @property({ attribute: false }) names: ReadonlyMap<number, string> = new Map();
  @property({ type: Number }) k = 0;
  @property({ attribute: false }) thumb: ThumbnailLookup = () => undefined;
  /** The point shown (index into ids), or -1. */
  @state() active = -1;

  private order: number[] = [];

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('points') || changed.has('ids')) {
      this.order = this.ids.map((_, i) => i).sort((a, b) => (this.points[2 * a] as number) - (this.points[2 * b] as number));
      if (this.active >= this.ids.length) this.active = -1;
    }
  }

  private scale(): (i: number) => [number, number] {
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < this.ids.length; i++) {
      const x = this.points[2 * i] as number;
      const y = this.points[2 * i + 1] as number;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
    const sx = x1 > x0 ? (W - 2 * PAD) / (x1 - x0) : 0;
    const sy = y1 > y0 ? (H - 2 * PAD) / (y1 - y0) : 0;
    return (i) => [
      sx ? PAD + ((this.points[2 * i] as number) - x0) * sx : W / 2,
      // SVG y grows downwards; PC2 is drawn upwards.
      sy ? H - PAD - ((this.points[2 * i + 1] as number) - y0) * sy : H / 2,
    ];
  }

  private describe(i: number): string {
    const label = this.labels[i] as number;
    const name = this.names.get(label);
    return `Face ${i + 1} of ${this.ids.length}: cluster ${label + 1}${name ? ` (${name})` : ''}`;
  }

  override render() {
    if (this.ids.length === 0) return html`<p class="muted">No faces to plot yet.</p>`;
    const at = this.scale();
    const active = this.active;
    return html`
      <div class="plot" tabindex="0" role="group"
        aria-label="Faces on the first two principal components (${percent(this.explained[0])} and ${percent(this.explained[1])} of the variance). Use the arrow keys to step through the faces."
        @keydown=${this.onKey} @pointerover=${this.onPointer} @pointerleave=${() => { this.active = -1; }}>
        <svg viewBox="0 0 ${W} ${H}" aria-hidden="true">
          <text class="axis" x=${W - PAD} y=${H - 3} text-anchor="end">PC1 (${percent(this.explained[0])})</text>
          <text class="axis" x="3" y="10">PC2 (${percent(this.explained[1])})</text>
          ${this.ids.map((_, i) => {
            const [x, y] = at(i);
            return svg`<circle class="${colourClass(this.labels[i] as number)} ${i === active ? 'active' : ''}" data-i=${i}
              cx=${x.toFixed(1)} cy=${y.toFixed(1)} r=${i === active ? 6 : 4}></circle>`;
          })}
          ${active >= 0 ? this.tooltip(active, at(active)) : nothing}
        </svg>
      </div>
      <div class="visually-hidden" aria-live="polite">${active >= 0 ? this.describe(active) : ''}</div>
      <ul class="legend" aria-label="Clusters">
        ${Array.from({ length: this.k }, (_, c) => html`<li class=${colourClass(c)}><span class="swatch"></span>
          Cluster ${c + 1}${this.names.get(c) ? ` — ${this.names.get(c)}` : ''}</li>`)}
      </ul>`;
  }

  private tooltip(i: number, [x, y]: [number, number]) {
    const url = this.thumb(this.ids[i] as string);
    const left = Math.min(Math.max(0, x + 8), W - TIP - 4);
    const top = Math.min(Math.max(0, y - TIP - 24), H - TIP - 20);
    const label = this.labels[i] as number;
    return svg`<g class="tip" transform="translate(${left.toFixed(1)} ${top.toFixed(1)})">
      <rect width=${TIP + 8} height=${TIP + 24} rx="4"></rect>
      ${url ? svg`<image href=${url} x="4" y="4" width=${TIP} height=${TIP}></image>` : nothing}
      <text x="4" y=${TIP + 18}>Cluster ${label + 1}${this.names.get(label) ? `: ${this.names.get(label)}` : ''}</text>
    </g>`;
  }

  private onPointer(event: PointerEvent): void {
    const target = event.target as Element;
    const i = Number(target.getAttribute?.('data-i') ?? NaN);
    if (Number.isInteger(i)) this.active = i;
  }

  private onKey(event: KeyboardEvent): void {
    const n = this.order.length;
    if (n === 0) return;
    const position = this.active >= 0 ? this.order.indexOf(this.active) : -1;
    let next: number | undefined;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = position < 0 ? 0 : Math.min(n - 1, position + 1);
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = position < 0 ? n - 1 : Math.max(0, position - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = n - 1;
    else if (event.key === 'Escape') this.active = -1;
    if (next === undefined) return;
    event.preventDefault();
    this.active = this.order[next] as number;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-pca-scatter': FapPcaScatter;
  }
}

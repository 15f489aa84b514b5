/**
 * `<fap-pca-scatter>`: every face on the first two principal components, each cluster (or, with `categories`,
 * each category: a split's side, a person, an attribute head's answer) with its own colour (colour-blind-safe)
 * and its own shape. Hovering a point, or focusing the plot and stepping with the arrow
 * keys (left/right in x order, Home/End), shows that face's thumbnail, photo name and cluster and announces
 * it to screen readers; a click or Enter opens the face with its photo. Axis titles are HTML text (12 px or
 * more at any width). Drawn as SVG with attributes and classes only (no inline styles), so it works under a
 * strict Content-Security-Policy.
 */
import { LitElement, html, svg, css, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { customElement } from './define.ts';
import { NO_FACES, openFace, type FaceLookup } from './face-thumb.ts';
import { baseStyles, colourClass, paletteStyles, percent } from './styles.ts';

const W = 480;
const H = 320;
const PAD = 14;
const TIP = 72;

/** The shapes clusters are drawn with, in turn: circle, square, triangle, diamond, triangle down, cross. */
const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'down', 'cross'] as const;

/** Cluster `c`'s marker of radius `r` at (x, y). */
function marker(c: number, x: number, y: number, r: number, cls: string, i?: number) {
  const shape = SHAPES[((c % SHAPES.length) + SHAPES.length) % SHAPES.length];
  const p = (pts: number[][]) => pts.map(([dx, dy]) => `${(x + (dx as number) * r).toFixed(1)},${(y + (dy as number) * r).toFixed(1)}`).join(' ');
  switch (shape) {
    case 'square': return svg`<rect class=${cls} data-i=${i ?? nothing} x=${(x - r * 0.85).toFixed(1)} y=${(y - r * 0.85).toFixed(1)} width=${(1.7 * r).toFixed(1)} height=${(1.7 * r).toFixed(1)}></rect>`;
    case 'triangle': return svg`<polygon class=${cls} data-i=${i ?? nothing} points=${p([[0, -1.1], [1, 0.8], [-1, 0.8]])}></polygon>`;
    case 'diamond': return svg`<polygon class=${cls} data-i=${i ?? nothing} points=${p([[0, -1.2], [1.1, 0], [0, 1.2], [-1.1, 0]])}></polygon>`;
    case 'down': return svg`<polygon class=${cls} data-i=${i ?? nothing} points=${p([[0, 1.1], [1, -0.8], [-1, -0.8]])}></polygon>`;
    case 'cross': return svg`<polygon class=${cls} data-i=${i ?? nothing} points=${p([[-0.35, -1], [0.35, -1], [0.35, -0.35], [1, -0.35], [1, 0.35], [0.35, 0.35], [0.35, 1], [-0.35, 1], [-0.35, 0.35], [-1, 0.35], [-1, -0.35], [-0.35, -0.35]])}></polygon>`;
    default: return svg`<circle class=${cls} data-i=${i ?? nothing} cx=${x.toFixed(1)} cy=${y.toFixed(1)} r=${r}></circle>`;
  }
}

/** Scatter plot of faces in PCA space. */
@customElement('fap-pca-scatter')
export class FapPcaScatter extends LitElement {
  static override styles = [baseStyles, paletteStyles, css`
    :host { display: block; }
    .plot { border: 1px solid var(--fap-border, #c9c9d1); border-radius: var(--fap-radius, 6px); background: var(--fap-bg, #fff); }
    svg { width: 100%; height: auto; display: block; }
    .point { fill: var(--c); stroke: var(--fap-bg, #fff); stroke-width: 0.8; cursor: zoom-in; }
    .point.active { stroke: var(--fap-fg, #1d1d1f); stroke-width: 2; }
    .tip rect { fill: var(--fap-bg, #fff); stroke: var(--fap-border, #c9c9d1); }
    .tip text { font-size: 11px; fill: var(--fap-fg, #1d1d1f); }
    .axes { display: flex; justify-content: space-between; font-size: max(12px, 0.8em); color: var(--fap-muted, #5c5c66); }
    ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 0.75em; padding: 0; margin: 0.4em 0 0; }
    ul.legend li { display: flex; align-items: center; gap: 0.3em; }
    .swatch { width: 1em; height: 1em; fill: var(--c); }
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
  /** When given, points are coloured by these categories (labels index into it) instead of clusters. */
  @property({ attribute: false }) categories: readonly string[] | undefined;
  /** What the colours show, for the legend's label (with categories). */
  @property() colouredBy = 'Clusters';
  /** Thumbnails and labels of the faces. */
  @property({ attribute: false }) lookup: FaceLookup = NO_FACES;
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

  /** A point's colour in words: its category, or its cluster and that cluster's name. */
  private groupOf(label: number): string {
    if (this.categories) return this.categories[label] ?? '';
    const name = this.names.get(label);
    return `cluster ${label + 1}${name ? ` (${name})` : ''}`;
  }

  private describe(i: number): string {
    return `${this.lookup.label(this.ids[i] as string)}: ${this.groupOf(this.labels[i] as number)}. Press Enter to open it.`;
  }

  override render() {
    if (this.ids.length === 0) return html`<p class="muted">No faces to plot yet.</p>`;
    const at = this.scale();
    const active = this.active;
    return html`
      <div class="plot" tabindex="0" role="group"
        aria-label="Faces on the first two principal components (${percent(this.explained[0])} and ${percent(this.explained[1])} of the variance). Use the arrow keys to step through the faces."
        @keydown=${this.onKey} @pointerover=${this.onPointer} @pointerleave=${() => { this.active = -1; }} @click=${this.onClick}>
        <svg viewBox="0 0 ${W} ${H}" aria-hidden="true">
          ${this.ids.map((_, i) => {
            const [x, y] = at(i);
            return marker(this.labels[i] as number, x, y, i === active ? 7 : 5, `point ${colourClass(this.labels[i] as number)} ${i === active ? 'active' : ''}`, i);
          })}
          ${active >= 0 ? this.tooltip(active, at(active)) : nothing}
        </svg>
      </div>
      <div class="axes" aria-hidden="true"><span>↑ PC2: ${percent(this.explained[1])} of the variance</span>
        <span>PC1: ${percent(this.explained[0])} of the variance →</span></div>
      <div class="visually-hidden" aria-live="polite">${active >= 0 ? this.describe(active) : ''}</div>
      <ul class="legend" aria-label=${this.categories ? this.colouredBy : 'Clusters'}>
        ${Array.from({ length: this.categories?.length ?? this.k }, (_, c) => html`<li class=${colourClass(c)}><svg class="swatch" viewBox="-6 -6 12 12" aria-hidden="true">${marker(c, 0, 0, 5, '')}</svg>
          ${this.categories ? this.categories[c] : html`Cluster ${c + 1}${this.names.get(c) ? ` — ${this.names.get(c)}` : ''}`}</li>`)}
      </ul>`;
  }

  private tooltip(i: number, [x, y]: [number, number]) {
    const url = this.lookup.thumb(this.ids[i] as string);
    const left = Math.min(Math.max(0, x + 8), W - TIP - 4);
    const top = Math.min(Math.max(0, y - TIP - 24), H - TIP - 20);
    const label = this.labels[i] as number;
    return svg`<g class="tip" transform="translate(${left.toFixed(1)} ${top.toFixed(1)})">
      <rect width=${TIP + 8} height=${TIP + 24} rx="4"></rect>
      ${url ? svg`<image href=${url} x="4" y="4" width=${TIP} height=${TIP}></image>` : nothing}
      <text x="4" y=${TIP + 18}>${this.categories ? this.categories[label] : `Cluster ${label + 1}${this.names.get(label) ? `: ${this.names.get(label)}` : ''}`}</text>
    </g>`;
  }

  private onClick(event: MouseEvent): void {
    const i = Number((event.target as Element).getAttribute?.('data-i') ?? NaN);
    if (Number.isInteger(i) && i >= 0 && i < this.ids.length) openFace(this, this.ids[i] as string);
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
    else if (event.key === 'Enter' && this.active >= 0) openFace(this, this.ids[this.active] as string);
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

/**
 * `<fap-split-half-curve>`: how much of a split the strongest m numbers of the embedding recover on their own
 * (PROTOCOL.md's split-half curve): numbers ranked on one half of the faces, two-way clustering of the other
 * half with only the top m, for m = 1, 2, 4 … d; beside it the same with the numbers ranked on shuffled sides
 * (what ranking alone gives). Axis titles in words, 12 px or more; the numbers are also in a visually hidden
 * table for screen readers.
 */
import { LitElement, css, html, nothing, svg } from 'lit';
import { property } from 'lit/decorators.js';
import { customElement } from './define.ts';
import { baseStyles, chartStyles, percent } from './styles.ts';

/** The split-half curve of a chosen split. */
@customElement('fap-split-half-curve')
export class FapSplitHalfCurve extends LitElement {
  static override styles = [baseStyles, chartStyles, css`
    .axes { display: flex; flex-direction: column; gap: 0.1em; margin: 0.2em 0 0; font-size: max(12px, 0.8em); color: var(--fap-muted, #5c5c66); }
    .axes span:last-child { align-self: flex-end; }
    .shuffled { fill: none; stroke: var(--fap-muted, #5c5c66); stroke-width: 1.5; stroke-dasharray: 4 3; }
  `];

  /** m → share of the other half's faces put on their own side, numbers ranked on the true sides. */
  @property({ attribute: false }) topM: Record<string, number> = {};
  /** The same with the numbers ranked on shuffled sides. */
  @property({ attribute: false }) shuffled: Record<string, number> = {};

  override render() {
    const ms = Object.keys(this.topM).map(Number).filter((m) => m >= 1).sort((a, b) => a - b);
    if (ms.length < 2) return nothing;
    const W = 300, H = 130, L = 30, B = 18, T = 8, R = 8;
    const lo = Math.log2(ms[0] as number), hi = Math.log2(ms.at(-1) as number);
    const x = (m: number) => L + ((Math.log2(m) - lo) / Math.max(1e-9, hi - lo)) * (W - L - R);
    const y = (v: number) => T + (1 - (v - 0.5) / 0.5) * (H - T - B);
    const line = (values: Record<string, number>) => ms.map((m) => `${x(m).toFixed(1)},${y(Math.max(0.5, values[String(m)] ?? 0.5)).toFixed(1)}`).join(' ');
    return html`
      <svg viewBox="0 0 ${W} ${H}" role="img" aria-label="How much of the split the strongest numbers recover on their own, from 1 to ${ms.at(-1)} numbers">
        <line class="grid" x1=${L} x2=${W - R} y1=${y(0.5)} y2=${y(0.5)}></line>
        <line class="grid" x1=${L} x2=${W - R} y1=${y(1)} y2=${y(1)}></line>
        <text class="axis" x="2" y=${y(1) + 4}>100 %</text>
        <text class="axis" x="2" y=${y(0.5)}>50 %</text>
        <polyline class="shuffled" points=${line(this.shuffled)}></polyline>
        <polyline class="line" points=${line(this.topM)}></polyline>
        ${ms.map((m) => svg`<text class="axis" x=${x(m)} y=${H - 4} text-anchor="middle">${m}</text>`)}
      </svg>
      <p class="axes" aria-hidden="true"><span>↑ faces of the other half put back on their own side (50 % is a coin toss)</span>
        <span>how many of the strongest numbers are kept (solid: ranked on the sides; dashed: ranked on shuffled sides) →</span></p>
      <table class="visually-hidden">
        <caption>Faces put back on their own side, by how many numbers are kept</caption>
        <tr><th>numbers kept</th><th>ranked on the sides</th><th>ranked on shuffled sides</th></tr>
        ${ms.map((m) => html`<tr><td>${m}</td><td>${percent(this.topM[String(m)] ?? Number.NaN)}</td><td>${percent(this.shuffled[String(m)] ?? Number.NaN)}</td></tr>`)}
      </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-split-half-curve': FapSplitHalfCurve;
  }
}

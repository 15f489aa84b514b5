/**
 * `<fap-fisher-chart>`: the embedding dimensions that best separate the named groups, by Fisher score, as
 * horizontal bars; the numbers are also in a visually hidden table for screen readers.
 */
import { LitElement, html, svg, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { customElement } from './define.ts';
import { baseStyles, chartStyles } from './styles.ts';

/** Fisher scores of the best-separating dimensions, as horizontal bars. */
@customElement('fap-fisher-chart')
export class FapFisherChart extends LitElement {
  static override styles = [baseStyles, chartStyles];

  /** Fisher score per dimension (may contain +Infinity for a dimension with no within-group spread). */
  @property({ attribute: false }) scores: Float64Array = new Float64Array(0);
  /** Dimensions by decreasing score. */
  @property({ attribute: false }) ranking: number[] = [];
  /** Bars shown. */
  @property({ type: Number }) top = 16;

  override render() {
    const dims = this.ranking.slice(0, this.top);
    if (dims.length === 0) return nothing;
    const finite = dims.map((j) => this.scores[j] as number).filter(Number.isFinite);
    const max = Math.max(1e-12, ...finite);
    const W = 320, row = 14, L = 52, R = 44;
    const H = dims.length * row + 4;
    const width = (v: number) => (Number.isFinite(v) ? (v / max) * (W - L - R) : W - L - R);
    const label = (v: number) => (Number.isFinite(v) ? v.toPrecision(3) : '∞');
    return html`
      <svg viewBox="0 0 ${W} ${H}" role="img"
        aria-label="Fisher score of the ${dims.length} embedding dimensions that best separate the named groups">
        ${dims.map((j, r) => {
          const v = this.scores[j] as number;
          const yy = 2 + r * row;
          return svg`<text class="axis" x=${L - 4} y=${yy + 10} text-anchor="end">dim ${j}</text>
            <rect class="bar" x=${L} y=${yy + 1} height=${row - 3} width=${Math.max(1, width(v)).toFixed(1)}></rect>
            <text class="axis" x=${L + width(v) + 3} y=${yy + 10}>${label(v)}</text>`;
        })}
      </svg>
      <table class="visually-hidden">
        <caption>Fisher score by dimension</caption>
        <tr><th>dimension</th><th>score</th></tr>
        ${dims.map((j) => html`<tr><td>${j}</td><td>${label(this.scores[j] as number)}</td></tr>`)}
      </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-fisher-chart': FapFisherChart;
  }
}

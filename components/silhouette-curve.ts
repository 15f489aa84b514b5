/**
 * `<fap-silhouette-curve>`: mean silhouette against k for an automatic choice of k, the chosen k marked, with
 * axis titles in words (12 px or more); the numbers are also in a visually hidden table for screen readers.
 */
import { LitElement, css, html, svg, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { customElement } from './define.ts';
import { baseStyles, chartStyles } from './styles.ts';

/** The silhouette curve of an automatic choice of k. */
@customElement('fap-silhouette-curve')
export class FapSilhouetteCurve extends LitElement {
  static override styles = [baseStyles, chartStyles, css`
    .axes { display: flex; flex-direction: column; gap: 0.1em; margin: 0.2em 0 0; font-size: max(12px, 0.8em); color: var(--fap-muted, #5c5c66); }
    .axes span:last-child { align-self: flex-end; }
  `];

  @property({ attribute: false }) curve: { k: number; silhouette: number }[] = [];
  /** The k that was chosen. */
  @property({ type: Number }) chosen = 0;

  override render() {
    if (this.curve.length === 0) return nothing;
    const W = 240, H = 120, L = 30, B = 18, T = 8, R = 8;
    const ks = this.curve.map((p) => p.k);
    const values = this.curve.map((p) => p.silhouette);
    const kMin = Math.min(...ks), kMax = Math.max(...ks);
    const vMin = Math.min(0, ...values), vMax = Math.max(...values, vMin + 1e-6);
    const x = (k: number) => (kMax > kMin ? L + ((k - kMin) / (kMax - kMin)) * (W - L - R) : (L + W - R) / 2);
    const y = (v: number) => T + (1 - (v - vMin) / (vMax - vMin)) * (H - T - B);
    const path = this.curve.map((p) => `${x(p.k).toFixed(1)},${y(p.silhouette).toFixed(1)}`).join(' ');
    return html`
      <svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Silhouette by number of clusters; k = ${this.chosen} chosen">
        <line class="grid" x1=${L} x2=${W - R} y1=${y(0)} y2=${y(0)}></line>
        <text class="axis" x="2" y=${y(vMax) + 4}>${vMax.toFixed(2)}</text>
        <text class="axis" x="2" y=${y(vMin)}>${vMin.toFixed(2)}</text>
        <polyline class="line" points=${path}></polyline>
        ${this.curve.map((p) => svg`<circle class=${p.k === this.chosen ? 'chosen' : 'dot'} cx=${x(p.k)} cy=${y(p.silhouette)}
          r=${p.k === this.chosen ? 5 : 3}></circle>
          <text class="axis" x=${x(p.k)} y=${H - 4} text-anchor="middle">${p.k}</text>`)}
      </svg>
      <p class="axes" aria-hidden="true"><span>↑ how well the faces sit in their own cluster (silhouette, −1 to 1)</span>
        <span>number of clusters (k) →</span></p>
      <table class="visually-hidden">
        <caption>Silhouette by k</caption>
        <tr><th>k</th><th>silhouette</th></tr>
        ${this.curve.map((p) => html`<tr><td>${p.k}${p.k === this.chosen ? ' (chosen)' : ''}</td><td>${p.silhouette.toFixed(3)}</td></tr>`)}
      </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-silhouette-curve': FapSilhouetteCurve;
  }
}

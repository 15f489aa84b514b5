/**
 * `<fap-fisher-chart>`: the embedding's numbers (dimensions) that best separate two sides or named groups, by
 * Fisher score, as horizontal bars with axis titles in words; each bar is labelled "number j of d" and, where
 * given, with what that number goes with (e.g. "rises with head turn"), so a bare index is never the only
 * label. The numbers are also in a visually hidden table for screen readers. SVG with attributes only (no
 * inline styles), so it works under a strict Content-Security-Policy.
 */
import { LitElement, html, svg, css, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { customElement } from './define.ts';
import { baseStyles, chartStyles } from './styles.ts';

/** Fisher scores of the best-separating dimensions, as horizontal bars. */
@customElement('fap-fisher-chart')
export class FapFisherChart extends LitElement {
  static override styles = [baseStyles, chartStyles, css`
    .title { font-size: max(12px, 0.85em); margin: 0 0 0.25em; }
    .axis-note { font-size: max(12px, 0.8em); color: var(--fap-muted, #5c5c66); margin: 0.25em 0 0; }
  `];

  /** Fisher score per dimension (may contain +Infinity for a dimension with no within-group spread). */
  @property({ attribute: false }) scores: Float64Array = new Float64Array(0);
  /** Dimensions by decreasing score. */
  @property({ attribute: false }) ranking: number[] = [];
  /** Bars shown. */
  @property({ type: Number }) top = 16;
  /** What is separated, in words, for the titles: 'the two sides', 'the named groups'. */
  @property() separates = 'the named groups';
  /** Per dimension, what it goes with in words (or null): shown beside its number. */
  @property({ attribute: false }) notes: ReadonlyMap<number, string | null> = new Map();

  override render() {
    const dims = this.ranking.slice(0, this.top);
    if (dims.length === 0) return nothing;
    const d = this.scores.length;
    const finite = dims.map((j) => this.scores[j] as number).filter(Number.isFinite);
    const max = Math.max(1e-12, ...finite);
    const W = 480, row = 30, L = 4, R = 56;
    const H = dims.length * row + 4;
    const width = (v: number) => (Number.isFinite(v) ? (v / max) * (W - L - R) : W - L - R);
    const value = (v: number) => (Number.isFinite(v) ? v.toPrecision(3) : '∞');
    const name = (j: number) => {
      const note = this.notes.get(j);
      return `number ${j + 1} of ${d}${note ? ` · ${note}` : this.notes.size ? ' · goes with nothing measured' : ''}`;
    };
    return html`
      <p class="title">How strongly each of the ${d} numbers of the embedding separates ${this.separates} (the ${dims.length} strongest)</p>
      <svg viewBox="0 0 ${W} ${H}" role="img"
        aria-label="How strongly each of the ${dims.length} strongest numbers of the embedding separates ${this.separates}">
        ${dims.map((j, r) => {
          const v = this.scores[j] as number;
          const yy = 2 + r * row;
          return svg`<text class="axis" x=${L} y=${yy + 10}>${name(j)}</text>
            <rect class="bar" x=${L} y=${yy + 14} height="11" width=${Math.max(1, width(v)).toFixed(1)}></rect>
            <text class="axis" x=${L + width(v) + 4} y=${yy + 24}>${value(v)}</text>`;
        })}
      </svg>
      <p class="axis-note">Bar length: the spread between ${this.separates} divided by the spread within each (Fisher score);
        0 means the number does not tell them apart.</p>
      <table class="visually-hidden">
        <caption>Fisher score by number of the embedding</caption>
        <tr><th>number</th><th>score</th></tr>
        ${dims.map((j) => html`<tr><td>${name(j)}</td><td>${value(this.scores[j] as number)}</td></tr>`)}
      </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fap-fisher-chart': FapFisherChart;
  }
}

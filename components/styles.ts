/**
 * Shared styles. Theming goes through custom properties set on `<face-attribute-probe>` (they inherit into
 * every shadow root); each has a default here, so the element looks right with none set.
 */
import { css } from 'lit';

/** Number of distinct cluster colours; cluster i uses colour i mod this. */
export const PALETTE_SIZE = 10;

/** Base styles every part of the element uses: buttons, inputs, focus rings, the visually-hidden helper. */
export const baseStyles = css`
  :host {
    font-family: var(--fap-font, system-ui, sans-serif);
    color: var(--fap-fg, #1d1d1f);
    box-sizing: border-box;
  }
  *, *::before, *::after { box-sizing: inherit; }
  button, select, input { font: inherit; color: inherit; }
  button {
    background: var(--fap-surface, #f3f3f5);
    border: 1px solid var(--fap-border, #c9c9d1);
    border-radius: var(--fap-radius, 6px);
    padding: 0.3em 0.8em;
    cursor: pointer;
  }
  button.primary { background: var(--fap-accent, #2255cc); color: var(--fap-accent-fg, #fff); border-color: transparent; }
  button.danger { background: var(--fap-danger, #b3261e); color: #fff; border-color: transparent; }
  button:disabled { opacity: 0.5; cursor: default; }
  input[type='text'], input[type='number'], select {
    background: var(--fap-bg, #fff);
    border: 1px solid var(--fap-border, #c9c9d1);
    border-radius: var(--fap-radius, 6px);
    padding: 0.25em 0.5em;
  }
  :focus-visible { outline: 2px solid var(--fap-accent, #2255cc); outline-offset: 2px; }
  .muted { color: var(--fap-muted, #5c5c66); }
  .visually-hidden {
    position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
    overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
  }
  img.thumb, span.thumb {
    width: var(--fap-thumb-size, 56px); height: var(--fap-thumb-size, 56px);
    border-radius: calc(var(--fap-radius, 6px) / 2); object-fit: cover; display: block;
    background: var(--fap-surface, #f3f3f5);
  }
  button.face { padding: 0; border: 2px solid transparent; background: none; border-radius: var(--fap-radius, 6px); cursor: zoom-in; }
  button.face:hover { border-color: var(--fap-accent, #2255cc); }
`;

/**
 * Cluster colours for SVG fills and swatches: classes c0 … c9. The first eight are Okabe and Ito's
 * colour-blind-safe palette; charts also draw each cluster with its own shape, so no one has to tell
 * clusters apart by colour alone.
 */
export const paletteStyles = css`
  .c0 { --c: var(--fap-cluster-0, #0072b2); }
  .c1 { --c: var(--fap-cluster-1, #e69f00); }
  .c2 { --c: var(--fap-cluster-2, #009e73); }
  .c3 { --c: var(--fap-cluster-3, #cc79a7); }
  .c4 { --c: var(--fap-cluster-4, #56b4e9); }
  .c5 { --c: var(--fap-cluster-5, #d55e00); }
  .c6 { --c: var(--fap-cluster-6, #f0e442); }
  .c7 { --c: var(--fap-cluster-7, #000000); }
  .c8 { --c: var(--fap-cluster-8, #999999); }
  .c9 { --c: var(--fap-cluster-9, #882255); }
`;

/** The palette class of cluster `i`. */
export function colourClass(i: number): string {
  return `c${((i % PALETTE_SIZE) + PALETTE_SIZE) % PALETTE_SIZE}`;
}

/** A number as a percentage with one decimal, e.g. 0.873 → '87.3 %'. */
export function percent(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

/** Bytes in a human unit (binary prefixes), e.g. 15728640 → '15.0 MiB'. */
export function bytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return 'unknown';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** Axes, lines and bars of the small SVG charts. */
export const chartStyles = css`
  :host { display: block; }
  svg { width: 100%; height: auto; display: block; }
  .axis { font-size: 10px; fill: var(--fap-muted, #5c5c66); }
  .line { fill: none; stroke: var(--fap-accent, #2255cc); stroke-width: 2; }
  .dot { fill: var(--fap-accent, #2255cc); }
  .chosen { fill: var(--fap-danger, #b3261e); }
  .bar { fill: var(--fap-accent, #2255cc); }
  .grid { stroke: var(--fap-border, #c9c9d1); stroke-width: 0.5; }
  caption { text-align: left; }
`;

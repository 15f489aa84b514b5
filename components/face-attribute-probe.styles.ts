/**
 * The styles of `<face-attribute-probe>` itself (its parts have their own): layout of the sections, the
 * error and notice lines, the clustering controls and the figures.
 */
import { css } from 'lit';
import { baseStyles } from './styles.ts';

/** The element's stylesheet, after the shared base styles. */
export const faceAttributeProbeStyles = [baseStyles, css`
    :host { display: block; background: var(--fap-surface, #f3f3f5); padding: var(--fap-gap, 1em); border-radius: var(--fap-radius, 6px); }
    :host([hidden]) { display: none; }
    section, header { margin-bottom: var(--fap-gap, 1em); }
    section { background: var(--fap-bg, #fff); border-radius: var(--fap-radius, 6px); padding: 0.75em; }
    h2 { font-size: 1.1em; margin: 0 0 0.5em; }
    header { display: flex; flex-wrap: wrap; gap: 0.75em; align-items: center; justify-content: space-between; }
    .download { display: flex; flex-wrap: wrap; gap: 0.5em 0.75em; align-items: center; width: 100%; }
    .download progress { flex: 1 1 12em; height: 1em; accent-color: var(--fap-accent, #2255cc); }
    footer { font-size: 0.85em; color: var(--fap-muted, #5c5c66); }
    footer summary { cursor: pointer; }
    footer p { margin: 0.4em 0; }
    .error { border: 1px solid var(--fap-danger, #b3261e); color: var(--fap-danger, #b3261e); background: var(--fap-bg, #fff);
      border-radius: var(--fap-radius, 6px); padding: 0.5em 0.75em; margin-bottom: var(--fap-gap, 1em); display: flex; gap: 0.75em; align-items: center; }
    .error p { margin: 0; flex: 1; }
    .notice { margin: 0.5em 0 0; }
    form.controls { display: flex; flex-wrap: wrap; gap: 0.75em; align-items: end; margin-bottom: 0.75em; }
    form.controls label { display: flex; flex-direction: column; gap: 0.2em; font-size: 0.9em; }
    input[name='k'] { width: 6em; }
    .galleries { display: grid; gap: 0.75em; grid-template-columns: repeat(auto-fill, minmax(min(100%, 22em), 1fr)); }
    figure { margin: 0.75em 0 0; }
    figcaption { font-size: 0.9em; color: var(--fap-muted, #5c5c66); }
    .views { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
    .views figure { flex: 1 1 18em; max-width: 34em; }
    .views figure.curve { flex: 0 1 16em; }
    section[part='named'] figure { max-width: 34em; }
    dl.figures { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; margin: 0 0 0.75em; }
    dt { font-weight: 600; }
    section[part='discovery'] h3 { font-size: 1em; margin: 0.75em 0 0.25em; }
    ol.splits { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.75em; }
    li.split { border: 1px solid var(--fap-border, #c9c9d1); border-radius: var(--fap-radius, 6px); padding: 0.5em 0.75em; }
    li.split p { margin: 0 0 0.3em; }
    .strips { display: flex; flex-wrap: wrap; gap: 1em; }
    .strip ul { list-style: none; display: flex; gap: 0.25em; padding: 0; margin: 0.2em 0 0; }
    .split-detail { display: grid; gap: 0.75em; margin-top: 0.5em; }
    .split-detail .sides { display: flex; flex-wrap: wrap; gap: 1em; }
    .split-detail .side { flex: 1 1 16em; }
    .split-detail h4 { font-size: 0.95em; margin: 0 0 0.25em; }
    .split-detail .side ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25em; padding: 0; margin: 0; }
    .split-detail figure { margin: 0; max-width: 36em; }
    .split-detail .split-curve { max-width: 26em; }
    form.name-split { display: flex; flex-wrap: wrap; gap: 0.5em; align-items: center; margin: 0.3em 0; }
    details.too-few summary { cursor: pointer; margin: 0.75em 0 0.25em; }
    dd { margin: 0; }
  `];

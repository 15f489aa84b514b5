/**
 * The `*_discovered` part of `reproduce --report`: per experiment, its scores beside chance and the goal,
 * the probe's reliability, and the ranked splits, each with its description, stability, accuracy against
 * every label column, and the strips of the top three splits (the faces furthest along each side).
 */
import type { FaceResult } from '../embedding/types.ts';
import { thumbnail } from './report.ts';
import type { DiscoveredExperimentResult } from './reproduce-discovered.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)} %`);
const STRIPS_SHOWN = 3;

async function strip(dataDir: string, images: readonly string[], faces: Map<string, FaceResult>): Promise<string> {
  const pictures = await Promise.all(images.map(async (imagePath) => {
    const face = faces.get(imagePath);
    const src = face ? await thumbnail(dataDir, { imagePath, face }) : '';
    return `<img src="${src}" width="64" height="64" alt="${esc(imagePath)}" title="${esc(imagePath)}">`;
  }));
  return pictures.join('');
}

/** The HTML of the discovered experiments (empty when there are none). */
export async function discoveredReportSection(dataDir: string, results: readonly DiscoveredExperimentResult[], faces: Map<string, FaceResult>): Promise<string> {
  if (!results.length) return '';
  const rows = results.map((r) => `<tr><th><a href="#${esc(r.name)}">${esc(r.name)}</a></th><td>${esc(r.view)}</td><td>${pct(r.accuracy_top1)} ± ${pct(r.accuracy_top1_std)}</td><td>${pct(r.chance_top1)}</td><td>${pct(r.accuracy_top3)} ± ${pct(r.accuracy_top3_std)}</td><td>${pct(r.chance_top3)}</td><td>${pct(r.goal)}</td><td>${pct(r.probe?.accuracy)} (ECE ${r.probe ? r.probe.ece.toFixed(3) : '—'})</td><td>${pct(r.coverage)}</td></tr>`);
  const sections: string[] = [];
  for (const r of results) {
    const labels = Object.keys(r.splits[0]?.accuracy ?? {});
    const splitRows: string[] = [];
    for (const split of r.splits) {
      const strips = split.rank <= STRIPS_SHOWN
        ? `<div>side 1: ${await strip(dataDir, split.strips[0], faces)}</div><div>side 2: ${await strip(dataDir, split.strips[1], faces)}</div>`
        : '';
      splitRows.push(`<tr><td>${split.rank}</td><td style="text-align:left">${esc(split.description)}${strips}</td><td>${split.stability.toFixed(2)}</td><td>${split.sizes[0]} / ${split.sizes[1]}</td>${labels.map((l) => `<td>${pct(split.accuracy[l])}</td>`).join('')}</tr>`);
    }
    const bins = (r.probe?.bins ?? []).filter((b) => b.count > 0).map((b) => `${(b.from * 100).toFixed(0)}–${(b.to * 100).toFixed(0)} %: ${b.count} faces, right ${pct(b.accuracy)}`).join('; ');
    sections.push(`<h2 id="${esc(r.name)}">${esc(r.name)}</h2><p>${esc(r.view)} view, ${r.points} points, ${r.people} people; scored on "${esc(r.target)}" (${r.labelled_faces} labelled faces, ${r.n_per_class} per class in each balanced sample). Top split ${pct(r.accuracy_top1)} (chance ${pct(r.chance_top1)}); best of the top three ${pct(r.accuracy_top3)} (chance ${pct(r.chance_top3)}).</p>` +
      `<p>Calibrated probe on held-out people: right ${pct(r.probe?.accuracy)}, calibration error (ECE) ${r.probe ? r.probe.ece.toFixed(3) : '—'}. Faces by stated confidence: ${esc(bins)}.${r.probe?.warnings.length ? ` ${esc(r.probe.warnings.join(' '))}` : ''}</p>` +
      `<table><thead><tr><th>rank</th><th>description (the faces furthest along each side below)</th><th>stability</th><th>sizes</th>${labels.map((l) => `<th>${esc(l)}</th>`).join('')}</tr></thead><tbody>${splitRows.join('')}</tbody></table>`);
  }
  return `<h1>What the embedding separates, scored on labels it never saw</h1><p>Splits are found without labels (identity held constant: within people, each face minus its person's mean; across people, one point per person), ranked by stability (agreement across seeds and bootstrap resamples, adjusted Rand index: 1 = always the same split) and balance, then scored: top-1 is the split shown first, top-3 the best of the first three, on class-balanced samples of seeds 0–9; chance is the same on shuffled labels. Label columns show each split's balanced accuracy.</p><table><thead><tr><th>experiment</th><th>view</th><th>top-1</th><th>chance</th><th>top-3</th><th>chance</th><th>goal</th><th>probe</th><th>coverage</th></tr></thead><tbody>${rows.join('')}</tbody></table>${sections.join('\n')}`;
}

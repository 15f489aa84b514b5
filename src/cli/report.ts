/**
 * `reproduce --report`: one self-contained HTML page (no scripts, no network) with the results table, PCA
 * scatter plots coloured by the true class and by k-means cluster, the Fisher curves against their
 * shuffled-label baselines, and a gallery of each cluster's faces (nearest the centroid first).
 * For a within-person experiment the pictures show its largest person; across people, every image.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { cluster, projectPca2d, representatives } from '../analysis/cluster.ts';
import type { ExperimentDefinition } from '../reproduce/experiments.ts';
import type { IdentityGroupingResult } from '../analysis/identity.ts';
import type { ExperimentResult } from '../reproduce/protocol.ts';
import type { FaceResult } from '../embedding/types.ts';
import type { Kernel } from '../kernel/types.ts';
import type { CoverageFigures } from './coverage.ts';

/** What the report needs of one experiment. */
export interface ReportExperiment {
  result: ExperimentResult;
  coverage: CoverageFigures;
  definition: ExperimentDefinition;
  rows: Array<{ imagePath: string; class: 0 | 1; person: string; face: FaceResult }>;
  dataDir: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)} %`);
const CLASS_COLOURS = ['#d95f02', '#1b9e77'] as const;
const CLUSTER_COLOURS = ['#7570b3', '#e7298a'] as const;
const GALLERY = 8;

function scatter(points: Float32Array, colours: readonly string[], titles: readonly string[], caption: string): string {
  const n = colours.length;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, points[2 * i]!); maxX = Math.max(maxX, points[2 * i]!);
    minY = Math.min(minY, points[2 * i + 1]!); maxY = Math.max(maxY, points[2 * i + 1]!);
  }
  const size = 260, pad = 10;
  const sx = (x: number) => pad + ((x - minX) / (maxX - minX || 1)) * (size - 2 * pad);
  const sy = (y: number) => size - pad - ((y - minY) / (maxY - minY || 1)) * (size - 2 * pad);
  const dots = Array.from({ length: n }, (_, i) =>
    `<circle cx="${sx(points[2 * i]!).toFixed(1)}" cy="${sy(points[2 * i + 1]!).toFixed(1)}" r="3" fill="${colours[i]}" fill-opacity="0.75"><title>${esc(titles[i]!)}</title></circle>`).join('');
  return `<figure><svg viewBox="0 0 ${size} ${size}" width="${size}" height="${size}" role="img" aria-label="${esc(caption)}"><rect width="${size}" height="${size}" fill="#fafafa" stroke="#ddd"/>${dots}</svg><figcaption>${esc(caption)}</figcaption></figure>`;
}

function fisherChart(result: ExperimentResult): string {
  const ms = Object.keys(result.fisher.top_m).map(Number).sort((a, b) => a - b);
  if (!ms.length) return '';
  const w = 320, h = 200, left = 40, bottom = 30, top = 10, right = 10;
  const x = (m: number) => left + (Math.log2(m) / Math.log2(ms.at(-1)! || 2)) * (w - left - right);
  const y = (a: number) => top + (1 - (a - 0.4) / 0.6) * (h - top - bottom);
  const line = (values: Record<string, number>, colour: string, dash = '') =>
    `<polyline fill="none" stroke="${colour}" stroke-width="2" ${dash ? `stroke-dasharray="${dash}"` : ''} points="${ms.map((m) => `${x(m).toFixed(1)},${y(values[String(m)] ?? 0.5).toFixed(1)}`).join(' ')}"/>`;
  const ticks = ms.map((m) => `<text x="${x(m)}" y="${h - 12}" font-size="9" text-anchor="middle">${m}</text>`).join('');
  const yTicks = [0.5, 0.75, 1].map((a) => `<text x="${left - 4}" y="${y(a) + 3}" font-size="9" text-anchor="end">${a * 100}%</text><line x1="${left}" x2="${w - right}" y1="${y(a)}" y2="${y(a)}" stroke="#eee"/>`).join('');
  const chance = `<line x1="${left}" x2="${w - right}" y1="${y(result.chance_mean)}" y2="${y(result.chance_mean)}" stroke="#999" stroke-dasharray="2 3"/>`;
  return `<figure><svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="Fisher top-m curve">${yTicks}${chance}${line(result.fisher.shuffled, '#999', '5 3')}${line(result.fisher.top_m, '#1b9e77')}${ticks}<text x="${(w + left) / 2}" y="${h - 1}" font-size="9" text-anchor="middle">top m dimensions (ranked on the other half)</text></svg><figcaption>k-means accuracy with the top m Fisher dimensions: <span style="color:#1b9e77">true labels</span>, <span style="color:#999">shuffled labels</span> (selection-bias baseline), dotted: chance</figcaption></figure>`;
}

/** A face cut from its photo as a 64 px JPEG data URL ('' when the photo cannot be re-read). */
export async function thumbnail(dataDir: string, row: { imagePath: string; face: Pick<FaceResult, 'box'> }): Promise<string> {
  const { box } = row.face;
  try {
    const image = sharp(join(dataDir, row.imagePath)).rotate();
    const meta = await image.metadata();
    const swap = (meta.orientation ?? 1) >= 5;
    const width = (swap ? meta.height : meta.width) ?? 0;
    const height = (swap ? meta.width : meta.height) ?? 0;
    // Clip the box to the image: a box reaching past an edge shrinks rather than shifts.
    const left = Math.max(0, Math.floor(box.x));
    const topPx = Math.max(0, Math.floor(box.y));
    const right = Math.min(width, Math.ceil(box.x + box.width));
    const bottom = Math.min(height, Math.ceil(box.y + box.height));
    const region = { left, top: topPx, width: Math.max(1, right - left), height: Math.max(1, bottom - topPx) };
    const jpeg = await image.extract(region).resize(64, 64, { fit: 'cover' }).jpeg({ quality: 70 }).toBuffer();
    return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
  } catch {
    // A face that cannot be re-read for its picture still counts in the figures; the gallery shows a blank.
    return '';
  }
}

async function section(kernel: Kernel, d: number, e: ReportExperiment): Promise<string> {
  const { result, definition } = e;
  let rows = e.rows;
  let scope = 'all images';
  if (definition.kind === 'intra-class' && rows.length) {
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.person, (counts.get(r.person) ?? 0) + 1);
    const person = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
    rows = rows.filter((r) => r.person === person);
    scope = `person ${person}`;
  }
  const head = `<h2 id="${esc(result.name)}">${esc(result.name)}</h2><p>${esc(definition.classNames[1])} vs ${esc(definition.classNames[0])}; k-means ${pct(result.accuracy_mean)} ± ${pct(result.accuracy_std)} (paper ${pct(result.paper)}, chance ${pct(result.chance_mean)}, probe ${pct(result.probe)}); pictures: ${esc(scope)}, ${rows.length} faces.</p>`;
  const classCounts = [rows.filter((r) => r.class === 0).length, rows.filter((r) => r.class === 1).length];
  if (rows.length < 4 || Math.min(...classCounts) < 1) return `${head}<p>Too few faces to draw.</p>`;
  const data = new Float32Array(rows.length * d);
  rows.forEach((r, i) => data.set(r.face.embedding, i * d));
  const projection = projectPca2d(kernel, data, d);
  const clusters = cluster(kernel, data, d, { k: 2, restarts: 10, seed: 0 });
  const titles = rows.map((r) => `${r.imagePath} (${definition.classNames[r.class]})`);
  const byClass = scatter(projection.points, rows.map((r) => CLASS_COLOURS[r.class]), titles,
    `PCA (${pct(projection.explainedVarianceRatio[0])}, ${pct(projection.explainedVarianceRatio[1])} of variance) by true class: ` +
    `${definition.classNames[1]} green, ${definition.classNames[0]} orange`);
  const byCluster = scatter(projection.points, Array.from(clusters.labels, (l) => CLUSTER_COLOURS[l] ?? '#000'), titles, 'the same points by k-means cluster (k = 2)');
  const reps = representatives(kernel, data, d, clusters.labels, clusters.centroids, GALLERY);
  const galleries: string[] = [];
  for (let c = 0; c < reps.length; c++) {
    const members = reps[c]!;
    const faces = await Promise.all(members.map(async (i) => {
      const row = rows[i]!;
      const src = await thumbnail(e.dataDir, row);
      return `<img src="${src}" width="64" height="64" alt="${esc(`${row.imagePath}, ${definition.classNames[row.class]}`)}" title="${esc(`${row.imagePath} (${definition.classNames[row.class]})`)}" style="border-bottom:4px solid ${CLASS_COLOURS[row.class]}">`;
    }));
    const size = Array.from(clusters.labels).filter((l) => l === c).length;
    galleries.push(`<div class="gallery"><h3 style="color:${CLUSTER_COLOURS[c]}">cluster ${c + 1} (${size} faces), nearest the centroid first</h3>${faces.join('')}</div>`);
  }
  return `${head}<div class="row">${byClass}${byCluster}${fisherChart(result)}</div>${galleries.join('')}`;
}

/** Writes the HTML report. */
export async function writeReport(
  file: string,
  kernel: Kernel,
  d: number,
  experiments: readonly ReportExperiment[],
  output: { experiments: Array<((ExperimentResult | IdentityGroupingResult) & CoverageFigures) | { accuracy_top1: number }>; model: string; backend: string; elapsed_s: number },
  extraSections = '',
): Promise<void> {
  const rows = output.experiments.flatMap((e) => ('accuracy_top1' in e ? [] : [e])).map((e) => {
    const found = Object.entries(e.found_by).map(([k, v]) => `${k} ${v}`).join(', ');
    if (e.name === 'identity_grouping') {
      const g = e as IdentityGroupingResult & CoverageFigures;
      return `<tr><th>${esc(g.name)}</th><td>—</td><td colspan="4">BCubed F ${g.bcubed.f.toFixed(3)} (P ${g.bcubed.precision.toFixed(3)}, R ${g.bcubed.recall.toFixed(3)}); pairwise F ${g.pairwise.f.toFixed(3)}; ${g.groups} groups for ${g.people} people</td><td>—</td><td>${pct(g.coverage)}</td><td>${esc(found)}</td></tr>`;
    }
    const x = e as ExperimentResult & CoverageFigures;
    return `<tr><th><a href="#${esc(x.name)}">${esc(x.name)}</a></th><td>${pct(x.paper)}</td><td>${pct(x.accuracy_mean)} ± ${pct(x.accuracy_std)}</td><td>${pct(x.chance_mean)}</td><td>${pct(x.probe)}</td><td>${x.nmi.toFixed(3)} / ${x.ari.toFixed(3)}</td><td>${pct(x.ours?.accuracy_mean)}</td><td>${pct(x.coverage)}</td><td>${esc(found)}</td></tr>`;
  });
  const sections: string[] = [];
  for (const e of experiments) sections.push(await section(kernel, d, e));
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>face-attribute-probe: reproduction report</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; } th, td { padding: 4px 8px; border-bottom: 1px solid #ddd; text-align: right; } th { text-align: left; }
.row { display: flex; flex-wrap: wrap; gap: 1rem; } figure { margin: 0; } figcaption { font-size: 12px; color: #555; max-width: 320px; }
.gallery img { margin: 2px; } h2 { margin-top: 2.5rem; border-top: 1px solid #ccc; padding-top: 1rem; }
</style></head><body>
<h1>Feature representation in a face-identity embedding</h1>
<p>Model ${esc(output.model)} on ${esc(output.backend)}; protocol: ../shared/datasets/PROTOCOL.md (k-means k = 2, k-means++ with 10 restarts, seeds 0–9, balanced classes). Generated ${esc(new Date().toISOString())} in ${output.elapsed_s.toFixed(0)} s.</p>
<table><thead><tr><th>experiment</th><th>paper</th><th>k-means ± std</th><th>chance</th><th>probe</th><th>NMI / ARI</th><th>ours</th><th>coverage</th><th>found by</th></tr></thead><tbody>${rows.join('')}</tbody></table>
${sections.join('\n')}
${extraSections}
</body></html>
`;
  await writeFile(file, html);
}

/**
 * `reproduce`'s `*_discovered` experiments (issue 10): attribute discovery scored on labels it never
 * sees. Three data sets, one view each, shared by the experiments on it:
 * - lfw-attributes, all 62 people, within-people view: glasses_discovered, smiling_discovered (scored on
 *   labels_binary.csv, the classifier labels that cover every person);
 * - celeba-identities, the people whose beard labels are clear or mostly right (README), within-people
 *   view: beard_discovered;
 * - utkface-balanced, every photo, across-people view: gender_discovered, age_discovered,
 *   skin_tone_discovered, each scored on the images and classes of PROTOCOL.md's experiment of that name.
 * The `*_discovered_per_person` rows discover within each person on their own (the paper's setting) and
 * are scored on the same photos and labels as PROTOCOL.md's glasses, smiling and beard k-means rows.
 * People are the data sets' own person names, as in PROTOCOL.md's rows. Discovery reads no label; the
 * label columns are handed over only to score (reproduce/scored-discovery.ts).
 */
import { join } from 'node:path';
import type { LabelSets } from '../reproduce/datasets.ts';
import { EXPERIMENTS, resolveExperiment } from '../reproduce/experiments.ts';
import { type ScoredExperimentResult, type ScoredExperimentSpec, type ScoredSplit, runScoredDiscovery } from '../reproduce/scored-discovery.ts';
import type { FaceResult, ImageOutcome } from '../embedding/types.ts';
import type { Kernel } from '../kernel/types.ts';
import { largestFace } from '../vision/find-faces.ts';

/** The data set a discovered experiment runs on. */
type Population = 'lfw' | 'celeba' | 'utk';

interface DiscoveredDefinition extends ScoredExperimentSpec {
  population: Population;
}

/** Issue 10's discovered experiments, with its targets for the best of the top three. */
export const DISCOVERED_EXPERIMENTS: readonly DiscoveredDefinition[] = [
  { name: 'glasses_discovered', population: 'lfw', view: 'within-people', target: 'eyeglasses', classNames: ['no glasses', 'glasses'], goal: 0.9 },
  { name: 'smiling_discovered', population: 'lfw', view: 'within-people', target: 'smiling', classNames: ['not smiling', 'smiling'], goal: 0.85 },
  { name: 'beard_discovered', population: 'celeba', view: 'within-people', target: 'beard', classNames: ['no beard', 'beard'], goal: 0.85 },
  { name: 'gender_discovered', population: 'utk', view: 'across-people', target: 'gender', classNames: ['female', 'male'], goal: 0.97 },
  { name: 'age_discovered', population: 'utk', view: 'across-people', target: 'age', classNames: ['55 and older', '18-30'], goal: null },
  { name: 'skin_tone_discovered', population: 'utk', view: 'across-people', target: 'skin_tone', classNames: ['black', 'white'], goal: null },
  // Per person, on the same photos and labels as PROTOCOL.md's k-means rows glasses, smiling and beard.
  { name: 'glasses_discovered_per_person', population: 'lfw', view: 'per-person', target: 'eyeglasses (hand-checked, one person)', classNames: ['no glasses', 'glasses'], goal: 0.9 },
  { name: 'smiling_discovered_per_person', population: 'lfw', view: 'per-person', target: 'smiling (hand-checked, one person)', classNames: ['not smiling', 'smiling'], goal: 0.85 },
  { name: 'beard_discovered_per_person', population: 'celeba', view: 'per-person', target: 'beard', classNames: ['no beard', 'beard'], goal: 0.85 },
];

/** Names `reproduce --experiments` accepts for these. */
export const DISCOVERED_NAMES: readonly string[] = DISCOVERED_EXPERIMENTS.map((e) => e.name);

/** One image of a population with its person and every label column (null = no label). */
interface PopulationItem {
  imagePath: string;
  person: string;
  labels: Record<string, 0 | 1 | null>;
}

/** The images of a population and their label columns, or a reason it cannot run. */
function population(name: Population, labels: LabelSets): PopulationItem[] | string {
  if (name === 'lfw') {
    if (!labels.lfwBinary) return 'lfw-attributes/labels_binary.csv not found';
    const manual = new Map((labels.toledo ?? []).map((row) => [row.file, row]));
    return labels.lfwBinary.map((row) => {
      const hand = manual.get(row.file);
      return {
        imagePath: `lfw-attributes/${row.file}`, person: row.person,
        labels: { ...row.attributes, 'eyeglasses (hand-checked, one person)': hand?.eyeglasses ?? null, 'smiling (hand-checked, one person)': hand?.smiling ?? null },
      };
    });
  }
  if (name === 'celeba') {
    if (!labels.celeba) return 'celeba-identities/labels.csv not found';
    return labels.celeba
      .filter((row) => row.beardLabelQuality === 'clear' || row.beardLabelQuality === 'mostly')
      .map((row) => ({
        imagePath: `celeba-identities/${row.file}`, person: row.identity,
        labels: { beard: row.beard, goatee: row.goatee, mustache: row.mustache, eyeglasses: row.eyeglasses, smiling: row.smiling, male: row.male },
      }));
  }
  if (!labels.utkface) return 'utkface-balanced/labels.csv not found';
  const columns = new Map<string, Map<string, 0 | 1>>();
  for (const definition of EXPERIMENTS.filter((e) => e.kind === 'extra-class')) {
    const resolved = resolveExperiment(definition, labels);
    if (resolved.status === 'ready') columns.set(definition.name, new Map(resolved.items.map((item) => [item.imagePath, item.class])));
  }
  return labels.utkface.map((row) => {
    const imagePath = `utkface-balanced/${row.file.replace(/^\.?\//, '')}`;
    return { imagePath, person: imagePath, labels: Object.fromEntries([...columns].map(([key, map]) => [key, map.get(imagePath) ?? null])) };
  });
}

/** Image paths (joined with the data folder) the selected discovered experiments need. */
export function discoveredPaths(names: readonly string[], labels: LabelSets, dataDir: string): string[] {
  const wanted = new Set(DISCOVERED_EXPERIMENTS.filter((e) => names.includes(e.name)).map((e) => e.population));
  return [...wanted].flatMap((p) => {
    const items = population(p, labels);
    return typeof items === 'string' ? [] : items.map((item) => join(dataDir, item.imagePath));
  });
}

/** A discovered experiment's result with PROTOCOL.md's coverage figures. */
export interface DiscoveredExperimentResult extends Omit<ScoredExperimentResult, 'splits'> {
  /** The ranked splits; strips name the images (relative to the data folder) furthest along each side. */
  splits: Array<Omit<ScoredSplit, 'strips'> & { strips: [string[], string[]] }>;
  /** The chance level of the top split (as `chance_mean` of the other rows). */
  chance_mean: number;
  coverage: number;
  images: number;
  found_by: Record<string, number>;
  left_out: Array<{ image: string; reason: string }>;
}

/**
 * Runs the selected discovered experiments on embedded images.
 * @returns results, and experiments skipped with a reason (missing labels or too few faces).
 */
export async function runDiscoveredExperiments(
  kernel: Kernel,
  names: readonly string[],
  labels: LabelSets,
  outcomes: Map<string, ImageOutcome>,
  dataDir: string,
  options: { signal?: AbortSignal; onProgress?: (label: string) => void } = {},
): Promise<{ results: DiscoveredExperimentResult[]; skipped: Array<{ name: string; reason: string }>; faces: Map<string, FaceResult> }> {
  const results: DiscoveredExperimentResult[] = [];
  const faces = new Map<string, FaceResult>();
  const skipped: Array<{ name: string; reason: string }> = [];
  for (const p of ['lfw', 'celeba', 'utk'] as const) {
    const specs = DISCOVERED_EXPERIMENTS.filter((e) => e.population === p && names.includes(e.name));
    if (!specs.length) continue;
    const items = population(p, labels);
    if (typeof items === 'string') {
      for (const s of specs) skipped.push({ name: s.name, reason: items });
      continue;
    }
    const kept: Array<PopulationItem & { face: FaceResult }> = [];
    const foundBy: Record<string, number> = {};
    const leftOut: DiscoveredExperimentResult['left_out'] = [];
    for (const item of items) {
      const outcome = outcomes.get(join(dataDir, item.imagePath));
      const face = outcome?.ok ? largestFace(outcome.faces) : undefined;
      if (!face) {
        leftOut.push({ image: item.imagePath, reason: outcome && !outcome.ok ? outcome.error.message : outcome ? 'no face found' : 'not processed' });
        continue;
      }
      foundBy[face.foundBy] = (foundBy[face.foundBy] ?? 0) + 1;
      kept.push({ ...item, face });
      faces.set(item.imagePath, face);
    }
    const d = kept[0]?.face.embedding.length ?? 0;
    if (kept.length < 8 || d === 0) {
      for (const s of specs) skipped.push({ name: s.name, reason: `only ${kept.length} faces found` });
      continue;
    }
    const vectors = new Float32Array(kept.length * d);
    kept.forEach((k, i) => vectors.set(k.face.embedding, i * d));
    const keys = [...new Set(kept.flatMap((k) => Object.keys(k.labels)))];
    const columns = Object.fromEntries(keys.map((key) => [key, kept.map((k) => k.labels[key] ?? null)]));
    options.onProgress?.(`${p}: ${specs.map((s) => s.name).join(', ')}`);
    const { results: scored, skipped: unscored } = await runScoredDiscovery(kernel, { vectors, d, faces: kept.map((k) => k.face), persons: kept.map((k) => k.person), labels: columns }, specs, {
      ...(options.signal ? { signal: options.signal } : {}),
    });
    skipped.push(...unscored);
    for (const r of scored) {
      const splits = r.splits.map((split) => ({ ...split, strips: split.strips.map((side) => side.map((i) => kept[i]!.imagePath)) as [string[], string[]] }));
      results.push({ ...r, splits, chance_mean: r.chance_top1, coverage: kept.length / items.length, images: items.length, found_by: foundBy, left_out: leftOut });
    }
  }
  return { results, skipped, faces };
}

const pct = (x: number | null) => (x === null || Number.isNaN(x) ? '—' : (x * 100).toFixed(1));

/** The printed table of discovered experiments. */
export function formatDiscoveredTable(results: readonly DiscoveredExperimentResult[]): string {
  const head = ['discovered', 'view', 'top-1', '± std', 'chance', 'top-3', '± std', 'chance', 'goal', 'probe', 'ECE', 'people', 'coverage', 'top split'];
  const lines = [head, ...results.map((r) => [
    r.name, r.view, pct(r.accuracy_top1), pct(r.accuracy_top1_std), pct(r.chance_top1), pct(r.accuracy_top3), pct(r.accuracy_top3_std), pct(r.chance_top3),
    pct(r.goal), pct(r.probe?.accuracy ?? null), r.probe ? r.probe.ece.toFixed(3) : '—', String(r.people), pct(r.coverage),
    `${r.splits[0]?.description ?? '—'} (stability ${r.splits[0]?.stability.toFixed(2) ?? '—'})`,
  ])];
  const widths = head.map((_, c) => Math.max(...lines.map((l) => (l[c] ?? '').length)));
  return lines.map((l) => l.map((cell, c) => (c === 0 || c === 1 || c === head.length - 1 ? cell.padEnd(c === head.length - 1 ? 0 : widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

/**
 * `face-probe reproduce --models a,b` (issue 16): the same experiments on two or more built-in embedding models,
 * printed side by side row by row (PROTOCOL.md's rows with chance and the probe ceiling of each model, then the
 * `*_discovered` rows), each model's ranked discovered splits beside the other's, and one JSON object with all of it.
 */
import { InvalidInputError } from '../errors.ts';
import { BUILTIN_EMBEDDING_MODELS, embeddingModelLabel } from '../models/embedding-models.ts';

/** What the side-by-side view reads of a PROTOCOL.md row. */
export interface ProtocolRow {
  name: string;
  paper: number | null;
  accuracy_mean: number;
  accuracy_std: number;
  chance_mean: number;
  probe: number;
  ours: { accuracy_mean: number } | null;
}

/** What it reads of the identity-grouping row. */
export interface IdentityRow {
  name: 'identity_grouping';
  bcubed: { f: number };
  groups: number;
  people: number;
}

/** What it reads of a split of a discovered row. */
export interface SplitRow {
  rank: number;
  description: string;
  stability: number;
  /** Balanced accuracy against each label column. */
  accuracy: Record<string, number>;
}

/** What it reads of a `*_discovered` row. */
export interface DiscoveredRow {
  name: string;
  view: string;
  target: string;
  goal: number | null;
  accuracy_top1: number;
  accuracy_top3: number;
  chance_top3: number;
  probe: { accuracy: number } | null;
  splits: readonly SplitRow[];
}

/** One row of a model's run. */
export type ComparableRow = ProtocolRow | IdentityRow | DiscoveredRow;

/** One model's results, as `reproduce` makes them for one model. */
export interface ModelRun {
  model: string;
  experiments: readonly ComparableRow[];
}

const isDiscovered = (row: ComparableRow): row is DiscoveredRow => 'accuracy_top1' in row;
const isIdentity = (row: ComparableRow): row is IdentityRow => row.name === 'identity_grouping';

/**
 * Reads `--models`' value: built-in model ids separated by commas, at least two, each once.
 * @throws InvalidInputError naming the accepted ids (and `--models-dir`, the option for the folder of the built models).
 */
export function parseModelList(value: string): string[] {
  const ids = value.split(',').map((s) => s.trim()).filter(Boolean);
  const accepted = Object.keys(BUILTIN_EMBEDDING_MODELS);
  const unknown = ids.filter((id) => !accepted.includes(id));
  if (unknown.length) {
    throw new InvalidInputError(`--models takes built-in model ids separated by commas; ${unknown.map((u) => JSON.stringify(u)).join(', ')} is not one `
      + `(accepted: ${accepted.join(', ')}). The folder of the built models is given with --models-dir.`);
  }
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (repeated.length) throw new InvalidInputError(`--models names ${repeated[0]} twice; name each model once`);
  if (ids.length < 2) throw new InvalidInputError(`--models compares two or more models (got ${ids.length}); for one model use --model <id>`);
  return ids;
}

const pct = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? '—' : (x * 100).toFixed(1));
/** A difference in percentage points, signed. */
const points = (a: number | null | undefined, b: number | null | undefined) => {
  if (a === null || a === undefined || b === null || b === undefined || Number.isNaN(a) || Number.isNaN(b)) return '—';
  const d = (b - a) * 100;
  return `${d > 0 ? '+' : ''}${d.toFixed(1)}`;
};

/** Names of every row in any run, in the order of the first run that has them. */
function rowNames(runs: readonly ModelRun[], discovered: boolean): string[] {
  const names: string[] = [];
  for (const run of runs) {
    for (const row of run.experiments) if (isDiscovered(row) === discovered && !names.includes(row.name)) names.push(row.name);
  }
  return names;
}

function find(run: ModelRun, name: string): ComparableRow | undefined {
  return run.experiments.find((r) => r.name === name);
}

/** Lays out rows of cells: the first column left-aligned, the others right-aligned, two spaces apart. */
function layout(lines: readonly string[][], leftColumns = 1): string {
  const columns = Math.max(...lines.map((l) => l.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...lines.map((l) => (l[c] ?? '').length)));
  return lines.map((l) => l.map((cell, c) => (c < leftColumns ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd()).join('\n');
}

/** A header line naming each model above its group of columns. */
function modelHeader(runs: readonly ModelRun[], before: number, perModel: number): string[] {
  return [...Array<string>(before).fill(''), ...runs.flatMap((r) => [`${embeddingModelLabel(r.model)}:`, ...Array<string>(perModel - 1).fill('')])];
}

/**
 * PROTOCOL.md's rows (and identity_grouping) of every model side by side: per model chance, k-means ± std, the
 * probe ceiling and ours; with two models, the second minus the first for k-means and the probe, in points.
 */
export function formatSideBySide(runs: readonly ModelRun[]): string {
  const perModel = ['chance', 'k-means', '± std', 'probe', 'ours'];
  const two = runs.length === 2;
  const head = ['experiment', 'paper', ...runs.flatMap(() => perModel), ...(two ? ['Δ k-means', 'Δ probe'] : [])];
  const lines: string[][] = [modelHeader(runs, 2, perModel.length), head];
  for (const name of rowNames(runs, false)) {
    const rows = runs.map((run) => find(run, name));
    if (name === 'identity_grouping') {
      const cells = rows.map((r) => (r && isIdentity(r) ? ['—', `F ${r.bcubed.f.toFixed(3)}`, '', '—', `${r.groups} groups / ${r.people}`] : ['—', '—', '', '—', '—']));
      const [a, b] = rows as Array<IdentityRow | undefined>;
      lines.push([name, '—', ...cells.flat(), ...(two ? [a && b ? points(a.bcubed.f, b.bcubed.f) : '—', '—'] : [])]);
      continue;
    }
    const protocol = rows.map((r) => (r && !isDiscovered(r) && !isIdentity(r) ? r : undefined));
    const paper = protocol.find((r) => r)?.paper ?? null;
    const cells = protocol.map((r) => (r ? [pct(r.chance_mean), pct(r.accuracy_mean), pct(r.accuracy_std), pct(r.probe), pct(r.ours?.accuracy_mean)] : ['—', '—', '—', '—', '—']));
    const [a, b] = protocol;
    lines.push([name, pct(paper), ...cells.flat(), ...(two ? [points(a?.accuracy_mean, b?.accuracy_mean), points(a?.probe, b?.probe)] : [])]);
  }
  return layout(lines);
}

/**
 * The `*_discovered` rows of every model side by side: per model the top split, the best of the top three, chance
 * of the top three and the calibrated probe (the ceiling); with two models, the differences in points.
 */
export function formatDiscoveredSideBySide(runs: readonly ModelRun[]): string {
  const perModel = ['top-1', 'top-3', 'chance', 'probe'];
  const two = runs.length === 2;
  const head = ['discovered', 'goal', ...runs.flatMap(() => perModel), ...(two ? ['Δ top-3', 'Δ probe'] : [])];
  const lines: string[][] = [modelHeader(runs, 2, perModel.length), head];
  for (const name of rowNames(runs, true)) {
    const rows = runs.map((run) => {
      const r = find(run, name);
      return r && isDiscovered(r) ? r : undefined;
    });
    const goal = rows.find((r) => r)?.goal ?? null;
    const cells = rows.map((r) => (r ? [pct(r.accuracy_top1), pct(r.accuracy_top3), pct(r.chance_top3), pct(r.probe?.accuracy)] : ['—', '—', '—', '—']));
    const [a, b] = rows;
    lines.push([name, pct(goal), ...cells.flat(), ...(two ? [points(a?.accuracy_top3, b?.accuracy_top3), points(a?.probe?.accuracy, b?.probe?.accuracy)] : [])]);
  }
  return layout(lines);
}

/** How many ranked splits the comparison shows per model. */
export const SPLITS_COMPARED = 3;

const splitCell = (split: SplitRow | undefined, target: string) =>
  (split ? `${split.description} (stability ${split.stability.toFixed(2)}; ${target} ${pct(split.accuracy[target])})` : '—');

/**
 * For the same photos, each model's ranked discovered splits beside the other's, with each model's probe ceiling:
 * per `*_discovered` experiment, the first {@link SPLITS_COMPARED} splits, each with its stability and its
 * balanced accuracy on the experiment's target.
 */
export function formatSplitComparison(runs: readonly ModelRun[], shown = SPLITS_COMPARED): string {
  const blocks: string[] = [];
  for (const name of rowNames(runs, true)) {
    const rows = runs.map((run) => {
      const r = find(run, name);
      return r && isDiscovered(r) ? r : undefined;
    });
    const first = rows.find((r) => r)!;
    const ceilings = runs.map((run, i) => `${embeddingModelLabel(run.model)} ${pct(rows[i]?.probe?.accuracy)}`).join(', ');
    const lines: string[][] = [['rank', ...runs.map((r) => embeddingModelLabel(r.model))]];
    for (let rank = 1; rank <= shown; rank++) {
      const cells = rows.map((r) => splitCell(r?.splits.find((s) => s.rank === rank), first.target));
      if (cells.every((c) => c === '—')) break;
      lines.push([String(rank), ...cells]);
    }
    blocks.push(`${name} (${first.view}; scored on ${first.target}); probe ceiling: ${ceilings}\n${layout(lines, lines[0]!.length)}`);
  }
  return blocks.join('\n\n');
}

/** One row of the JSON form: the row's figures per model, and with two models the second minus the first. */
export interface SideBySideRow {
  name: string;
  kind: 'protocol' | 'identity' | 'discovered';
  by_model: Record<string, Record<string, number | null> | null>;
  difference?: Record<string, number | null>;
}

const minus = (a: number | null | undefined, b: number | null | undefined) => (a === null || a === undefined || b === null || b === undefined ? null : b - a);

function figuresOf(row: ComparableRow | undefined): Record<string, number | null> | null {
  if (!row) return null;
  if (isDiscovered(row)) return { top1: row.accuracy_top1, top3: row.accuracy_top3, chance_top3: row.chance_top3, probe: row.probe?.accuracy ?? null };
  if (isIdentity(row)) return { bcubed_f: row.bcubed.f, groups: row.groups, people: row.people };
  return { chance: row.chance_mean, k_means: row.accuracy_mean, k_means_std: row.accuracy_std, probe: row.probe, ours: row.ours?.accuracy_mean ?? null };
}

/**
 * The JSON form: every row with each model's figures (fractions), the differences (second minus first, with two
 * models), each discovered experiment's first splits per model, and each model's whole `reproduce` output.
 */
export function sideBySideJson<T extends ModelRun>(runs: readonly T[], shown = SPLITS_COMPARED): {
  models: string[];
  rows: SideBySideRow[];
  comparison: Array<{ name: string; view: string; target: string; by_model: Record<string, { probe: number | null; splits: Array<{ rank: number; description: string; stability: number; accuracy: number | null }> } | null> }>;
  runs: Record<string, T>;
} {
  const models = runs.map((r) => r.model);
  const two = runs.length === 2;
  const rows: SideBySideRow[] = [...rowNames(runs, false), ...rowNames(runs, true)].map((name) => {
    const found = runs.map((run) => find(run, name));
    const any = found.find((r) => r)!;
    const kind = isDiscovered(any) ? 'discovered' : isIdentity(any) ? 'identity' : 'protocol';
    const by = found.map(figuresOf);
    const row: SideBySideRow = { name, kind, by_model: Object.fromEntries(models.map((m, i) => [m, by[i] ?? null])) };
    if (two) {
      const [a, b] = by;
      const keys = kind === 'discovered' ? ['top3', 'probe'] : kind === 'identity' ? ['bcubed_f'] : ['k_means', 'probe'];
      row.difference = Object.fromEntries(keys.map((k) => [k, minus(a?.[k], b?.[k])]));
    }
    return row;
  });
  const comparison = rowNames(runs, true).map((name) => {
    const found = runs.map((run) => {
      const r = find(run, name);
      return r && isDiscovered(r) ? r : undefined;
    });
    const first = found.find((r) => r)!;
    return {
      name, view: first.view, target: first.target,
      by_model: Object.fromEntries(models.map((m, i) => {
        const r = found[i];
        return [m, r ? {
          probe: r.probe?.accuracy ?? null,
          splits: r.splits.slice(0, shown).map((s) => ({ rank: s.rank, description: s.description, stability: s.stability, accuracy: s.accuracy[first.target] ?? null })),
        } : null];
      })),
    };
  });
  return { models, rows, comparison, runs: Object.fromEntries(runs.map((r) => [r.model, r])) };
}

/**
 * What the map's colours mean: each face gets a palette entry by person, cluster or an attribute head, and the
 * legend names each entry with its count. The palette is Okabe & Ito's colour-blind-safe set (without its
 * black, which would vanish on the dark map), then grey for "everyone else" or "unknown".
 */

/** RGB in [0, 1]. */
export type Rgb = readonly [number, number, number];

const hex = (h: string): Rgb => [parseInt(h.slice(1, 3), 16) / 255, parseInt(h.slice(3, 5), 16) / 255, parseInt(h.slice(5, 7), 16) / 255];

/** The named colours, in order; the last is for the rest. */
export const MAP_PALETTE: readonly Rgb[] = ['#e69f00', '#56b4e9', '#009e73', '#f0e442', '#0072b2', '#d55e00', '#cc79a7', '#999999'].map(hex);
/** CSS colours of {@link MAP_PALETTE}, for the legend. */
export const MAP_PALETTE_CSS: readonly string[] = ['#e69f00', '#56b4e9', '#009e73', '#f0e442', '#0072b2', '#d55e00', '#cc79a7', '#999999'];
/** Categories that get a colour of their own; the rest share the last (grey). */
export const NAMED_COLOURS = MAP_PALETTE.length - 1;

/** One legend row. */
export interface LegendEntry {
  label: string;
  /** Palette index. */
  colour: number;
  count: number;
}

/** A colouring: each point's palette index, and the legend. */
export interface Colouring {
  categories: Uint8Array;
  legend: LegendEntry[];
}

/**
 * Colours points by a category label each (undefined = unknown): the most frequent categories get the named
 * colours (or `order` decides, e.g. age bands from young to old), the others and the unknown share grey.
 */
export function colourBy(labels: readonly (string | undefined)[], options: { order?: readonly string[]; rest?: string } = {}): Colouring {
  const counts = new Map<string, number>();
  for (const l of labels) if (l !== undefined) counts.set(l, (counts.get(l) ?? 0) + 1);
  const ranked = options.order
    ? options.order.filter((l) => counts.has(l))
    : [...counts.keys()].sort((a, b) => (counts.get(b) as number) - (counts.get(a) as number) || a.localeCompare(b));
  const named = ranked.slice(0, NAMED_COLOURS);
  const index = new Map(named.map((l, i) => [l, i]));
  const categories = Uint8Array.from(labels, (l) => (l === undefined ? NAMED_COLOURS : index.get(l) ?? NAMED_COLOURS));
  const legend: LegendEntry[] = named.map((label, colour) => ({ label, colour, count: counts.get(label) as number }));
  const rest = labels.length - legend.reduce((s, e) => s + e.count, 0);
  if (rest > 0) legend.push({ label: options.rest ?? 'everyone else', colour: NAMED_COLOURS, count: rest });
  return { categories, legend };
}

/**
 * Small faces in large photos: the detector shrinks a whole photo to its input (512 px for SSD), so a face of
 * 60 px in a 2048 px image reaches it at 15 px and is missed. Detecting again on overlapping tiles, each shrunk
 * far less, finds it. This file lays out the tiles and merges what they find with what was already found.
 */
import type { Box } from './image.ts';

/** When and how photos are tiled (see {@link TILING_DEFAULTS}). */
export interface TilingOptions {
  /** Tile only images whose longer side is at least this many pixels. */
  minSide: number;
  /** Tile side in pixels (the detector shrinks each tile to its input). */
  tileSide: number;
  /** Overlap between neighbouring tiles in pixels: a face up to this size lies whole inside some tile. */
  overlap: number;
  /** At most this many tiles (extra detector runs) per photo; tiles grow to stay within it. */
  maxTiles: number;
  /** Tile only when the whole-image pass found fewer faces than this… */
  fewerThan: number;
  /**
   * …and none of them has a side of at least this fraction of the image's longer side: a face that large makes
   * the photo a portrait, not a crowd seen from afar, and tiles would only cost time.
   */
  bigFace: number;
}

/**
 * The pipeline's tiling: photos of 1536 px or more (after decoding, which caps the longer side at 2048) where the
 * whole-image pass found no face, or one face smaller than 1/8 of the longer side, are searched again in tiles of
 * 1024 px (shrunk 2×, not 4×, on their way into SSD's 512 px input) overlapping by 192 px: at most 9 extra
 * detector runs per photo (6 for 3:2). Group photos (2 faces or more) and portraits are not tiled.
 */
export const TILING_DEFAULTS: TilingOptions = { minSide: 1536, tileSide: 1024, overlap: 192, maxTiles: 9, fewerThan: 2, bigFace: 1 / 8 };

/** Whether findFaces should search tiles, given what the whole-image pass found (see {@link TilingOptions}). */
export function shouldTile(width: number, height: number, found: readonly { box: Box }[], options: TilingOptions = TILING_DEFAULTS): boolean {
  const longer = Math.max(width, height);
  if (longer < options.minSide || found.length >= options.fewerThan) return false;
  return found.every((f) => Math.max(f.box.width, f.box.height) < options.bigFace * longer);
}

/** Evenly spread starts of `n` tiles of `side` px over `length` px, the first at 0 and the last flush with the end. */
function starts(length: number, side: number, n: number): number[] {
  if (n <= 1) return [0];
  return Array.from({ length: n }, (_, i) => Math.round((i * (length - side)) / (n - 1)));
}

/**
 * Overlapping tiles covering a `width` × `height` image, row by row; empty when the image is too small to tile.
 * Tiles grow (by 1/8 steps) until there are at most `maxTiles`.
 */
export function tileGrid(width: number, height: number, options: TilingOptions = TILING_DEFAULTS): Box[] {
  if (Math.max(width, height) < options.minSide || options.maxTiles < 1) return [];
  let side = options.tileSide;
  const count = (s: number) => {
    const along = (length: number) => (length <= s ? 1 : Math.ceil((length - options.overlap) / Math.max(1, s - options.overlap)));
    return { cols: along(width), rows: along(height) };
  };
  let grid = count(side);
  while (grid.cols * grid.rows > options.maxTiles) {
    side = Math.ceil(side * 1.125);
    grid = count(side);
  }
  const w = Math.min(side, width);
  const h = Math.min(side, height);
  const tiles: Box[] = [];
  for (const y of starts(height, h, grid.rows)) for (const x of starts(width, w, grid.cols)) tiles.push({ x, y, width: w, height: h });
  return tiles;
}

/** The area two boxes share over the smaller one's area: 1 when one lies inside the other. */
export function overlapOfSmaller(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const smaller = Math.min(a.width * a.height, b.width * b.height);
  return smaller > 0 ? (w * h) / smaller : 0;
}

/**
 * Pools the whole-image pass's detections with the tiles' and keeps, best score first, each one that overlaps
 * none already kept by more than `threshold` of the smaller box: a face seen whole in two tiles, cut at a tile's
 * edge, or found coarsely by the whole-image pass (a box from 15 px of detector input) counts once, with its best
 * box. Faces side by side in a crowd overlap far less.
 */
export function mergeTileDetections<T extends { box: Box; score: number }>(found: readonly T[], fromTiles: readonly T[], threshold = 0.25): T[] {
  const kept: T[] = [];
  for (const d of [...found, ...fromTiles].sort((a, b) => b.score - a.score)) {
    if (kept.some((k) => overlapOfSmaller(k.box, d.box) > threshold)) continue;
    kept.push(d);
  }
  return kept;
}

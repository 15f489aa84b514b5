/**
 * Finding points on the map fast: positions fitted into [-1, 1] (aspect kept), and a uniform grid over them
 * for "which face is under the pointer" and "which faces are inside this box or outline" at 100,000 points.
 */

/** n × 2 positions scaled and centred into [-1, 1] on their longer side, the shorter centred too. */
export function fitToUnit(points: Float32Array): Float32Array {
  const n = points.length / 2;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = points[i * 2] as number;
    const y = points[i * 2 + 1] as number;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const span = Math.max(maxX - minX, maxY - minY) || 1;
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const out = new Float32Array(points.length);
  for (let i = 0; i < n; i++) {
    out[i * 2] = (2 * ((points[i * 2] as number) - cx)) / span;
    out[i * 2 + 1] = (2 * ((points[i * 2 + 1] as number) - cy)) / span;
  }
  return out;
}

/** A grid over points in [-1, 1]²: about four points a cell. */
export class PointIndex {
  private readonly cells: number;
  private readonly start: Uint32Array;
  private readonly order: Uint32Array;

  constructor(readonly points: Float32Array) {
    const n = points.length / 2;
    this.cells = Math.max(1, Math.ceil(Math.sqrt(n / 4)));
    const cellOf = new Uint32Array(n);
    const counts = new Uint32Array(this.cells * this.cells + 1);
    for (let i = 0; i < n; i++) {
      const c = this.cellAt(points[i * 2] as number, points[i * 2 + 1] as number);
      cellOf[i] = c;
      counts[c + 1] = (counts[c + 1] as number) + 1;
    }
    for (let c = 0; c < this.cells * this.cells; c++) counts[c + 1] = (counts[c + 1] as number) + (counts[c] as number);
    this.start = counts.slice();
    const fill = counts.slice();
    this.order = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const c = cellOf[i] as number;
      this.order[fill[c] as number] = i;
      fill[c] = (fill[c] as number) + 1;
    }
  }

  private clampCell(v: number): number {
    return Math.min(this.cells - 1, Math.max(0, Math.floor(((v + 1) / 2) * this.cells)));
  }

  private cellAt(x: number, y: number): number {
    return this.clampCell(y) * this.cells + this.clampCell(x);
  }

  /** Calls `visit` with every point index in cells overlapping the box. */
  private scan(x0: number, y0: number, x1: number, y1: number, visit: (i: number) => void): void {
    const cx0 = this.clampCell(Math.min(x0, x1));
    const cx1 = this.clampCell(Math.max(x0, x1));
    const cy0 = this.clampCell(Math.min(y0, y1));
    const cy1 = this.clampCell(Math.max(y0, y1));
    for (let cy = cy0; cy <= cy1; cy++) {
      for (let cx = cx0; cx <= cx1; cx++) {
        const c = cy * this.cells + cx;
        for (let k = this.start[c] as number; k < (this.start[c + 1] as number); k++) visit(this.order[k] as number);
      }
    }
  }

  /** The point nearest (x, y) within `radius` (map units), or undefined. */
  nearest(x: number, y: number, radius: number): number | undefined {
    let best: number | undefined;
    let bestD = radius * radius;
    this.scan(x - radius, y - radius, x + radius, y + radius, (i) => {
      const dx = (this.points[i * 2] as number) - x;
      const dy = (this.points[i * 2 + 1] as number) - y;
      const d = dx * dx + dy * dy;
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    });
    return best;
  }

  /** Indices of the points inside the box, ascending. */
  inside(x0: number, y0: number, x1: number, y1: number): Uint32Array {
    const lx = Math.min(x0, x1), hx = Math.max(x0, x1), ly = Math.min(y0, y1), hy = Math.max(y0, y1);
    const found: number[] = [];
    this.scan(lx, ly, hx, hy, (i) => {
      const x = this.points[i * 2] as number;
      const y = this.points[i * 2 + 1] as number;
      if (x >= lx && x <= hx && y >= ly && y <= hy) found.push(i);
    });
    return Uint32Array.from(found.sort((a, b) => a - b));
  }

  /**
   * Indices of the points inside a closed outline (x0, y0, x1, y1, …; the last vertex joins the first),
   * ascending. Even-odd rule: a point inside a loop the outline makes twice is outside. Fewer than 3
   * vertices hold nothing.
   */
  insidePolygon(outline: ArrayLike<number>): Uint32Array {
    const m = Math.floor(outline.length / 2);
    if (m < 3) return new Uint32Array(0);
    let lx = Infinity, ly = Infinity, hx = -Infinity, hy = -Infinity;
    for (let k = 0; k < m; k++) {
      const x = outline[k * 2] as number;
      const y = outline[k * 2 + 1] as number;
      lx = Math.min(lx, x); hx = Math.max(hx, x); ly = Math.min(ly, y); hy = Math.max(hy, y);
    }
    const found: number[] = [];
    this.scan(lx, ly, hx, hy, (i) => {
      const x = this.points[i * 2] as number;
      const y = this.points[i * 2 + 1] as number;
      if (x < lx || x > hx || y < ly || y > hy) return;
      // Ray casting to the right: count the edges crossed.
      let inside = false;
      for (let a = 0, b = m - 1; a < m; b = a++) {
        const ax = outline[a * 2] as number, ay = outline[a * 2 + 1] as number;
        const bx = outline[b * 2] as number, by = outline[b * 2 + 1] as number;
        if ((ay > y) !== (by > y) && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
      }
      if (inside) found.push(i);
    });
    return Uint32Array.from(found.sort((a, b) => a - b));
  }
}

// Where the rings of a polygon cross, touch or fold back: exact integer orientation tests on
// coordinates scaled by 1e7 (geometry.ts checks submitted polygons with it).
import type { Position } from './geometry.ts';

export const SCALE = 1e7; // coordinates are stored to 7 decimals (~1 cm)
const BRUTE_FORCE_LIMIT = 2000; // positions per polygon below which segment pairs are tested O(n²)

// Offsets from the polygon's first position stay below ~2e7 inside the extent, so every cross
// product below is an integer under 2^53 and the predicates are exact.

export type Seg = { ring: number; i: number; ax: number; ay: number; bx: number; by: number };
export type Crossing = { kind: 'spike' | 'self' | 'rings'; a: Seg; b: Seg };

const orient = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number =>
  Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
const within = (a: number, b: number, v: number): boolean => Math.min(a, b) <= v && v <= Math.max(a, b);
const onSeg = (s: Seg, x: number, y: number): boolean => within(s.ax, s.bx, x) && within(s.ay, s.by, y);

function segmentsMeet(s: Seg, t: Seg): boolean {
  const d1 = orient(t.ax, t.ay, t.bx, t.by, s.ax, s.ay);
  const d2 = orient(t.ax, t.ay, t.bx, t.by, s.bx, s.by);
  const d3 = orient(s.ax, s.ay, s.bx, s.by, t.ax, t.ay);
  const d4 = orient(s.ax, s.ay, s.bx, s.by, t.bx, t.by);
  if (d1 * d2 < 0 && d3 * d4 < 0) return true;
  return (
    (d1 === 0 && onSeg(t, s.ax, s.ay)) ||
    (d2 === 0 && onSeg(t, s.bx, s.by)) ||
    (d3 === 0 && onSeg(s, t.ax, t.ay)) ||
    (d4 === 0 && onSeg(s, t.bx, t.by))
  );
}

/** Adjacent edges of a ring share one end; they are invalid only when they fold back over each other. */
function foldsBack(shared: [number, number], a: [number, number], b: [number, number]): boolean {
  const [sx, sy] = shared;
  return orient(sx, sy, a[0], a[1], b[0], b[1]) === 0 && (a[0] - sx) * (b[0] - sx) + (a[1] - sy) * (b[1] - sy) > 0;
}

export function findCrossing(rings: Position[][]): Crossing | null {
  const ox = Math.round(rings[0]![0]![0] * SCALE);
  const oy = Math.round(rings[0]![0]![1] * SCALE);
  const segs: Seg[] = [];
  const counts = rings.map((r) => r.length - 1);
  rings.forEach((r, k) => {
    const q = r.map(([x, y]) => [Math.round(x * SCALE) - ox, Math.round(y * SCALE) - oy] as [number, number]);
    for (let i = 0; i + 1 < q.length; i++) segs.push({ ring: k, i, ax: q[i]![0], ay: q[i]![1], bx: q[i + 1]![0], by: q[i + 1]![1] });
  });
  const test = (s: Seg, t: Seg): Crossing | null => {
    if (s.ring !== t.ring) return segmentsMeet(s, t) ? { kind: 'rings', a: s, b: t } : null;
    const [a, b] = s.i < t.i ? [s, t] : [t, s];
    const m = counts[s.ring]!;
    if (b.i === a.i + 1) return foldsBack([a.bx, a.by], [a.ax, a.ay], [b.bx, b.by]) ? { kind: 'spike', a, b } : null;
    if (a.i === 0 && b.i === m - 1) return foldsBack([a.ax, a.ay], [a.bx, a.by], [b.ax, b.ay]) ? { kind: 'spike', a: b, b: a } : null;
    return segmentsMeet(a, b) ? { kind: 'self', a, b } : null;
  };
  const n = segs.length;
  if (n + rings.length < BRUTE_FORCE_LIMIT) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
      const c = test(segs[i]!, segs[j]!);
      if (c) return c;
    }
    return null;
  }
  // Uniform grid: every segment is listed in each cell it passes through (found column by column,
  // widened by one unit against rounding), so two segments that meet share their meeting point's cell.
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const s of segs) {
    [minX, maxX] = [Math.min(minX, s.ax, s.bx), Math.max(maxX, s.ax, s.bx)];
    [minY, maxY] = [Math.min(minY, s.ay, s.by), Math.max(maxY, s.ay, s.by)];
  }
  const side = Math.ceil(Math.sqrt(2 * n));
  const cw = (maxX - minX + 1) / side;
  const ch = (maxY - minY + 1) / side;
  const clamp = (v: number) => Math.max(0, Math.min(side - 1, v));
  const col = (x: number) => clamp(Math.floor((x - minX) / cw));
  const row = (y: number) => clamp(Math.floor((y - minY) / ch));
  const eachCell = (s: Seg, visit: (cell: number) => void) => {
    const [x0, y0, x1, y1] = s.ax <= s.bx ? [s.ax, s.ay, s.bx, s.by] : [s.bx, s.by, s.ax, s.ay];
    const yAt = (x: number) => (x1 === x0 ? (x === x0 ? y0 : y1) : y0 + ((x - x0) * (y1 - y0)) / (x1 - x0));
    for (let c = col(x0 - 1), c1 = col(x1 + 1); c <= c1; c++) {
      const ya = x1 === x0 ? y0 : yAt(Math.max(x0, minX + c * cw - 1));
      const yb = x1 === x0 ? y1 : yAt(Math.min(x1, minX + (c + 1) * cw + 1));
      for (let r = row(Math.min(ya, yb) - 1), r1 = row(Math.max(ya, yb) + 1); r <= r1; r++) visit(r * side + c);
    }
  };
  const cells: number[][] = Array.from({ length: side * side }, () => []);
  segs.forEach((s, id) => eachCell(s, (cell) => cells[cell]!.push(id)));
  const seen = new Int32Array(n).fill(-1);
  let hit: Crossing | null = null;
  for (let i = 0; i < n && !hit; i++) {
    eachCell(segs[i]!, (cell) => {
      for (const j of cells[cell]!) {
        if (hit || j <= i || seen[j] === i) continue;
        seen[j] = i;
        hit = test(segs[i]!, segs[j]!);
      }
    });
  }
  return hit;
}

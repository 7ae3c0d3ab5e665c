// Clipping of tile-pixel geometry to a tile plus a buffer: Liang–Barsky for lines, Sutherland–Hodgman
// for polygon rings.
import { openRing, ringArea2, type TileGeometry } from './mvt.ts';

type Pt = [number, number];

/** The square [min, max]² geometry is clipped to. */
interface ClipBox {
  min: number;
  max: number;
}

/** Liang–Barsky: the part of segment a→b inside the box as parameters [t0, t1], or null. */
function clipSegment(a: Pt, b: Pt, box: ClipBox): [number, number] | null {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [
    [-dx, a[0] - box.min],
    [dx, box.max - a[0]],
    [-dy, a[1] - box.min],
    [dy, box.max - a[1]],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null; // parallel to this edge and outside it
      continue;
    }
    const t = q / p;
    if (p < 0) {
      if (t > t1) return null;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return null;
      if (t < t1) t1 = t;
    }
  }
  return [t0, t1];
}

const lerp = (a: Pt, b: Pt, t: number): Pt => (t === 0 ? a : t === 1 ? b : [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]);

/** Clips a polyline segment by segment, splitting it where it leaves the box. */
function clipLine(line: readonly Pt[], box: ClipBox): Pt[][] {
  const parts: Pt[][] = [];
  if (line.length === 1) {
    const [p] = line;
    if (p[0] >= box.min && p[0] <= box.max && p[1] >= box.min && p[1] <= box.max) parts.push([p]);
    return parts;
  }
  let current: Pt[] | null = null;
  for (let i = 0; i + 1 < line.length; i++) {
    const a = line[i];
    const b = line[i + 1];
    const t = clipSegment(a, b, box);
    if (!t) {
      current = null;
      continue;
    }
    const end = lerp(a, b, t[1]);
    if (current && t[0] === 0) current.push(end);
    else parts.push((current = [lerp(a, b, t[0]), end]));
    if (t[1] < 1) current = null; // the line leaves the box here
  }
  return parts;
}

/** Sutherland–Hodgman: clips a ring (open or closed) to the box; the result is open and keeps the winding. */
function clipRing(ring: readonly Pt[], box: ClipBox): Pt[] {
  let out: Pt[] = openRing(ring);
  // Each edge: [axis, bound, keep the side ≥ bound?]
  const edges: [0 | 1, number, boolean][] = [
    [0, box.min, true],
    [0, box.max, false],
    [1, box.min, true],
    [1, box.max, false],
  ];
  for (const [axis, bound, keepAbove] of edges) {
    if (out.length === 0) break;
    const input = out;
    out = [];
    const inside = (p: Pt) => (keepAbove ? p[axis] >= bound : p[axis] <= bound);
    const cross = (a: Pt, b: Pt): Pt => {
      const t = (bound - a[axis]) / (b[axis] - a[axis]);
      const p: Pt = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
      p[axis] = bound; // exact on the clip edge
      return p;
    };
    let prev = input[input.length - 1];
    let prevIn = inside(prev);
    for (const cur of input) {
      const curIn = inside(cur);
      if (curIn) {
        if (!prevIn) out.push(cross(prev, cur));
        out.push(cur);
      } else if (prevIn) out.push(cross(prev, cur));
      prev = cur;
      prevIn = curIn;
    }
  }
  return out;
}

/**
 * Clips tile-pixel geometry to the tile (0..extent) grown by `buffer` pixels on each side. Points
 * outside are dropped; lines are clipped per segment (Liang–Barsky) and split into parts where they
 * leave; polygon rings are clipped one by one (Sutherland–Hodgman), keeping their winding, and rings
 * left without area are dropped. Coordinates are not rounded. Returns null when nothing remains.
 */
export function clipToTile(geometry: TileGeometry, extent = 4096, buffer = 64): TileGeometry | null {
  const box: ClipBox = { min: -buffer, max: extent + buffer };
  if (geometry.type === 'Point') {
    const points = geometry.points.filter((p) => p[0] >= box.min && p[0] <= box.max && p[1] >= box.min && p[1] <= box.max);
    return points.length ? { type: 'Point', points } : null;
  }
  if (geometry.type === 'LineString') {
    const lines = geometry.lines.flatMap((l) => clipLine(l, box));
    return lines.length ? { type: 'LineString', lines } : null;
  }
  if (geometry.type === 'Polygon') {
    const rings = geometry.rings.map((r) => clipRing(r, box)).filter((r) => r.length >= 3 && ringArea2(r) !== 0);
    return rings.length ? { type: 'Polygon', rings } : null;
  }
  throw new TypeError(`unknown geometry type ${(geometry as { type: unknown }).type}`);
}

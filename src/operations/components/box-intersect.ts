import { pointInPolygon } from '../../jurisdictions/geo/polygon.ts';
import type { Geometry } from './geometry.ts';

type Pos = [number, number];
type Box = [number, number, number, number];

const inBox = (p: Pos, b: Box) => p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];

/** Segment p–q against the box (Liang–Barsky). */
function segmentHitsBox(p: Pos, q: Pos, b: Box): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = q[0] - p[0];
  const dy = q[1] - p[1];
  const edges: Array<[number, number]> = [
    [-dx, p[0] - b[0]],
    [dx, b[2] - p[0]],
    [-dy, p[1] - b[1]],
    [dy, b[3] - p[1]],
  ];
  for (const [pp, qq] of edges) {
    if (pp === 0) {
      if (qq < 0) return false;
      continue;
    }
    const r = qq / pp;
    if (pp < 0) t0 = Math.max(t0, r);
    else t1 = Math.min(t1, r);
    if (t0 > t1) return false;
  }
  return true;
}

function lineHits(line: Pos[], b: Box): boolean {
  for (let i = 1; i < line.length; i++) if (segmentHitsBox(line[i - 1]!, line[i]!, b)) return true;
  return line.length === 1 && inBox(line[0]!, b);
}


function polygonHits(rings: Pos[][], b: Box): boolean {
  if (rings.some((r) => lineHits(r, b))) return true;
  // No edge crosses the box: either the box lies inside the polygon, or they are apart.
  return pointInPolygon(b[0], b[1], rings);
}

/** True when the geometry itself (not only its bounding box) touches the box. */
export function geometryIntersectsBox(g: Geometry, b: Box): boolean {
  switch (g.type) {
    case 'Point':
      return inBox(g.coordinates as Pos, b);
    case 'LineString':
      return lineHits(g.coordinates as Pos[], b);
    case 'MultiLineString':
      return (g.coordinates as Pos[][]).some((l) => lineHits(l, b));
    case 'Polygon':
      return polygonHits(g.coordinates as Pos[][], b);
    case 'MultiPolygon':
      return (g.coordinates as Pos[][][]).some((p) => polygonHits(p, b));
    default:
      return true;
  }
}

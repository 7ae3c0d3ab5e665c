// Map-scale outlines that were simplified one region at a time overlap their neighbours in thin
// slivers and leave thin gaps between them. Children are partitioned inside these outlines and
// `locate` must give one answer per point, so the outlines are turned into a clean tiling first.
import polygonClipping from 'polygon-clipping';
import { multiPolygonArea, type MultiPolygon, type Ring } from './polygon.ts';

/** A named area to be cleaned, in priority order (earlier ones keep contested slivers). */
export interface NamedArea {
  code: string;
  geometry: MultiPolygon;
}

/** What the clean-up changed, for the data's SOURCE notes. */
export interface CleanupReport {
  overlapRemoved: number;
  gapsFilled: number;
  gapAreaFilled: number;
}

function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function distanceToBoundary(x: number, y: number, mp: MultiPolygon): number {
  let best = Infinity;
  for (const polygon of mp) {
    for (const ring of polygon) {
      for (let i = 1; i < ring.length; i++) {
        const d = distanceToSegment(x, y, ring[i - 1]![0], ring[i - 1]![1], ring[i]![0], ring[i]![1]);
        if (d < best) best = d;
      }
    }
  }
  return best;
}

// A gap goes to the neighbour that borders most of it: each gap edge votes, by its length, for
// the area nearest to its midpoint.
function ownerOfGap(gap: Ring, areas: NamedArea[]): number {
  const votes = new Array<number>(areas.length).fill(0);
  for (let i = 1; i < gap.length; i++) {
    const [ax, ay] = gap[i - 1]!;
    const [bx, by] = gap[i]!;
    const mx = (ax + bx) / 2;
    const my = (ay + by) / 2;
    let best = 0;
    let bestDistance = Infinity;
    areas.forEach((a, k) => {
      const d = distanceToBoundary(mx, my, a.geometry);
      if (d < bestDistance) [best, bestDistance] = [k, d];
    });
    votes[best]! += Math.hypot(bx - ax, by - ay);
  }
  return votes.indexOf(Math.max(...votes));
}

/**
 * Makes areas tile: overlaps go to the earlier area, and interior gaps smaller than
 * `maxGapArea` (square degrees) are merged into their main neighbour. Returns new geometries.
 */
export function cleanTiling(areas: NamedArea[], maxGapArea = 1e-4): { areas: NamedArea[]; report: CleanupReport } {
  const before = areas.reduce((s, a) => s + multiPolygonArea(a.geometry), 0);
  const out: NamedArea[] = [];
  let taken: MultiPolygon = [];
  for (const a of areas) {
    const own = taken.length === 0 ? a.geometry : polygonClipping.difference(a.geometry, taken);
    out.push({ code: a.code, geometry: own });
    taken = polygonClipping.union(taken, own);
  }
  const overlapRemoved = before - out.reduce((s, a) => s + multiPolygonArea(a.geometry), 0);

  let gapsFilled = 0;
  let gapAreaFilled = 0;
  for (const polygon of taken) {
    for (const hole of polygon.slice(1)) {
      const holeArea = multiPolygonArea([[hole]]);
      if (holeArea > maxGapArea) continue;
      const k = ownerOfGap(hole, out);
      out[k] = { code: out[k]!.code, geometry: polygonClipping.union(out[k]!.geometry, [[hole]]) };
      gapsFilled++;
      gapAreaFilled += holeArea;
    }
  }
  return { areas: out, report: { overlapRemoved, gapsFilled, gapAreaFilled } };
}

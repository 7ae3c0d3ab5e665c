// Polygons packed into typed arrays for hot loops: one Float64Array of x,y pairs, ring offsets,
// and a bounding box per ring so that most rings are rejected without touching their vertices.
import type { MultiPolygon } from './polygon.ts';

/** A set of polygon parts (outer ring + holes each) packed into flat arrays. */
export interface FlatParts {
  /** x0, y0, x1, y1, … for every ring, rings back to back. */
  coords: Float64Array;
  /** Ring r spans vertices ringStart[r] .. ringStart[r + 1] - 1. */
  ringStart: Uint32Array;
  /** minX, minY, maxX, maxY of ring r at 4r. */
  ringBox: Float64Array;
  /** Part p spans rings partStart[p] .. partStart[p + 1] - 1 (the first is its outer ring). */
  partStart: Uint32Array;
  /** Index of the input MultiPolygon each part came from. */
  partOwner: Uint32Array;
  partCount: number;
}

/** Packs MultiPolygons into flat arrays; part p belongs to input partOwner[p]. */
export function packParts(geometries: readonly MultiPolygon[]): FlatParts {
  let vertices = 0;
  let rings = 0;
  let parts = 0;
  for (const mp of geometries) {
    for (const polygon of mp) {
      parts++;
      for (const ring of polygon) {
        rings++;
        vertices += ring.length;
      }
    }
  }
  const coords = new Float64Array(vertices * 2);
  const ringStart = new Uint32Array(rings + 1);
  const ringBox = new Float64Array(rings * 4);
  const partStart = new Uint32Array(parts + 1);
  const partOwner = new Uint32Array(parts);
  let v = 0;
  let r = 0;
  let p = 0;
  geometries.forEach((mp, owner) => {
    for (const polygon of mp) {
      partStart[p] = r;
      partOwner[p++] = owner;
      for (const ring of polygon) {
        ringStart[r] = v;
        let minX = Infinity;
        let minY = Infinity;
        let maxX = -Infinity;
        let maxY = -Infinity;
        for (const [x, y] of ring) {
          coords[2 * v] = x;
          coords[2 * v + 1] = y;
          v++;
          if (x < minX) minX = x;
          if (y < minY) minY = y;
          if (x > maxX) maxX = x;
          if (y > maxY) maxY = y;
        }
        ringBox.set([minX, minY, maxX, maxY], 4 * r);
        r++;
      }
    }
  });
  ringStart[r] = v;
  partStart[p] = r;
  return { coords, ringStart, ringBox, partStart, partOwner, partCount: parts };
}

/** Even-odd test of one packed part (outer ring and its holes), same edge rule as pointInRing. */
export function pointInPart(f: FlatParts, p: number, x: number, y: number): boolean {
  const { coords, ringStart, ringBox } = f;
  let inside = false;
  for (let r = f.partStart[p]!, rEnd = f.partStart[p + 1]!; r < rEnd; r++) {
    const b = 4 * r;
    if (x < ringBox[b]! || y < ringBox[b + 1]! || x > ringBox[b + 2]! || y > ringBox[b + 3]!) continue;
    const start = ringStart[r]!;
    const end = ringStart[r + 1]!;
    let xj = coords[2 * (end - 1)]!;
    let yj = coords[2 * (end - 1) + 1]!;
    for (let i = start; i < end; i++) {
      const xi = coords[2 * i]!;
      const yi = coords[2 * i + 1]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      xj = xi;
      yj = yi;
    }
  }
  return inside;
}

/** True when any part owned by the packed set contains the point (linear scan; for small sets). */
export function pointInAnyPart(f: FlatParts, x: number, y: number): boolean {
  for (let p = 0; p < f.partCount; p++) if (pointInPart(f, p, x, y)) return true;
  return false;
}

// Plain-array geometry in GeoJSON coordinate order ([lon, lat]); rings are closed (first === last).

/** A closed ring of [lon, lat] positions. */
export type Ring = [number, number][];
/** An outer ring followed by zero or more holes. */
export type Polygon = Ring[];
/** One or more polygons; every area in this module is handled as a MultiPolygon. */
export type MultiPolygon = Polygon[];
/** [minX, minY, maxX, maxY]. */
export type BBox = [number, number, number, number];

/** Crossing-number test of one ring; half-open on edges so tiles sharing an edge never both claim a point. */
export function pointInRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** True when the point is inside the outer ring and in none of the holes (even-odd over all rings). */
export function pointInPolygon(x: number, y: number, polygon: Polygon): boolean {
  let inside = false;
  for (const ring of polygon) if (pointInRing(x, y, ring)) inside = !inside;
  return inside;
}

/** True when any part of the multipolygon contains the point. */
export function pointInMultiPolygon(x: number, y: number, mp: MultiPolygon): boolean {
  for (const polygon of mp) if (pointInPolygon(x, y, polygon)) return true;
  return false;
}

/** Bounding box of a multipolygon (or of any list of rings). */
export function bbox(mp: MultiPolygon): BBox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of mp) {
    for (const ring of polygon) {
      for (const [x, y] of ring) {
        if (x < minX) minX = x;
        if (y < minY) minY = y;
        if (x > maxX) maxX = x;
        if (y > maxY) maxY = y;
      }
    }
  }
  return [minX, minY, maxX, maxY];
}

/** Signed shoelace area in square degrees: positive for counter-clockwise rings. */
export function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1]);
  }
  return sum / 2;
}

/** Unsigned area in square degrees (outer rings minus holes). */
export function multiPolygonArea(mp: MultiPolygon): number {
  let total = 0;
  for (const polygon of mp) {
    polygon.forEach((ring, k) => {
      total += k === 0 ? Math.abs(ringArea(ring)) : -Math.abs(ringArea(ring));
    });
  }
  return total;
}

/** Area-weighted centroid (may fall outside a concave shape). */
export function centroid(mp: MultiPolygon): [number, number] {
  let cx = 0;
  let cy = 0;
  let total = 0;
  for (const polygon of mp) {
    polygon.forEach((ring, k) => {
      const sign = (k === 0 ? 1 : -1) * Math.sign(ringArea(ring));
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [x0, y0] = ring[j]!;
        const [x1, y1] = ring[i]!;
        const cross = (x0 * y1 - x1 * y0) * sign;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
        total += cross;
      }
    });
  }
  return total === 0 ? [NaN, NaN] : [cx / (3 * total), cy / (3 * total)];
}

/** Rewinds to RFC 7946 order: outer rings counter-clockwise, holes clockwise. */
export function rewind(mp: MultiPolygon): MultiPolygon {
  return mp.map((polygon) =>
    polygon.map((ring, k) => {
      const ccw = ringArea(ring) > 0;
      return (k === 0) === ccw ? ring : [...ring].reverse();
    }),
  );
}

/** Square kilometres of an area given in square degrees at latitude `lat` (fine at city scale). */
export function squareDegreesToKm2(areaDeg2: number, lat: number): number {
  const kmPerDegLat = 110.574;
  const kmPerDegLon = 111.32 * Math.cos((lat * Math.PI) / 180);
  return areaDeg2 * kmPerDegLat * kmPerDegLon;
}

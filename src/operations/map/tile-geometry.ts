// GeoJSON (WGS84) → simplified, clipped geometry for one vector tile. Geometry is projected to
// "world pixels" of zoom z (web mercator, EXTENT units per tile), simplified there with a tolerance of
// about one screen pixel, then moved into the tile and clipped to it plus a buffer. Polygons come out
// with exteriors of positive area and holes of negative area (y down), as the encoder expects.

import { clipToTile } from '../../platform/geo/tiles/clip.ts';
import { ringArea2, type TileGeometry } from '../../platform/geo/tiles/mvt.ts';
import { mercatorX, mercatorY } from '../../platform/geo/tiles/tile-math.ts';
import { simplifyLine, simplifyRing, type Pt } from './simplify.ts';

/** Units across a tile. */
export const EXTENT = 4096;
/** Units around the tile kept when clipping, so strokes and circles at the edge are not cut. */
export const BUFFER = 64;
/** One screen pixel of a tile drawn 512 px wide (MapLibre's size for vector tiles). */
export const TOLERANCE = EXTENT / 512;

type Position = number[];
/** A polygon in world pixels: exterior ring then holes, open rings. */
export type WorldPolygon = Pt[][];

/** lon/lat → world pixels at zoom z. */
export function toWorld(lon: number, lat: number, z: number): Pt {
  const size = 2 ** z * EXTENT;
  return [mercatorX(lon) * size, mercatorY(lat) * size];
}

/**
 * Polygons projected to world pixels at zoom z and simplified by `tolerance` pixels. Rings that lose
 * their area are dropped; a polygon whose exterior goes takes its holes with it.
 */
export function worldPolygons(polygons: readonly (readonly (readonly Position[])[])[], z: number, tolerance = TOLERANCE): WorldPolygon[] {
  const out: WorldPolygon[] = [];
  for (const polygon of polygons) {
    const rings: Pt[][] = [];
    for (let i = 0; i < polygon.length; i++) {
      const exterior = i === 0;
      let ring = simplifyRing(polygon[i].map((p) => toWorld(p[0], p[1], z)), tolerance);
      const area = ring.length >= 3 ? ringArea2(ring) : 0;
      if (area === 0) {
        if (exterior) break;
        continue;
      }
      if (exterior !== area > 0) ring = ring.reverse();
      rings.push(ring);
    }
    if (rings.length > 0) out.push(rings);
  }
  return out;
}

const shift = (ring: readonly Pt[], dx: number, dy: number): Pt[] => ring.map((p) => [p[0] - dx, p[1] - dy]);

/** World polygons → the part of them inside tile x/y (plus the buffer), or null. */
export function polygonsInTile(polygons: readonly WorldPolygon[], x: number, y: number): TileGeometry | null {
  const dx = x * EXTENT;
  const dy = y * EXTENT;
  const rings: Pt[][] = [];
  for (const polygon of polygons) {
    const exterior = clipToTile({ type: 'Polygon', rings: [shift(polygon[0], dx, dy)] }, EXTENT, BUFFER);
    if (!exterior || exterior.type !== 'Polygon') continue;
    rings.push(...exterior.rings);
    for (const hole of polygon.slice(1)) {
      const h = clipToTile({ type: 'Polygon', rings: [shift(hole, dx, dy)] }, EXTENT, BUFFER);
      if (h && h.type === 'Polygon') rings.push(...h.rings);
    }
  }
  return rings.length ? { type: 'Polygon', rings } : null;
}

/** World polygons → their rings as closed lines inside tile x/y (boundaries drawn as lines). */
export function outlinesInTile(polygons: readonly WorldPolygon[], x: number, y: number): TileGeometry | null {
  const dx = x * EXTENT;
  const dy = y * EXTENT;
  const lines: Pt[][] = [];
  for (const polygon of polygons) for (const ring of polygon) lines.push(shift([...ring, ring[0]], dx, dy));
  return lines.length ? clipToTile({ type: 'LineString', lines }, EXTENT, BUFFER) : null;
}

/** A point → tile pixels of z/x/y (may fall outside 0..EXTENT). */
export function pointInTile(lon: number, lat: number, z: number, x: number, y: number): Pt {
  const [wx, wy] = toWorld(lon, lat, z);
  return [wx - x * EXTENT, wy - y * EXTENT];
}

export type GeoJSONGeometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

/** Any GeoJSON geometry → simplified and clipped geometry of tile z/x/y, or null when nothing is left. */
export function geojsonInTile(g: GeoJSONGeometry, z: number, x: number, y: number, tolerance = TOLERANCE): TileGeometry | null {
  switch (g.type) {
    case 'Point':
    case 'MultiPoint': {
      const input = g.type === 'Point' ? [g.coordinates] : g.coordinates;
      return clipToTile({ type: 'Point', points: input.map((p) => pointInTile(p[0], p[1], z, x, y)) }, EXTENT, BUFFER);
    }
    case 'LineString':
    case 'MultiLineString': {
      const input = g.type === 'LineString' ? [g.coordinates] : g.coordinates;
      const dx = x * EXTENT;
      const dy = y * EXTENT;
      const lines = input.map((line) => shift(simplifyLine(line.map((p) => toWorld(p[0], p[1], z)), tolerance), dx, dy));
      return clipToTile({ type: 'LineString', lines }, EXTENT, BUFFER);
    }
    case 'Polygon':
      return polygonsInTile(worldPolygons([g.coordinates], z, tolerance), x, y);
    case 'MultiPolygon':
      return polygonsInTile(worldPolygons(g.coordinates, z, tolerance), x, y);
    default:
      return null;
  }
}

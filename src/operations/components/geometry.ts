// Geometry of city components (WGS84, GeoJSON order [lon, lat]): validation and normalisation of
// submitted GeoJSON, plus the measures the registry needs (bounding box, a representative point on
// the geometry for jurisdiction assignment, point-to-geometry distance, search-box sizes).

import { distanceMetres } from '../../jurisdictions/geo/gcj02.ts';
import { findCrossing, SCALE, type Seg } from './crossing.ts';
import { centroid, pointInMultiPolygon, pointInPolygon, pointInRing, ringArea } from '../../jurisdictions/geo/polygon.ts';

export type Position = [number, number];
export type PointGeometry = { type: 'Point'; coordinates: Position };
export type LineStringGeometry = { type: 'LineString'; coordinates: Position[] };
export type PolygonGeometry = { type: 'Polygon'; coordinates: Position[][] };
export type MultiLineStringGeometry = { type: 'MultiLineString'; coordinates: Position[][] };
export type MultiPolygonGeometry = { type: 'MultiPolygon'; coordinates: Position[][][] };
export type Geometry = PointGeometry | LineStringGeometry | PolygonGeometry | MultiLineStringGeometry | MultiPolygonGeometry;
export type GeometryKind = 'point' | 'line' | 'polygon';
export type GeometryValidation = { ok: true; geometry: Geometry } | { ok: false; field: string; reason: string };

/**
 * [minLon, minLat, maxLon, maxLat] around Shanghai with a margin. The district outlines
 * (data/divisions/shanghai-districts.geojson) span 120.853–122.008 E, 30.678–31.869 N; the west edge is
 * widened to 120.8 (the outlines come within ~300 m of 120.85) and the east edge to 122.3 so that
 * Sheshan Island (佘山岛, Chongming, 122.243 E), which the outlines leave out, is inside.
 */
export const SHANGHAI_EXTENT: readonly [number, number, number, number] = [120.8, 30.66, 122.3, 31.9];
const [MIN_LON, MIN_LAT, MAX_LON, MAX_LAT] = SHANGHAI_EXTENT;
const EXTENT_TEXT = `${MIN_LON}–${MAX_LON} E, ${MIN_LAT}–${MAX_LAT} N`;

const R = 6371008.8; // same mean Earth radius as distanceMetres
/** Metres in a degree of latitude, as the distances to lines and areas below count them. */
export const M_PER_DEG = (R * Math.PI) / 180;

const round7 = (v: number): number => Math.round(v * SCALE) / SCALE;
const inExtent = (lon: number, lat: number): boolean => lon >= MIN_LON && lon <= MAX_LON && lat >= MIN_LAT && lat <= MAX_LAT;

class Invalid extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}
function fail(field: string, reason: string): never {
  throw new Invalid(field, reason);
}

function list(v: unknown, path: string, what: string, min = 1): unknown[] {
  if (!Array.isArray(v)) fail(path, `must be an array of ${what}`);
  if (v.length < min) fail(path, `must contain at least ${min} ${what}`);
  return v;
}

function position(v: unknown, path: string): Position {
  if (!Array.isArray(v)) fail(path, 'a position must be an array [lon, lat]');
  if (v.length < 2 || v.length > 3) fail(path, `a position must have 2 or 3 numbers [lon, lat, (alt)], got ${v.length}`);
  v.forEach((n, i) => {
    if (typeof n !== 'number' || !Number.isFinite(n)) fail(`${path}[${i}]`, `${['longitude', 'latitude', 'altitude'][i]} must be a finite number`);
  });
  const lon = round7(v[0] as number);
  const lat = round7(v[1] as number);
  if (!inExtent(lon, lat)) {
    if (inExtent(lat, lon)) fail(path, `[${lon}, ${lat}]: latitude and longitude appear swapped; GeoJSON order is [lon, lat]`);
    fail(path, `[${lon}, ${lat}] is outside Shanghai's extent ${EXTENT_TEXT}`);
  }
  return [lon, lat];
}

/** Drops consecutive repeated positions, keeping each kept position's index in the input. */
function dedupe(pts: Position[]): { pts: Position[]; idx: number[] } {
  const out: Position[] = [];
  const idx: number[] = [];
  pts.forEach((p, i) => {
    const prev = out[out.length - 1];
    if (prev && prev[0] === p[0] && prev[1] === p[1]) return;
    out.push(p);
    idx.push(i);
  });
  return { pts: out, idx };
}

function line(v: unknown, path: string): Position[] {
  const { pts } = dedupe(list(v, path, 'positions').map((p, i) => position(p, `${path}[${i}]`)));
  if (pts.length < 2) fail(path, 'a line needs at least 2 distinct positions');
  return pts;
}

function ring(v: unknown, path: string): { pts: Position[]; idx: number[] } {
  const raw = list(v, path, 'positions').map((p, i) => position(p, `${path}[${i}]`));
  if (raw.length < 4) fail(path, `a ring needs at least 4 positions (the first repeated as the last), got ${raw.length}`);
  const first = raw[0]!;
  const last = raw[raw.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) fail(`${path}[${raw.length - 1}]`, 'ring is not closed: the last position must equal the first');
  const d = dedupe(raw);
  if (d.pts.length < 4) fail(path, 'a ring needs at least 3 distinct corners');
  return d;
}

function polygon(v: unknown, path: string): Position[][] {
  const rings = list(v, path, 'rings').map((r, k) => ring(r, `${path}[${k}]`));
  const hit = findCrossing(rings.map((r) => r.pts));
  if (hit) {
    const at = (s: Seg) => rings[s.ring]!.idx[s.i]!;
    const field = `${path}[${hit.b.ring}][${at(hit.b)}]`;
    if (hit.kind === 'spike') fail(field, `ring doubles back on itself at position ${at(hit.b)}`);
    if (hit.kind === 'self') fail(field, `ring intersects itself: the edge from position ${at(hit.a)} meets the edge from position ${at(hit.b)}`);
    fail(field, `rings ${hit.a.ring} and ${hit.b.ring} touch or cross (edges from positions ${at(hit.a)} and ${at(hit.b)})`);
  }
  // A ring without crossings or fold-backs always encloses area; this is a last safety net.
  rings.forEach(({ pts }, k) => ringArea(pts) === 0 && fail(`${path}[${k}]`, 'ring has zero area'));
  // Rings no longer meet, so one vertex of a hole tells which side of another ring it is on.
  for (let k = 1; k < rings.length; k++) {
    const [x, y] = rings[k]!.pts[0]!;
    if (!pointInRing(x, y, rings[0]!.pts)) fail(`${path}[${k}]`, 'hole lies outside the outer ring');
    for (let m = 1; m < rings.length; m++) {
      if (m !== k && pointInRing(x, y, rings[m]!.pts)) fail(`${path}[${k}]`, `hole lies inside another hole (ring ${m})`);
    }
  }
  // RFC 7946: outer ring counter-clockwise (positive shoelace area), holes clockwise.
  return rings.map(({ pts }, k) => ((k === 0) === ringArea(pts) > 0 ? pts : [...pts].reverse()));
}

/**
 * A MultiPolygon's parts, each a valid polygon, that do not overlap: no edge of one meets an edge
 * of another, and no part lies inside another (an island in another part's hole is fine).
 */
function multiPolygon(v: unknown, path: string, partsChecked: boolean): Position[][][] {
  const polys = list(v, path, 'polygons').map((x, i) => polygon(x, `${path}[${i}]`));
  if (partsChecked) return polys;
  const boxes = polys.map((p) => {
    const xs = p[0]!.map((q) => q[0]);
    const ys = p[0]!.map((q) => q[1]);
    return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  });
  for (let j = 1; j < polys.length; j++) {
    for (let i = 0; i < j; i++) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      if (a[2]! < b[0]! || b[2]! < a[0]! || a[3]! < b[1]! || b[3]! < a[1]!) continue;
      // Rings of one polygon were checked not to meet: a hit is between the two polygons.
      if (findCrossing([...polys[i]!, ...polys[j]!])) fail(`${path}[${j}]`, `polygon ${j} touches or crosses polygon ${i}`);
      const [x, y] = polys[j]![0]![0]!;
      if (pointInPolygon(x, y, polys[i]!)) fail(`${path}[${j}]`, `polygon ${j} lies inside polygon ${i}`);
      const [x2, y2] = polys[i]![0]![0]!;
      if (pointInPolygon(x2, y2, polys[j]!)) fail(`${path}[${j}]`, `polygon ${j} covers polygon ${i}`);
    }
  }
  return polys;
}

/**
 * Checks submitted GeoJSON geometry and returns it normalised: positions rounded to 7 decimals
 * (a third value dropped), repeated consecutive positions removed, rings wound per RFC 7946.
 */
export function validateGeometry(input: unknown, path = 'geometry', opts: { stored?: boolean } = {}): GeometryValidation {
  try {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) fail(path, 'must be a GeoJSON geometry object');
    const { type, coordinates: c } = input as { type?: unknown; coordinates?: unknown };
    const cp = `${path}.coordinates`;
    const each = <T>(v: unknown, what: string, f: (x: unknown, p: string) => T): T[] =>
      list(v, cp, what).map((x, i) => f(x, `${cp}[${i}]`));
    switch (type) {
      case 'Point':
        return { ok: true, geometry: { type, coordinates: position(c, cp) } };
      case 'LineString':
        return { ok: true, geometry: { type, coordinates: line(c, cp) } };
      case 'Polygon':
        return { ok: true, geometry: { type, coordinates: polygon(c, cp) } };
      case 'MultiLineString':
        return { ok: true, geometry: { type, coordinates: each(c, 'lines', line) } };
      case 'MultiPolygon':
        // A stored MultiPolygon may predate the check between its parts: a change that keeps it is not refused for it.
        return { ok: true, geometry: { type, coordinates: multiPolygon(c, cp, opts.stored === true) } };
      default:
        return fail(
          `${path}.type`,
          `unsupported type ${JSON.stringify(type ?? null)}; expected Point, LineString, Polygon, MultiLineString or MultiPolygon`,
        );
    }
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, field: e.field, reason: e.reason };
    throw e;
  }
}

export function geometryKind(g: Geometry): GeometryKind {
  if (g.type === 'Point') return 'point';
  return g.type === 'LineString' || g.type === 'MultiLineString' ? 'line' : 'polygon';
}

const lineParts = (g: LineStringGeometry | MultiLineStringGeometry): Position[][] =>
  g.type === 'LineString' ? [g.coordinates] : g.coordinates;
const polygonParts = (g: PolygonGeometry | MultiPolygonGeometry): Position[][][] =>
  g.type === 'Polygon' ? [g.coordinates] : g.coordinates;

function positions(g: Geometry): Position[] {
  if (g.type === 'Point') return [g.coordinates];
  if (g.type === 'LineString' || g.type === 'MultiLineString') return lineParts(g).flat();
  return polygonParts(g).flat(2);
}

export function geometryBBox(g: Geometry): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of positions(g)) {
    box[0] = Math.min(box[0], x);
    box[1] = Math.min(box[1], y);
    box[2] = Math.max(box[2], x);
    box[3] = Math.max(box[3], y);
  }
  return box;
}

/** The point at half the total (great-circle) length, interpolated within its segment. */
function halfwayAlong(parts: Position[][]): Position {
  const len = (a: Position, b: Position) => distanceMetres(a[0], a[1], b[0], b[1]);
  let total = 0;
  for (const p of parts) for (let i = 1; i < p.length; i++) total += len(p[i - 1]!, p[i]!);
  if (total === 0) return [...parts[0]![0]!];
  let left = total / 2;
  for (const p of parts) {
    for (let i = 1; i < p.length; i++) {
      const [a, b] = [p[i - 1]!, p[i]!];
      const d = len(a, b);
      if (d > 0 && d >= left) {
        const t = left / d;
        return [round7(a[0] + (b[0] - a[0]) * t), round7(a[1] + (b[1] - a[1]) * t)];
      }
      left -= d;
    }
  }
  const last = parts[parts.length - 1]!; // only reached through rounding at the very end
  return [...last[last.length - 1]!];
}

/** Midpoint of the widest inside interval of the horizontal line at `y` (even-odd over all rings). */
function scanlinePoint(poly: Position[][], y: number): Position | null {
  const xs: number[] = [];
  for (const r of poly) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i]!;
      const [xj, yj] = r[j]!;
      if (yi > y !== yj > y) xs.push(xi + ((y - yi) * (xj - xi)) / (yj - yi));
    }
  }
  xs.sort((a, b) => a - b);
  let best: Position | null = null;
  let width = 0;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1]! - xs[i]! > width) {
      width = xs[i + 1]! - xs[i]!;
      best = [(xs[i]! + xs[i + 1]!) / 2, y];
    }
  }
  return best;
}

function pointInside(polys: Position[][][]): Position {
  const c = centroid(polys);
  if (pointInMultiPolygon(c[0], c[1], polys)) return [round7(c[0]), round7(c[1])];
  const area = (p: Position[][]) => p.reduce((s, r, k) => s + (k === 0 ? 1 : -1) * Math.abs(ringArea(r)), 0);
  const largest = polys.reduce((a, b) => (area(b) > area(a) ? b : a));
  const [cx, cy] = centroid([largest]);
  if (pointInPolygon(cx, cy, largest)) return [round7(cx), round7(cy)];
  const ys = largest[0]!.map((p) => p[1]);
  const p = scanlinePoint(largest, cy) ?? scanlinePoint(largest, (Math.min(...ys) + Math.max(...ys)) / 2);
  return p ? [round7(p[0]), round7(p[1])] : [...largest[0]![0]!];
}

/**
 * A point on the geometry, used to assign its jurisdiction: the point itself; for lines the point
 * halfway along their length; for areas the centroid when it is inside, else an inside point.
 */
export function representativePoint(g: Geometry): Position {
  if (g.type === 'Point') return [...g.coordinates];
  if (g.type === 'LineString' || g.type === 'MultiLineString') return halfwayAlong(lineParts(g));
  return pointInside(polygonParts(g));
}

/**
 * Metres from [lon, lat] to the geometry: haversine to a point; to lines and area boundaries the
 * point-to-segment distance in an equirectangular projection centred on the query point; 0 inside an area.
 */
export function distanceToGeometryMetres(lon: number, lat: number, g: Geometry): number {
  if (g.type === 'Point') return distanceMetres(lon, lat, g.coordinates[0], g.coordinates[1]);
  const kx = M_PER_DEG * Math.cos((lat * Math.PI) / 180);
  let best = Infinity;
  const scan = (pts: Position[]) => {
    for (let i = 1; i < pts.length; i++) {
      const ax = (pts[i - 1]![0] - lon) * kx;
      const ay = (pts[i - 1]![1] - lat) * M_PER_DEG;
      const dx = (pts[i]![0] - lon) * kx - ax;
      const dy = (pts[i]![1] - lat) * M_PER_DEG - ay;
      const len2 = dx * dx + dy * dy;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
      best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
    }
  };
  if (g.type === 'LineString' || g.type === 'MultiLineString') {
    lineParts(g).forEach(scan);
    return best;
  }
  for (const poly of polygonParts(g)) {
    if (pointInPolygon(lon, lat, poly)) return 0;
    poly.forEach(scan);
  }
  return best;
}

/** Degree spans of `metres` at latitude `lat`, for building search boxes. */
export function metresToDegrees(lat: number, metres: number): { dLon: number; dLat: number } {
  const cos = Math.max(Math.cos((lat * Math.PI) / 180), 1e-12);
  return { dLon: metres / (M_PER_DEG * cos), dLat: metres / M_PER_DEG };
}

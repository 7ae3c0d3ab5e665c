// NGSI-LD geo-queries on device points: `georel=near;maxDistance==500` (or minDistance) around
// `geometry=Point&coordinates=[lon,lat]`, and `within` / `intersects` a Polygon.
import { invalid } from '../../../platform/errors.ts';
import { pointInPolygon } from '../../../jurisdictions/geo/polygon.ts';

export interface GeoFilter {
  /** A box that holds every match (for the SQL pre-filter); undefined when it cannot be bounded. */
  box?: [number, number, number, number];
  test(lon: number, lat: number): boolean;
}

const EARTH = 6_371_008.8;

/** Great-circle distance in metres. */
export function metres(aLon: number, aLat: number, bLon: number, bLat: number): number {
  const rad = Math.PI / 180;
  const dLat = (bLat - aLat) * rad;
  const dLon = (bLon - aLon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function parseGeo(georel: string, geometry: string | undefined, coordinates: string | undefined): GeoFilter {
  let coords: unknown;
  try {
    coords = JSON.parse(coordinates ?? '');
  } catch {
    throw invalid('coordinates', 'must be JSON coordinates, e.g. [121.5063,31.2395]');
  }
  const [rel, ...mods] = georel.split(';');
  if (rel === 'near') {
    if (geometry !== 'Point' || !isPosition(coords)) throw invalid('geometry', 'near needs geometry=Point and coordinates=[lon,lat]');
    const [lon, lat] = coords;
    const mod = /^(maxDistance|minDistance)==(\d+(\.\d+)?)$/.exec(mods[0] ?? '');
    if (!mod) throw invalid('georel', 'near needs maxDistance==metres or minDistance==metres, e.g. near;maxDistance==500');
    const d = Number(mod[2]);
    if (mod[1] === 'minDistance') return { test: (x, y) => metres(lon, lat, x, y) >= d };
    const dLat = (d / EARTH) * (180 / Math.PI);
    const dLon = dLat / Math.cos((lat * Math.PI) / 180);
    return { box: [lon - dLon, lat - dLat, lon + dLon, lat + dLat], test: (x, y) => metres(lon, lat, x, y) <= d };
  }
  if (rel === 'within' || rel === 'intersects') {
    if (geometry !== 'Polygon' || !Array.isArray(coords) || !coords.every((ring) => Array.isArray(ring) && ring.length >= 4 && ring.every(isPosition))) {
      throw invalid('geometry', `${rel} needs geometry=Polygon and coordinates=[[[lon,lat],…]] (closed rings)`);
    }
    const rings = coords as Array<Array<[number, number]>>;
    const outer = rings[0]!;
    const xs = outer.map((p) => p[0]);
    const ys = outer.map((p) => p[1]);
    return { box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)], test: (x, y) => pointInPolygon(x, y, rings) };
  }
  throw invalid('georel', `${rel} is not supported here; use near, within or intersects`);
}

const isPosition = (v: unknown): v is [number, number] => Array.isArray(v) && v.length >= 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n));


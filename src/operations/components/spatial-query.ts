import type { Executor } from '../../platform/db/database.ts';
import { invalid } from '../../platform/errors.ts';
import type { ComponentRow } from './component.schema.ts';
import type { Box, ComponentStore, Filters } from './component.store.ts';
import { distanceToGeometryMetres, metresToDegrees } from './geometry.ts';
import { distanceMetres } from '../../jurisdictions/geo/gcj02.ts';

export interface Hit {
  row: ComponentRow;
  distance: number;
}

/** Most candidates a within-radius query refines before it asks for a smaller radius. */
const RADIUS_CAP = 20_000;

function boxAround(lon: number, lat: number, metres: number): Box {
  const { dLon, dLat } = metresToDegrees(lat, metres);
  return [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
}

function distanceTo(lon: number, lat: number, r: ComponentRow): number {
  return r.geometry_kind === 'point' ? distanceMetres(lon, lat, r.lon, r.lat) : distanceToGeometryMetres(lon, lat, JSON.parse(r.geometry));
}

const byDistance = (a: Hit, b: Hit) => a.distance - b.distance || a.row.id - b.row.id;

/**
 * The k nearest components. Both databases answer box queries from their spatial index; the box
 * grows (×4 area) until it holds k candidates whose k-th exact distance lies inside the circle the
 * box encloses — then no component outside the box can be nearer.
 */
export async function nearest(store: ComponentStore, db: Executor, lon: number, lat: number, k: number, f: Filters): Promise<Hit[]> {
  let radius = 50;
  for (;;) {
    const rows = await store.allInBox(db, boxAround(lon, lat, radius), f, 200_000);
    const hits = rows.map((row) => ({ row, distance: distanceTo(lon, lat, row) })).sort(byDistance);
    const enough = hits.length >= k && hits[k - 1]!.distance <= radius;
    if (enough || radius >= 200_000) return hits.filter((h) => h.distance <= radius || radius >= 200_000).slice(0, k);
    // Jump straight to a radius that should hold k when the box was nearly empty.
    radius *= hits.length === 0 ? 4 : Math.max(2, Math.min(8, Math.sqrt(k / Math.max(hits.length, 1)) * 1.5));
  }
}

/** Every component within `radius` metres, nearest first. */
export async function withinRadius(store: ComponentStore, db: Executor, lon: number, lat: number, radius: number, f: Filters): Promise<Hit[]> {
  const rows = await store.allInBox(db, boxAround(lon, lat, radius), f, RADIUS_CAP + 1);
  if (rows.length > RADIUS_CAP) throw invalid('radius', `holds more than ${RADIUS_CAP.toLocaleString('en')} components; use a smaller radius, a type filter or a bbox query`);
  return rows
    .map((row) => ({ row, distance: distanceTo(lon, lat, row) }))
    .filter((h) => h.distance <= radius)
    .sort(byDistance);
}

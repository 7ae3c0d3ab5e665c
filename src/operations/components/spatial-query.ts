import type { Executor } from '../../platform/db/database.ts';
import { invalid } from '../../platform/errors.ts';
import type { ViewRow } from './component.columns.ts';
import type { Box, Candidate, ComponentStore, Filters } from './component.store.ts';
import { distanceToGeometryMetres, M_PER_DEG, metresToDegrees } from './geometry.ts';
import { distanceMetres } from '../../jurisdictions/geo/gcj02.ts';

export interface Hit {
  row: ViewRow;
  distance: number;
}

/** Most candidates a within-radius query refines before it asks for a smaller radius. */
const RADIUS_CAP = 20_000;

function boxAround(lon: number, lat: number, metres: number): Box {
  const { dLon, dLat } = metresToDegrees(lat, metres);
  return [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
}

function distanceTo(lon: number, lat: number, c: Candidate): number {
  return c.geometry === null ? distanceMetres(lon, lat, c.lon, c.lat) : distanceToGeometryMetres(lon, lat, JSON.parse(c.geometry));
}

interface Bounds {
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
}

interface Ranked {
  id: number;
  distance: number;
}

const byDistance = (a: Ranked, b: Ranked) => a.distance - b.distance || a.id - b.id;

/** The rows of ranked candidates, in their order (only the answer's rows are read whole). */
async function withRows(store: ComponentStore, db: Executor, ranked: Ranked[]): Promise<Hit[]> {
  const rows = new Map((await store.byIds(db, ranked.map((r) => r.id))).map((row) => [row.id, row]));
  // A row deleted between the two reads is left out.
  return ranked.flatMap((r) => {
    const row = rows.get(r.id);
    return row ? [{ row, distance: r.distance }] : [];
  });
}

/**
 * The k nearest components. Both databases answer box queries from their spatial index; the box
 * grows (×4 area) until it holds k candidates whose k-th exact distance lies inside the circle the
 * box encloses — then no component outside the box can be nearer.
 */
export async function nearest(store: ComponentStore, db: Executor, lon: number, lat: number, k: number, f: Filters): Promise<Hit[]> {
  // Types the scope barely holds are ranked whole (rare-types.ts): a growing box would read the
  // city's other components on its way to k of them.
  const rare = f.types?.length ? await store.rare.rows(db, f, true) : null;
  if (rare) return withRows(store, db, nearestOf(lon, lat, k, rare));
  let radius = 50;
  for (;;) {
    const found = await store.candidatesInBox(db, boxAround(lon, lat, radius), f, 200_000);
    const ranked = found.map((c) => ({ id: c.id, distance: distanceTo(lon, lat, c) })).sort(byDistance);
    const enough = ranked.length >= k && ranked[k - 1]!.distance <= radius;
    if (enough || radius >= 200_000) return withRows(store, db, ranked.filter((h) => h.distance <= radius || radius >= 200_000).slice(0, k));
    // Jump straight to a radius that should hold k when the box was nearly empty.
    radius *= ranked.length === 0 ? 4 : Math.max(2, Math.min(8, Math.sqrt(k / Math.max(ranked.length, 1)) * 1.5));
  }
}

/**
 * The k nearest of `all`. Each is first ranked by its bounding box's distance, which no part of it
 * is nearer than; the exact distance of a line or area (its GeoJSON parsed) is worked out only
 * while it could still be among the k.
 */
function nearestOf(lon: number, lat: number, k: number, all: Array<Candidate & Bounds>): Ranked[] {
  const kx = M_PER_DEG * Math.cos((lat * Math.PI) / 180);
  const bound = (c: Candidate & Bounds) =>
    c.geometry === null ? distanceMetres(lon, lat, c.lon, c.lat) : Math.hypot(Math.max(c.min_lon - lon, 0, lon - c.max_lon) * kx, Math.max(c.min_lat - lat, 0, lat - c.max_lat) * M_PER_DEG);
  const byBound = all.map((c) => ({ c, bound: bound(c) })).sort((a, b) => a.bound - b.bound);
  const best: Ranked[] = [];
  for (const { c, bound: b } of byBound) {
    if (best.length >= k && b > best[k - 1]!.distance) break;
    best.push({ id: c.id, distance: c.geometry === null ? b : distanceTo(lon, lat, c) });
    best.sort(byDistance);
    if (best.length > k) best.length = k;
  }
  return best;
}

/** A page of the components within `radius` metres, nearest first, and how many there are in all. */
export async function withinRadius(store: ComponentStore, db: Executor, lon: number, lat: number, radius: number, f: Filters, page: { offset: number; limit: number }): Promise<{ hits: Hit[]; total: number }> {
  const found = await store.candidatesInBox(db, boxAround(lon, lat, radius), f, RADIUS_CAP + 1);
  if (found.length > RADIUS_CAP) throw invalid('radius', `holds more than ${RADIUS_CAP.toLocaleString('en')} components; use a smaller radius, a type filter or a bbox query`);
  const ranked = found
    .map((c) => ({ id: c.id, distance: distanceTo(lon, lat, c) }))
    .filter((h) => h.distance <= radius)
    .sort(byDistance);
  return { hits: await withRows(store, db, ranked.slice(page.offset, page.offset + page.limit)), total: ranked.length };
}

// The component layers of the command map: at zoom 15 and deeper the components themselves, above
// that counts per place (street, committee or grid cell by zoom) drawn at the place's centre.

import type { Principal } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { ComponentStatus } from '../components/index.ts';
import type { TileFeature, TileLayer } from '../../platform/geo/tiles/mvt.ts';
import { mercatorX, mercatorY } from '../../platform/geo/tiles/tile-math.ts';
import { BUFFER, EXTENT, geojsonInTile, type GeoJSONGeometry } from './tile-geometry.ts';
import type { Box } from './map.store.ts';

/** Zoom from which tiles carry the components themselves rather than counts. */
export const DETAIL_MIN_ZOOM = 15;
/** Most features a detail tile carries; beyond that it is cut and says so in its `meta` layer. */
export const MAX_TILE_FEATURES = 20_000;

/** Which level aggregates are counted at: streets below 11, committees at 11–12, grid cells at 13–14. */
export function aggregateDigits(z: number): 9 | 12 | 15 {
  if (z < 11) return 9;
  if (z < 13) return 12;
  return 15;
}

/** A place with components, as the aggregates layer draws it. */
export interface Place {
  code: string;
  name: string;
  nameEn: string;
  /** Web-mercator position of the place's centre as fractions of the world (0..1). */
  mx: number;
  my: number;
  counts: Record<ComponentStatus, number>;
  total: number;
}

/** Counts per place for one scope, depth and class list, as read at one moment. */
export interface CountsSnapshot {
  key: string;
  scope: string;
  places: Place[];
}

/**
 * Counts per place are costly at city scope (a grouped scan of the counts table), and every
 * aggregate tile of a zoom band needs the same ones: they are read once per (scope, depth, classes)
 * and kept for a few seconds, or until a change inside the scope.
 */
export class CountsCache {
  private readonly entries = new Map<string, { snapshot: CountsSnapshot; expires: number }>();
  private readonly inflight = new Map<string, Promise<CountsSnapshot>>();
  private epoch = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly ttlMs: number,
  ) {}

  /** The snapshot for the caller's scope (access is checked by the components service on a read). */
  async get(p: Principal, scope: string, digits: 9 | 12 | 15, classes: string[] | undefined, useCache = true): Promise<CountsSnapshot> {
    const key = `${scope}|${digits}|${classes?.join(',') ?? '*'}`;
    if (!useCache) return this.read(p, key, scope, digits, classes);
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.ctx.clock.now()) return hit.snapshot;
    let pending = this.inflight.get(key);
    if (!pending) {
      const epoch = this.epoch;
      pending = this.read(p, key, scope, digits, classes).then(
        (snapshot) => {
          if (this.inflight.get(key) === pending) this.inflight.delete(key);
          // A change while reading: the snapshot may miss it, so it serves this request only.
          if (epoch === this.epoch) this.entries.set(key, { snapshot, expires: this.ctx.clock.now() + this.ttlMs });
          return snapshot;
        },
        (err) => {
          if (this.inflight.get(key) === pending) this.inflight.delete(key);
          throw err;
        },
      );
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private async read(p: Principal, key: string, scope: string, digits: 9 | 12 | 15, classes: string[] | undefined): Promise<CountsSnapshot> {
    const counts = await this.ctx.services.components.countsByPlace(p, digits, { classes });
    const j = this.ctx.services.jurisdictions;
    const places: Place[] = [];
    for (const [code, byStatus] of counts) {
      const node = j.get(code);
      const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
      if (!node || total <= 0) continue;
      places.push({ code, name: node.name, nameEn: node.nameEn, mx: mercatorX(node.centroid[0]), my: mercatorY(node.centroid[1]), counts: byStatus, total });
    }
    places.sort((a, b) => (a.code < b.code ? -1 : 1));
    return { key, scope, places };
  }

  /** True while the snapshot is what `get` would answer (not dropped, not expired). */
  isCurrent(s: CountsSnapshot): boolean {
    const e = this.entries.get(s.key);
    return e !== undefined && e.snapshot === s && e.expires > this.ctx.clock.now();
  }

  /**
   * Drops the snapshots a change at `jurisdictionCode` may have altered: scopes containing it, and
   * street-or-deeper scopes of its district (the component may have moved from there; a move never
   * leaves the district). Without a code, drops them all.
   */
  invalidate(jurisdictionCode?: string): void {
    this.epoch++;
    this.inflight.clear();
    for (const [key, { snapshot }] of this.entries) {
      const s = snapshot.scope;
      if (jurisdictionCode === undefined || jurisdictionCode.startsWith(s) || (s.length > 6 && s.startsWith(jurisdictionCode.slice(0, 6)))) this.entries.delete(key);
    }
  }
}

/** The `aggregates` layer: places of the snapshot whose centre lies in the tile (plus the buffer). */
export function aggregatesLayer(snapshot: CountsSnapshot, z: number, x: number, y: number): TileLayer {
  const n = 2 ** z;
  const features: TileFeature[] = [];
  for (const place of snapshot.places) {
    const px = (place.mx * n - x) * EXTENT;
    const py = (place.my * n - y) * EXTENT;
    if (px < -BUFFER || px > EXTENT + BUFFER || py < -BUFFER || py > EXTENT + BUFFER) continue;
    features.push({ id: Number(place.code), geometry: { type: 'Point', points: [[px, py]] }, properties: { code: place.code, name: place.name, nameEn: place.nameEn, total: place.total, ...place.counts } });
  }
  return { name: 'aggregates', extent: EXTENT, features };
}

/** A component as the detail layers need it. */
export interface ComponentRowLike {
  code: string;
  type_code: string;
  geometry_kind: string;
  geometry: string;
  lon: number;
  lat: number;
  status: string;
  name: string | null;
}

/**
 * `components` (one point per component, at its representative point), `areas` (the lines and
 * polygons of line and area objects) and, when more than `max` components overlap the tile, `meta`
 * with `truncated: true`.
 */
export function detailLayers(rows: readonly ComponentRowLike[], kindOf: (type: string) => string, z: number, x: number, y: number, max = MAX_TILE_FEATURES): TileLayer[] {
  const n = 2 ** z;
  const points: TileFeature[] = [];
  const areas: TileFeature[] = [];
  const truncated = rows.length > max;
  for (const r of truncated ? rows.slice(0, max) : rows) {
    const properties = { code: r.code, type: r.type_code, class: r.type_code.slice(0, 2), kind: kindOf(r.type_code), status: r.status, name: r.name };
    const id = Number(r.code);
    const px = (mercatorX(r.lon) * n - x) * EXTENT;
    const py = (mercatorY(r.lat) * n - y) * EXTENT;
    if (px >= -BUFFER && px <= EXTENT + BUFFER && py >= -BUFFER && py <= EXTENT + BUFFER) points.push({ id, geometry: { type: 'Point', points: [[px, py]] }, properties });
    if (r.geometry_kind !== 'point') {
      const geometry = geojsonInTile(JSON.parse(r.geometry) as GeoJSONGeometry, z, x, y);
      if (geometry) areas.push({ id, geometry, properties });
    }
  }
  const layers: TileLayer[] = [
    { name: 'components', extent: EXTENT, features: points },
    { name: 'areas', extent: EXTENT, features: areas },
  ];
  if (truncated) layers.push({ name: 'meta', extent: EXTENT, features: [{ geometry: { type: 'Point', points: [[EXTENT / 2, EXTENT / 2]] }, properties: { truncated: true, limit: max } }] });
  return layers;
}

/** True when two [minLon, minLat, maxLon, maxLat] boxes overlap. */
export function boxesOverlap(a: Box, b: Box): boolean {
  return a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];
}

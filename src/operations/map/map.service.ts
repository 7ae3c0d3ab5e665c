import { authorize, readFilter, UNSCOPED, type Principal } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { Progress } from '../../platform/module.ts';
import { encodeTile } from '../../platform/geo/tiles/mvt.ts';
import { tileBBoxBuffered } from '../../platform/geo/tiles/tile-math.ts';
import { featureLayers, JurisdictionLayers } from './basemap.ts';
import { aggregateDigits, aggregatesLayer, boxesOverlap, CountsCache, DETAIL_MIN_ZOOM, detailLayers, MAX_TILE_FEATURES, type CountsSnapshot } from './component-tiles.ts';
import { toFeatureRows } from './features.ts';
import type { BasemapFeatureInput, FeatureLayer, MapStyle } from './map.schema.ts';
import type { Box, MapStore } from './map.store.ts';
import { mapStyle } from './style.ts';
import { etagOf, TileCache, type Tile } from './tile-cache.ts';
import { BUFFER, EXTENT } from './tile-geometry.ts';
import { checkTile } from './tile-params.ts';

/** What each cached tile was built from, for invalidation. */
type TileMeta =
  | { source: 'basemap' }
  | { source: 'components'; bbox: Box; classes: string[] | null }
  | { source: 'aggregates'; snapshot: CountsSnapshot };

export interface MapOptions {
  /** Bytes of encoded tiles kept in memory (default 64 MB). */
  cacheBytes?: number;
  /** How long counts per place serve aggregate tiles before being read again (default 5 s). */
  countsTtlMs?: number;
  /** Most components one detail tile carries (default 20 000). */
  maxTileFeatures?: number;
}

/** For benchmarks: build a tile afresh instead of answering from the caches. */
export interface TileOptions {
  /** Use (and fill) the encoded-tile cache; default true. */
  tileCache?: boolean;
  /** Use (and fill) the counts-per-place cache behind aggregate tiles; default true. */
  countsCache?: boolean;
}

/** The component change that invalidates tiles (the `components.component.changed` payload, in part). */
export interface ComponentChange {
  jurisdictionCode: string;
  type: string;
  bboxes: Array<[number, number, number, number]>;
}

/**
 * Vector tiles of the command map, built on the fly from the store and cached: the base map
 * (jurisdictions, roads, water) for everyone, the components (or their counts per place when zoomed
 * out) for officials, each narrowed to the caller's jurisdiction.
 */
export class MapService {
  readonly cache: TileCache<TileMeta>;
  private readonly counts: CountsCache;
  private readonly jurisdictionLayers: JurisdictionLayers;
  private readonly inflight = new Map<string, Promise<Tile>>();
  private readonly maxTileFeatures: number;
  // Bumped by every invalidation: a tile built while one happened may be stale, so it is not kept.
  private componentEpoch = 0;
  private basemapEpoch = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly store: MapStore,
    opts: MapOptions = {},
  ) {
    this.cache = new TileCache(opts.cacheBytes ?? 64 * 1024 * 1024);
    this.counts = new CountsCache(ctx, opts.countsTtlMs ?? 5000);
    this.maxTileFeatures = opts.maxTileFeatures ?? MAX_TILE_FEATURES;
    this.jurisdictionLayers = new JurisdictionLayers(() => ctx.services.jurisdictions);
  }

  /**
   * Replaces every stored feature of the given layers (default: the layers the features belong to)
   * in one transaction, so running it twice with the same input leaves the same base map. Every
   * process drops its base-map tiles when the `map.basemap.replaced` event arrives.
   */
  async replaceBasemap(features: readonly BasemapFeatureInput[], progress: Progress = () => {}, opts: { layers?: FeatureLayer[] } = {}): Promise<Record<string, number>> {
    const rows = toFeatureRows(features);
    const layers = [...new Set<FeatureLayer>(opts.layers ?? rows.map((r) => r.layer))].sort();
    const outside = rows.find((r) => !layers.includes(r.layer));
    if (outside) throw invalid('layers', `do not include ${outside.layer}, which a feature belongs to`);
    const label = `base map (${layers.join(', ') || 'nothing'})`;
    progress(label, 0, rows.length);
    await this.ctx.transaction(async (tx) => {
      await this.store.deleteLayers(tx, layers);
      for (let i = 0; i < rows.length; i += 1000) {
        await this.store.insert(tx, rows.slice(i, i + 1000));
        progress(label, Math.min(rows.length, i + 1000), rows.length);
      }
      await this.ctx.outbox.add(tx, 'map.basemap.replaced', { v: 1, layers, count: rows.length });
    });
    this.basemapReplaced();
    const counts: Record<string, number> = Object.fromEntries(layers.map((l) => [l, 0]));
    for (const r of rows) counts[r.layer]!++;
    return counts;
  }

  /** Base-map tile z/x/y (public): land, boundaries, grid, labels, water, roads. */
  async basemapTile(z: number, x: number, y: number): Promise<Tile> {
    checkTile(z, x, y);
    if (this.jurisdictionLayers.refresh()) this.basemapReplaced();
    const key = `b/${z}/${x}/${y}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    return this.once(key, async () => {
      const epoch = this.basemapEpoch;
      const rows = await this.store.inBox(this.ctx.db, tileBBoxBuffered(z, x, y, BUFFER / EXTENT), z);
      const bytes = encodeTile([...this.jurisdictionLayers.layers(z, x, y), ...featureLayers(rows, z, x, y)]);
      const tile = { bytes, etag: etagOf(bytes) };
      if (epoch === this.basemapEpoch) this.cache.set(key, tile, { source: 'basemap' });
      return tile;
    });
  }

  /** Component tile z/x/y as encoded bytes (see componentTileWithTag). */
  async componentTile(p: Principal | null, z: number, x: number, y: number, classes?: string[], opts: TileOptions = {}): Promise<Uint8Array> {
    return (await this.componentTileWithTag(p, z, x, y, classes, opts)).bytes;
  }

  /**
   * Component tile z/x/y for an official, narrowed to their jurisdiction and to `classes` (large
   * classes, default all): from zoom 15 the components (`components`, `areas`, `meta` when cut),
   * above it counts per street, committee or grid cell (`aggregates`).
   */
  async componentTileWithTag(p: Principal | null, z: number, x: number, y: number, classes?: string[], opts: TileOptions = {}): Promise<Tile> {
    authorize(p, 'component.read', UNSCOPED);
    const rf = readFilter(p);
    if (rf.kind !== 'scope') throw new AppError('SCOPE_FORBIDDEN', 'Your account has no jurisdiction');
    checkTile(z, x, y);
    const cls = await this.checkClasses(classes);
    const key = `c/${rf.prefix}/${cls?.join(',') ?? '*'}/${z}/${x}/${y}`;
    const useCache = opts.tileCache !== false;
    if (useCache) {
      const hit = this.cache.get(key);
      if (hit && (hit.meta.source !== 'aggregates' || this.counts.isCurrent(hit.meta.snapshot))) return hit;
    }
    const build = () => (z >= DETAIL_MIN_ZOOM ? this.detailTile(p, key, z, x, y, cls, useCache) : this.aggregateTile(p, key, rf.prefix, z, x, y, cls, useCache, opts.countsCache !== false));
    return useCache ? this.once(key, build) : build();
  }

  private async detailTile(p: Principal, key: string, z: number, x: number, y: number, classes: string[] | undefined, keep: boolean): Promise<Tile> {
    const epoch = this.componentEpoch;
    const box = tileBBoxBuffered(z, x, y, BUFFER / EXTENT);
    const components = this.ctx.services.components;
    const rows = await components.inBox(p, box, { classes, limit: this.maxTileFeatures + 1 });
    const bytes = encodeTile(detailLayers(rows, (t) => components.types.get(t)?.row.kind ?? 'component', z, x, y, this.maxTileFeatures));
    const tile = { bytes, etag: etagOf(bytes) };
    if (keep && epoch === this.componentEpoch) this.cache.set(key, tile, { source: 'components', bbox: box, classes: classes ?? null });
    return tile;
  }

  private async aggregateTile(p: Principal, key: string, scope: string, z: number, x: number, y: number, classes: string[] | undefined, keep: boolean, useCounts: boolean): Promise<Tile> {
    const snapshot = await this.counts.get(p, scope, aggregateDigits(z), classes, useCounts);
    const bytes = encodeTile([aggregatesLayer(snapshot, z, x, y)]);
    const tile = { bytes, etag: etagOf(bytes) };
    if (keep && this.counts.isCurrent(snapshot)) this.cache.set(key, tile, { source: 'aggregates', snapshot });
    return tile;
  }

  /** Two-digit large classes known to the registry, sorted and without repeats; undefined = all. */
  private async checkClasses(classes: string[] | undefined): Promise<string[] | undefined> {
    if (!classes || classes.length === 0) return undefined;
    const types = this.ctx.services.components.types;
    await types.ready(this.ctx.db);
    const known = new Set([...types.classList().map((c) => c.code), ...types.all().map((t) => t.row.class_code)]);
    for (const c of classes) {
      if (!/^\d{2}$/.test(c) || !known.has(c)) throw invalid('classes', `${c.slice(0, 20)} is not a component class; known: ${[...known].sort().join(', ')}`);
    }
    return [...new Set(classes)].sort();
  }

  /** Joins a build of the same tile already under way instead of starting another. */
  private once(key: string, build: () => Promise<Tile>): Promise<Tile> {
    let pending = this.inflight.get(key);
    if (!pending) {
      const p = build().finally(() => {
        if (this.inflight.get(key) === p) this.inflight.delete(key);
      });
      this.inflight.set(key, (pending = p));
    }
    return pending;
  }

  private forgetInflight(prefix: string): void {
    for (const k of this.inflight.keys()) if (k.startsWith(prefix)) this.inflight.delete(k);
  }

  /**
   * A component changed: drop the detail tiles whose box meets its old or new box (at every zoom
   * from 15), and the counts (with their aggregate tiles) of every scope the change may touch.
   */
  componentChanged(change: ComponentChange): void {
    this.componentEpoch++;
    this.forgetInflight('c/');
    this.counts.invalidate(change.jurisdictionCode);
    const cls = change.type.slice(0, 2);
    this.cache.dropWhere((m) => {
      if (m.source === 'components') return (!m.classes || m.classes.includes(cls)) && change.bboxes.some((b) => boxesOverlap(m.bbox, b));
      if (m.source === 'aggregates') return !this.counts.isCurrent(m.snapshot);
      return false;
    });
  }

  /** Components of any class changed inside `bbox` (an import's batch): drop the tiles there, and every count. */
  componentsChangedIn(bbox: [number, number, number, number]): void {
    this.componentEpoch++;
    this.forgetInflight('c/');
    this.counts.invalidate();
    this.cache.dropWhere((m) => (m.source === 'components' ? boxesOverlap(m.bbox, bbox) : m.source === 'aggregates'));
  }

  /** Many components changed at once (an import's end): drop every component tile and count. */
  componentsReset(): void {
    this.componentEpoch++;
    this.forgetInflight('c/');
    this.counts.invalidate();
    this.cache.dropWhere((m) => m.source !== 'basemap');
  }

  /** The base map changed (here or in another process): drop its tiles. */
  basemapReplaced(): void {
    this.basemapEpoch++;
    this.forgetInflight('b/');
    this.cache.dropWhere((m) => m.source === 'basemap');
  }

  /** The MapLibre style of the command map; `origin` makes its tile URLs absolute. */
  style(origin?: string): MapStyle {
    return mapStyle(origin);
  }

  /** Features per stored layer. */
  featureCounts(): Promise<Record<string, number>> {
    return this.store.countByLayer(this.ctx.db);
  }

  /** Tiles and bytes held, and how often the cache answered. */
  cacheStats(): { tiles: number; bytes: number; maxBytes: number; hits: number; misses: number } {
    return { tiles: this.cache.size, bytes: this.cache.bytes, maxBytes: this.cache.maxBytes, hits: this.cache.hits, misses: this.cache.misses };
  }
}

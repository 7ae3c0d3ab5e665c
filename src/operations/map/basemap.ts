// The base map's layers built from the jurisdiction tree (land, boundaries, grid cells, labels) and
// from the module's own features (roads, water). Our own data only: nothing is fetched from outside.

import Flatbush from 'flatbush';
import type { JurisdictionNode, JurisdictionService } from '../../jurisdictions/index.ts';
import type { MultiPolygon } from '../../jurisdictions/geo/polygon.ts';
import type { TileFeature, TileLayer } from '../../platform/geo/tiles/mvt.ts';
import { tileBBoxBuffered } from '../../platform/geo/tiles/tile-math.ts';
import type { FeatureRow } from './map.schema.ts';
import { BUFFER, EXTENT, geojsonInTile, outlinesInTile, pointInTile, polygonsInTile, worldPolygons, type GeoJSONGeometry, type WorldPolygon } from './tile-geometry.ts';

type Level = 'district' | 'street' | 'committee' | 'grid';
const LEVELS: Level[] = ['district', 'street', 'committee', 'grid'];
const CITY = '310000';

/** From which zoom each level's boundaries are drawn (districts always). */
export const BOUNDARY_MIN_ZOOM: Record<Level, number> = { district: 0, street: 11, committee: 13, grid: 15 };
/** Deepest zoom whose simplified shapes are kept in memory; deeper tiles simplify what they show. */
const CACHED_MAX_ZOOM = 14;

/** Which level's names label a tile: districts below 11, streets 11–13, committees from 13. */
export function labelLevels(z: number): Level[] {
  if (z < 11) return ['district'];
  if (z < 13) return ['street'];
  if (z === 13) return ['street', 'committee'];
  return ['committee'];
}

interface LevelIndex {
  nodes: JurisdictionNode[];
  tree: Flatbush | null;
}

/**
 * The jurisdiction tree as map layers. Boxes of each level are indexed once per tree, and shapes
 * simplified per zoom are kept (to zoom 14) so low-zoom tiles cost little to build and stay small.
 */
export class JurisdictionLayers {
  private token: JurisdictionNode | null | undefined = undefined;
  private levels = new Map<Level, LevelIndex>();
  private simplified = new WeakMap<MultiPolygon, Map<number, WorldPolygon[]>>();

  constructor(private readonly jurisdictions: () => JurisdictionService) {}

  /**
   * Looks whether the tree was replaced (after a seed, each node is a new object); if so, rebuilds
   * the indexes and forgets the shapes, and returns true so the caller drops its tiles.
   */
  refresh(): boolean {
    const token = this.jurisdictions().get(CITY);
    if (token === this.token) return false;
    this.token = token;
    this.levels = this.index();
    this.simplified = new WeakMap();
    return true;
  }

  private index(): Map<Level, LevelIndex> {
    const j = this.jurisdictions();
    const byLevel = new Map<Level, JurisdictionNode[]>(LEVELS.map((l) => [l, []]));
    const queue = j.get(CITY) ? [CITY] : [];
    while (queue.length > 0) {
      for (const child of j.children(queue.pop()!)) {
        byLevel.get(child.level as Level)?.push(child);
        if (child.childCount > 0) queue.push(child.code);
      }
    }
    const out = new Map<Level, LevelIndex>();
    for (const [level, nodes] of byLevel) {
      let tree: Flatbush | null = null;
      if (nodes.length > 0) {
        tree = new Flatbush(nodes.length);
        for (const n of nodes) tree.add(n.bbox[0], n.bbox[1], n.bbox[2], n.bbox[3]);
        tree.finish();
      }
      out.set(level, { nodes, tree });
    }
    return out;
  }

  /** Nodes of a level whose box overlaps the (buffered) tile. */
  private nodesIn(level: Level, box: [number, number, number, number]): JurisdictionNode[] {
    const l = this.levels.get(level);
    if (!l?.tree) return [];
    return l.tree.search(box[0], box[1], box[2], box[3]).sort((a, b) => a - b).map((i) => l.nodes[i]!);
  }

  private shape(code: string, z: number): WorldPolygon[] {
    const geometry = this.jurisdictions().geometry(code);
    if (z > CACHED_MAX_ZOOM) return worldPolygons(geometry, z);
    let perZoom = this.simplified.get(geometry);
    if (!perZoom) this.simplified.set(geometry, (perZoom = new Map()));
    let shape = perZoom.get(z);
    if (!shape) perZoom.set(z, (shape = worldPolygons(geometry, z)));
    return shape;
  }

  /** land, boundary_district, boundary_street, boundary_committee, grid and label for tile z/x/y (call `refresh()` first). */
  layers(z: number, x: number, y: number): TileLayer[] {
    const box = tileBBoxBuffered(z, x, y, BUFFER / EXTENT);
    const land: TileFeature[] = [];
    const layers: TileLayer[] = [];
    for (const n of this.nodesIn('district', box)) {
      const geometry = polygonsInTile(this.shape(n.code, z), x, y);
      if (geometry) land.push({ id: Number(n.code), geometry, properties: { code: n.code, name: n.name, nameEn: n.nameEn } });
    }
    layers.push({ name: 'land', extent: EXTENT, features: land });
    const boundaryLayer: Record<Level, string> = { district: 'boundary_district', street: 'boundary_street', committee: 'boundary_committee', grid: 'grid' };
    for (const level of LEVELS) {
      if (z < BOUNDARY_MIN_ZOOM[level]) continue;
      const features: TileFeature[] = [];
      for (const n of this.nodesIn(level, box)) {
        const geometry = outlinesInTile(this.shape(n.code, z), x, y);
        if (geometry) features.push({ id: Number(n.code), geometry, properties: { code: n.code, name: n.name, nameEn: n.nameEn } });
      }
      layers.push({ name: boundaryLayer[level], extent: EXTENT, features });
    }
    const labels: TileFeature[] = [];
    for (const level of labelLevels(z)) {
      for (const n of this.nodesIn(level, box)) {
        const p = pointInTile(n.centroid[0], n.centroid[1], z, x, y);
        // Each label in exactly one tile (no buffer), so clients placing markers see it once.
        if (p[0] < 0 || p[0] >= EXTENT || p[1] < 0 || p[1] >= EXTENT) continue;
        labels.push({ id: Number(n.code), geometry: { type: 'Point', points: [p] }, properties: { code: n.code, name: n.name, nameEn: n.nameEn, level } });
      }
    }
    layers.push({ name: 'label', extent: EXTENT, features: labels });
    return layers;
  }
}

/** water and road layers from the stored features overlapping the tile. */
export function featureLayers(rows: readonly FeatureRow[], z: number, x: number, y: number): TileLayer[] {
  const byLayer: Record<string, TileFeature[]> = { water: [], road: [] };
  for (const r of rows) {
    const geometry = geojsonInTile(JSON.parse(r.geometry) as GeoJSONGeometry, z, x, y);
    if (!geometry) continue;
    byLayer[r.layer]?.push({ id: r.id, geometry, properties: { kind: r.kind, name: r.name_zh, nameEn: r.name_en } });
  }
  return Object.entries(byLayer).map(([name, features]) => ({ name, extent: EXTENT, features }));
}

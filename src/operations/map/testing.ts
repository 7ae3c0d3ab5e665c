import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type { Dialect } from '../../platform/db/database.ts';
import type { Module } from '../../platform/module.ts';
import { COMPONENT_TEST_MODULES, PLACES, startComponentsYiwang, XSS, type ComponentsYiwang } from '../components/testing.ts';
import { lonLatToTile, type TileCoord } from '../../platform/geo/tiles/tile-math.ts';
import { createMapModule, type BasemapFeatureInput, type MapOptions } from './index.ts';

export { makeComponent, PLACES, XSS } from '../components/testing.ts';

/** The modules map tests compose: platform, jurisdictions, org, components and map. */
export function mapTestModules(opts: MapOptions = {}): Module[] {
  return [...COMPONENT_TEST_MODULES, createMapModule(opts)];
}

/**
 * A test Yiwang with the map module on top of the components test setup: jurisdictions, departments,
 * demo accounts (signed in: `y.as['lujiazui.operator']`), component types, and PLACES filled in.
 */
export function startMapYiwang(dialect: Dialect, users: string[] = [], opts: MapOptions = {}): Promise<ComponentsYiwang> {
  return startComponentsYiwang(dialect, users, mapTestModules(opts));
}

/** A decoded feature: its properties and geometry in tile pixels. */
export interface DecodedFeature {
  id: number | undefined;
  type: 'Point' | 'LineString' | 'Polygon' | 'Unknown';
  properties: Record<string, string | number | boolean>;
  geometry: Array<Array<{ x: number; y: number }>>;
}

/** Decodes a vector tile into layer name → features (a layer missing from the tile is absent). */
export function decodeTile(bytes: Uint8Array): Record<string, DecodedFeature[]> {
  const tile = new VectorTile(new PbfReader(bytes));
  const out: Record<string, DecodedFeature[]> = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    out[name] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      out[name]!.push({ id: f.id, type: (['Unknown', 'Point', 'LineString', 'Polygon'] as const)[f.type], properties: { ...f.properties }, geometry: f.loadGeometry() });
    }
  }
  return out;
}

/** The tile at zoom z holding a point. */
export const tileOf = (at: readonly [number, number], z: number): TileCoord => lonLatToTile(at[0], at[1], z);

let serial = 0;
/** A road for replaceBasemap: a straight line from `from` going `east` degrees, named with script. */
export function makeRoad(over: Partial<BasemapFeatureInput> & { from?: [number, number]; east?: number } = {}): BasemapFeatureInput {
  const { from, east, ...rest } = over;
  const [lon, lat] = from ?? PLACES.lujiazui;
  serial++;
  return { layer: 'road', kind: 'arterial', nameZh: `${XSS} 测试路 ${serial}`, nameEn: `${XSS} Test Road ${serial}`, geometry: { type: 'LineString', coordinates: [[lon, lat], [lon + (east ?? 0.01), lat]] }, ...rest };
}

/** A square of water `size` degrees across with its south-west corner at `at`. */
export function makeWater(at: [number, number] = PLACES.lujiazui, size = 0.004): BasemapFeatureInput {
  const [lon, lat] = at;
  return { layer: 'water', kind: 'lake', nameZh: `${XSS} 测试湖`, nameEn: 'Test Lake', geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]] } };
}

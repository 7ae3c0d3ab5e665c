// The Shanghai jurisdiction tree as committed seed data (data/divisions/), and its row types.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MultiPolygon } from './geo/polygon.ts';

/** Depth in the tree: city → district → street/town → committee → grid cell (单元网格). */
export type DivisionLevel = 'city' | 'district' | 'street' | 'committee' | 'grid';

/** How deep each level sits below the city. */
export const LEVEL_DEPTH: Readonly<Record<DivisionLevel, number>> = { city: 0, district: 1, street: 2, committee: 3, grid: 4 };

/**
 * What kind of unit a row is: 街道 subdistrict, 镇 town, 乡 township, a special statistical zone
 * (park, farm, development zone), 居委会 residential or 村委会 village committee, or a grid cell.
 */
export type DivisionKind =
  | 'municipality'
  | 'district'
  | 'subdistrict'
  | 'town'
  | 'township'
  | 'special'
  | 'residential'
  | 'village'
  | 'grid';

/** One row of the jurisdiction tree, keyed by its statistical division code. */
export interface DivisionRow {
  code: string;
  name: string;
  nameEn: string;
  parent: string | null;
  level: DivisionLevel;
  kind: DivisionKind;
  /** Not an ordinary administrative unit: a statistical zone (code part >= 400) or a virtual community. */
  special: boolean;
}

/** A district outline from data/divisions/shanghai-districts.geojson (WGS84). */
export interface DistrictOutline {
  code: string;
  name: string;
  geometry: MultiPolygon;
}

/** Code of the municipality of Shanghai. */
export const SHANGHAI_CODE = '310000';

/** Absolute path of a file in data/divisions. */
export function divisionsDataPath(file: string): string {
  return fileURLToPath(new URL(`../../data/divisions/${file}`, import.meta.url));
}

/** Loads the committed Shanghai division rows (city, districts, streets, committees). */
export function loadShanghaiDivisions(): DivisionRow[] {
  return JSON.parse(readFileSync(divisionsDataPath('shanghai-divisions.json'), 'utf8')) as DivisionRow[];
}

interface GeoJsonFeature {
  properties: { code: string; name: string };
  geometry: { type: 'Polygon'; coordinates: MultiPolygon[number] } | { type: 'MultiPolygon'; coordinates: MultiPolygon };
}

/** Loads the committed district outlines as MultiPolygons, in code order. */
export function loadShanghaiDistricts(): DistrictOutline[] {
  const collection = JSON.parse(readFileSync(divisionsDataPath('shanghai-districts.geojson'), 'utf8')) as {
    features: GeoJsonFeature[];
  };
  return collection.features
    .map((f) => ({
      code: f.properties.code,
      name: f.properties.name,
      geometry: f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates,
    }))
    .sort((a, b) => a.code.localeCompare(b.code));
}

/** Groups rows by parent code, keeping the input (code) order. */
export function childrenByParent<T extends { parent: string | null }>(rows: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    if (row.parent === null) continue;
    const list = map.get(row.parent);
    if (list) list.push(row);
    else map.set(row.parent, [row]);
  }
  return map;
}

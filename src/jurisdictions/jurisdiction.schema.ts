import { Type, type Static } from 'typebox';
import type { DivisionKind, DivisionLevel } from './divisions.ts';
import type { MultiPolygon } from './geo/polygon.ts';

declare module '../platform/db/tables.ts' {
  interface Tables {
    jurisdictions_node: NodeRow;
  }
}

/** A row of jurisdictions_node: one unit of the tree with its geometry. */
export interface NodeRow {
  code: string;
  name: string;
  name_en: string;
  level: DivisionLevel;
  kind: DivisionKind;
  parent_code: string | null;
  depth: number;
  special: number | boolean;
  synthetic: number | boolean;
  centroid_lon: number;
  centroid_lat: number;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  area_km2: number;
  /** GeoJSON MultiPolygon coordinates, WGS84. */
  geometry: unknown;
}

/** A node in memory: the row without geometry, plus its children count. */
export interface JurisdictionNode {
  code: string;
  name: string;
  nameEn: string;
  level: DivisionLevel;
  kind: DivisionKind;
  parentCode: string | null;
  special: boolean;
  synthetic: boolean;
  childCount: number;
  centroid: [number, number];
  bbox: [number, number, number, number];
  areaKm2: number;
}

/** A node with its geometry, as written by the seed. */
export interface NodeWithGeometry extends Omit<JurisdictionNode, 'childCount'> {
  geometry: MultiPolygon;
}

export const LevelSchema = Type.Union(['city', 'district', 'street', 'committee', 'grid'].map((l) => Type.Literal(l)));

export const NodeSchema = Type.Object(
  {
    code: Type.String({ description: 'Statistical division code: 6 digits (city, district), 9 (street/town), 12 (committee), 15 (grid cell)' }),
    name: Type.String(),
    nameEn: Type.String(),
    level: LevelSchema,
    kind: Type.String({ description: 'subdistrict 街道, town 镇, township 乡, special zone, residential 居委会, village 村委会, grid 网格' }),
    parentCode: Type.Union([Type.String(), Type.Null()]),
    special: Type.Boolean({ description: 'A special statistical zone (e.g. 张江高科技园区), not one of the 215 official streets and towns' }),
    synthetic: Type.Boolean({ description: 'The geometry is generated (plausible, not official)' }),
    childCount: Type.Integer(),
    centroid: Type.Tuple([Type.Number(), Type.Number()]),
    bbox: Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()]),
    areaKm2: Type.Number(),
  },
  { $id: 'JurisdictionNode' },
);

export type TreeNode = JurisdictionNode & { children?: TreeNode[] };

export const CodeParam = Type.Object({ code: Type.String({ pattern: '^[0-9]{6,15}$', description: 'division code' }) });
export const TreeQuery = Type.Object({
  root: Type.Optional(Type.String({ pattern: '^[0-9]{6,15}$' })),
  depth: Type.Optional(Type.Integer({ minimum: 0, maximum: 3, default: 1 })),
});
export const LocateQuery = Type.Object({
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
});
export const LocateBatchBody = Type.Object(
  {
    points: Type.Array(Type.Tuple([Type.Number({ minimum: -180, maximum: 180 }), Type.Number({ minimum: -90, maximum: 90 })]), {
      minItems: 1,
      maxItems: 1000,
      description: 'WGS84 [lon, lat] pairs',
    }),
  },
  { additionalProperties: false },
);
export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 50 }),
  level: Type.Optional(LevelSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export const NodeQuery = Type.Object({ geometry: Type.Optional(Type.Boolean({ default: false })) });
export type LocateQueryT = Static<typeof LocateQuery>;

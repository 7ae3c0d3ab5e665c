import { Type, type Static } from 'typebox';

declare module '../../platform/db/tables.ts' {
  interface Tables {
    map_feature: FeatureRow;
  }
}

/** Base-map layers kept in the database (the jurisdiction layers come from the jurisdiction tree). */
export const FEATURE_LAYERS = ['road', 'water'] as const;
export type FeatureLayer = (typeof FEATURE_LAYERS)[number];

/** Road kinds and the zoom from which each is drawn. */
export const ROAD_MIN_ZOOM = { arterial: 9, secondary: 12, local: 14 } as const;
export type RoadKind = keyof typeof ROAD_MIN_ZOOM;
export const WATER_KINDS = ['river', 'lake'] as const;
export type WaterKind = (typeof WATER_KINDS)[number];

/** A row of map_feature: one road or body of water of the base map. */
export interface FeatureRow {
  id: number;
  layer: FeatureLayer;
  kind: string;
  name_zh: string | null;
  name_en: string | null;
  /** The lowest zoom whose tiles carry the feature. */
  min_zoom: number;
  /** GeoJSON text, WGS84. */
  geometry: string;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
}

export type NewFeature = Omit<FeatureRow, 'id'>;

type Position = [number, number];
export type LineGeometry = { type: 'LineString'; coordinates: Position[] } | { type: 'MultiLineString'; coordinates: Position[][] };
export type AreaGeometry = { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };

/**
 * One feature handed to `replaceBasemap`: roads are lines, water is polygons. `minZoom` defaults by
 * kind (arterial 9, secondary 12, local 14, water 0).
 */
export interface BasemapFeatureInput {
  layer: FeatureLayer;
  kind: string;
  nameZh?: string | null;
  nameEn?: string | null;
  minZoom?: number;
  geometry: LineGeometry | AreaGeometry;
}

// ---- HTTP shapes ----

const Index = (what: string) => Type.String({ maxLength: 12, description: what });
/** z/x/y arrive as text and are checked by `parseTile`, which names the offending one. */
export const TileParams = Type.Object({ z: Index('zoom, 0–22'), x: Index('column, 0 … 2^z − 1'), y: Index('row, 0 … 2^z − 1 (XYZ scheme: 0 is north)') });
export type TileParams = Static<typeof TileParams>;

export const ComponentTileQuery = Type.Object({
  classes: Type.Optional(Type.String({ maxLength: 200, description: 'Large-class codes (01 公用设施 …), comma-separated; default every class' })),
});
export type ComponentTileQuery = Static<typeof ComponentTileQuery>;

/** A MapLibre style document (version 8); described loosely here, in full by the MapLibre style spec. */
export const StyleSchema = Type.Object(
  {
    version: Type.Literal(8),
    name: Type.String(),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    center: Type.Optional(Type.Array(Type.Number())),
    zoom: Type.Optional(Type.Number()),
    sources: Type.Record(Type.String(), Type.Unknown()),
    layers: Type.Array(Type.Unknown()),
  },
  { additionalProperties: true },
);
export type MapStyle = Static<typeof StyleSchema>;

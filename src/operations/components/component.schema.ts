import { Type, type Static } from 'typebox';

declare module '../../platform/db/tables.ts' {
  interface Tables {
    components_type: TypeRow;
    components_item: ComponentRow;
    components_history: HistoryRow;
    components_count: CountRow;
    components_import: ImportRow;
  }
}

/** 完好 intact, 破损 damaged, 丢失 missing, 占用 occupied, 废弃 removed (GB/T 30428.2 部件状态). */
export const STATUSES = ['intact', 'damaged', 'missing', 'occupied', 'removed'] as const;
export type ComponentStatus = (typeof STATUSES)[number];
export const STATUS_LABELS: Record<ComponentStatus, { zh: string; en: string }> = {
  intact: { zh: '完好', en: 'Intact' },
  damaged: { zh: '破损', en: 'Damaged' },
  missing: { zh: '丢失', en: 'Missing' },
  occupied: { zh: '占用', en: 'Occupied' },
  removed: { zh: '废弃', en: 'Removed' },
};
export const isStatus = (s: unknown): s is ComponentStatus => typeof s === 'string' && (STATUSES as readonly string[]).includes(s);

export type GeometryKind = 'point' | 'line' | 'polygon';
/** A component (部件) is a thing on a street; area and line objects are sites, compounds, pipelines. */
export type TypeKind = 'component' | 'area' | 'line';

export interface TypeRow {
  code: string;
  class_code: string;
  name_zh: string;
  name_en: string;
  geometry: GeometryKind;
  kind: TypeKind;
  /** The department sector that usually owns components of this type (`sw` 水务, `lhsr` 绿化市容…). */
  owner_sector: string | null;
  attributes_schema: unknown;
  builtin: boolean | number;
  created_at: number;
  updated_at: number;
}

export interface ComponentRow {
  id: number;
  code: string;
  type_code: string;
  /** The deepest jurisdiction (a grid cell where there is one) holding the representative point. */
  jurisdiction_code: string;
  geometry_kind: GeometryKind;
  /** GeoJSON text, WGS84. */
  geometry: string;
  /** Representative point: on the geometry; decides the jurisdiction and places map aggregates. */
  lon: number;
  lat: number;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  status: ComponentStatus;
  name: string | null;
  address: string | null;
  owner_dept: string | null;
  maintainer_dept: string | null;
  attributes: unknown;
  photos: unknown;
  /** `api`, `seed`, or `import:<job id>`. */
  source: string;
  version: number;
  created_at: number;
  updated_at: number;
  updated_by: string | null;
}

export interface HistoryRow {
  seq: number;
  component_code: string;
  version: number;
  action: 'created' | 'updated' | 'deleted' | 'imported';
  actor_id: string | null;
  at: number;
  /** `{ field: [before, after] }`; a deletion keeps the whole last state under `snapshot`. */
  changes: unknown;
}

export interface CountRow {
  jurisdiction_code: string;
  type_code: string;
  status: ComponentStatus;
  n: number;
}

export type ImportStatus = 'running' | 'interrupted' | 'failed' | 'done';

export interface ImportRow {
  id: string;
  file_name: string;
  /** Name, size and modification time: a re-run of the same file finds its unfinished job. */
  fingerprint: string;
  format: string;
  status: ImportStatus;
  total_bytes: number;
  offset_bytes: number;
  next_line: number;
  next_ordinal: number;
  /** What a reader needs to resume mid-file (the CSV header, "inside the features array"). */
  resume_state: unknown;
  created_count: number;
  updated_count: number;
  unchanged_count: number;
  failed_count: number;
  error_file: string | null;
  message: string | null;
  scope_code: string;
  started_by: string;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

// ---- HTTP shapes ----

const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
/** GeoJSON geometry, checked in depth by the service (extent, rings, self-intersections). */
export const GeometrySchema = Type.Object(
  { type: Type.String({ description: 'Point, LineString, Polygon, MultiLineString or MultiPolygon' }), coordinates: Type.Array(Type.Unknown()) },
  { description: 'GeoJSON geometry in WGS84, [longitude, latitude] order' },
);

export const StatusSchema = Type.Union([Type.Literal('intact'), Type.Literal('damaged'), Type.Literal('missing'), Type.Literal('occupied'), Type.Literal('removed')], { description: 'intact 完好, damaged 破损, missing 丢失, occupied 占用, removed 废弃' });

export const PhotoSchema = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 1000, description: 'A photo uploaded to Yiwang (POST /api/cases/photos gives its url, /api/cases/photos/{id}) or an https URL' }),
  caption: Type.Optional(Type.String({ maxLength: 200 })),
  takenAt: Type.Optional(Type.Integer({ description: 'epoch milliseconds' })),
});
export type Photo = Static<typeof PhotoSchema>;

const Text = (max: number) => Type.String({ maxLength: max });
const Nullable = <T extends ReturnType<typeof Type.String>>(s: T) => Type.Union([s, Type.Null()]);

/** What a client may set on a component, when registering it and when changing it. */
const EDITABLE = {
  status: Type.Optional(StatusSchema),
  name: Type.Optional(Nullable(Text(200))),
  address: Type.Optional(Nullable(Text(300))),
  ownerDept: Type.Optional(Nullable(Text(64))),
  maintainerDept: Type.Optional(Nullable(Text(64))),
  attributes: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  photos: Type.Optional(Type.Array(PhotoSchema, { maxItems: 20 })),
};

export const CreateBody = Type.Object(
  {
    code: Type.Optional(Type.String({ pattern: '^\\d{16}$', description: 'District (6) + class (2) + sub-class (2) + serial (6); assigned when left out' })),
    type: Type.String({ minLength: 4, maxLength: 8, description: 'Type code, e.g. 0101 上水井盖' }),
    geometry: GeometrySchema,
    ...EDITABLE,
  },
  { additionalProperties: false },
);
export type CreateBody = Static<typeof CreateBody>;

export const UpdateBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version you read; a stale version is refused (409)' }),
    geometry: Type.Optional(GeometrySchema),
    ...EDITABLE,
  },
  { additionalProperties: false },
);
export type UpdateBody = Static<typeof UpdateBody>;

export const ComponentSchema = Type.Object({
  code: Type.String(),
  type: Type.String(),
  typeName: Type.Object({ zh: Type.String(), en: Type.String() }),
  classCode: Type.String(),
  kind: Type.String(),
  geometry: Type.Unknown(),
  point: Type.Tuple([Lon, Lat], { description: 'Representative point on the geometry' }),
  jurisdictionCode: Type.String(),
  districtCode: Type.String(),
  status: StatusSchema,
  name: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  ownerDept: Type.Union([Type.String(), Type.Null()]),
  maintainerDept: Type.Union([Type.String(), Type.Null()]),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  photos: Type.Array(PhotoSchema),
  source: Type.String(),
  version: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
  distance: Type.Optional(Type.Number({ description: 'Metres from the query point (nearest / within queries)' })),
});
export type ComponentView = Static<typeof ComponentSchema>;

export const ListQuery = Type.Object({
  bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat' })),
  near: Type.Optional(Type.String({ description: 'lon,lat — with k (nearest k) or radius (within r metres)' })),
  k: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  radius: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 5000, description: 'metres' })),
  jurisdiction: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{3}(\\d{3}(\\d{3})?)?)?$' })),
  type: Type.Optional(Type.String({ maxLength: 200, description: 'Type codes, comma-separated' })),
  class: Type.Optional(Type.String({ maxLength: 40, description: 'Large-class codes (01 公用设施 …), comma-separated' })),
  status: Type.Optional(Type.String({ maxLength: 60, description: 'Statuses, comma-separated' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});
export type ListQuery = Static<typeof ListQuery>;

export const PageSchema = Type.Object({ items: Type.Array(ComponentSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export type ComponentPage = Static<typeof PageSchema>;

export const HistorySchema = Type.Object({
  items: Type.Array(
    Type.Object({
      version: Type.Integer(),
      action: Type.String(),
      actorId: Type.Union([Type.String(), Type.Null()]),
      at: Type.Integer(),
      changes: Type.Unknown(),
    }),
  ),
});

export const CountsQuery = Type.Object({
  jurisdiction: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{3}(\\d{3}(\\d{3})?)?)?$', description: 'Default: your own jurisdiction' })),
  type: Type.Optional(Type.String({ maxLength: 200 })),
});
export const CountsSchema = Type.Object({
  jurisdictionCode: Type.String(),
  total: Type.Integer(),
  byStatus: Type.Record(Type.String(), Type.Integer()),
  byType: Type.Array(Type.Object({ type: Type.String(), nameZh: Type.String(), nameEn: Type.String(), total: Type.Integer(), byStatus: Type.Record(Type.String(), Type.Integer()) })),
  byChild: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String(), total: Type.Integer(), byType: Type.Record(Type.String(), Type.Integer()) })),
});
export type CountsView = Static<typeof CountsSchema>;

export const TypeSchema = Type.Object({
  code: Type.String(),
  classCode: Type.String(),
  className: Type.Object({ zh: Type.String(), en: Type.String() }),
  nameZh: Type.String(),
  nameEn: Type.String(),
  geometry: Type.String(),
  kind: Type.String(),
  ownerSector: Type.Union([Type.String(), Type.Null()]),
  attributes: Type.Unknown({ description: 'JSON Schema (2020-12) of the attributes' }),
  builtin: Type.Boolean(),
});
export type TypeView = Static<typeof TypeSchema>;

export const TypeBody = Type.Object(
  {
    code: Type.String({ pattern: '^\\d{4}$', description: 'class (2) + sub-class (2)' }),
    nameZh: Type.String({ minLength: 1, maxLength: 100 }),
    nameEn: Type.String({ minLength: 1, maxLength: 200 }),
    geometry: Type.Union([Type.Literal('point'), Type.Literal('line'), Type.Literal('polygon')]),
    kind: Type.Optional(Type.Union([Type.Literal('component'), Type.Literal('area'), Type.Literal('line')])),
    ownerSector: Type.Optional(Nullable(Text(32))),
    attributes: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'JSON Schema (2020-12) of an object' })),
  },
  { additionalProperties: false },
);
export type TypeBody = Static<typeof TypeBody>;

export const TypeUpdateBody = Type.Object(
  {
    nameZh: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    nameEn: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    ownerSector: Type.Optional(Nullable(Text(32))),
    attributes: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type TypeUpdateBody = Static<typeof TypeUpdateBody>;

import type { ComponentRow, ComponentStatus } from './component.schema.ts';
import type { NewComponent } from './component.store.ts';

/** The columns a bulk insert writes on PostgreSQL, with the array type each is sent as. */
export const PG_COLUMNS: Array<[keyof NewComponent, string]> = [
  ['code', 'text'], ['type_code', 'text'], ['jurisdiction_code', 'text'], ['geometry_kind', 'text'], ['geometry', 'text'],
  ['lon', 'float8'], ['lat', 'float8'], ['min_lon', 'float8'], ['min_lat', 'float8'], ['max_lon', 'float8'], ['max_lat', 'float8'],
  ['status', 'text'], ['name', 'text'], ['address', 'text'], ['owner_dept', 'text'], ['maintainer_dept', 'text'],
  ['attributes', 'text'], ['photos', 'text'], ['source', 'text'], ['version', 'int4'], ['created_at', 'int8'], ['updated_at', 'int8'], ['updated_by', 'text'],
];

/** Every column but PostgreSQL's `geom` (clients get the GeoJSON text). */
export const COLS = [
  'id', 'code', 'type_code', 'jurisdiction_code', 'geometry_kind', 'geometry', 'lon', 'lat', 'min_lon', 'min_lat', 'max_lon', 'max_lat',
  'status', 'name', 'address', 'owner_dept', 'maintainer_dept', 'attributes', 'photos', 'source', 'version', 'created_at', 'updated_at', 'updated_by',
] as const;

/**
 * A component as clients see it, before shaping (ComponentService.view; a whole row is one too):
 * every column but the bounding box and `updated_by`. PostgreSQL's box pages return these only
 * (`components_box_page`, migration 0002, lists them: a column added to the registry that clients
 * see must be added there in a new migration), because the driver decodes every column of every
 * row: for a page of 1,000 rows that decoding cost more than PostgreSQL's own work (measured at 15
 * million rows, docs/components.md).
 */
export type ViewRow = Omit<ComponentRow, 'min_lon' | 'min_lat' | 'max_lon' | 'max_lat' | 'updated_by'>;

/** A component read as an array in COLS order (SQLite's raw reads) turned back into its row. */
export function rowOf(a: unknown[]): ComponentRow {
  return {
    id: a[0] as number,
    code: a[1] as string,
    type_code: a[2] as string,
    jurisdiction_code: a[3] as string,
    geometry_kind: a[4] as ComponentRow['geometry_kind'],
    geometry: a[5] as string,
    lon: a[6] as number,
    lat: a[7] as number,
    min_lon: a[8] as number,
    min_lat: a[9] as number,
    max_lon: a[10] as number,
    max_lat: a[11] as number,
    status: a[12] as ComponentStatus,
    name: a[13] as string | null,
    address: a[14] as string | null,
    owner_dept: a[15] as string | null,
    maintainer_dept: a[16] as string | null,
    attributes: a[17],
    photos: a[18],
    source: a[19] as string,
    version: a[20] as number,
    created_at: a[21] as number,
    updated_at: a[22] as number,
    updated_by: a[23] as string | null,
  };
}

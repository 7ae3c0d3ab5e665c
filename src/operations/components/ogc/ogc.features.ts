// What OGC API – Features clients see of the registry: a collection per component type, a GeoJSON
// feature per component, and a JSON Schema of a collection's features. Pure mapping, no I/O.

import type { ComponentView } from '../component.schema.ts';
import { STATUS_LABELS, STATUSES } from '../component.schema.ts';
import { SHANGHAI_EXTENT } from '../geometry.ts';
import type { ClassInfo, LoadedType } from '../types.ts';

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const JSON_TYPE = 'application/json';
export const GEOJSON_TYPE = 'application/geo+json';
export const SCHEMA_TYPE = 'application/schema+json';
export const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';

export interface Link {
  href: string;
  rel: string;
  type?: string;
  title?: string;
}

/** The properties every feature carries; an attribute of the same name is renamed `attr_<name>`. */
const CORE_PROPERTIES: Record<string, Record<string, unknown>> = {
  code: { type: 'string', title: '部件编码 Component code', pattern: '^\\d{16}$' },
  type: { type: 'string', title: '类型代码 Type code' },
  typeName: { type: 'string', title: '类型名称 Type name' },
  status: { type: 'string', title: '状态 Status', enum: [...STATUSES] },
  statusLabel: { type: 'string', title: '状态（中文）Status label', enum: STATUSES.map((s) => STATUS_LABELS[s].zh) },
  jurisdictionCode: { type: 'string', title: '所在辖区（网格）Jurisdiction code' },
  name: { type: ['string', 'null'], title: '名称 Name' },
  address: { type: ['string', 'null'], title: '地址 Address' },
  ownerDept: { type: ['string', 'null'], title: '权属部门 Owner department' },
  maintainerDept: { type: ['string', 'null'], title: '养护部门 Maintainer department' },
  updatedAt: { type: 'string', format: 'date-time', title: '更新时间 Last changed' },
};
const RESERVED = new Set([...Object.keys(CORE_PROPERTIES), 'id']);

/** The property name an attribute is published under: its own, unless a core property has it. */
export function attributeKey(name: string): string {
  let key = name;
  while (RESERVED.has(key)) key = `attr_${key}`;
  return key;
}

const GEOMETRY_TYPES: Record<string, string[]> = { point: ['Point'], line: ['LineString', 'MultiLineString'], polygon: ['Polygon', 'MultiPolygon'] };

/** A component as a GeoJSON feature: its code is the feature id. */
export function toFeature(v: ComponentView): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    code: v.code,
    type: v.type,
    typeName: v.typeName.zh,
    status: v.status,
    statusLabel: STATUS_LABELS[v.status]?.zh ?? v.status,
    jurisdictionCode: v.jurisdictionCode,
    name: v.name,
    address: v.address,
    ownerDept: v.ownerDept,
    maintainerDept: v.maintainerDept,
    updatedAt: new Date(v.updatedAt).toISOString(),
  };
  for (const [k, value] of Object.entries(v.attributes)) properties[attributeKey(k)] = value;
  return { type: 'Feature', id: v.code, geometry: v.geometry, properties };
}

/** The collection description of one component type. */
export function toCollection(t: LoadedType, cls: ClassInfo, base: string): Record<string, unknown> {
  const { row } = t;
  const url = `${base}/ogc/collections/${row.code}`;
  const kind = row.kind === 'component' ? '部件 component' : row.kind === 'area' ? '区域 area' : '线 line';
  return {
    id: row.code,
    title: `${row.name_zh} ${row.name_en}`,
    description: `${cls.nameZh} ${cls.nameEn} (大类 class ${cls.code}) · ${kind} · ${GEOMETRY_TYPES[row.geometry]?.join('/') ?? row.geometry} geometry`,
    keywords: [row.name_zh, row.name_en, cls.nameZh, cls.nameEn],
    itemType: 'feature',
    crs: [CRS84],
    storageCrs: CRS84,
    extent: { spatial: { bbox: [[...SHANGHAI_EXTENT]], crs: CRS84 } },
    links: [
      { href: url, rel: 'self', type: JSON_TYPE, title: 'This collection' },
      { href: `${url}/items`, rel: 'items', type: GEOJSON_TYPE, title: `${row.name_en} features` },
      { href: `${url}/schema`, rel: 'describedby', type: SCHEMA_TYPE, title: 'JSON Schema of the features' },
      // The same relation as spelled in the 1.0 text: relation types compare case-insensitively, but
      // GDAL's OAPIF driver (3.6) matches "describedBy" exactly, and without it guesses fields from one page.
      { href: `${url}/schema`, rel: 'describedBy', type: SCHEMA_TYPE, title: 'JSON Schema of the features' },
      { href: `${url}/schema`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/schema', type: SCHEMA_TYPE, title: 'JSON Schema of the features' },
    ] satisfies Link[],
  };
}

/**
 * A JSON Schema (2020-12) of the collection's features: the GeoJSON envelope, the core properties
 * and the type's own attribute schema under the names the features use.
 */
export function featureSchema(t: LoadedType, url: string): Record<string, unknown> {
  const attrs = (t.view.attributes as { properties?: Record<string, unknown>; required?: string[] } | null) ?? {};
  const properties: Record<string, unknown> = structuredClone(CORE_PROPERTIES);
  for (const [k, s] of Object.entries(attrs.properties ?? {})) properties[attributeKey(k)] = structuredClone(s);
  const geometryTypes = GEOMETRY_TYPES[t.row.geometry] ?? ['Point'];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: url,
    title: `${t.row.name_zh} ${t.row.name_en}`,
    description: 'A component of this type as a GeoJSON feature (CRS84, longitude first); the feature id is the component code.',
    type: 'object',
    required: ['type', 'id', 'geometry', 'properties'],
    properties: {
      type: { type: 'string', enum: ['Feature'] },
      id: { type: 'string', pattern: '^\\d{16}$', description: 'The component code' },
      geometry: {
        type: 'object',
        required: ['type', 'coordinates'],
        properties: { type: { type: 'string', enum: geometryTypes }, coordinates: { type: 'array' } },
        'x-ogc-role': 'primary-geometry',
      },
      properties: {
        type: 'object',
        required: Object.keys(CORE_PROPERTIES),
        properties,
      },
    },
  };
}

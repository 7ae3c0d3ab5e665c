// One imported record → what a write says about a component (ComponentInput). Pure: the checking
// proper (type, geometry, attributes, code) is prepareComponent's, so an imported row and an API
// call are judged by the same rules and fail with the same field and reason.

import { invalid } from '../../../platform/errors.ts';
import { STATUS_LABELS, STATUSES, type ComponentStatus, type Photo } from '../component.schema.ts';
import type { ComponentInput } from '../prepare.ts';
import type { TypeRegistry } from '../types.ts';
import { parseWkt } from '../wkt.ts';
import type { ImportFormat, RawRecord } from './readers.ts';

type OkRecord = Extract<RawRecord, { ok: true }>;

/** Property names (lower-cased) that fill a component's own fields rather than its attributes. */
const FIELDS: Record<string, 'code' | 'type' | 'status' | 'name' | 'address' | 'ownerDept' | 'maintainerDept'> = {
  code: 'code',
  type: 'type',
  type_code: 'type',
  typecode: 'type',
  status: 'status',
  name: 'name',
  address: 'address',
  owner_dept: 'ownerDept',
  ownerdept: 'ownerDept',
  maintainer_dept: 'maintainerDept',
  maintainerdept: 'maintainerDept',
};

/**
 * What the registry derives itself (jurisdiction, district, class, version…): present in files
 * exported from Yiwang (the API's component view), ignored on the way back in.
 */
const DERIVED = new Set(['typename', 'classcode', 'kind', 'jurisdictioncode', 'districtcode', 'point', 'source', 'version', 'createdat', 'updatedat', 'distance', 'id']);

/**
 * `attributes.status` (any case) names the attribute `status`: the way a flat file — CSV above all —
 * sets an attribute that shares its name with a field, such as the survey's own 部件状态.
 */
const ATTRIBUTE_PREFIX = 'attributes.';

const BY_LABEL = new Map<string, ComponentStatus>();
for (const s of STATUSES) {
  BY_LABEL.set(s, s);
  BY_LABEL.set(STATUS_LABELS[s].zh, s);
  BY_LABEL.set(STATUS_LABELS[s].en.toLowerCase(), s);
}

/** `intact`, `Intact`, `完好` → intact; null when it is none of them. */
export function parseStatus(v: string): ComponentStatus | null {
  return BY_LABEL.get(v.trim().toLowerCase()) ?? BY_LABEL.get(v.trim()) ?? null;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TRUE = new Set(['true', 't', 'yes', 'y', '1', '是']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0', '否']);

/** A number from CSV text, or null when the text is not one. */
function number(text: string): number | null {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : null;
}

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'null';
const typesOf = (schema: unknown): JsonType[] => {
  const t = (schema as { type?: unknown } | null)?.type;
  return (Array.isArray(t) ? t : t ? [t] : []) as JsonType[];
};

/**
 * CSV cells are text. Where the type's attribute schema says integer, number, boolean or array (and
 * not also string), the text is read as one; anything else stays text, and a cell that does not read
 * is left as it is for the schema check to name (`attributes.power_w must be integer`).
 */
export function coerceCell(text: string, schema: unknown): unknown {
  const types = typesOf(schema);
  if (types.length === 0 || types.includes('string')) return text;
  if (types.includes('integer') || types.includes('number')) {
    const n = number(text);
    if (n !== null) return n;
  }
  if (types.includes('boolean')) {
    const b = text.trim().toLowerCase();
    if (TRUE.has(b)) return true;
    if (FALSE.has(b)) return false;
  }
  if (types.includes('array')) {
    const t = text.trim();
    if (t.startsWith('[')) {
      try {
        return JSON.parse(t) as unknown;
      } catch {
        return text;
      }
    }
    const items = (schema as { items?: unknown }).items;
    return t.split('|').map((x) => coerceCell(x.trim(), items));
  }
  return text;
}

/** A CSV coordinate: a number, or FIELD_INVALID naming the column. */
function coordinate(field: 'lon' | 'lat', v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? number(v) : null;
  if (n === null || !Number.isFinite(n)) throw invalid(field, `must be a number (decimal degrees, WGS84), found ${JSON.stringify(v)}`);
  return n;
}

/** The geometry of a record: GeoJSON as it is; CSV `{lon, lat}` as a Point, `{wkt}` parsed. */
export function recordGeometry(geometry: unknown, format: ImportFormat): unknown {
  if (format !== 'csv') return geometry;
  const g = geometry as { wkt?: string; lon?: string; lat?: string };
  if (typeof g?.wkt === 'string') {
    try {
      return parseWkt(g.wkt);
    } catch (err) {
      throw invalid('wkt', (err as Error).message.replace(/^WKT: /, ''));
    }
  }
  // Swapped coordinates are left for validateGeometry, which names them the way the API does.
  return { type: 'Point', coordinates: [coordinate('lon', g?.lon), coordinate('lat', g?.lat)] };
}

const text = (field: string, v: unknown): string | null => {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw invalid(field, `must be text, found ${Array.isArray(v) ? 'a list' : typeof v}`);
};

// `__proto__` as a key must become an attribute, not the object's prototype; every other key is a
// plain assignment (defineProperty for each would cost more than the rest of the row's mapping).
const setOwn = (o: Record<string, unknown>, k: string, v: unknown) => {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
};

/**
 * Maps a record's properties onto a component: `code`, `type` (or `type_code`; taken from the code
 * when left out), `status` (English or 完好/破损/丢失/占用/废弃), `name`, `address`, `owner_dept`,
 * `maintainer_dept`; GeoJSON may also carry `attributes` (an object) and `photos`. Every other
 * property is an attribute — from CSV read as a number or boolean where the type's schema says so.
 * Throws FIELD_INVALID naming the field.
 */
export function recordToInput(record: OkRecord, format: ImportFormat, types: TypeRegistry): ComponentInput & { code: string } {
  const own: Partial<Record<(typeof FIELDS)[string], unknown>> = {};
  const extra: Array<[string, unknown]> = [];
  const named: Array<[string, unknown]> = [];
  let nested: Record<string, unknown> | null = null;
  let photos: Photo[] | null = null;
  for (const [key, value] of Object.entries(record.properties)) {
    const k = key.trim().toLowerCase();
    const field = Object.hasOwn(FIELDS, k) ? FIELDS[k] : undefined;
    if (field) own[field] = value;
    else if (k === 'attributes' && format !== 'csv' && value && typeof value === 'object' && !Array.isArray(value)) nested = value as Record<string, unknown>;
    else if (k === 'photos' && format !== 'csv') photos = value as Photo[];
    else if (k.startsWith(ATTRIBUTE_PREFIX) && k.length > ATTRIBUTE_PREFIX.length) {
      if (value !== null && value !== undefined) named.push([key.trim().slice(ATTRIBUTE_PREFIX.length).trim(), value]);
    }
    else if (!DERIVED.has(k) && value !== null && value !== undefined) extra.push([key.trim(), value]);
  }

  const code = text('code', own.code ?? (format !== 'csv' ? record.id : undefined))?.trim() ?? '';
  if (code === '') throw invalid('code', 'is required for imports: re-runs are matched by code');
  const type = text('type', own.type)?.trim() || (/^\d{16}$/.test(code) ? code.slice(6, 10) : '');
  if (type === '') throw invalid('type', 'is required (or a 16-digit code, whose digits 7–10 are the type)');

  let status: ComponentStatus | undefined;
  const rawStatus = text('status', own.status);
  if (rawStatus !== null && rawStatus.trim() !== '') {
    const s = parseStatus(rawStatus);
    if (!s) throw invalid('status', `${JSON.stringify(rawStatus)} is not a status; use ${STATUSES.map((x) => `${x} (${STATUS_LABELS[x].zh})`).join(', ')}`);
    status = s;
  }

  const schema = types.get(type)?.view.attributes as { properties?: Record<string, unknown> } | undefined;
  const attributes: Record<string, unknown> = {};
  // Plain names first, then `attributes.` names, then a nested object: the more explicit wins.
  for (const [k, v] of [...extra, ...named]) setOwn(attributes, k, format === 'csv' && typeof v === 'string' ? coerceCell(v, schema?.properties?.[k]) : v);
  if (nested) for (const [k, v] of Object.entries(nested)) if (v !== null && v !== undefined) setOwn(attributes, k, v);

  return {
    code,
    type,
    geometry: recordGeometry(record.geometry, format),
    status,
    name: text('name', own.name),
    address: text('address', own.address),
    ownerDept: text('ownerDept', own.ownerDept)?.trim() || null,
    maintainerDept: text('maintainerDept', own.maintainerDept)?.trim() || null,
    attributes,
    photos,
  };
}

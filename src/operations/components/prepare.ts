import { BAD_TEXT } from '../../platform/http/text-guard.ts';
import { invalid } from '../../platform/errors.ts';
import { geometryBBox, representativePoint, validateGeometry, type Geometry } from './geometry.ts';
import type { ComponentStatus, GeometryKind, Photo } from './component.schema.ts';
import { isStatus } from './component.schema.ts';
import type { NewComponent } from './component.store.ts';
import { attributeError, type LoadedType, type TypeRegistry } from './types.ts';

/** What a write says about a component, from the API or an import row (before checking). */
export interface ComponentInput {
  code?: string | null;
  type: string;
  geometry: unknown;
  status?: string | null;
  name?: string | null;
  address?: string | null;
  ownerDept?: string | null;
  maintainerDept?: string | null;
  attributes?: Record<string, unknown> | null;
  photos?: Photo[] | null;
}

/** The checked component, ready for the store, with its located place. */
export interface Prepared {
  row: Omit<NewComponent, 'version' | 'created_at' | 'updated_at' | 'updated_by' | 'source'>;
  type: LoadedType;
  /** The code was left out: the caller allocates the next serial under `codePrefix`. */
  needsCode: boolean;
  codePrefix: string;
}

/** Where a point lies: the deepest jurisdiction, or null outside Shanghai's divisions. */
export type Locate = (lon: number, lat: number) => { code: string } | null;

const GEOMETRY_TYPES: Record<GeometryKind, string[]> = {
  point: ['Point'],
  line: ['LineString', 'MultiLineString'],
  polygon: ['Polygon', 'MultiPolygon'],
};
const APP_PATH_OR_HTTPS = /^(\/(?![/\\])[^\\\s]*|https:\/\/[^\s\\]+)$/i;

function text(field: string, v: string | null | undefined, max: number): string | null {
  if (v == null) return null;
  if (typeof v !== 'string') throw invalid(field, 'must be text');
  const t = v.trim();
  if (t.length > max) throw invalid(field, `must be at most ${max} characters`);
  if (BAD_TEXT.test(t)) throw invalid(field, 'must not contain NUL characters or unpaired surrogates');
  return t || null;
}

/** Checks photos: app paths or https URLs, with short captions. */
export function checkPhotos(photos: unknown): Photo[] {
  if (photos == null) return [];
  if (!Array.isArray(photos) || photos.length > 20) throw invalid('photos', 'must be a list of at most 20 photos');
  return photos.map((p, i) => {
    const url = (p as Photo)?.url;
    if (typeof url !== 'string' || url.length > 1000 || !APP_PATH_OR_HTTPS.test(url)) throw invalid(`photos[${i}].url`, 'must be an app path (/…) or an https URL');
    const caption = text(`photos[${i}].caption`, (p as Photo).caption, 200);
    const takenAt = (p as Photo).takenAt;
    if (takenAt != null && !Number.isInteger(takenAt)) throw invalid(`photos[${i}].takenAt`, 'must be epoch milliseconds');
    return { url, ...(caption ? { caption } : {}), ...(takenAt != null ? { takenAt } : {}) };
  });
}

/**
 * Checks a component completely — type, geometry (extent, rings, self-intersection, swapped
 * lat/lon; MultiPolygon parts apart unless `storedGeometry`), attributes against the type's schema
 * (unless `storedAttributes`), code form — and locates it. Throws
 * FIELD_INVALID naming the field; writes nothing.
 */
export function prepareComponent(input: ComponentInput, types: TypeRegistry, locate: Locate, opts: { storedAttributes?: boolean; storedGeometry?: boolean } = {}): Prepared {
  const type = types.get(String(input.type ?? ''));
  if (!type) throw invalid('type', `${JSON.stringify(input.type ?? null)} is not a known component type`);
  const g = validateGeometry(input.geometry, 'geometry', { stored: opts.storedGeometry });
  if (!g.ok) throw invalid(g.field, g.reason);
  const geometry: Geometry = g.geometry;
  const kind = type.row.geometry;
  if (!GEOMETRY_TYPES[kind].includes(geometry.type)) {
    throw invalid('geometry.type', `must be ${GEOMETRY_TYPES[kind].join(' or ')} for ${type.row.name_zh} (${type.row.code}), not ${geometry.type}`);
  }
  const [lon, lat] = representativePoint(geometry);
  const place = locate(lon, lat);
  if (!place) throw invalid('geometry', `lies outside Shanghai's jurisdictions (its point ${lon.toFixed(6)}, ${lat.toFixed(6)} is in no district)`);
  const district = place.code.slice(0, 6);

  let status: ComponentStatus = 'intact';
  if (input.status != null) {
    if (!isStatus(input.status)) throw invalid('status', 'must be one of intact, damaged, missing, occupied, removed');
    status = input.status;
  }
  const attributes = input.attributes ?? {};
  if (typeof attributes !== 'object' || Array.isArray(attributes)) throw invalid('attributes', 'must be an object');
  // Attributes kept as stored (a change that does not touch them) were checked against the schema
  // of their day; an administrator's later schema applies to the next edit of them.
  if (!opts.storedAttributes && !type.validate(attributes)) {
    const e = attributeError(type.validate.errors);
    throw invalid(e.field, e.reason);
  }
  const codePrefix = district + type.row.code;
  let code = input.code ?? null;
  if (code != null) {
    if (typeof code !== 'string' || !/^\d{16}$/.test(code)) throw invalid('code', 'must be 16 digits: district (6) + class (2) + sub-class (2) + serial (6)');
    if (code.slice(0, 6) !== district) throw invalid('code', `starts with district ${code.slice(0, 6)}, but the geometry lies in district ${district}`);
    if (code.slice(6, 10) !== type.row.code) throw invalid('code', `has class and sub-class ${code.slice(6, 10)}, but the type is ${type.row.code}`);
    if (code.endsWith('000000')) throw invalid('code', 'serial must not be 000000');
  }
  const [minLon, minLat, maxLon, maxLat] = geometryBBox(geometry);
  return {
    type,
    needsCode: code == null,
    codePrefix,
    row: {
      code: code ?? '',
      type_code: type.row.code,
      jurisdiction_code: place.code,
      geometry_kind: kind,
      geometry: JSON.stringify(geometry),
      lon,
      lat,
      min_lon: minLon,
      min_lat: minLat,
      max_lon: maxLon,
      max_lat: maxLat,
      status,
      name: text('name', input.name, 200),
      address: text('address', input.address, 300),
      owner_dept: text('ownerDept', input.ownerDept, 64),
      maintainer_dept: text('maintainerDept', input.maintainerDept, 64),
      attributes,
      photos: checkPhotos(input.photos),
    },
  };
}

/** The next code under a prefix (district + type), from the highest one taken. */
export function nextCode(prefix: string, highest: string | null): string {
  const serial = highest ? Number(highest.slice(10)) + 1 : 1;
  if (serial > 999_999) throw invalid('code', `no serial numbers left under ${prefix}`);
  return prefix + String(serial).padStart(6, '0');
}

// Devices and their latest values as NGSI-LD entities (ETSI GS CIM 009), the subset smart-city
// tooling uses: query entities by type, id, attribute condition and place; read one; read an
// entity's history (temporal representation).
import { authorize, readFilter, UNSCOPED, type Principal } from '../../../platform/access.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError, invalid } from '../../../platform/errors.ts';
import type { DeviceRow, StateRow } from '../device.schema.ts';
import type { DeviceStore } from '../device.store.ts';
import type { LoadedDeviceType } from '../device-types.ts';
import type { DeviceService } from '../device.service.ts';
import type { TelemetryStore } from '../telemetry/telemetry.store.ts';
import { parseGeo, type GeoFilter } from './geo.ts';
import { matches, parseQ } from './q.ts';

export const CORE_CONTEXT = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld';
/** The Link header that names the core @context of a plain JSON body. */
export const LINK = `<${CORE_CONTEXT}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
/** UN/CEFACT common codes for the units our metrics use (NGSI-LD's unitCode). */
const UNIT_CODES: Record<string, string> = { m: 'MTR', cm: 'CMT', mm: 'MMT', '°C': 'CEL', '%': 'P1', V: 'VLT', W: 'WTT', A: 'AMP', kPa: 'KPA', dB: '2N', lx: 'LUX', ppm: '59', 'mg/L': 'M1', 'm/s': 'MTS', h: 'HUR', L: 'LTR', 'mm/h': 'H67' };
const MAX_LIMIT = 1000;
/** Every device entity's attributes besides its type's metrics. */
export const DEVICE_ATTRIBUTES: readonly string[] = ['name', 'location', 'online', 'jurisdiction', 'ownerDepartment', 'mountedOn'];
const SCAN_CAP = 100_000;

export type Entity = Record<string, unknown> & { id: string; type: string };

/** A device as it is now, for notifications: its entity type and place, its values for q, and the entity in a chosen shape. */
export interface EntitySnapshot {
  type: string;
  jurisdictionCode: string;
  value(attr: string): unknown;
  render(attrs: Set<string> | null, options?: string): Entity;
}

export interface EntityQuery {
  type?: string;
  id?: string;
  q?: string;
  attrs?: string;
  georel?: string;
  geometry?: string;
  coordinates?: string;
  limit?: number;
  offset?: number;
  /** The caller wants the total (NGSILD-Results-Count). */
  count?: boolean;
  options?: string;
}

/** The time part of a temporal query. */
export interface TemporalQuery {
  attrs?: string;
  timerel?: string;
  timeAt?: string;
  endTimeAt?: string;
  lastN?: number;
}

/** Entities one temporal query returns at most: each brings its readings. */
const MAX_TEMPORAL_ENTITIES = 100;
/** Readings one temporal query returns at most, over all its entities and attributes. */
const MAX_TEMPORAL_POINTS = 200_000;

/** `Water-level gauge` → `WaterLevelGauge`: the entity type of a device type. */
export function ngsiType(t: LoadedDeviceType): string {
  return t.row.name_en.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

export class NgsiService {
  constructor(
    private readonly ctx: AppContext,
    private readonly devices: DeviceService,
    private readonly store: DeviceStore,
    private readonly telemetry: TelemetryStore,
  ) {}

  /** GET /entities: matching entities (in id order) and how many matched in all. */
  async query(p: Principal | null, q: EntityQuery): Promise<{ entities: Entity[]; count: number }> {
    const { page, state, attrs, count } = await this.match(p, q);
    return { entities: page.map((r) => this.entity(r, state, attrs, q.options)), count };
  }

  /** The devices a query matches: the requested page of them (in id order), their state, and how many matched in all. */
  private async match(p: Principal | null, q: EntityQuery): Promise<{ page: DeviceRow[]; state: Map<string, StateRow[]>; attrs: Set<string> | null; count: number }> {
    const prefix = await this.scope(p);
    if (!q.type && !q.id && !q.q && !q.georel && !q.attrs) throw invalid('type', 'give at least one of type, id, q, attrs or georel');
    const limit = q.limit ?? 20;
    if (limit > MAX_LIMIT) throw invalid('limit', `must be at most ${MAX_LIMIT}`);
    const types = q.type ? q.type.split(',').map((name) => this.typeByName(name.trim())) : undefined;
    const ids = q.id ? q.id.split(',').map((urn) => deviceIdOf(urn.trim())) : undefined;
    const geo: GeoFilter | null = q.georel ? parseGeo(q.georel, q.geometry, q.coordinates) : null;
    const cond = q.q ? parseQ(q.q) : null;
    const attrs = q.attrs ? new Set(q.attrs.split(',').map((a) => a.trim())) : null;
    const rows = await this.store.find(this.ctx.db, { prefix, types: types?.map((t) => t.row.code), ids, box: geo?.box }, SCAN_CAP + 1);
    // Past the cap an answer filtered after the scan (q, attrs, the exact geo test), a count or a
    // page beyond it would be silently wrong: say so instead. A plain page inside it is exact.
    const afterScan = cond !== null || attrs !== null || geo !== null;
    if (rows.length > SCAN_CAP && (afterScan || q.count || (q.offset ?? 0) + limit > SCAN_CAP)) {
      throw invalid(q.georel ? 'georel' : 'type', `matches more than ${SCAN_CAP.toLocaleString('en')} devices before q, attrs or the geo test are applied; narrow it by type, id or a georel area`);
    }
    if (rows.length > SCAN_CAP) rows.length = SCAN_CAP;
    const state = await this.stateOf(rows);
    const hits: DeviceRow[] = [];
    for (const r of rows) {
      if (geo && !geo.test(Number(r.lon), Number(r.lat))) continue;
      if (attrs && ![...attrs].some((a) => this.hasAttr(r, state, a))) continue;
      if (cond && !matches(cond, (a) => this.plainValue(r, state, a))) continue;
      hits.push(r);
    }
    return { page: hits.slice(q.offset ?? 0, (q.offset ?? 0) + limit), state, attrs, count: hits.length };
  }

  /** GET /entities/{id}. */
  async get(p: Principal | null, urn: string, q: { attrs?: string; options?: string }): Promise<Entity> {
    const row = await this.readable(p, urn);
    const attrs = q.attrs ? new Set(q.attrs.split(',').map((a) => a.trim())) : null;
    return this.entity(row, await this.stateOf([row]), attrs, q.options);
  }

  /** GET /temporal/entities/{id}: each metric's readings as an array of Property instances (oldest first). */
  async temporal(p: Principal | null, urn: string, q: TemporalQuery): Promise<Entity> {
    return this.temporalOf(await this.readable(p, urn), q);
  }

  /** A readable device's readings over the query's time window. */
  private async temporalOf(row: DeviceRow, q: TemporalQuery): Promise<Entity> {
    const type = this.devices.types.get(row.type_code)!;
    const now = this.ctx.clock.now();
    let from = 0;
    let to = now + 1;
    if (q.timerel) {
      const at = time('timeAt', q.timeAt);
      if (q.timerel === 'before') to = at;
      else if (q.timerel === 'after') from = at + 1;
      else if (q.timerel === 'between') [from, to] = [at, time('endTimeAt', q.endTimeAt)];
      else throw invalid('timerel', 'must be before, after or between');
    } else if (!q.lastN) from = now - 86_400_000; // no time given: the last 24 hours
    const wanted = q.attrs ? q.attrs.split(',').map((a) => a.trim()) : type.metrics.map((m) => m.key);
    const out: Entity = { id: entityId(type, row.id), type: ngsiType(type) };
    for (const key of wanted) {
      const metric = type.metrics.find((m) => m.key === key);
      if (!metric) continue;
      const points = await this.telemetry.history(this.ctx.db, row.id, key, from, to, q.lastN ?? undefined);
      if (points.length === 0) continue;
      const unitCode = UNIT_CODES[metric.unit];
      out[key] = points.map((pt) => ({ type: 'Property', value: pt.value, observedAt: new Date(pt.at).toISOString(), ...(unitCode ? { unitCode } : {}) }));
    }
    return out;
  }

  /**
   * GET /temporal/entities: the temporal representation of the entities a query matches (type, id,
   * q, georel as for GET /entities), at most `limit` (default 20, at most 100) of them.
   */
  async temporalQuery(p: Principal | null, q: EntityQuery & TemporalQuery): Promise<Entity[]> {
    if (!q.type && !q.id) throw invalid('type', 'is required when no id is given (a temporal query names its entity types or ids)');
    const limit = q.limit ?? 20;
    if (limit > MAX_TEMPORAL_ENTITIES) throw invalid('limit', `must be at most ${MAX_TEMPORAL_ENTITIES} for a temporal query`);
    const { page } = await this.match(p, { type: q.type, id: q.id, q: q.q, georel: q.georel, geometry: q.geometry, coordinates: q.coordinates, limit, offset: q.offset });
    const out: Entity[] = [];
    let points = 0;
    for (const row of page) {
      const t = await this.temporalOf(row, q);
      for (const v of Object.values(t)) if (Array.isArray(v)) points += v.length;
      // Bounded memory and answer: each entity brings up to 100,000 readings per attribute.
      if (points > MAX_TEMPORAL_POINTS) throw invalid('lastN', `the answer would hold more than ${MAX_TEMPORAL_POINTS.toLocaleString('en')} readings; ask for lastN, a shorter time window, fewer attrs or a smaller limit`);
      out.push(t);
    }
    return out;
  }

  /** Devices as entities now, by device id. No access check: the caller decides who may see which (subscriptions check their own scope). */
  async snapshots(deviceIds: string[]): Promise<Map<string, EntitySnapshot>> {
    await this.devices.types.ready(this.ctx.db);
    const out = new Map<string, EntitySnapshot>();
    for (let i = 0; i < deviceIds.length; i += 500) {
      const ids = deviceIds.slice(i, i + 500);
      const rows = await this.store.find(this.ctx.db, { prefix: '', ids }, ids.length);
      const state = await this.stateOf(rows);
      for (const r of rows) {
        const type = this.devices.types.get(r.type_code);
        if (!type) continue;
        out.set(r.id, {
          type: ngsiType(type),
          jurisdictionCode: r.jurisdiction_code,
          value: (a) => this.plainValue(r, state, a),
          render: (attrs, options) => this.entity(r, state, attrs, options),
        });
      }
    }
    return out;
  }

  private entity(r: DeviceRow, state: Map<string, StateRow[]>, attrs: Set<string> | null, options?: string): Entity {
    const type = this.devices.types.get(r.type_code)!;
    const keyValues = options?.split(',').some((o) => o === 'keyValues' || o === 'simplified');
    const view = this.devices.view(r, state.get(r.id) ?? []);
    const all: Record<string, Record<string, unknown>> = {
      name: { type: 'Property', value: r.name },
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [Number(r.lon), Number(r.lat)] } },
      online: { type: 'Property', value: view.online, ...(view.lastSeenAt ? { observedAt: new Date(view.lastSeenAt).toISOString() } : {}) },
      jurisdiction: { type: 'Property', value: r.jurisdiction_code },
    };
    if (r.owner_dept) all.ownerDepartment = { type: 'Property', value: r.owner_dept };
    if (r.component_code) all.mountedOn = { type: 'Relationship', object: `urn:ngsi-ld:CityComponent:${r.component_code}` };
    for (const m of type.metrics) {
      const s = view.state[m.key];
      if (!s) continue;
      const unitCode = UNIT_CODES[m.unit];
      all[m.key] = { type: 'Property', value: s.value, observedAt: new Date(s.at).toISOString(), ...(unitCode ? { unitCode } : {}) };
    }
    const e: Entity = { id: entityId(type, r.id), type: ngsiType(type) };
    for (const [k, v] of Object.entries(all)) {
      if (attrs && !attrs.has(k)) continue;
      e[k] = keyValues ? (v.type === 'Relationship' ? v.object : v.value) : v;
    }
    return e;
  }

  private hasAttr(r: DeviceRow, state: Map<string, StateRow[]>, a: string): boolean {
    return this.plainValue(r, state, a) !== undefined;
  }

  private plainValue(r: DeviceRow, state: Map<string, StateRow[]>, a: string): unknown {
    if (a === 'name') return r.name;
    if (a === 'jurisdiction') return r.jurisdiction_code;
    if (a === 'ownerDepartment') return r.owner_dept ?? undefined;
    if (a === 'online') return this.devices.view(r, []).online;
    if (a === 'location') return true;
    if (a === 'mountedOn') return r.component_code ? `urn:ngsi-ld:CityComponent:${r.component_code}` : undefined;
    const s = state.get(r.id)?.find((x) => x.metric === a);
    return s ? Number(s.value) : undefined;
  }

  private async stateOf(rows: DeviceRow[]): Promise<Map<string, StateRow[]>> {
    const out = new Map<string, StateRow[]>();
    for (let i = 0; i < rows.length; i += 500) {
      for (const s of await this.telemetry.state(this.ctx.db, rows.slice(i, i + 500).map((r) => r.id))) {
        const list = out.get(s.device_id);
        if (list) list.push(s);
        else out.set(s.device_id, [s]);
      }
    }
    return out;
  }

  private typeByName(name: string): LoadedDeviceType {
    const t = this.devices.types.all().find((x) => ngsiType(x) === name || x.row.code === name);
    if (!t) throw invalid('type', `${name} is not an entity type here (${this.devices.types.all().map(ngsiType).join(', ')})`);
    return t;
  }

  private async scope(p: Principal | null): Promise<string> {
    authorize(p, 'device.read', UNSCOPED);
    await this.devices.types.ready(this.ctx.db);
    const f = readFilter(p);
    if (f.kind !== 'scope') throw new AppError('SCOPE_FORBIDDEN', 'Your account has no jurisdiction');
    return f.prefix;
  }

  private async readable(p: Principal | null, urn: string): Promise<DeviceRow> {
    const prefix = await this.scope(p);
    const rows = await this.store.find(this.ctx.db, { prefix, ids: [deviceIdOf(urn)] }, 1);
    const row = rows[0];
    if (!row || entityId(this.devices.types.get(row.type_code)!, row.id) !== urn) throw new AppError('NOT_FOUND', `No entity ${urn} in your jurisdiction`);
    return row;
  }
}

export const entityId = (t: LoadedDeviceType, deviceId: string) => `urn:ngsi-ld:${ngsiType(t)}:${deviceId}`;

/** The device id inside `urn:ngsi-ld:{Type}:{deviceId}`. */
function deviceIdOf(urn: string): string {
  const m = /^urn:ngsi-ld:[A-Za-z0-9]+:([A-Za-z0-9._-]{1,64})$/.exec(urn);
  if (!m) throw invalid('id', `${urn} is not an entity id of the form urn:ngsi-ld:{Type}:{deviceId}`);
  return m[1]!;
}

function time(field: string, v: string | undefined): number {
  const t = v ? Date.parse(v) : NaN;
  if (!v || Number.isNaN(t)) throw invalid(field, 'must be an ISO 8601 date-time, e.g. 2026-07-25T03:15:00Z');
  return t;
}

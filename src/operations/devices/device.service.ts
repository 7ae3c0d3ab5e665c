import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { authorize, readFilter, scopePrefix, UNSCOPED, type Principal } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import type { Tx } from '../../platform/db/database.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { CreateDeviceInput, DeviceRow, DeviceTypeView, DeviceView, StateRow } from './device.schema.ts';
import type { DeviceStore } from './device.store.ts';
import type { DeviceTypes, LoadedDeviceType } from './device-types.ts';
import { telemetryTopic } from './mqtt/topics.ts';
import type { TelemetryStore } from './telemetry/telemetry.store.ts';

/** Device types name the sector that usually runs them; departments are coded `<sector>.<district>`. */
const SECTOR_DEPARTMENT: Record<string, string> = {
  water: 'sw', fire: 'xf', cityManagement: 'cgzf', housing: 'zjw', civilAffairs: 'mz', greening: 'lhsr', transport: 'jtw', ecology: 'sthj', publicSecurity: 'ga',
};

/** What ingestion needs to know about a device, cached per process. */
export interface DeviceInfo {
  id: string;
  type: LoadedDeviceType;
  jurisdictionCode: string;
  point: [number, number];
  name: string;
  secretHash: string;
}

/** What a device id may be (the registration schema's pattern). */
export const DEVICE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * The device registry: who may see and register which device, each device's credentials (a random
 * secret shown once, kept as a hash: it is high-entropy, so a fast hash is enough), and a cache of
 * devices for ingestion, dropped on change in every process.
 */
export class DeviceService {
  private readonly cache = new Map<string, DeviceInfo>();
  /** Counts forget() calls: a read that overlapped one does not fill the cache. */
  private forgotten = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly store: DeviceStore,
    private readonly telemetry: TelemetryStore,
    readonly types: DeviceTypes,
  ) {}

  async create(p: Principal | null, input: CreateDeviceInput): Promise<DeviceView & { secret: string; mqtt: { username: string; topic: string } }> {
    authorize(p, 'device.manage', UNSCOPED);
    await this.types.ready(this.ctx.db);
    const type = this.types.get(input.type);
    if (!type) throw invalid('type', `${JSON.stringify(input.type)} is not a device type (${this.types.all().map((t) => t.row.code).join(', ')})`);
    const [lon, lat] = await this.position(p, input);
    const place = this.ctx.services.jurisdictions.locate(lon, lat);
    if (!place) throw invalid('point', `${lon}, ${lat} lies outside Shanghai's jurisdictions`);
    authorize(p, 'device.manage', { jurisdictionCode: place.code });
    const ownerDept = input.ownerDept?.trim() || (await this.defaultOwner(type, place.code));
    if (input.ownerDept && !(await this.ctx.services.departments.find(input.ownerDept))) throw invalid('ownerDept', `${input.ownerDept} is not a known department`);
    const now = this.ctx.clock.now();
    const secret = randomBytes(24).toString('base64url');
    const row: DeviceRow = {
      id: input.id ?? `${type.row.code.replace(/_/g, '-')}-${place.code.slice(0, 6)}-${randomBytes(4).toString('hex')}`,
      type_code: type.row.code,
      name: input.name.trim(),
      component_code: input.componentCode ?? null,
      lon,
      lat,
      jurisdiction_code: place.code,
      owner_dept: ownerDept,
      secret_hash: hashSecret(secret),
      last_seen_at: null,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await this.ctx.transaction(async (tx) => {
      if (await this.store.get(tx, row.id)) throw new AppError('CONFLICT', `A device with id ${row.id} already exists`, 'id');
      await this.store.insert(tx, [row]);
      await this.record(tx, p, 'devices.device.created', row, { type: row.type_code, componentCode: row.component_code });
    });
    return { ...this.view(row, []), secret, mqtt: { username: row.id, topic: telemetryTopic(row.id) } };
  }

  async listTypes(p: Principal | null): Promise<DeviceTypeView[]> {
    authorize(p, 'device.read', UNSCOPED);
    await this.types.ready(this.ctx.db);
    return this.types.all().map((t) => t.view);
  }

  async get(p: Principal | null, id: string): Promise<DeviceView> {
    const row = await this.readable(p, id);
    return this.view(row, await this.telemetry.state(this.ctx.db, [row.id]));
  }

  async list(p: Principal | null, q: { jurisdiction?: string; type?: string; componentCode?: string; limit?: number; cursor?: string }): Promise<{ items: DeviceView[]; nextCursor: string | null }> {
    authorize(p, 'device.read', UNSCOPED);
    const f = readFilter(p);
    if (f.kind !== 'scope') return { items: [], nextCursor: null };
    // A place inside the caller's jurisdiction narrows the list; one around it means all of theirs.
    const want = q.jurisdiction ? scopePrefix(q.jurisdiction) : f.prefix;
    if (!want.startsWith(f.prefix) && !f.prefix.startsWith(want)) throw new AppError('SCOPE_FORBIDDEN', `${q.jurisdiction} is outside your jurisdiction`);
    const prefix = want.length > f.prefix.length ? want : f.prefix;
    const limit = q.limit ?? 100;
    const after = q.cursor ? (([j, id]) => ({ j: String(j), id: String(id) }))(decodeCursor(q.cursor, 'ss')) : null;
    const rows = await this.store.list(this.ctx.db, { prefix, type: q.type, componentCode: q.componentCode }, after, limit);
    const state = await this.telemetry.state(this.ctx.db, rows.map((r) => r.id));
    const last = rows.at(-1);
    return { items: rows.map((r) => this.view(r, state)), nextCursor: rows.length === limit && last ? encodeCursor([last.jurisdiction_code, last.id]) : null };
  }

  /** A new secret for a device (the old one stops working at once, in every process). */
  async rotateSecret(p: Principal | null, id: string): Promise<{ id: string; secret: string }> {
    const row = await this.readable(p, id);
    authorize(p, 'device.manage', { jurisdictionCode: row.jurisdiction_code });
    const secret = randomBytes(24).toString('base64url');
    await this.ctx.transaction(async (tx) => {
      if (!(await this.store.update(tx, id, row.version, { secret_hash: hashSecret(secret), updated_at: this.ctx.clock.now() }))) throw new AppError('CONFLICT', `Device ${id} was changed meanwhile; try again`);
      await this.record(tx, p!, 'devices.device.credentials_rotated', row, {});
    });
    return { id, secret };
  }

  async remove(p: Principal | null, id: string, version: number): Promise<void> {
    const row = await this.readable(p, id);
    authorize(p, 'device.manage', { jurisdictionCode: row.jurisdiction_code });
    await this.ctx.transaction(async (tx) => {
      if (!(await this.store.remove(tx, id, version))) throw new AppError('CONFLICT', `Device ${id} is at version ${row.version}, not ${version}`, 'version');
      await this.record(tx, p!, 'devices.device.deleted', row, {});
    });
  }

  /** The device if `secret` is its secret (MQTT CONNECT), else null. */
  async authenticate(id: string, secret: string): Promise<DeviceInfo | null> {
    const info = await this.info(id);
    if (!info) return null;
    const a = Buffer.from(info.secretHash, 'hex');
    const b = Buffer.from(hashSecret(secret), 'hex');
    return a.length === b.length && timingSafeEqual(a, b) ? info : null;
  }

  /** The cached device for ingestion (null when there is none). */
  async info(id: string): Promise<DeviceInfo | null> {
    // Anything a device id cannot be (too long, NUL, spaces…) is unknown without asking the database.
    if (!DEVICE_ID.test(id)) return null;
    const cached = this.cache.get(id);
    if (cached) return cached;
    // A change heard while the row is being read makes what was read stale: then it is not cached.
    const generation = this.forgotten;
    await this.types.ready(this.ctx.db);
    const row = await this.store.get(this.ctx.db, id);
    const type = row ? this.types.get(row.type_code) : null;
    if (!row || !type) return null; // misses are not cached: anyone may send unknown ids
    const info = { id: row.id, type, jurisdictionCode: row.jurisdiction_code, point: [Number(row.lon), Number(row.lat)] as [number, number], name: row.name, secretHash: row.secret_hash };
    if (generation !== this.forgotten) return info;
    if (this.cache.size > 200_000) this.cache.clear();
    this.cache.set(id, info);
    return info;
  }

  /** Devices of a type in a place silent since `cutoff` (for "no data" rules), with when each was last heard (or registered). */
  async silent(type: string, prefix: string, cutoff: number): Promise<Array<{ id: string; lastSeen: number }>> {
    const rows = await this.store.silent(this.ctx.db, type, prefix, cutoff, 50_000);
    return rows.map((r) => ({ id: r.id, lastSeen: Number(r.last_seen_at ?? r.created_at) }));
  }

  /** When a device was last heard from (null: never, or no such device). */
  async lastSeen(id: string): Promise<number | null> {
    if (!DEVICE_ID.test(id)) return null;
    const row = await this.store.get(this.ctx.db, id);
    return row?.last_seen_at == null ? null : Number(row.last_seen_at);
  }

  /** Drops a device from this process's cache (on `devices.device.changed`). */
  forget(id: string): void {
    this.forgotten++;
    this.cache.delete(id);
  }

  view(r: DeviceRow, state: StateRow[]): DeviceView {
    const type = this.types.get(r.type_code);
    const lastSeen = r.last_seen_at === null ? null : Number(r.last_seen_at);
    const values: DeviceView['state'] = {};
    for (const s of state) if (s.device_id === r.id) values[s.metric] = { value: Number(s.value), at: Number(s.at) };
    return {
      id: r.id,
      type: r.type_code,
      typeName: type?.row.name_zh ?? r.type_code,
      name: r.name,
      componentCode: r.component_code,
      point: [Number(r.lon), Number(r.lat)],
      jurisdictionCode: r.jurisdiction_code,
      ownerDept: r.owner_dept,
      online: lastSeen !== null && this.ctx.clock.now() - lastSeen <= (type?.view.offlineAfterS ?? 900) * 1000,
      lastSeenAt: lastSeen,
      state: values,
      version: Number(r.version),
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    };
  }

  private async readable(p: Principal | null, id: string): Promise<DeviceRow> {
    authorize(p, 'device.read', UNSCOPED);
    const f = readFilter(p);
    const row = id.length <= 64 ? await this.store.get(this.ctx.db, id) : undefined;
    if (!row || f.kind !== 'scope' || !row.jurisdiction_code.startsWith(f.prefix)) throw new AppError('NOT_FOUND', `No device ${id} in your jurisdiction`);
    return row;
  }

  /** The given point, or the location of the component the device is mounted on. */
  private async position(p: Principal, input: CreateDeviceInput): Promise<[number, number]> {
    if (input.componentCode) {
      const c = await this.ctx.services.components.get(p, input.componentCode).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'NOT_FOUND') throw invalid('componentCode', `${input.componentCode} is not a component in your jurisdiction`);
        throw err;
      });
      return c.point;
    }
    if (!input.point) throw invalid('point', 'is required (or componentCode, to mount the device on a component)');
    const [lon, lat] = input.point;
    if (!(lon >= 120.8 && lon <= 122.3 && lat >= 30.66 && lat <= 31.9)) {
      if (lat >= 120.8 && lat <= 122.3 && lon >= 30.66 && lon <= 31.9) throw invalid('point', 'looks like [lat, lon]; give [lon, lat]');
      throw invalid('point', `${lon}, ${lat} is outside Shanghai (lon 120.8–122.3, lat 30.66–31.9)`);
    }
    return [lon, lat];
  }

  /** The department that owns a device of this type in this place unless one is named (the type's sector in the district). */
  async defaultOwner(type: LoadedDeviceType, jurisdictionCode: string): Promise<string | null> {
    // The same rule as a component's default owner: the sector's branch in the district, if it exists.
    const sector = type.row.owner_sector ? SECTOR_DEPARTMENT[type.row.owner_sector] : undefined;
    return this.ctx.services.components.defaultOwner(sector ?? null, jurisdictionCode);
  }

  private async record(tx: Tx, p: Principal, action: string, row: DeviceRow, detail: Record<string, unknown>): Promise<void> {
    await this.ctx.audit.record(tx, { actorId: p.accountId, actorKind: 'account', action, subjectType: 'device', subjectId: row.id, jurisdictionCode: row.jurisdiction_code, detail });
    await this.ctx.outbox.add(tx, 'devices.device.changed', { v: 1, id: row.id, action: action.split('.').pop()! });
  }
}

import type { Dialect, Executor } from '../../platform/db/database.ts';
import { boolValue, toJson } from '../../platform/db/dialect.ts';
import type { DeviceRow, DeviceTypeRow } from './device.schema.ts';

/** All SQL of the device registry (telemetry has its own store). */
export class DeviceStore {
  constructor(private readonly dialect: Dialect) {}

  listTypes(db: Executor): Promise<DeviceTypeRow[]> {
    return db.selectFrom('devices_type').selectAll().orderBy('code').execute();
  }

  /** Adds a type unless its code exists; true when added. */
  async insertType(db: Executor, row: DeviceTypeRow): Promise<boolean> {
    const r = await db
      .insertInto('devices_type')
      .values({ ...row, metrics: toJson(row.metrics), mount_on: toJson(row.mount_on), builtin: boolValue(this.dialect, Boolean(row.builtin)) })
      .onConflict((oc) => oc.column('code').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  get(db: Executor, id: string): Promise<DeviceRow | undefined> {
    return db.selectFrom('devices_device').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insert(db: Executor, rows: DeviceRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('devices_device').values(rows.slice(i, i + 500)).execute();
  }

  /** Changes a device if it still has `version`; false when someone else changed it first. */
  async update(db: Executor, id: string, version: number, patch: Partial<DeviceRow>): Promise<boolean> {
    const r = await db.updateTable('devices_device').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async remove(db: Executor, id: string, version: number): Promise<boolean> {
    const r = await db.deleteFrom('devices_device').where('id', '=', id).where('version', '=', version).executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) return false;
    await db.deleteFrom('devices_state').where('device_id', '=', id).execute();
    return true;
  }

  /** Devices under a jurisdiction prefix, optionally of one type or on one component, in (jurisdiction, id) order. */
  list(db: Executor, f: { prefix: string; type?: string; componentCode?: string }, after: { j: string; id: string } | null, limit: number): Promise<DeviceRow[]> {
    let q = db.selectFrom('devices_device').selectAll().where('jurisdiction_code', '>=', f.prefix).where('jurisdiction_code', '<', f.prefix + '~');
    if (f.type) q = q.where('type_code', '=', f.type);
    if (f.componentCode) q = q.where('component_code', '=', f.componentCode);
    if (after) q = q.where((eb) => eb.or([eb('jurisdiction_code', '>', after.j), eb.and([eb('jurisdiction_code', '=', after.j), eb('id', '>', after.id)])]));
    return q.orderBy('jurisdiction_code').orderBy('id').limit(limit).execute();
  }

  /** Devices under a jurisdiction prefix matching any of `types` / `ids` / a box, in id order (for NGSI-LD queries). */
  find(db: Executor, f: { prefix: string; types?: string[]; ids?: string[]; box?: [number, number, number, number] }, cap: number): Promise<DeviceRow[]> {
    let q = db.selectFrom('devices_device').selectAll().where('jurisdiction_code', '>=', f.prefix).where('jurisdiction_code', '<', f.prefix + '~');
    if (f.types) q = q.where('type_code', 'in', f.types.length ? f.types : ['']);
    if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : ['']);
    if (f.box) q = q.where('lon', '>=', f.box[0]).where('lat', '>=', f.box[1]).where('lon', '<=', f.box[2]).where('lat', '<=', f.box[3]);
    return q.orderBy('id').limit(cap).execute();
  }

  /** Devices of a type under a prefix not heard from (nor registered) since `cutoff`: candidates for "no data" rules. */
  silent(db: Executor, type: string, prefix: string, cutoff: number, cap: number): Promise<Array<Pick<DeviceRow, 'id' | 'last_seen_at' | 'created_at'>>> {
    return db
      .selectFrom('devices_device')
      .select(['id', 'last_seen_at', 'created_at'])
      .where('type_code', '=', type)
      .where('jurisdiction_code', '>=', prefix)
      .where('jurisdiction_code', '<', prefix + '~')
      .where((eb) => eb(eb.fn.coalesce('last_seen_at', 'created_at'), '<', cutoff))
      .limit(cap)
      .execute();
  }

  async count(db: Executor): Promise<number> {
    const r = await db.selectFrom('devices_device').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}

import type { Executor } from '../../platform/db/database.ts';
import { fromJson, toJson } from '../../platform/db/dialect.ts';
import type { LogQuery, LogRow, RequestRow, ResourceRow } from './exchange.schema.ts';

/** Who may read which log entries: everything, or a department's calls and calls on its resources. */
export type LogReach = { kind: 'all' } | { kind: 'department'; code: string; resources: string[] } | { kind: 'subjects'; ids: string[] };

/** All SQL of the exchange (the log's chain writes live in exchange-log.ts). */
export class ExchangeStore {
  async resources(db: Executor): Promise<ResourceRow[]> {
    return db.selectFrom('exchange_resource').selectAll().orderBy('code').execute();
  }

  async resource(db: Executor, code: string): Promise<ResourceRow | null> {
    return (await db.selectFrom('exchange_resource').selectAll().where('code', '=', code).executeTakeFirst()) ?? null;
  }

  async insertResource(db: Executor, row: ResourceRow): Promise<boolean> {
    const r = await db.insertInto('exchange_resource').values(row).onConflict((oc) => oc.column('code').doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async updateResource(db: Executor, row: ResourceRow, version: number): Promise<boolean> {
    const { code, created_at: _created, ...rest } = row;
    const r = await db.updateTable('exchange_resource').set(rest).where('code', '=', code).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async request(db: Executor, id: string): Promise<RequestRow | null> {
    return (await db.selectFrom('exchange_request').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async insertRequest(db: Executor, row: RequestRow): Promise<void> {
    await db.insertInto('exchange_request').values(row).execute();
  }

  /** Writes a decided, revoked or withdrawn request if nobody changed it since `version` was read. */
  async updateRequest(db: Executor, row: RequestRow, version: number): Promise<boolean> {
    // A row read from PostgreSQL holds its jsonb columns as objects: write them back as JSON text.
    const json = (v: unknown) => (v === null ? null : toJson(fromJson(v)));
    const { id, ...rest } = { ...row, fields: json(row.fields), clear_fields: json(row.clear_fields), subject_scope: json(row.subject_scope), granted_fields: json(row.granted_fields), granted_clear: json(row.granted_clear), granted_scope: json(row.granted_scope) };
    const r = await db.updateTable('exchange_request').set(rest).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Grants (live or not) held by any of `requesterCodes` (an office and its bureau) for one resource, newest first. */
  async grants(db: Executor, requesterCodes: string[], resourceCode: string): Promise<RequestRow[]> {
    return db
      .selectFrom('exchange_request')
      .selectAll()
      .where('requester_code', 'in', requesterCodes)
      .where('resource_code', '=', resourceCode)
      .where('status', 'in', ['granted', 'revoked'])
      .orderBy('decided_at', 'desc')
      .execute();
  }

  /** Requests a department made, or made for resources it owns. */
  async requests(db: Executor, filter: { requester?: string; resources?: string[]; status?: string; all?: boolean; now: number }, limit: number): Promise<RequestRow[]> {
    let q = db.selectFrom('exchange_request').selectAll();
    if (!filter.all) {
      q = q.where((eb) => {
        const ors = [];
        if (filter.requester) ors.push(eb('requester_code', '=', filter.requester));
        if (filter.resources?.length) ors.push(eb('resource_code', 'in', filter.resources));
        return ors.length ? eb.or(ors) : eb.val(false);
      });
    }
    // Expiry is not stored as a status: a granted request past its expiry reads as `expired`.
    if (filter.status === 'expired') q = q.where('status', '=', 'granted').where('expires_at', '<=', filter.now);
    else if (filter.status === 'granted') q = q.where('status', '=', 'granted').where('expires_at', '>', filter.now);
    else if (filter.status) q = q.where('status', '=', filter.status);
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  async log(db: Executor, reach: LogReach, q: LogQuery): Promise<LogRow[]> {
    let s = db.selectFrom('exchange_log').selectAll();
    if (reach.kind === 'department') {
      s = s.where((eb) => eb.or([eb('department_code', '=', reach.code), ...(reach.resources.length ? [eb('resource_code', 'in', reach.resources)] : [])]));
    } else if (reach.kind === 'subjects') {
      if (!reach.ids.length) return [];
      s = s.where('subject_id', 'in', reach.ids);
    }
    if (q.resource) s = s.where('resource_code', '=', q.resource);
    if (q.department) s = s.where('department_code', '=', q.department);
    if (q.subject) s = s.where('subject_id', '=', q.subject);
    if (q.outcome === 'refused') s = s.where('outcome', '!=', 'ok');
    else if (q.outcome) s = s.where('outcome', '=', q.outcome);
    if (q.from !== undefined) s = s.where('at', '>=', q.from);
    if (q.to !== undefined) s = s.where('at', '<', q.to);
    if (q.before !== undefined) s = s.where('seq', '<', q.before);
    return s.orderBy('seq', 'desc').limit(q.limit ?? 50).execute();
  }
}

import { sql } from 'kysely';
import type { Dialect, Executor } from '../../platform/db/database.ts';
import { boolValue, toJson } from '../../platform/db/dialect.ts';
import { branchPrefix } from './case.access.ts';
import type { CaseRow, DispatchRuleRow, EventRow } from './case.schema.ts';
import { OPEN_STAGES, type CaseStage } from './workflow.ts';

/** Who a list is narrowed to: a scope, a department inside a scope, a worker's grid or tasks, a reporter. */
export type CaseFilter =
  | { kind: 'scope'; prefix: string }
  | { kind: 'department'; prefix: string; department: string }
  | { kind: 'worker'; prefix: string; accountId: string }
  | { kind: 'reporter'; accountId: string };

export interface ListOptions {
  stage?: 'open' | CaseStage;
  colour?: 'green' | 'yellow' | 'red';
  category?: string;
  jurisdiction?: string;
  component?: string;
  assignee?: string;
  escalated?: boolean;
  supervised?: boolean;
  now: number;
  before?: { at: number; id: string };
  /** Nearest first to this point (then no cursor). */
  near?: [number, number];
}

/** Metres per degree of latitude; longitude degrees shrink by cos(latitude). */
const M_PER_DEG = 111_320;

/** All SQL of the cases module. */
export class CaseStore {
  constructor(private readonly dialect: Dialect) {}

  /** The next number of the day (`20261129` → 1, 2, …), safe under concurrent writers. */
  async nextNumber(db: Executor, day: string): Promise<number> {
    const r = await db
      .insertInto('cases_counter')
      .values({ day, next: 1 })
      .onConflict((oc) => oc.column('day').doUpdateSet({ next: sql`cases_counter.next + 1` }))
      .returning('next')
      .executeTakeFirstOrThrow();
    return Number(r.next);
  }

  async insert(db: Executor, row: CaseRow): Promise<void> {
    await db.insertInto('cases_case').values(this.dbRow(row)).execute();
  }

  /** Writes a changed case if nobody else changed it since `version` was read. */
  async update(db: Executor, row: CaseRow, version: number): Promise<boolean> {
    const { id, ...rest } = this.dbRow(row);
    const r = await db.updateTable('cases_case').set(rest).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  get(db: Executor, id: string): Promise<CaseRow | undefined> {
    return db.selectFrom('cases_case').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byAlert(db: Executor, alertId: string): Promise<CaseRow | undefined> {
    return db.selectFrom('cases_case').selectAll().where('alert_id', '=', alertId).executeTakeFirst();
  }

  /** An open case about this component (an inspection heard twice files one case). */
  openByComponent(db: Executor, code: string): Promise<CaseRow | undefined> {
    return db.selectFrom('cases_case').selectAll().where('component_code', '=', code).where('stage', 'in', OPEN_STAGES).executeTakeFirst();
  }

  async insertEvents(db: Executor, events: EventRow[]): Promise<void> {
    await db.insertInto('cases_event').values(events.map((e) => ({ ...e, late: boolValue(this.dialect, Boolean(e.late)), photos: toJson(e.photos), detail: e.detail === null ? null : toJson(e.detail) }))).execute();
  }

  events(db: Executor, caseId: string): Promise<EventRow[]> {
    return db.selectFrom('cases_event').selectAll().where('case_id', '=', caseId).orderBy('at').orderBy('n').execute();
  }

  /** Replaces the departments on a case: the lead and any supporting ones (协调件). */
  async setParties(db: Executor, caseId: string, lead: string, supporting: string[]): Promise<void> {
    await db.deleteFrom('cases_party').where('case_id', '=', caseId).execute();
    await this.insertParties(db, caseId, lead, supporting);
  }

  async deleteParties(db: Executor, caseId: string): Promise<void> {
    await db.deleteFrom('cases_party').where('case_id', '=', caseId).execute();
  }

  async insertParties(db: Executor, caseId: string, lead: string, supporting: string[]): Promise<void> {
    const rows = [{ case_id: caseId, department_code: lead, role: 'lead' as const }, ...supporting.filter((d) => d !== lead).map((d) => ({ case_id: caseId, department_code: d, role: 'support' as const }))];
    await db.insertInto('cases_party').values(rows).execute();
  }

  async parties(db: Executor, caseId: string): Promise<Array<{ department_code: string; role: 'lead' | 'support' }>> {
    return db.selectFrom('cases_party').select(['department_code', 'role']).where('case_id', '=', caseId).execute();
  }

  async addReporter(db: Executor, caseId: string, accountId: string, at: number): Promise<void> {
    await db.insertInto('cases_reporter').values({ case_id: caseId, account_id: accountId, added_at: at }).onConflict((oc) => oc.columns(['case_id', 'account_id']).doNothing()).execute();
  }

  async reporters(db: Executor, caseId: string): Promise<string[]> {
    return (await db.selectFrom('cases_reporter').select('account_id').where('case_id', '=', caseId).execute()).map((r) => r.account_id);
  }

  /** Open cases of a category near a point, opened since `since` (duplicate candidates). */
  nearbyOpen(db: Executor, category: string, point: [number, number], metres: number, since: number, exclude: string): Promise<CaseRow[]> {
    const dLat = metres / M_PER_DEG;
    const dLon = metres / (M_PER_DEG * Math.cos((point[1] * Math.PI) / 180));
    return db
      .selectFrom('cases_case')
      .selectAll()
      .where('category_code', '=', category)
      .where('created_at', '>=', since)
      .where('stage', 'in', OPEN_STAGES)
      .where('id', '<>', exclude)
      .where('lon', '>=', point[0] - dLon)
      .where('lon', '<=', point[0] + dLon)
      .where('lat', '>=', point[1] - dLat)
      .where('lat', '<=', point[1] + dLat)
      .limit(50)
      .execute();
  }

  /**
   * Raises many cases a level at once (the sweep), each only if still at the version read; returns
   * the ids that changed. PostgreSQL takes them in one statement, SQLite one cached statement each.
   */
  async escalateMany(db: Executor, rows: Array<{ id: string; version: number; level: number; escalate_at: number | null }>, now: number): Promise<Set<string>> {
    if (!rows.length) return new Set();
    if (this.dialect === 'postgres') {
      const r = await sql<{ id: string }>`
        update cases_case c set level = v.level, escalate_at = v.escalate_at, updated_at = ${now}, version = c.version + 1
        from (select unnest(${rows.map((x) => x.id)}::text[]) as id, unnest(${rows.map((x) => x.version)}::int4[]) as version,
                     unnest(${rows.map((x) => x.level)}::int4[]) as level, unnest(${rows.map((x) => x.escalate_at)}::int8[]) as escalate_at) v
        where c.id = v.id and c.version = v.version
        returning c.id`.execute(db);
      return new Set(r.rows.map((x) => x.id));
    }
    const changed = new Set<string>();
    for (const x of rows) {
      const r = await db.updateTable('cases_case').set({ level: x.level, escalate_at: x.escalate_at, updated_at: now, version: x.version + 1 }).where('id', '=', x.id).where('version', '=', x.version).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 1) changed.add(x.id);
    }
    return changed;
  }

  /** Cases whose next escalation is due, earliest first. */
  dueForEscalation(db: Executor, now: number, limit: number): Promise<CaseRow[]> {
    return db.selectFrom('cases_case').selectAll().where('escalate_at', 'is not', null).where('escalate_at', '<=', now).orderBy('escalate_at').limit(limit).execute();
  }

  /** A list narrowed by who asks and what they filter on; newest first, or nearest first. */
  list(db: Executor, f: CaseFilter, o: ListOptions, limit: number): Promise<CaseRow[]> {
    let q = db.selectFrom('cases_case').selectAll('cases_case');
    const inPrefix = (prefix: string) => (eb: any) => eb.and([eb('jurisdiction_code', '>=', prefix), eb('jurisdiction_code', '<', prefix + '~')]);
    if (f.kind === 'scope') q = q.where(inPrefix(f.prefix));
    else if (f.kind === 'department') {
      // The department itself and its branches below it: 城管执法局 sees its street squadrons' cases.
      const dept = f.department;
      const branches = branchPrefix(dept);
      q = q.where(inPrefix(f.prefix)).where((eb) => eb.exists(eb.selectFrom('cases_party as p').select('p.case_id').whereRef('p.case_id', '=', 'cases_case.id').where((e) => e.or([e('p.department_code', '=', dept), e.and([e('p.department_code', '>=', branches), e('p.department_code', '<', branches + '~')])]))));
    } else if (f.kind === 'worker') q = q.where((eb) => eb.or([inPrefix(f.prefix)(eb), eb('assignee_id', '=', f.accountId)]));
    else q = q.where((eb) => eb.exists(eb.selectFrom('cases_reporter as r').select('r.case_id').whereRef('r.case_id', '=', 'cases_case.id').where('r.account_id', '=', f.accountId)));

    if (o.stage === 'open') q = q.where('stage', 'in', OPEN_STAGES);
    else if (o.stage) q = q.where('stage', '=', o.stage);
    if (o.colour === 'red') q = q.where('due_at', '<=', o.now);
    else if (o.colour === 'yellow') q = q.where('yellow_at', '<=', o.now).where('due_at', '>', o.now);
    else if (o.colour === 'green') q = q.where('yellow_at', '>', o.now);
    if (o.category) q = q.where('category_code', '=', o.category);
    if (o.jurisdiction) q = q.where(inPrefix(o.jurisdiction));
    if (o.assignee) q = q.where('assignee_id', '=', o.assignee);
    if (o.component) q = q.where('component_code', '=', o.component);
    if (o.escalated !== undefined) q = q.where('level', o.escalated ? '>' : '=', 0);
    if (o.supervised !== undefined) q = q.where('supervised', '=', boolValue(this.dialect, o.supervised) as never);
    if (o.near) {
      const [lon, lat] = o.near;
      const k = Math.cos((lat * Math.PI) / 180) ** 2;
      return q.orderBy(sql`(lon - ${lon}) * (lon - ${lon}) * ${k} + (lat - ${lat}) * (lat - ${lat})`).limit(limit).execute();
    }
    const b = o.before;
    if (b) q = q.where((eb) => eb.or([eb('created_at', '<', b.at), eb.and([eb('created_at', '=', b.at), eb('id', '<', b.id)])]));
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /** Open cases in a box under a jurisdiction prefix, for the command map's layer. */
  openInBox(db: Executor, prefix: string, box: [number, number, number, number], limit: number) {
    return db
      .selectFrom('cases_case')
      .select(['id', 'lon', 'lat', 'category_code', 'yellow_at', 'due_at', 'level', 'supervised'])
      .where('jurisdiction_code', '>=', prefix)
      .where('jurisdiction_code', '<', prefix + '~')
      .where('stage', 'in', OPEN_STAGES)
      .where('lon', '>=', box[0])
      .where('lat', '>=', box[1])
      .where('lon', '<=', box[2])
      .where('lat', '<=', box[3])
      .orderBy('due_at')
      .limit(limit)
      .execute();
  }

  /** Reports anyone may see in a box: not hotline calls (callers spoke in confidence), not merged or rejected ones. */
  publicInBox(db: Executor, box: [number, number, number, number], since: number, limit: number): Promise<CaseRow[]> {
    return db
      .selectFrom('cases_case')
      .selectAll()
      .where('source', '<>', 'hotline')
      .where('stage', 'not in', ['rejected', 'merged'])
      .where('updated_at', '>=', since)
      .where('lon', '>=', box[0])
      .where('lat', '>=', box[1])
      .where('lon', '<=', box[2])
      .where('lat', '<=', box[3])
      .orderBy('updated_at', 'desc')
      .limit(limit)
      .execute();
  }

  /** Open311 requests: public cases by id, category, time and open/closed. */
  open311(db: Executor, q: { ids?: string[]; category?: string; from: number; to: number; status?: 'open' | 'closed' }, limit: number): Promise<CaseRow[]> {
    let s = db.selectFrom('cases_case').selectAll().where('source', '<>', 'hotline').where('stage', 'not in', ['rejected', 'merged']);
    if (q.ids) s = s.where('id', 'in', q.ids);
    else s = s.where('created_at', '>=', q.from).where('created_at', '<=', q.to);
    if (q.category) s = s.where('category_code', '=', q.category);
    if (q.status === 'open') s = s.where('stage', 'in', OPEN_STAGES);
    if (q.status === 'closed') s = s.where('stage', '=', 'closed');
    return s.orderBy('created_at', 'desc').limit(limit).execute();
  }

  // ——— the dispatch table ———

  /** Rows for a category at any of these jurisdictions (the service picks the most specific). */
  dispatchRules(db: Executor, category: string, chain: string[]): Promise<DispatchRuleRow[]> {
    return db.selectFrom('cases_dispatch_rule').selectAll().where('category_code', '=', category).where('jurisdiction_code', 'in', chain).execute();
  }

  allDispatchRules(db: Executor, prefix: string): Promise<DispatchRuleRow[]> {
    return db.selectFrom('cases_dispatch_rule').selectAll().where('jurisdiction_code', '>=', prefix).where('jurisdiction_code', '<', prefix + '~').orderBy('category_code').orderBy('jurisdiction_code').execute();
  }

  async putDispatchRule(db: Executor, row: DispatchRuleRow): Promise<void> {
    await db
      .insertInto('cases_dispatch_rule')
      .values(row)
      .onConflict((oc) => oc.columns(['category_code', 'jurisdiction_code']).doUpdateSet({ department_code: row.department_code, team: row.team, updated_by: row.updated_by, updated_at: row.updated_at }))
      .execute();
  }

  async deleteDispatchRule(db: Executor, category: string, jurisdiction: string): Promise<boolean> {
    const r = await db.deleteFrom('cases_dispatch_rule').where('category_code', '=', category).where('jurisdiction_code', '=', jurisdiction).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  // ——— photos ———

  async insertPhoto(db: Executor, p: { id: string; content_type: string; bytes: number; uploaded_by: string; created_at: number }): Promise<void> {
    await db.insertInto('cases_photo').values(p).onConflict((oc) => oc.column('id').doNothing()).execute();
  }

  getPhoto(db: Executor, id: string) {
    return db.selectFrom('cases_photo').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async photosExist(db: Executor, ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    return new Set((await db.selectFrom('cases_photo').select('id').where('id', 'in', ids).execute()).map((r) => r.id));
  }

  private dbRow(row: CaseRow) {
    // A row read back from SQLite holds its JSON as text already: written again as it is.
    const json = (v: unknown) => (typeof v === 'string' ? v : toJson(v));
    return {
      ...row,
      caller: row.caller === null ? null : json(row.caller),
      photos: json(row.photos),
      supervised: boolValue(this.dialect, Boolean(row.supervised)),
    };
  }
}

import { sql } from 'kysely';
import type { Dialect, Executor } from '../../platform/db/database.ts';
import { boolValue, toJson } from '../../platform/db/dialect.ts';
import type { ReadFilter } from '../../platform/access.ts';
import type { AppEventRow, ApplicationRow, FileRow, ResultRow } from './application.schema.ts';

/** Every SQL statement of applications, their timeline, files and results. */
export class ApplicationStore {
  constructor(private readonly dialect: Dialect) {}

  /** The next number of a counter (per day for application numbers), atomically. */
  async nextNumber(db: Executor, key: string): Promise<number> {
    const r = await db
      .insertInto('services_counter')
      .values({ key, next: 1 })
      .onConflict((oc) => oc.column('key').doUpdateSet({ next: sql`services_counter.next + 1` }))
      .returning('next')
      .executeTakeFirstOrThrow();
    return Number(r.next);
  }

  async insert(db: Executor, row: ApplicationRow): Promise<void> {
    await db.insertInto('services_application').values(this.dbRow(row)).execute();
  }

  /** Writes a changed application if nobody else changed it since `version` was read. */
  async update(db: Executor, row: ApplicationRow, version: number): Promise<boolean> {
    const { id, ...rest } = this.dbRow(row);
    const r = await db.updateTable('services_application').set(rest).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async remove(db: Executor, id: string, version: number): Promise<boolean> {
    const r = await db.deleteFrom('services_application').where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  get(db: Executor, id: string): Promise<ApplicationRow | undefined> {
    return db.selectFrom('services_application').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byBundle(db: Executor, bundleId: string): Promise<ApplicationRow[]> {
    return db.selectFrom('services_application').selectAll().where('bundle_id', '=', bundleId).orderBy('id').execute();
  }

  /**
   * A page of applications, newest change first: the applicant's own (owner filter), or a queue —
   * departments whose code is `departmentPrefix` or below it, places inside the scope.
   */
  list(db: Executor, o: { filter: ReadFilter; departmentPrefix?: string | null; stage?: string; open?: boolean; itemCode?: string; bundleId?: string; after?: [number, string]; limit: number }): Promise<ApplicationRow[]> {
    let q = db.selectFrom('services_application').selectAll();
    if (o.filter.kind === 'none') return Promise.resolve([]);
    if (o.filter.kind === 'owner') q = q.where('applicant_id', '=', o.filter.ownerId);
    else {
      q = q.where('stage', '!=', 'draft');
      q = q.where('jurisdiction_code', 'like', `${o.filter.prefix}%`);
      if (o.departmentPrefix) {
        const d = o.departmentPrefix;
        q = q.where((eb) => eb.or([eb('department_code', '=', d), eb('department_code', 'like', `${d}.%`)]));
      }
    }
    if (o.stage) q = q.where('stage', '=', o.stage);
    if (o.open) q = q.where('stage', 'in', ['submitted', 'correction', 'review']);
    if (o.itemCode) q = q.where('item_code', '=', o.itemCode);
    if (o.bundleId) q = q.where('bundle_id', '=', o.bundleId);
    if (o.after) {
      const [t, id] = o.after;
      q = q.where((eb) => eb.or([eb('updated_at', '<', t), eb.and([eb('updated_at', '=', t), eb('id', '<', id)])]));
    }
    return q.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(o.limit).execute();
  }

  /** The applications of many bundles (a redesign report's records), in chunks the drivers accept. */
  async inBundles(db: Executor, bundleIds: string[]): Promise<ApplicationRow[]> {
    const out: ApplicationRow[] = [];
    for (let i = 0; i < bundleIds.length; i += 500) out.push(...(await db.selectFrom('services_application').selectAll().where('bundle_id', 'in', bundleIds.slice(i, i + 500)).execute()));
    return out;
  }

  async insertEvents(db: Executor, events: AppEventRow[]): Promise<void> {
    if (!events.length) return;
    await db.insertInto('services_application_event').values(events.map((e) => ({ ...e, detail: e.detail === null ? null : toJson(e.detail) }))).execute();
  }

  events(db: Executor, id: string): Promise<AppEventRow[]> {
    return db.selectFrom('services_application_event').selectAll().where('application_id', '=', id).orderBy('n').execute();
  }

  /** Running clocks past their limit that nobody has escalated yet (the sweep's reading). */
  overdue(db: Executor, now: number, limit: number): Promise<ApplicationRow[]> {
    return db.selectFrom('services_application').selectAll().where('level', '=', 0).where('due_at', 'is not', null).where('due_at', '<', now).where('stage', 'in', ['submitted', 'review']).orderBy('due_at').limit(limit).execute();
  }

  async insertFile(db: Executor, row: FileRow): Promise<void> {
    await db.insertInto('services_file').values(row).execute();
  }

  files(db: Executor, ids: string[]): Promise<FileRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('services_file').selectAll().where('id', 'in', ids).execute();
  }

  async insertResult(db: Executor, row: ResultRow): Promise<void> {
    await db.insertInto('services_result').values({ ...row, detail: toJson(row.detail) }).execute();
  }

  results(db: Executor, ids: string[]): Promise<ResultRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('services_result').selectAll().where('id', 'in', ids).execute();
  }

  resultsOf(db: Executor, holderId: string): Promise<ResultRow[]> {
    return db.selectFrom('services_result').selectAll().where('holder_id', '=', holderId).orderBy('issued_at', 'desc').limit(500).execute();
  }

  /** Applications submitted in a period (for figures), with what the figures need. */
  submittedBetween(db: Executor, from: number, to: number, scopePrefix: string): Promise<Array<Pick<ApplicationRow, 'id' | 'item_code' | 'department_code' | 'stage' | 'submitted_at' | 'accepted_at' | 'decided_at' | 'due_at' | 'paused_ms' | 'late' | 'bundle_id'>>> {
    return db
      .selectFrom('services_application')
      .select(['id', 'item_code', 'department_code', 'stage', 'submitted_at', 'accepted_at', 'decided_at', 'due_at', 'paused_ms', 'late', 'bundle_id'])
      .where('submitted_at', '>=', from)
      .where('submitted_at', '<', to)
      .where('jurisdiction_code', 'like', `${scopePrefix}%`)
      .execute();
  }

  private dbRow(row: ApplicationRow) {
    const json = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'string' ? v : toJson(v));
    return {
      ...row,
      steps: json(row.steps) as string,
      form: json(row.form) as string,
      materials: json(row.materials) as string,
      correction_materials: json(row.correction_materials),
      exchanged: json(row.exchanged),
      late: boolValue(this.dialect, Boolean(row.late)),
    };
  }
}

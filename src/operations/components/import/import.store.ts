import type { Executor } from '../../../platform/db/database.ts';
import { fromJson, toJson } from '../../../platform/db/dialect.ts';
import type { ImportRow, ImportStatus } from '../component.schema.ts';

/** All SQL about import jobs (`components_import`), for both dialects. */
export class ImportStore {
  async insert(db: Executor, row: ImportRow): Promise<void> {
    await db.insertInto('components_import').values({ ...row, resume_state: toJson(row.resume_state) } as never).execute();
  }

  async get(db: Executor, id: string): Promise<ImportRow | null> {
    const r = await db.selectFrom('components_import').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? this.read(r) : null;
  }

  /** The newest unfinished (running or interrupted) job of a file, by fingerprint. */
  async unfinished(db: Executor, fingerprint: string): Promise<ImportRow | null> {
    const r = await db
      .selectFrom('components_import')
      .selectAll()
      .where('fingerprint', '=', fingerprint)
      .where('status', 'in', ['running', 'interrupted'] satisfies ImportStatus[])
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r ? this.read(r) : null;
  }

  /** Every unfinished (running or interrupted) job. */
  async unfinishedAll(db: Executor): Promise<ImportRow[]> {
    const rows = await db
      .selectFrom('components_import')
      .selectAll()
      .where('status', 'in', ['running', 'interrupted'] satisfies ImportStatus[])
      .execute();
    return rows.map((r) => this.read(r));
  }

  /** Jobs whose scope lies under `prefix`, newest first. */
  async list(db: Executor, prefix: string, limit: number): Promise<ImportRow[]> {
    const rows = await db
      .selectFrom('components_import')
      .selectAll()
      .where('scope_code', '>=', prefix)
      .where('scope_code', '<', prefix + '~')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => this.read(r));
  }

  async update(db: Executor, id: string, patch: Partial<Omit<ImportRow, 'id'>>): Promise<void> {
    const values: Record<string, unknown> = { ...patch };
    if ('resume_state' in patch) values.resume_state = toJson(patch.resume_state);
    await db.updateTable('components_import').set(values as never).where('id', '=', id).execute();
  }

  /** Counters come back as numbers (SQLite integers, pg int8 parsed), the resume state as an object. */
  private read(r: ImportRow): ImportRow {
    return { ...r, resume_state: fromJson(r.resume_state) };
  }
}

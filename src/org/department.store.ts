import { sql } from 'kysely';
import type { Executor } from '../platform/db/database.ts';
import type { DepartmentSeed } from './department.catalogue.ts';
import type { DepartmentKind, DepartmentRow } from './org.schema.ts';

/** `a%b_c\` → `a\%b\_c\\`, for LIKE patterns with `escape '\'`. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

export interface DepartmentFilter {
  /** Jurisdiction code prefix: departments serving places inside it. */
  jurisdictionPrefix?: string;
  q?: string;
  parent?: string;
  kind?: DepartmentKind;
  after?: string;
  limit: number;
}

/** All SQL about departments. */
export class DepartmentStore {
  async get(db: Executor, code: string): Promise<DepartmentRow | undefined> {
    return db.selectFrom('org_department').selectAll().where('code', '=', code).executeTakeFirst();
  }

  async children(db: Executor, code: string): Promise<DepartmentRow[]> {
    return db.selectFrom('org_department').selectAll().where('parent_code', '=', code).orderBy('code').execute();
  }

  async atJurisdiction(db: Executor, jurisdictionCode: string): Promise<DepartmentRow[]> {
    return db.selectFrom('org_department').selectAll().where('jurisdiction_code', '=', jurisdictionCode).orderBy('code').execute();
  }

  /** One page in code order, starting after `after`. */
  async list(db: Executor, f: DepartmentFilter): Promise<DepartmentRow[]> {
    let q = db.selectFrom('org_department').selectAll();
    if (f.jurisdictionPrefix) q = q.where(sql<boolean>`jurisdiction_code like ${likeEscape(f.jurisdictionPrefix) + '%'} escape '\\'`);
    if (f.parent) q = q.where('parent_code', '=', f.parent);
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (f.q) {
      const pattern = '%' + likeEscape(f.q.toLowerCase()) + '%';
      q = q.where(sql<boolean>`(lower(name) like ${pattern} escape '\\' or lower(name_en) like ${pattern} escape '\\' or code like ${pattern} escape '\\')`);
    }
    if (f.after) q = q.where('code', '>', f.after);
    return q.orderBy('code').limit(f.limit).execute();
  }

  async count(db: Executor): Promise<number> {
    const r = await db.selectFrom('org_department').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Inserts the departments not there yet (parents first); returns how many were added. */
  async insertMissing(db: Executor, rows: DepartmentSeed[], onProgress: (done: number) => void = () => {}): Promise<number> {
    let added = 0;
    const BATCH = 200;
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH).map(
        (d): DepartmentRow => ({ code: d.code, name: d.name, name_en: d.nameEn, parent_code: d.parentCode, jurisdiction_code: d.jurisdictionCode, kind: d.kind }),
      );
      const r = await db
        .insertInto('org_department')
        .values(batch)
        .onConflict((oc) => oc.column('code').doNothing())
        .executeTakeFirst();
      added += Number(r.numInsertedOrUpdatedRows ?? 0);
      onProgress(Math.min(i + BATCH, rows.length));
    }
    return added;
  }
}

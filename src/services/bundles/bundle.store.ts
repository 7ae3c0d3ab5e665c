import type { Executor } from '../../platform/db/database.ts';
import { toJson } from '../../platform/db/dialect.ts';
import type { BundleAppRow } from './bundle.schema.ts';

/** Every SQL statement of bundle applications. */
export class BundleStore {
  async insert(db: Executor, row: BundleAppRow): Promise<void> {
    await db.insertInto('services_bundle_application').values(this.dbRow(row)).execute();
  }

  /** Writes a changed bundle application if nobody else changed it since `version` was read. */
  async update(db: Executor, row: BundleAppRow, version: number): Promise<boolean> {
    const { id, ...rest } = this.dbRow(row);
    const r = await db.updateTable('services_bundle_application').set(rest).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  get(db: Executor, id: string): Promise<BundleAppRow | undefined> {
    return db.selectFrom('services_bundle_application').selectAll().where('id', '=', id).executeTakeFirst();
  }

  mine(db: Executor, applicantId: string): Promise<BundleAppRow[]> {
    return db.selectFrom('services_bundle_application').selectAll().where('applicant_id', '=', applicantId).orderBy('created_at', 'desc').limit(200).execute();
  }

  /** The submitted applications of one bundle (for its redesign report). */
  submitted(db: Executor, code: string): Promise<Array<Pick<BundleAppRow, 'id' | 'submitted_at'>>> {
    return db.selectFrom('services_bundle_application').select(['id', 'submitted_at']).where('bundle_code', '=', code).where('submitted_at', 'is not', null).orderBy('submitted_at', 'desc').limit(5000).execute();
  }

  private dbRow(row: BundleAppRow) {
    const json = (v: unknown) => (typeof v === 'string' ? v : toJson(v));
    return { ...row, answers: json(row.answers), form: json(row.form), materials: json(row.materials), items: json(row.items) };
  }
}

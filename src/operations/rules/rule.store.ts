import type { Dialect, Executor } from '../../platform/db/database.ts';
import { boolValue, toJson } from '../../platform/db/dialect.ts';
import type { AlertRow, AlertStatus, RuleRow } from './rule.schema.ts';

/** All SQL of rules and alerts. */
export class RuleStore {
  constructor(private readonly dialect: Dialect) {}

  listRules(db: Executor): Promise<RuleRow[]> {
    return db.selectFrom('rules_rule').selectAll().orderBy('id').execute();
  }

  getRule(db: Executor, id: string): Promise<RuleRow | undefined> {
    return db.selectFrom('rules_rule').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertRule(db: Executor, row: RuleRow, onConflict: 'fail' | 'ignore' = 'fail'): Promise<boolean> {
    const q = db.insertInto('rules_rule').values(this.dbRow(row));
    const r = await (onConflict === 'ignore' ? q.onConflict((oc) => oc.column('id').doNothing()) : q).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async updateRule(db: Executor, row: RuleRow, version: number): Promise<boolean> {
    const { id: _id, ...rest } = this.dbRow(row);
    const r = await db.updateTable('rules_rule').set(rest).where('id', '=', row.id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async deleteRule(db: Executor, id: string, version: number): Promise<boolean> {
    const r = await db.deleteFrom('rules_rule').where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  openAlerts(db: Executor): Promise<AlertRow[]> {
    return db.selectFrom('rules_alert').selectAll().where('status', '<>', 'cleared').execute();
  }

  openAlertFor(db: Executor, ruleId: string, subjectId: string): Promise<AlertRow | undefined> {
    return db.selectFrom('rules_alert').selectAll().where('rule_id', '=', ruleId).where('subject_id', '=', subjectId).where('status', '<>', 'cleared').executeTakeFirst();
  }

  getAlert(db: Executor, id: string): Promise<AlertRow | undefined> {
    return db.selectFrom('rules_alert').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertAlert(db: Executor, row: AlertRow): Promise<void> {
    await db.insertInto('rules_alert').values({ ...row, evidence: toJson(row.evidence) }).execute();
  }

  async setAlert(db: Executor, id: string, from: AlertStatus[], patch: Partial<AlertRow>): Promise<boolean> {
    const r = await db.updateTable('rules_alert').set(patch).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Alerts under a jurisdiction prefix, newest first. */
  alerts(db: Executor, prefix: string, f: { status?: 'open' | AlertStatus; severity?: string; before?: { at: number; id: string } }, limit: number): Promise<AlertRow[]> {
    let q = db.selectFrom('rules_alert').selectAll().where('jurisdiction_code', '>=', prefix).where('jurisdiction_code', '<', prefix + '~');
    if (f.status === 'open') q = q.where('status', '<>', 'cleared');
    else if (f.status) q = q.where('status', '=', f.status);
    if (f.severity) q = q.where('severity', '=', f.severity as AlertRow['severity']);
    const b = f.before;
    // Alerts raised in the same millisecond are told apart by id, so no page skips one.
    if (b) q = q.where((eb) => eb.or([eb('raised_at', '<', b.at), eb.and([eb('raised_at', '=', b.at), eb('id', '<', b.id)])]));
    return q.orderBy('raised_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  private dbRow(row: RuleRow) {
    return { ...row, condition: toJson(row.condition), enabled: boolValue(this.dialect, Boolean(row.enabled)) };
  }
}

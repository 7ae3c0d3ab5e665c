import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { ApplicationService } from './application.service.ts';
import { STAGE_ZH, type AppStage } from './workflow.ts';

/** PostgreSQL advisory lock key: one sweeper at a time across processes. */
const SWEEP_LOCK = 0x59573641;

/**
 * The overdue sweep (超期督办): an application whose running clock — pre-check or the promised
 * limit — has passed is escalated once. It gets a timeline entry and an audit entry, and the staff
 * of its department and of the department above (the municipal bureau over a district office) are
 * told. It reads only overdue, not yet escalated applications (a partial index).
 */
export class ApplicationSweeper {
  constructor(
    private readonly ctx: AppContext,
    private readonly apps: ApplicationService,
  ) {}

  async sweep(batch = 500): Promise<{ escalated: number }> {
    const now = this.ctx.clock.now();
    const due = await this.apps.store.overdue(this.ctx.db, now, batch);
    if (!due.length) return { escalated: 0 };
    // Who to tell is read before the transaction: inside it, SQLite's one connection is taken.
    const staff = new Map<string, string[]>();
    for (const row of due) {
      const dept = row.department_code ?? '';
      if (staff.has(dept) || !row.jurisdiction_code) continue;
      const parent = dept.includes('.') ? dept.split('.')[0]! : dept;
      const people = await this.ctx.services.accounts.responsibleFor(row.jurisdiction_code, 'staff');
      staff.set(dept, people.filter((a) => a.departmentCode === dept || a.departmentCode === parent).map((a) => a.id));
    }
    let escalated = 0;
    await this.ctx.transaction(async (tx) => {
      if (this.ctx.dialect === 'postgres') {
        const got = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${SWEEP_LOCK}) as ok`.execute(tx);
        if (!got.rows[0]?.ok) return;
      }
      for (const row of due) {
        const next = { ...row, level: 1, updated_at: now, version: row.version + 1 };
        if (!(await this.apps.store.update(tx, next, row.version))) continue; // moved meanwhile: its new clock decides
        const item = this.ctx.services.catalogue.get(row.item_code);
        const note = `${STAGE_ZH[row.stage as AppStage]}超过时限，已提醒承办部门及其上级部门督办`;
        await this.apps.store.insertEvents(tx, [this.apps.eventRow(next, { action: 'escalate', actor: { id: null, name: null }, note, detail: { dueAt: Number(row.due_at) } }, row.stage)]);
        await this.ctx.audit.record(tx, { actorId: null, action: 'services.application.escalated', subjectType: 'application', subjectId: row.id, jurisdictionCode: row.jurisdiction_code ?? undefined, detail: { stage: row.stage, dueAt: Number(row.due_at) } });
        await this.ctx.outbox.add(tx, 'services.application.escalated', { v: 1, applicationId: row.id, stage: row.stage, departmentCode: row.department_code, dueAt: Number(row.due_at), at: now });
        const to = staff.get(row.department_code ?? '') ?? [];
        if (to.length) {
          await this.ctx.services.notify.sendMany(tx, to.map((id) => ({ recipientId: id, topic: 'application' as const, title: `办件超期：${item.nameZh} ${row.id}`, body: note, link: `/workbench/applications/${row.id}`, subject: { type: 'application', id: row.id }, dedupeKey: `application:${row.id}:overdue:${row.version}` })));
        }
        escalated++;
      }
    });
    return { escalated };
  }
}

import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { CaseRow } from './case.schema.ts';
import type { CaseService } from './case.service.ts';
import { LEVEL_NAMES, MAX_LEVEL, isOpen, nextEscalation, stageZh } from './workflow.ts';

/** PostgreSQL advisory lock key: one sweeper at a time across processes. */
const SWEEP_LOCK = 0x59573543;
const LEVEL_ZH = ['街镇', '区', '市'];

/**
 * The time-limit sweep: every case whose next escalation is due goes up a level (street → district
 * → city), gets a timeline entry and an audit entry, and the operations centre of the new level is
 * told. It reads only the cases that are due (an index on escalate_at), in batches of one
 * transaction each, so a million open cases cost what the few overdue ones cost.
 */
export class CaseSweeper {
  private readonly operators = new Map<string, Promise<string[]>>();

  constructor(
    private readonly ctx: AppContext,
    private readonly cases: CaseService,
  ) {}

  async sweep(batch = 2000): Promise<{ escalated: number }> {
    this.operators.clear();
    let escalated = 0;
    for (;;) {
      const now = this.ctx.clock.now();
      const due = await this.cases.store.dueForEscalation(this.ctx.db, now, batch);
      if (!due.length) break;
      // Who to tell is read before the transaction: inside it, SQLite's one connection is taken.
      const tell = new Map<string, string[]>();
      for (const row of due) tell.set(row.id, await this.centre(row.jurisdiction_code, Math.min(MAX_LEVEL, row.level + 1)));
      const done = await this.ctx.transaction(async (tx) => {
        if (this.ctx.dialect === 'postgres') {
          const got = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${SWEEP_LOCK}) as ok`.execute(tx);
          if (!got.rows[0]?.ok) return -1; // another process is sweeping
        }
        let n = 0;
        for (const row of due) if (await this.escalate(tx, row, now, tell.get(row.id) ?? [])) n++;
        return n;
      });
      if (done <= 0) break; // another sweeper, or every due case moved meanwhile (they are read again next time)
      escalated += done;
      if (due.length < batch) break;
    }
    return { escalated };
  }

  private async escalate(tx: Tx, row: CaseRow, now: number, to: string[]): Promise<boolean> {
    if (!isOpen(row.stage) || row.due_at === null) return false;
    const c = this.cases.catalogue.get(row.category_code)!;
    const level = Math.min(MAX_LEVEL, row.level + 1);
    const next: CaseRow = { ...row, level, escalate_at: nextEscalation(this.cases.calendar, this.cases.catalogue, c, row.severity, row.stage, level, now, true), updated_at: now, version: row.version + 1 };
    // Someone moved the case since it was read: its new stage has its own clock; leave it.
    if (!(await this.cases.store.update(tx, next, row.version))) return false;
    const note = `${stageZh(row.stage)}超过时限，升级至${LEVEL_ZH[level]}级城运中心`;
    await this.cases.event(tx, next, { action: 'escalate', actor: { id: null, name: null }, note, detail: { level: LEVEL_NAMES[level], dueAt: Number(row.due_at) } }, row.stage, 0, true);
    await this.ctx.audit.record(tx, { actorId: null, actorKind: 'system', action: 'cases.case.escalated', subjectType: 'case', subjectId: row.id, jurisdictionCode: row.jurisdiction_code, detail: { stage: row.stage, level } });
    await this.ctx.outbox.add(tx, 'cases.case.escalated', { v: 1, caseId: row.id, stage: row.stage, level, jurisdictionCode: row.jurisdiction_code, dueAt: Number(row.due_at), at: now });
    if (to.length) {
      await this.ctx.services.notify.sendMany(
        tx,
        to.map((id) => ({ recipientId: id, topic: 'case' as const, title: `超时升级：${c.nameZh} ${row.id}`, body: note, link: `/workbench/cases/${row.id}`, subject: { type: 'case', id: row.id }, dedupeKey: `case:${row.id}:escalated:${level}:${row.stage}` })),
      );
    }
    return true;
  }

  /** The operators of the centre at a level above the case's place (cached for one sweep). */
  private centre(jurisdiction: string, level: number): Promise<string[]> {
    const scope = level >= MAX_LEVEL ? '310000' : jurisdiction.slice(0, 6);
    let hit = this.operators.get(scope);
    if (!hit) {
      hit = this.ctx.services.accounts.responsibleFor(jurisdiction, 'operator').then((as) => as.filter((a) => a.scopeCode === scope).map((a) => a.id));
      this.operators.set(scope, hit);
    }
    return hit;
  }
}

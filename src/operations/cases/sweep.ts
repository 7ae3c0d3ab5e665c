import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { CaseRow } from './case.schema.ts';
import type { CaseService } from './case.service.ts';
import type { Stage } from './categories.ts';
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
  /** The sweep under way in this process: the next one starts after it (the timer's and an explicit one never overlap). */
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: AppContext,
    private readonly cases: CaseService,
  ) {}

  sweep(batch = 2000): Promise<{ escalated: number }> {
    const run = this.running.catch(() => {}).then(() => this.sweepNow(batch));
    this.running = run;
    return run;
  }

  private async sweepNow(batch: number): Promise<{ escalated: number }> {
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
        return this.escalate(tx, due, now, tell);
      });
      if (done <= 0) break; // another sweeper, or every due case moved meanwhile (they are read again next time)
      escalated += done;
      if (due.length < batch) break;
    }
    return { escalated };
  }

  /**
   * Escalates a batch in a few statements: the levels (each case only if unchanged since it was
   * read: one moved meanwhile has its new stage's clock), then the timeline entries, the audit
   * entries, the events and the messages of the cases that did go up.
   */
  private async escalate(tx: Tx, due: CaseRow[], now: number, tell: Map<string, string[]>): Promise<number> {
    const plans = due.filter((row) => isOpen(row.stage) && row.due_at !== null && row.level < MAX_LEVEL).map((row) => {
      const c = this.cases.catalogue.get(row.category_code)!;
      const level = Math.min(MAX_LEVEL, row.level + 1);
      const next: CaseRow = { ...row, level, escalate_at: nextEscalation(this.cases.calendar, this.cases.catalogue, c, row.severity, row.stage as Stage, level, now, true), updated_at: now, version: row.version + 1 };
      return { row, next, c, level, note: `${stageZh(row.stage)}超过时限，升级至${LEVEL_ZH[level]}级城运中心` };
    });
    const changed = await this.cases.store.escalateMany(tx, plans.map((p) => ({ id: p.row.id, version: p.row.version, level: p.level, escalate_at: p.next.escalate_at })), now);
    const hits = plans.filter((p) => changed.has(p.row.id));
    if (!hits.length) return 0;
    await this.cases.store.insertEvents(tx, hits.map((p) => this.cases.eventRow(p.next, { action: 'escalate', actor: { id: null, name: null }, note: p.note, detail: { level: LEVEL_NAMES[p.level], dueAt: Number(p.row.due_at) } }, p.row.stage, 0, true)));
    await this.ctx.audit.recordMany(tx, hits.map((p) => ({ actorId: null, actorKind: 'system', action: 'cases.case.escalated', subjectType: 'case', subjectId: p.row.id, jurisdictionCode: p.row.jurisdiction_code, detail: { stage: p.row.stage, level: p.level } })));
    await this.ctx.outbox.addMany(tx, 'cases.case.escalated', hits.map((p) => ({ v: 1 as const, caseId: p.row.id, stage: p.row.stage, level: p.level, jurisdictionCode: p.row.jurisdiction_code, dueAt: Number(p.row.due_at), at: now })));
    const messages = hits.flatMap((p) =>
      (tell.get(p.row.id) ?? []).map((id) => ({ recipientId: id, topic: 'case' as const, title: `超时升级：${p.c.nameZh} ${p.row.id}`, body: p.note, link: `/workbench/cases/${p.row.id}`, subject: { type: 'case', id: p.row.id }, dedupeKey: `case:${p.row.id}:escalated:${p.level}:${p.row.stage}` })),
    );
    if (messages.length) await this.ctx.services.notify.sendMany(tx, messages);
    return hits.length;
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

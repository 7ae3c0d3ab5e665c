import type { Principal } from '../../platform/access.ts';
import { chinaCalendar, shanghaiDate } from '../../platform/calendar/working-calendar.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/database.ts';
import { fromJson } from '../../platform/db/dialect.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { storableText } from '../../platform/http/text-guard.ts';
import { categoryCatalogue, SEVERITIES, type Category, type Severity } from './categories.ts';
import { TRUSTED_SOURCES, type CaseRow, type CaseSource, type EventRow } from './case.schema.ts';
import type { CaseStore } from './case.store.ts';
import { Dispatcher, type Proposal } from './dispatch.ts';
import { isOpen, nextEscalation, nextStage, stageClock, type CaseAction, type CaseStage } from './workflow.ts';

/** Who acted: an account, or the system itself (automatic intake, the sweep). */
export interface Actor {
  id: string | null;
  name: string | null;
}
export const SYSTEM: Actor = { id: null, name: null };
export const actorOf = (p: Principal): Actor => ({ id: p.accountId, name: p.displayName });

/** Everything a new case needs, from whichever source. */
export interface OpenInput {
  source: CaseSource;
  category: Category;
  severity: Severity;
  description: string;
  point: [number, number];
  address?: string | null;
  photos?: string[];
  reporter?: Actor;
  caller?: { name: string; phone: string; email?: string } | null;
  componentCode?: string | null;
  mediaUrl?: string | null;
  alertId?: string | null;
  /** The department keeping the record behind the case (a component's maintainer). */
  keeper?: string | null;
}

/** One step through the loop, as the service asks for it. */
export interface Step {
  action: CaseAction | 'report' | 'rate' | 'supervise' | 'escalate';
  actor: Actor;
  patch?: Partial<CaseRow>;
  note?: string | null;
  photos?: string[];
  detail?: Record<string, unknown> | null;
}

/** What the reporter is told at a step; steps not listed are internal. */
const TOLD: Partial<Record<CaseAction, (c: CaseRow, extra: string) => { title: string; body: string }>> = {
  accept: (c) => ({ title: '您反映的问题已受理', body: `案件 ${c.id} 已受理，我们将尽快安排处置。` }),
  reject: (c, why) => ({ title: '您反映的问题未予受理', body: `案件 ${c.id} 未予受理：${why}` }),
  merge: (c) => ({ title: '您反映的问题已并案办理', body: `同一问题已有案件 ${c.merged_into} 在办，您的反映已并入该案件，后续进展将同步告知您。` }),
  dispatch: (c, dept) => ({ title: '您反映的问题已派遣处置', body: `案件 ${c.id} 已交由${dept}处置。` }),
  handle: (c, note) => ({ title: '您反映的问题已处置，等待核查', body: `案件 ${c.id} 处置情况：${note}` }),
  verify_pass: (c) => ({ title: '您反映的问题已办结，欢迎评价', body: `案件 ${c.id} 经现场核查已办结，请对处置结果进行评价。` }),
  verify_fail: (c) => ({ title: '您反映的问题复核未通过，已重新处置', body: `案件 ${c.id} 现场核查未通过，已退回处置部门重新处置。` }),
};


/**
 * The closed loop's writes: opening a case from any source and moving it through its stages. Every
 * move is one transaction: the case row (checked against the version read), its timeline entry,
 * the audit entry, the outbox event and the messages to its reporters.
 */
export class CaseService {
  readonly catalogue = categoryCatalogue();
  readonly calendar = chinaCalendar();
  readonly dispatcher: Dispatcher;
  private readonly departments = new Map<string, { value: Promise<{ code: string; name: string; nameEn: string } | null>; until: number }>();
  /** Names already looked up, for use inside a transaction (where another query would wait on SQLite's one connection). */
  private readonly departmentNames = new Map<string, string>();

  constructor(
    private readonly ctx: AppContext,
    readonly store: CaseStore,
  ) {
    this.dispatcher = new Dispatcher(store, async (code) => (await this.department(code)) !== null);
  }

  /**
   * A department by code, cached: departments change with reorganisations, not per request. A
   * failed lookup is not kept, and "no such department" only for ten minutes, so a department
   * added since is found.
   */
  department(code: string): Promise<{ code: string; name: string; nameEn: string } | null> {
    const now = this.ctx.clock.now();
    const cached = this.departments.get(code);
    if (cached && cached.until > now) return cached.value;
    const value = this.ctx.services.departments.find(code).then((d) => {
      if (d) this.departmentNames.set(d.code, d.name);
      return d ? { code: d.code, name: d.name, nameEn: d.nameEn } : null;
    });
    if (this.departments.size > 20_000) {
      this.departments.clear();
      this.departmentNames.clear();
    }
    this.departments.set(code, { value, until: Number.MAX_SAFE_INTEGER });
    value.then(
      (d) => {
        if (!d) this.departments.set(code, { value, until: now + 600_000 });
      },
      () => this.departments.delete(code),
    );
    return value;
  }

  category(code: string, field = 'categoryCode'): Category {
    const c = this.catalogue.get(code);
    if (!c) throw invalid(field, `${JSON.stringify(code.slice(0, 20))} is not a case category (see GET /api/cases/categories)`);
    return c;
  }

  /** The place of a point inside the city, or a FIELD_INVALID naming the field. */
  locate(point: [number, number], field = 'point'): string {
    const [lon, lat] = point;
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90) throw invalid(field, 'must be [longitude, latitude] in degrees');
    const node = this.ctx.services.jurisdictions.locate(lon, lat);
    if (!node) throw invalid(field, `[${lon}, ${lat}] is outside Shanghai${lon < 90 && lat > 90 ? ' (is it [lat, lon]?)' : ''}`);
    return node.code;
  }

  text(value: string, field: string, required = true): string {
    const t = storableText(value).trim();
    if (required && !t) throw new AppError('FIELD_REQUIRED', `${field} is required`, field);
    return t;
  }

  async checkPhotos(ids: string[] | undefined, field = 'photos'): Promise<string[]> {
    if (!ids?.length) return [];
    const found = await this.store.photosExist(this.ctx.db, ids);
    const missing = ids.find((id) => !found.has(id));
    if (missing) throw invalid(field, `${missing.slice(0, 64)} is not an uploaded photo (POST /api/cases/photos first)`);
    return [...new Set(ids)];
  }

  /** Opens a case. Trusted sources go straight through intake, filing and — when a department is found — dispatch. */
  async open(input: OpenInput): Promise<CaseRow> {
    const jurisdiction = this.locate(input.point);
    const now = this.ctx.clock.now();
    const clock = stageClock(this.calendar, this.catalogue, input.category, input.severity, 'intake', now);
    const trusted = TRUSTED_SOURCES.has(input.source);
    const proposal = trusted ? await this.dispatcher.propose(this.ctx.db, input.category, jurisdiction, input.keeper) : null;
    const reporter = input.reporter ?? SYSTEM;
    try {
      return await this.ctx.transaction(async (tx) => {
        const day = shanghaiDate(now).replaceAll('-', '');
        const id = `${day}${String(await this.store.nextNumber(tx, day)).padStart(6, '0')}`;
        let row: CaseRow = {
          id,
          source: input.source,
          category_code: input.category.code,
          severity: input.severity,
          stage: 'intake',
          description: input.description,
          address: input.address ?? null,
          lon: input.point[0],
          lat: input.point[1],
          jurisdiction_code: jurisdiction,
          reporter_id: reporter.id,
          caller: input.caller ?? null,
          photos: input.photos ?? [],
          media_url: input.mediaUrl ?? null,
          component_code: input.componentCode ?? null,
          alert_id: input.alertId ?? null,
          department_code: null,
          team: null,
          assignee_id: null,
          handler_id: null,
          verifier_id: null,
          level: 0,
          supervised: false,
          supervision_note: null,
          stage_started_at: now,
          yellow_at: clock.yellowAt,
          due_at: clock.dueAt,
          escalate_at: clock.dueAt,
          late: 0,
          reopen_count: 0,
          return_count: 0,
          rating: null,
          rating_comment: null,
          merged_into: null,
          public_note: null,
          created_at: now,
          updated_at: now,
          closed_at: null,
          version: 1,
        };
        // A trusted report passes intake, filing and (when a department is found) dispatch at
        // once: the steps are worked out here and written together, each with its timeline entry.
        const events = [this.eventRow(row, { action: 'report', actor: reporter, photos: input.photos, detail: { source: input.source } }, null, 0, false)];
        const steps: CaseAction[] = [];
        if (trusted) {
          const auto: Array<[CaseAction, string, Partial<CaseRow>, Record<string, unknown> | null]> = [
            ['accept', '可信来源，自动受理', {}, null],
            ['file', '自动立案', {}, null],
          ];
          if (proposal) auto.push(['dispatch', '按派遣规则自动派遣', { department_code: proposal.departmentCode, team: proposal.team }, { department: proposal.departmentCode, team: proposal.team, rule: proposal.rule }]);
          for (const [action, note, patch, detail] of auto) {
            const next = this.advance(row, action, patch, now);
            events.push(this.eventRow(next, { action, actor: SYSTEM, note, detail }, row.stage, 0, false));
            row = next;
            steps.push(action);
          }
        }
        await this.store.insert(tx, row);
        if (reporter.id) await this.store.addReporter(tx, id, reporter.id, now);
        await this.store.insertEvents(tx, events);
        if (row.department_code) await this.store.insertParties(tx, id, row.department_code, []);
        await this.ctx.audit.record(tx, { actorId: reporter.id, action: 'cases.case.reported', subjectType: 'case', subjectId: id, jurisdictionCode: jurisdiction, detail: { source: input.source, category: input.category.code, automatic: steps, department: row.department_code } });
        await this.ctx.outbox.add(tx, 'cases.case.reported', { v: 1, caseId: id, source: input.source, categoryCode: input.category.code, jurisdictionCode: jurisdiction, point: input.point, stage: row.stage, at: now });
        if (row.stage === 'disposal') {
          await this.ctx.outbox.add(tx, 'cases.case.moved', { v: 1, caseId: id, action: 'dispatch', fromStage: 'dispatch', toStage: 'disposal', jurisdictionCode: jurisdiction, departmentCode: row.department_code, at: now });
          await this.tell(tx, row, 'dispatch', '', reporter.id ? [reporter.id] : []);
        }
        return row;
      });
    } catch (err) {
      // Two processes heard the same alert: the second finds the first's case.
      if (input.alertId && /unique|duplicate/i.test(String((err as Error).message))) {
        const existing = await this.store.byAlert(this.ctx.db, input.alertId);
        if (existing) return existing;
      }
      throw err;
    }
  }

  /** Dispatches inside a transaction: lead and supporting departments, team, assignee. */
  async dispatchTo(tx: Tx, row: CaseRow, p: Proposal, supporting: string[], assigneeId: string | null, actor: Actor, note: string | null): Promise<CaseRow> {
    await this.store.setParties(tx, row.id, p.departmentCode, supporting);
    const next = await this.move(tx, row, { action: 'dispatch', actor, note, patch: { department_code: p.departmentCode, team: p.team, assignee_id: assigneeId }, detail: { department: p.departmentCode, team: p.team, supporting, assignee: assigneeId, rule: p.rule } });
    if (assigneeId) {
      const c = this.catalogue.get(row.category_code)!;
      await this.ctx.services.notify.send(tx, { recipientId: assigneeId, topic: 'case', title: `新任务：${c.nameZh}`, body: `案件 ${row.id}${row.address ? `（${row.address}）` : ''}已派给您处置。`, link: `/worker/tasks/${row.id}`, subject: { type: 'case', id: row.id }, dedupeKey: `case:${row.id}:assigned:${next.version}` });
    }
    return next;
  }

  /**
   * Moves a case one step: the new stage's clock and escalation time, the timeline entry, the
   * audit entry, the event, and the reporters' messages. Throws CONFLICT when someone else moved it first.
   */
  async move(tx: Tx, row: CaseRow, step: Step & { action: CaseAction }, opts: { told?: string } = {}): Promise<CaseRow> {
    const now = this.ctx.clock.now();
    const next = this.advance(row, step.action, step.patch ?? {}, now);
    const late = next.late > row.late;
    const to = next.stage;
    if (!(await this.store.update(tx, next, row.version))) throw new AppError('CONFLICT', `Case ${row.id} was changed by someone else meanwhile; read it again`);
    await this.event(tx, next, step, row.stage, now - Number(row.stage_started_at), late);
    await this.ctx.audit.record(tx, { actorId: step.actor.id, action: `cases.case.${step.action}`, subjectType: 'case', subjectId: row.id, jurisdictionCode: row.jurisdiction_code, detail: { from: row.stage, to, ...(step.detail ?? {}) } });
    await this.ctx.outbox.add(tx, 'cases.case.moved', { v: 1, caseId: row.id, action: step.action, fromStage: row.stage, toStage: to, jurisdictionCode: next.jurisdiction_code, departmentCode: next.department_code, at: now });
    if (to === 'closed') await this.ctx.outbox.add(tx, 'cases.case.closed', { v: 1, caseId: row.id, categoryCode: next.category_code, jurisdictionCode: next.jurisdiction_code, departmentCode: next.department_code, late: next.late, at: now });
    await this.tell(tx, next, step.action, opts.told ?? step.note ?? '');
    return next;
  }

  /**
   * The case after one step, in memory: the new stage, its clock and next escalation (or closed),
   * a stage left past its limit counted as late, the version moved on.
   */
  advance(row: CaseRow, action: CaseAction, patch: Partial<CaseRow>, now: number): CaseRow {
    const to = nextStage(row.stage, action);
    const late = row.due_at !== null && now > Number(row.due_at);
    const next: CaseRow = { ...row, ...patch, stage: to, updated_at: now, version: row.version + 1, late: row.late + (late ? 1 : 0), stage_started_at: now };
    if (isOpen(to)) {
      const c = this.catalogue.get(next.category_code)!;
      const clock = stageClock(this.calendar, this.catalogue, c, next.severity, to, now);
      next.yellow_at = clock.yellowAt;
      next.due_at = clock.dueAt;
      next.escalate_at = nextEscalation(this.calendar, this.catalogue, c, next.severity, to, next.level, clock.dueAt, false);
    } else {
      next.yellow_at = next.due_at = next.escalate_at = null;
      next.closed_at = now;
    }
    return next;
  }

  async event(tx: Tx, row: CaseRow, step: Step, from: CaseStage | null, stageMs: number, late: boolean): Promise<void> {
    await this.store.insertEvents(tx, [this.eventRow(row, step, from, stageMs, late)]);
  }

  eventRow(row: CaseRow, step: Step, from: CaseStage | null, stageMs: number, late: boolean): EventRow {
    return {
      id: this.ctx.random.uuid(),
      case_id: row.id,
      at: this.ctx.clock.now(),
      actor_id: step.actor.id,
      actor_name: step.actor.name,
      action: step.action,
      from_stage: from,
      to_stage: row.stage,
      stage_ms: from === null ? null : stageMs,
      late,
      note: step.note ?? null,
      photos: step.photos ?? [],
      detail: step.detail ?? null,
    };
  }

  /** Tells every reporter of the case what happened, when it is something they are told. */
  async tell(tx: Tx, row: CaseRow, action: CaseAction, extra: string, known?: string[]): Promise<void> {
    const say = TOLD[action];
    if (!say) return;
    const reporters = known ?? (await this.store.reporters(tx, row.id));
    if (!reporters.length) return;
    let detail = extra;
    if (action === 'dispatch' && row.department_code) detail = this.departmentNames.get(row.department_code) ?? row.department_code;
    const { title, body } = say(row, detail);
    await this.ctx.services.notify.sendMany(
      tx,
      reporters.map((r) => ({ recipientId: r, topic: 'case' as const, title, body, link: `/portal/reports/${row.merged_into ?? row.id}`, subject: { type: 'case', id: row.id }, dedupeKey: `case:${row.id}:${action}:${row.version}` })),
    );
  }

  /** Reads a case for a write, or CASE_NOT_FOUND. */
  async load(id: string): Promise<CaseRow> {
    const row = /^\d{14}$/.test(id) ? await this.store.get(this.ctx.db, id) : undefined;
    if (!row) throw new AppError('CASE_NOT_FOUND', `No case ${id.slice(0, 20)}`);
    return row;
  }

  severity(value: string | undefined, fallback: Severity): Severity {
    if (value === undefined) return fallback;
    if (!(SEVERITIES as readonly string[]).includes(value)) throw invalid('severity', `must be one of ${SEVERITIES.join(', ')}`);
    return value as Severity;
  }

  photosOf(row: CaseRow): string[] {
    return fromJson<string[]>(row.photos) ?? [];
  }

  /** A grid worker, staff member or operator reports; a citizen reports; an operator takes a hotline call. */
  sourceFor(p: Principal, hotline: boolean): CaseSource {
    // Who may take a call for which place is checked against the place itself, by the report.
    if (hotline) return 'hotline';
    if (p.roles.includes('grid_worker')) return 'worker';
    if (p.roles.some((r) => r === 'staff' || r === 'operator' || r === 'admin' || r === 'system')) return 'staff';
    return 'citizen';
  }

}

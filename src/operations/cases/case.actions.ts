import { authorize, hasPermission, UNSCOPED, withinScope, type Principal } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { toBool } from '../../platform/db/dialect.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { departmentCovers } from './case.access.ts';
import type { CaseRow, CaseView, DispatchBody, ReportBody } from './case.schema.ts';
import type { CaseQueries } from './case.queries.ts';
import { actorOf, type CaseService } from './case.service.ts';
import { MAX_LEVEL, isOpen } from './workflow.ts';

const REJECT_REASONS = { invalid: '反映内容不属实或无法核实', duplicate: '重复反映', out_of_scope: '不属于城市管理受理范围' } as const;

/**
 * What people do to cases, each checked by role, jurisdiction and — where the loop demands it —
 * by who they are: only the lead department or the assignee handles a case, only a grid worker
 * other than its handler verifies it, only its reporters rate it.
 */
export class CaseActions {
  constructor(
    private readonly ctx: AppContext,
    private readonly cases: CaseService,
    private readonly queries: CaseQueries,
  ) {}

  /** Reports a problem (portal, worker app, workbench hotline intake). */
  async report(p: Principal | null, body: ReportBody): Promise<CaseView> {
    authorize(p, 'case.report', UNSCOPED);
    const category = this.cases.category(body.categoryCode);
    const source = this.cases.sourceFor(p, Boolean(body.caller));
    const caller = body.caller ? { name: this.cases.text(body.caller.name, 'caller.name'), phone: this.phone(body.caller.phone) } : null;
    // A call taken for a place outside the centre's jurisdiction is refused before it is written.
    if (source === 'hotline') authorize(p, 'case.dispatch', { jurisdictionCode: this.cases.locate(body.point) });
    if (body.componentCode !== undefined && !/^\d{16}$/.test(body.componentCode)) throw invalid('componentCode', 'must be a 16-digit component code');
    const row = await this.cases.open({
      source,
      category,
      severity: this.cases.severity(body.severity, category.urgent ? 'urgent' : 'normal'),
      description: this.cases.text(body.description, 'description'),
      point: body.point,
      address: body.address ? this.cases.text(body.address, 'address', false) || null : null,
      photos: await this.cases.checkPhotos(body.photos),
      // A hotline call is the caller's report, not the operator's: the operator is not told of its progress.
      reporter: source === 'hotline' ? undefined : actorOf(p),
      caller,
      componentCode: body.componentCode ?? null,
    });
    return this.queries.get(p, row.id);
  }

  private phone(v: string): string {
    const t = v.replace(/[\s-]/g, '');
    if (!/^\+?\d{5,15}$/.test(t)) throw invalid('caller.phone', 'must be a phone number (digits, optionally +, spaces or dashes)');
    return t;
  }

  /** Loads a case the principal may act on in its jurisdiction, for a permission. */
  private async forAction(p: Principal | null, id: string, perm: 'case.dispatch' | 'case.handle' | 'case.verify' | 'case.supervise'): Promise<{ p: Principal; row: CaseRow }> {
    authorize(p, perm, UNSCOPED);
    const row = await this.cases.load(id);
    authorize(p, perm, { jurisdictionCode: row.jurisdiction_code });
    return { p, row };
  }

  async accept(p0: Principal | null, id: string, note?: string): Promise<CaseView> {
    const { p, row } = await this.forAction(p0, id, 'case.dispatch');
    await this.ctx.transaction((tx) => this.cases.move(tx, row, { action: 'accept', actor: actorOf(p), note: note ?? null }));
    return this.queries.get(p, id);
  }

  async reject(p0: Principal | null, id: string, reason: keyof typeof REJECT_REASONS, note: string): Promise<CaseView> {
    const { p, row } = await this.forAction(p0, id, 'case.dispatch');
    const text = this.cases.text(note, 'note');
    const told = `${REJECT_REASONS[reason]}。${text}`;
    await this.ctx.transaction((tx) => this.cases.move(tx, row, { action: 'reject', actor: actorOf(p), note: text, patch: { public_note: told.slice(0, 500) }, detail: { reason } }, { told }));
    return this.queries.get(p, id);
  }

  /** Merges a duplicate into an open case: its reporters follow the surviving case from now on. */
  async merge(p0: Principal | null, id: string, into: string, note?: string): Promise<CaseView> {
    const { p, row } = await this.forAction(p0, id, 'case.dispatch');
    if (into === id) throw invalid('into', 'is this case itself');
    const target = await this.cases.load(into).catch(() => {
      throw invalid('into', `${into.slice(0, 20)} is not a case`);
    });
    authorize(p, 'case.dispatch', { jurisdictionCode: target.jurisdiction_code });
    if (!isOpen(target.stage)) throw invalid('into', `case ${into} is ${target.stage}, not open`);
    // Its reporters would read the call: merge the hotline case into this report instead.
    if (target.source === 'hotline' && row.source !== 'hotline') throw invalid('into', `case ${into} is a hotline call, which stays confidential; merge it into ${id} instead`);
    await this.ctx.transaction(async (tx) => {
      const now = this.ctx.clock.now();
      for (const r of await this.cases.store.reporters(tx, id)) await this.cases.store.addReporter(tx, into, r, now);
      await this.cases.move(tx, row, { action: 'merge', actor: actorOf(p), note: note ?? null, patch: { merged_into: into }, detail: { into } });
      await this.cases.event(tx, target, { action: 'merge', actor: actorOf(p), note: `并入案件 ${id}`, detail: { from: id } }, target.stage, 0, false);
    });
    return this.queries.get(p, id);
  }

  /** 立案: category, severity and place checked (and corrected); the dispatch stage's clock starts. */
  async file(p0: Principal | null, id: string, body: { categoryCode?: string; severity?: string; point?: [number, number]; note?: string }): Promise<CaseView> {
    const { p, row } = await this.forAction(p0, id, 'case.dispatch');
    const patch: Partial<CaseRow> = {};
    if (body.categoryCode !== undefined) patch.category_code = this.cases.category(body.categoryCode).code;
    if (body.severity !== undefined) patch.severity = this.cases.severity(body.severity, row.severity);
    if (body.point !== undefined) {
      patch.jurisdiction_code = this.cases.locate(body.point);
      authorize(p, 'case.dispatch', { jurisdictionCode: patch.jurisdiction_code });
      patch.lon = body.point[0];
      patch.lat = body.point[1];
    }
    await this.ctx.transaction((tx) => this.cases.move(tx, row, { action: 'file', actor: actorOf(p), note: body.note ?? null, patch, detail: { category: patch.category_code ?? row.category_code, severity: patch.severity ?? row.severity } }));
    return this.queries.get(p, id);
  }

  /** 派遣: to the dispatch table's proposal unless the dispatcher names another department. */
  async dispatch(p0: Principal | null, id: string, body: DispatchBody): Promise<CaseView> {
    const { p, row } = await this.forAction(p0, id, 'case.dispatch');
    const category = this.cases.category(row.category_code);
    let proposal = await this.cases.dispatcher.propose(this.ctx.db, category, row.jurisdiction_code);
    if (body.departmentCode !== undefined) {
      if (!(await this.cases.department(body.departmentCode))) throw invalid('departmentCode', `${body.departmentCode} is not a department`);
      // The dispatcher confirming the proposal keeps its team; naming another department overrides it.
      if (proposal?.departmentCode !== body.departmentCode) proposal = { departmentCode: body.departmentCode, team: body.team ?? null, rule: 'dispatcher' };
    }
    if (!proposal) throw new AppError('FIELD_REQUIRED', `No dispatch rule covers ${category.nameZh} here; name the departmentCode`, 'departmentCode');
    if (body.team !== undefined) proposal = { ...proposal, team: this.cases.text(body.team, 'team', false) || null };
    const supporting = [...new Set(body.supporting ?? [])].filter((d) => d !== proposal!.departmentCode);
    for (const [i, d] of supporting.entries()) if (!(await this.cases.department(d))) throw invalid(`supporting[${i}]`, `${d} is not a department`);
    let assignee: string | null = null;
    if (body.assigneeId !== undefined) {
      const a = await this.ctx.services.accounts.find(body.assigneeId);
      if (!a || a.disabled || !a.roles.some((r) => r === 'grid_worker' || r === 'staff')) throw invalid('assigneeId', 'is not an active grid worker or staff account');
      if (!a.scopeCode || !withinScope(a.scopeCode, row.jurisdiction_code)) throw invalid('assigneeId', `${a.displayName} does not work in ${row.jurisdiction_code}`);
      assignee = a.id;
    }
    await this.ctx.transaction((tx) => this.cases.dispatchTo(tx, row, proposal!, supporting, assignee, actorOf(p), body.note ?? null));
    return this.queries.get(p, id);
  }

  /** The lead department's staff, or the assignee, may handle or return a case. */
  private async forHandler(p0: Principal | null, id: string): Promise<{ p: Principal; row: CaseRow }> {
    authorize(p0, 'case.handle', UNSCOPED);
    const row = await this.cases.load(id);
    const p = p0;
    const assigned = row.assignee_id === p.accountId;
    const ofLead = p.departmentCode !== null && row.department_code !== null && p.roles.includes('staff') && departmentCovers(p.departmentCode, row.department_code);
    if (!assigned) authorize(p, 'case.handle', { jurisdictionCode: row.jurisdiction_code });
    if (!assigned && !ofLead) throw new AppError('ROLE_FORBIDDEN', `Case ${id} is for ${row.department_code ?? 'no department yet'}${row.assignee_id ? ' and its assignee' : ''}, not you`);
    return { p, row };
  }

  /** 处置: done, with a note and evidence photos; verification's clock starts. */
  async handle(p0: Principal | null, id: string, note: string, photos?: string[]): Promise<CaseView> {
    const { p, row } = await this.forHandler(p0, id);
    const text = this.cases.text(note, 'note');
    const evidence = await this.cases.checkPhotos(photos);
    await this.ctx.transaction((tx) => this.cases.move(tx, row, { action: 'handle', actor: actorOf(p), note: text, photos: evidence, patch: { handler_id: p.accountId, public_note: text.slice(0, 500) } }));
    return this.queries.get(p, id);
  }

  /** 退回: wrongly dispatched; back to the dispatcher with the reason. */
  async returnCase(p0: Principal | null, id: string, reason: string): Promise<CaseView> {
    const { p, row } = await this.forHandler(p0, id);
    const text = this.cases.text(reason, 'reason');
    await this.ctx.transaction(async (tx) => {
      // The department it was wrongly sent to stops seeing it.
      await this.cases.store.deleteParties(tx, id);
      await this.cases.move(tx, row, { action: 'return', actor: actorOf(p), note: text, patch: { return_count: row.return_count + 1, department_code: null, team: null, assignee_id: null } });
    });
    return this.queries.get(p, id);
  }

  /** 核查: a grid worker other than the handler checks the site with a photo; closes or reopens. */
  async verify(p0: Principal | null, id: string, passed: boolean, photos: string[], note?: string): Promise<CaseView> {
    const { p, row } = await this.forAction(p0, id, 'case.verify');
    if (row.handler_id === p.accountId) throw new AppError('CASE_SELF_VERIFICATION', `You handled case ${id}; another grid worker verifies it`);
    if (row.stage === 'verification' && !photos.length) throw invalid('photos', 'needs at least one photo of the site');
    const evidence = await this.cases.checkPhotos(photos);
    const text = note === undefined ? null : this.cases.text(note, 'note', false) || null;
    await this.ctx.transaction((tx) =>
      this.cases.move(tx, row, passed
        ? { action: 'verify_pass', actor: actorOf(p), note: text, photos: evidence, patch: { verifier_id: p.accountId } }
        : { action: 'verify_fail', actor: actorOf(p), note: text, photos: evidence, patch: { verifier_id: p.accountId, reopen_count: row.reopen_count + 1, public_note: '核查未通过，重新处置' } }),
    );
    return this.queries.get(p, id);
  }

  /** 评价: a reporter rates a closed case, once. */
  async rate(p: Principal | null, id: string, rating: number, comment?: string): Promise<CaseView> {
    authorize(p, 'case.report', UNSCOPED);
    const row = await this.cases.load(id);
    const reporters = await this.cases.store.reporters(this.ctx.db, id);
    if (!reporters.includes(p.accountId)) throw new AppError('OWNER_FORBIDDEN', 'Only the people who reported a case rate it');
    if (row.stage !== 'closed') throw new AppError('CASE_TRANSITION_INVALID', `Case ${id} is ${row.stage}; it can be rated once closed`, 'stage');
    if (row.rating !== null) throw new AppError('CONFLICT', `Case ${id} has been rated already`, 'rating');
    const text = comment === undefined ? null : this.cases.text(comment, 'comment', false) || null;
    await this.ctx.transaction(async (tx) => {
      const next = { ...row, rating, rating_comment: text, updated_at: this.ctx.clock.now(), version: row.version + 1 };
      if (!(await this.cases.store.update(tx, next, row.version))) throw new AppError('CONFLICT', `Case ${id} was changed meanwhile`);
      await this.cases.event(tx, next, { action: 'rate', actor: actorOf(p), note: text, detail: { rating } }, row.stage, 0, false);
      await this.ctx.audit.record(tx, { actorId: p.accountId, action: 'cases.case.rated', subjectType: 'case', subjectId: id, jurisdictionCode: row.jurisdiction_code, detail: { rating } });
    });
    return this.queries.get(p, id);
  }

  /** 督办: a district or city centre puts an open case under supervision. */
  async supervise(p0: Principal | null, id: string, note: string): Promise<CaseView> {
    const { p, row } = await this.forAction(p0, id, 'case.supervise');
    if (!hasPermission(p, 'case.supervise') || (p.scopeCode?.length ?? 99) > 6) throw new AppError('ROLE_FORBIDDEN', 'Supervision (督办) is for district and city operations centres');
    if (!isOpen(row.stage)) throw new AppError('CASE_TRANSITION_INVALID', `Case ${id} is ${row.stage}; only open cases are supervised`, 'stage');
    const text = this.cases.text(note, 'note');
    const level = Math.max(row.level, p.scopeCode === '310000' ? MAX_LEVEL : 1);
    // The city may supervise what a district already supervises; the same level twice says nothing new.
    if (toBool(row.supervised) && row.level >= level) throw new AppError('CONFLICT', `Case ${id} is already supervised at this level`, 'supervised');
    await this.ctx.transaction(async (tx) => {
      // Raised to the supervising centre's level; at the city nothing escalates further.
      const next = { ...row, supervised: true, supervision_note: [...text].slice(0, 500).join(''), level, escalate_at: level >= MAX_LEVEL ? null : row.escalate_at, updated_at: this.ctx.clock.now(), version: row.version + 1 };
      if (!(await this.cases.store.update(tx, next, row.version))) throw new AppError('CONFLICT', `Case ${id} was changed meanwhile`);
      await this.cases.event(tx, next, { action: 'supervise', actor: actorOf(p), note: text }, row.stage, 0, false);
      await this.ctx.audit.record(tx, { actorId: p.accountId, action: 'cases.case.supervised', subjectType: 'case', subjectId: id, jurisdictionCode: row.jurisdiction_code, detail: { note: text } });
      if (row.assignee_id) await this.ctx.services.notify.send(tx, { recipientId: row.assignee_id, topic: 'case', title: `督办：案件 ${id}`, body: text, link: `/worker/tasks/${id}`, subject: { type: 'case', id }, dedupeKey: `case:${id}:supervise:${next.version}` });
    });
    return this.queries.get(p, id);
  }
}

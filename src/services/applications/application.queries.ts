import { authorize, isOfficial, readFilter, UNSCOPED, type Principal } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import { fromJson, toBool } from '../../platform/db/dialect.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { handlesDepartment } from './application.actions.ts';
import type { ApplicationRow, Attached, FileRow, ApplicationSummary, ApplicationView, ListQuery, ResultRow, ResultView } from './application.schema.ts';
import type { ApplicationService } from './application.service.ts';
import { ACTOR, ACTIONS, allowed, colourOf, type AppAction, type AppStage } from './workflow.ts';

export function resultView(r: ResultRow): ResultView {
  return { id: r.id, kind: r.kind, titleZh: r.title_zh, titleEn: r.title_en, departmentCode: r.department_code, issuedAt: Number(r.issued_at), validUntil: r.valid_until === null ? null : Number(r.valid_until) };
}

/** Reading applications as each asker may: applicants their own, staff their department's within their jurisdiction. */
export class ApplicationQueries {
  constructor(
    private readonly ctx: AppContext,
    private readonly apps: ApplicationService,
  ) {}

  /** May `p` read this application? Throws the reason when not. */
  assertCanRead(p: Principal, row: ApplicationRow): void {
    if (row.applicant_id === p.accountId) return;
    if (row.stage === 'draft') throw new AppError('APPLICATION_NOT_FOUND', `No application ${row.id}`);
    // To the public, someone else's application does not exist: numbers are sequential, and a 403
    // would tell how many others applied.
    if (!isOfficial(p)) throw new AppError('APPLICATION_NOT_FOUND', `No application ${row.id}`);
    authorize(p, 'application.read', { jurisdictionCode: row.jurisdiction_code });
    // Administrators oversee every department in their scope; staff see their own department's work.
    if (!p.roles.includes('admin') && !handlesDepartment(p, row.department_code)) throw new AppError('DEPARTMENT_FORBIDDEN', `Application ${row.id} is handled by ${row.department_code}, not by your department`);
  }

  async get(p: Principal | null, id: string): Promise<ApplicationView> {
    authorize(p, 'account.read_self', UNSCOPED);
    const row = await this.apps.load(id);
    this.assertCanRead(p, row);
    return this.view(p, row);
  }

  /** The uploaded files under each material key, as views show them (one query for all of them). */
  async filesByKey(attached: Attached): Promise<(key: string) => Array<{ id: string; name: string; contentType: string; bytes: number }>> {
    const files = new Map((await this.apps.store.files(this.ctx.db, [...new Set(Object.values(attached).flat())])).map((f) => [f.id, f]));
    return (key) => (attached[key] ?? []).flatMap((id) => {
      const f = files.get(id);
      return f ? [{ id: f.id, name: f.name, contentType: f.content_type, bytes: f.bytes }] : [];
    });
  }

  async view(p: Principal, row: ApplicationRow): Promise<ApplicationView> {
    const item = this.apps.item(row.item_code);
    await this.apps.rememberDepartment(row.department_code);
    const filesOf = await this.filesByKey(this.apps.attachedOf(row));
    const ask = row.stage === 'correction' ? this.apps.askOf(row) : null;
    const exchanged = row.exchanged ? fromJson<Record<string, { resource: string; callId: number | null; outcome: string; number: string | null }>>(row.exchanged) : null;
    const events = await this.apps.store.events(this.ctx.db, row.id);
    const [result] = row.result_id ? await this.apps.store.results(this.ctx.db, [row.result_id]) : [];
    // A draft shows its applicant what the registries hold now, locked; a submitted form is what was sent.
    const prefill = row.stage === 'draft' && row.applicant_id === p.accountId ? await this.apps.autofill.prefill(p.accountId, this.apps.formOf(item)) : null;
    return {
      ...this.summary(row),
      applicantId: row.applicant_id,
      form: { ...this.apps.formData(row), ...prefill?.values },
      ...(prefill ? { locked: prefill.locked } : {}),
      materials: this.apps.materialsOf(item).map((m) => ({
        ...m,
        files: filesOf(m.key),
        toCorrect: ask !== null && ask.materials.includes(m.key),
        exchanged: exchanged?.[m.key] ?? null,
      })),
      steps: this.apps.stepsOf(row),
      step: row.step,
      acceptedAt: row.accepted_at === null ? null : Number(row.accepted_at),
      legalDueAt: row.legal_due_at === null ? null : Number(row.legal_due_at),
      pausedMs: Number(row.paused_ms),
      promisedDays: item.promisedDays,
      legalDays: item.legalDays,
      correction: ask,
      outcome: row.outcome,
      reasons: row.reasons,
      result: result ? resultView(result) : null,
      late: toBool(row.late),
      timeline: events.map((e) => ({ at: Number(e.at), action: e.action, actorName: e.actor_name, fromStage: e.from_stage, toStage: e.to_stage, note: e.note, detail: fromJson(e.detail) })),
      actions: this.actionsFor(p, row),
      version: row.version,
    };
  }

  summary(row: ApplicationRow): ApplicationSummary {
    const item = this.ctx.services.catalogue.get(row.item_code);
    const steps = this.apps.stepsOf(row);
    return {
      id: row.id,
      itemCode: row.item_code,
      itemNameZh: item.nameZh,
      itemNameEn: item.nameEn,
      bundleId: row.bundle_id,
      applicantName: row.applicant_name,
      departmentCode: row.department_code,
      departmentName: this.apps.departmentName(row.department_code),
      departmentNameEn: this.apps.departmentName(row.department_code, 'en'),
      jurisdictionCode: row.jurisdiction_code,
      stage: row.stage as AppStage,
      stepName: row.stage === 'review' ? (steps[row.step]?.zh ?? null) : null,
      stepNameEn: row.stage === 'review' ? (steps[row.step]?.en ?? null) : null,
      colour: colourOf(row, this.ctx.clock.now()),
      submittedAt: row.submitted_at === null ? null : Number(row.submitted_at),
      dueAt: row.due_at === null ? null : Number(row.due_at),
      level: row.level,
      updatedAt: Number(row.updated_at),
    };
  }

  /** A file attached to an application the asker may read (the applicant, the handling department). */
  async attachedFile(p: Principal | null, id: string, fileId: string): Promise<FileRow> {
    authorize(p, 'account.read_self', UNSCOPED);
    const row = await this.apps.load(id);
    this.assertCanRead(p, row);
    const attached = Object.values(this.apps.attachedOf(row)).flat();
    const [file] = attached.includes(fileId) ? await this.apps.store.files(this.ctx.db, [fileId]) : [];
    if (!file) throw new AppError('NOT_FOUND', `No file ${fileId.slice(0, 40)} on application ${id}`);
    return file;
  }

  /** Results issued to the asker. */
  async results(p: Principal | null): Promise<ResultRow[]> {
    authorize(p, 'application.apply', UNSCOPED);
    return this.apps.store.resultsOf(this.ctx.db, p.accountId);
  }

  /** What the asker may do now, so a client shows only buttons that will work. */
  actionsFor(p: Principal, row: ApplicationRow): AppAction[] {
    const stage = row.stage as AppStage;
    const last = row.step >= this.apps.stepsOf(row).length - 1;
    const mine = row.applicant_id === p.accountId;
    const handles = handlesDepartment(p, row.department_code) && p.roles.includes('staff');
    return ACTIONS.filter((a) => {
      if (!allowed(stage, a)) return false;
      // A bundle's items are corrected and withdrawn through the bundle.
      if (ACTOR[a] === 'applicant') return mine && !((a === 'resubmit' || a === 'withdraw') && row.bundle_id);
      if (!handles) return false;
      if (a === 'pass') return !last;
      if (a === 'approve') return last;
      return true;
    });
  }

  /**
   * A page of applications: the applicant's own, or the department's queue within the scope
   * (`mine=true` lets an official list what they applied for themselves).
   */
  async list(p: Principal | null, q: ListQuery): Promise<{ items: ApplicationSummary[]; nextCursor: string | null }> {
    authorize(p, 'account.read_self', UNSCOPED);
    const official = !q.mine && p.roles.some((r) => r === 'staff' || r === 'admin');
    if (official) authorize(p, 'application.read', UNSCOPED);
    if (q.itemCode !== undefined) this.apps.item(q.itemCode);
    const limit = q.limit ?? 50;
    const after = q.cursor ? (decodeCursor(q.cursor, 'ns') as [number, string]) : undefined;
    if (q.bundleId !== undefined && !/^YJ\d{14}$/.test(q.bundleId)) throw invalid('bundleId', 'is not a bundle application number');
    const rows = await this.apps.store.list(this.ctx.db, {
      filter: official ? readFilter(p) : { kind: 'owner', ownerId: p.accountId },
      departmentPrefix: official && !p.roles.includes('admin') ? (p.departmentCode ?? '-') : null,
      stage: q.stage,
      open: q.open,
      itemCode: q.itemCode,
      bundleId: q.bundleId,
      after,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    for (const r of page) await this.apps.rememberDepartment(r.department_code);
    const last = page[page.length - 1];
    return { items: page.map((r) => this.summary(r)), nextCursor: rows.length > limit && last ? encodeCursor([Number(last.updated_at), last.id]) : null };
  }
}

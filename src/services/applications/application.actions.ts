import { authorize, UNSCOPED, type Principal } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { storableText } from '../../platform/http/text-guard.ts';
import { fetchHeld } from './once-only.ts';
import type { ApplicationRow, ApplicationView, Attached, CorrectBody, CreateBody, ResubmitBody, SaveBody } from './application.schema.ts';
import type { ApplicationQueries } from './application.queries.ts';
import { actorOf, type ApplicationService } from './application.service.ts';
import { issueResult } from './results.ts';
import { DISTRICT_FIELD } from './forms.ts';
import type { AppStage } from './workflow.ts';

/** The department of `p` handles the application: its own office, or a parent of it (the municipal bureau over a district office). */
export function handlesDepartment(p: Principal, departmentCode: string | null): boolean {
  if (!p.departmentCode || !departmentCode) return false;
  return departmentCode === p.departmentCode || departmentCode.startsWith(`${p.departmentCode}.`);
}

/**
 * What applicants and department staff do to applications, each checked: applicants act on their
 * own applications; staff act on their department's applications inside their jurisdiction.
 */
export class ApplicationActions {
  constructor(
    private readonly ctx: AppContext,
    private readonly apps: ApplicationService,
    private readonly queries: ApplicationQueries,
  ) {}

  // ---- the applicant ----

  /** Starts a draft for an item; what is given is checked as a draft (complete or not). */
  async create(p: Principal | null, body: CreateBody): Promise<ApplicationView> {
    authorize(p, 'application.apply', UNSCOPED);
    const item = this.apps.item(body.itemCode);
    this.apps.checkApplicant(p, item);
    // The applicant's own data comes from the registries: filled in, and not to be given otherwise.
    const prefill = await this.apps.autofill.prefill(p.accountId, this.apps.formOf(item));
    this.apps.autofill.assertUnchanged(prefill, body.form);
    const form = this.apps.forms.check(this.apps.formOf(item), { ...(body.form ?? {}), ...prefill.values }, false);
    const attached = await this.apps.checkAttached(p, this.apps.materialsOf(item), body.materials);
    const id = await this.ctx.transaction(async (tx) => {
      const row = this.apps.draftRow(await this.apps.newId(tx), p, item, form, attached);
      await this.apps.store.insert(tx, row);
      await this.apps.store.insertEvents(tx, [this.apps.eventRow(row, { action: 'draft', actor: actorOf(p) }, null)]);
      return row.id;
    });
    return this.queries.get(p, id);
  }

  /** Saves a draft as the applicant types (a partial form is fine; a wrong value is not). */
  async save(p: Principal | null, id: string, body: SaveBody): Promise<ApplicationView> {
    const { row, item } = await this.own(p, id);
    if (row.stage !== 'draft') throw new AppError('APPLICATION_TRANSITION_INVALID', `Application ${id} is ${row.stage}; only a draft is saved this way (corrections go through resubmit)`);
    if (body.version !== undefined && body.version !== row.version) throw new AppError('CONFLICT', `Application ${id} is at version ${row.version}, not ${body.version}; it was saved elsewhere meanwhile`);
    const prefill = await this.apps.autofill.prefill(p!.accountId, this.apps.formOf(item));
    this.apps.autofill.assertUnchanged(prefill, body.form);
    const form = this.apps.forms.check(this.apps.formOf(item), { ...(body.form ?? this.apps.formData(row)), ...prefill.values }, false);
    const attached = body.materials === undefined ? this.apps.attachedOf(row) : await this.apps.checkAttached(p!, this.apps.materialsOf(item), body.materials);
    const now = this.ctx.clock.now();
    const next: ApplicationRow = { ...row, form, materials: attached, updated_at: now, version: row.version + 1 };
    if (!(await this.apps.store.update(this.ctx.db, next, row.version))) throw new AppError('CONFLICT', `Application ${id} was changed meanwhile; read it again`);
    return this.queries.get(p, id);
  }

  /** Throws a draft away (nothing was submitted, so nothing needs keeping). */
  async discard(p: Principal | null, id: string): Promise<void> {
    const { row } = await this.own(p, id);
    if (row.stage !== 'draft') throw new AppError('APPLICATION_TRANSITION_INVALID', `Application ${id} is ${row.stage}; only a draft can be discarded (withdraw it instead)`);
    if (row.bundle_id) throw new AppError('APPLICATION_TRANSITION_INVALID', `Application ${id} belongs to bundle ${row.bundle_id}`);
    await this.ctx.transaction(async (tx) => {
      if (!(await this.apps.store.remove(tx, id, row.version))) throw new AppError('CONFLICT', `Application ${id} was changed meanwhile`);
    });
  }

  /** Submits a draft: a complete form, every required material, routed to the district office. */
  async submit(p: Principal | null, id: string, note?: string, consent = false): Promise<ApplicationView> {
    const { row, item } = await this.own(p, id);
    this.apps.assertAllowed(row, 'submit');
    // What the registries hold now is what goes: a draft saved before a correction there is brought up to date.
    const prefill = await this.apps.autofill.prefill(p!.accountId, this.apps.formOf(item));
    const form = this.apps.forms.check(this.apps.formOf(item), { ...this.apps.formData(row), ...prefill.values }, true);
    const materials = this.apps.materialsOf(item);
    this.apps.requireMaterials(materials, this.apps.attachedOf(row));
    const route = await this.apps.route(item, form);
    // Checked and routed: only now, with consent, does the department fetch what government already holds.
    const exchanged = consent ? await fetchHeld(this.ctx, { applicantId: p!.accountId, departmentCode: route.departmentCode, reference: id, itemName: item.nameZh, materials }) : null;
    const now = this.ctx.clock.now();
    const next = await this.ctx.transaction((tx) =>
      this.apps.move(tx, row, { action: 'submit', actor: actorOf(p!), note: this.note(note), patch: { stage: 'submitted', form, jurisdiction_code: route.jurisdictionCode, department_code: route.departmentCode, submitted_at: now, exchanged, ...this.apps.clockFor('submitted', item, now) }, detail: { department: route.departmentCode, ...(exchanged ? { exchanged: Object.keys(exchanged) } : {}), ...(Object.keys(prefill.locked).length ? { fromRegistry: Object.keys(prefill.locked) } : {}) } }, item.nameZh),
    );
    return this.queries.view(p!, next);
  }

  /** Sends back what was asked for; the clock runs again with the time it had left. */
  async resubmit(p: Principal | null, id: string, body: ResubmitBody): Promise<ApplicationView> {
    const { row, item } = await this.own(p, id);
    if (row.bundle_id) throw new AppError('APPLICATION_TRANSITION_INVALID', `Application ${id} is part of bundle ${row.bundle_id}: correct it through the bundle`);
    this.apps.assertAllowed(row, 'resubmit');
    this.apps.checkAsked(this.apps.askOf(row), body.form, body.materials);
    // A department may ask about a registry value; it is corrected at its source, not here.
    const prefill = await this.apps.autofill.prefill(p!.accountId, this.apps.formOf(item));
    this.apps.autofill.assertUnchanged(prefill, body.form);
    // The registry's values go in last, as on every other write: an empty answer cannot blank them.
    const form = this.apps.forms.check(this.apps.formOf(item), { ...this.apps.formData(row), ...(body.form ?? {}), ...prefill.values }, true);
    const attached = { ...this.apps.attachedOf(row), ...(await this.apps.checkAttached(p!, this.apps.materialsOf(item), body.materials)) };
    this.apps.requireMaterials(this.apps.materialsOf(item), attached);
    const next = await this.ctx.transaction((tx) => this.resumeIn(tx, row, p!, form, attached, this.note(body.note), item.nameZh));
    return this.queries.view(p!, next);
  }

  /** The resubmission's write (also used by bundles, which check the form and materials their own way). */
  async resumeIn(tx: Parameters<ApplicationService['move']>[0], row: ApplicationRow, p: Principal, form: Record<string, unknown>, attached: Attached, note: string | null, itemName: string): Promise<ApplicationRow> {
    const now = this.ctx.clock.now();
    const cal = this.apps.calendar;
    const back = (row.correction_from ?? 'submitted') as AppStage;
    const left = Number(row.remaining_ms ?? 0);
    const due = cal.shiftWorkingMs(now, left);
    const pausedMs = cal.workingMsBetween(Number(row.stage_started_at), now);
    const patch: Partial<ApplicationRow> = {
      stage: back,
      form,
      materials: attached,
      due_at: due,
      yellow_at: cal.shiftWorkingMs(now, left - Number(row.yellow_gap_ms ?? 0)),
      legal_due_at: row.legal_remaining_ms === null ? null : cal.shiftWorkingMs(now, Number(row.legal_remaining_ms)),
      remaining_ms: null,
      legal_remaining_ms: null,
      paused_ms: Number(row.paused_ms) + (back === 'review' ? pausedMs : 0),
      correction_from: null,
    };
    return this.apps.move(tx, row, { action: 'resubmit', actor: actorOf(p), note: this.note(note ?? undefined), patch, detail: { pausedMs, dueAt: due } }, itemName);
  }

  /** Withdraws an application before a decision. */
  async withdraw(p: Principal | null, id: string, note?: string): Promise<ApplicationView> {
    const { row, item } = await this.own(p, id);
    if (row.bundle_id) throw new AppError('APPLICATION_TRANSITION_INVALID', `Application ${id} is part of bundle ${row.bundle_id}: withdraw it through the bundle`);
    this.apps.assertAllowed(row, 'withdraw');
    const now = this.ctx.clock.now();
    const next = await this.ctx.transaction((tx) => this.apps.move(tx, row, { action: 'withdraw', actor: actorOf(p!), note: this.note(note), patch: { stage: 'withdrawn', closed_at: now, due_at: null, yellow_at: null } }, item.nameZh),);
    return this.queries.view(p!, next);
  }

  // ---- the department ----

  /** 受理: the application is complete; the item's promised and legal clocks start. */
  async accept(p: Principal | null, id: string, note?: string): Promise<ApplicationView> {
    const { row, item } = await this.handled(p, id, 'accept');
    const now = this.ctx.clock.now();
    const next = await this.ctx.transaction((tx) => this.apps.move(tx, row, { action: 'accept', actor: actorOf(p!), note: this.note(note), patch: { stage: 'review', step: 0, accepted_at: now, ...this.apps.clockFor('review', item, now) } }, item.nameZh),);
    return this.queries.view(p!, next);
  }

  /** 补正: asks the applicant for corrections; the clock stops with the office time it has left. */
  async correct(p: Principal | null, id: string, body: CorrectBody): Promise<ApplicationView> {
    const { row, item } = await this.handled(p, id, 'correct');
    const note = this.required(body.note, 'note');
    const keys = new Set(this.apps.materialsOf(item).map((m) => m.key));
    const bad = (body.materials ?? []).find((k) => !keys.has(k));
    if (bad) throw invalid('materials', `${bad.slice(0, 60)} is not a material of ${item.nameZh}`);
    const fields = this.apps.formOf(item).fields;
    const badField = (body.fields ?? []).find((f) => !fields.includes(f));
    if (badField) throw invalid('fields', `${badField.slice(0, 80)} is not a field of this form`);
    // The district decides which office handles it: a wrong one is refused (不予受理), not corrected here.
    if ((body.fields ?? []).includes(DISTRICT_FIELD)) throw invalid('fields', `${DISTRICT_FIELD} cannot be corrected: refuse the application so it is made to the right district`);
    const now = this.ctx.clock.now();
    const cal = this.apps.calendar;
    // Signed: an application already overdue stays exactly as overdue when it resumes.
    const remaining = row.due_at === null ? 0 : cal.signedWorkingMs(now, Number(row.due_at));
    const legal = row.legal_due_at === null ? null : cal.signedWorkingMs(now, Number(row.legal_due_at));
    const ask = { note, materials: body.materials ?? [], fields: body.fields ?? [] };
    const next = await this.ctx.transaction((tx) =>
      this.apps.move(tx, row, { action: 'correct', actor: actorOf(p!), note, patch: { stage: 'correction', correction_from: row.stage, correction_note: note, correction_materials: ask, remaining_ms: remaining, legal_remaining_ms: legal, due_at: null, yellow_at: null, legal_due_at: null }, detail: { materials: ask.materials, fields: ask.fields, remainingMs: remaining } }, item.nameZh),
    );
    return this.queries.view(p!, next);
  }

  /** 不予受理: refused at pre-check, with the reasons the applicant is told. */
  async reject(p: Principal | null, id: string, reasons: string): Promise<ApplicationView> {
    const { row, item } = await this.handled(p, id, 'reject');
    const why = this.required(reasons, 'reasons');
    const now = this.ctx.clock.now();
    const next = await this.ctx.transaction((tx) => this.apps.move(tx, row, { action: 'reject', actor: actorOf(p!), note: why, patch: { stage: 'rejected', outcome: 'rejected', reasons: why, decided_at: now, closed_at: now, due_at: null, yellow_at: null } }, item.nameZh),);
    return this.queries.view(p!, next);
  }

  /** Passes the current review step on to the next one (the last step ends in a decision instead). */
  async pass(p: Principal | null, id: string, note?: string): Promise<ApplicationView> {
    const { row, item } = await this.handled(p, id, 'pass');
    const steps = this.apps.stepsOf(row);
    if (row.step >= steps.length - 1) throw new AppError('APPLICATION_TRANSITION_INVALID', `Application ${id} is at its last review step (${steps[row.step]?.zh ?? '审核'}): approve or deny it`);
    const done = steps[row.step]!.zh;
    const next = await this.ctx.transaction((tx) => this.apps.move(tx, row, { action: 'pass', actor: actorOf(p!), note: this.note(note) ?? done, patch: { step: row.step + 1 }, detail: { step: row.step, stepName: done } }, item.nameZh),);
    return this.queries.view(p!, next);
  }

  /** The decision. Approving records the result (licence or document) for the applicant in the same transaction. */
  async decide(p: Principal | null, id: string, outcome: 'approve' | 'deny', text: string | undefined, validYears?: number): Promise<ApplicationView> {
    const { row, item } = await this.handled(p, id, outcome);
    const steps = this.apps.stepsOf(row);
    if (outcome === 'approve' && row.step < steps.length - 1) throw new AppError('APPLICATION_TRANSITION_INVALID', `Application ${id} is at review step ${row.step + 1} of ${steps.length} (${steps[row.step]?.zh}); pass the remaining steps first`);
    const why = outcome === 'deny' ? this.required(text ?? '', 'reasons') : this.note(text);
    // Another module may hold a decision back (a bundle issues a licence only after the one it builds on).
    if (outcome === 'approve') for (const check of this.apps.approvalChecks) await check(row);
    const now = this.ctx.clock.now();
    const late = row.due_at !== null && now > Number(row.due_at);
    const next = await this.ctx.transaction(async (tx) => {
      const result = await issueResult(tx, this.apps, row, item, outcome, now, validYears);
      return this.apps.move(tx, row, { action: outcome, actor: actorOf(p!), note: why, patch: { stage: outcome === 'approve' ? 'approved' : 'denied', outcome: outcome === 'approve' ? 'approved' : 'denied', reasons: outcome === 'deny' ? why : null, result_id: result, decided_at: now, closed_at: now, late, due_at: null, yellow_at: null }, detail: { result, late } }, item.nameZh);
    });
    return this.queries.view(p!, next);
  }

  private note(v: string | undefined): string | null {
    const t = storableText(v ?? '').trim();
    return t ? t.slice(0, 2000) : null;
  }

  private required(v: string, field: string): string {
    const t = this.note(v);
    if (!t) throw new AppError('FIELD_REQUIRED', `${field} is required`, field);
    return t;
  }

  /** The applicant's own application (staff cannot act as the applicant). */
  private async own(p: Principal | null, id: string) {
    authorize(p, 'application.apply', UNSCOPED);
    const row = await this.apps.load(id);
    if (row.applicant_id !== p.accountId) throw new AppError('APPLICATION_NOT_FOUND', `No application ${id}`);
    return { row, item: this.apps.item(row.item_code) };
  }

  /** An application of the asker's department inside their jurisdiction, at a stage where `action` may be taken. */
  private async handled(p: Principal | null, id: string, action: 'accept' | 'correct' | 'reject' | 'pass' | 'approve' | 'deny') {
    authorize(p, 'application.process', UNSCOPED);
    const row = await this.apps.load(id);
    if (row.stage === 'draft') throw new AppError('APPLICATION_NOT_FOUND', `No application ${id}`);
    authorize(p, 'application.process', { jurisdictionCode: row.jurisdiction_code });
    if (!handlesDepartment(p, row.department_code)) {
      throw new AppError('DEPARTMENT_FORBIDDEN', `Application ${id} is handled by ${row.department_code}, not by your department ${p.departmentCode ?? '(none)'}`);
    }
    this.apps.assertAllowed(row, action);
    return { row, item: this.apps.item(row.item_code) };
  }
}

import { authorize, UNSCOPED, type Principal } from '../../platform/access.ts';
import { fetchHeld } from '../applications/once-only.ts';
import { shanghaiDate } from '../../platform/calendar/working-calendar.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/database.ts';
import { fromJson } from '../../platform/db/dialect.ts';
import { AppError } from '../../platform/errors.ts';
import type { ApplicationRow, Attached } from '../applications/application.schema.ts';
import { actorOf, type ApplicationService } from '../applications/application.service.ts';
import type { ApplicationActions } from '../applications/application.actions.ts';
import { FINAL, type AppStage } from '../applications/workflow.ts';
import type { BundleCatalogue, Plan } from './bundle.catalogue.ts';
import type { BundleAppRow, BundleResubmitBody, SaveBundleBody, StartBody } from './bundle.schema.ts';
import type { BundleStore } from './bundle.store.ts';
import type { Answers } from './definitions.ts';

/** The applicant's view of a bundle's stage, derived from its applications once it is submitted. */
export function bundleStage(row: BundleAppRow, apps: ApplicationRow[]): string {
  if (row.stage !== 'submitted') return row.stage;
  if (apps.some((a) => a.stage === 'correction')) return 'correction';
  if (apps.some((a) => !FINAL.has(a.stage as AppStage))) return 'processing';
  if (apps.every((a) => a.stage === 'withdrawn')) return 'withdrawn';
  return apps.every((a) => a.stage === 'approved') ? 'completed' : 'concluded';
}

/**
 * Bundle applications (一件事一次办): one questionnaire, one form, one set of materials; on submission
 * one application per item, all in one transaction, processed in parallel by their departments.
 * Corrections any department asks for come back here, and one resubmission answers them all.
 */
export class BundleService {
  constructor(
    private readonly ctx: AppContext,
    readonly store: BundleStore,
    readonly catalogue: BundleCatalogue,
    private readonly apps: ApplicationService,
    private readonly actions: ApplicationActions,
  ) {}

  async start(p: Principal | null, body: StartBody): Promise<string> {
    authorize(p, 'application.apply', UNSCOPED);
    const b = this.catalogue.get(body.bundleCode);
    this.apps.checkApplicant(p, b, 'bundleCode');
    const answers = this.catalogue.checkAnswers(b, body.answers ?? {});
    const plan = this.catalogue.plan(b, answers);
    const own = await this.apps.autofill.prefill(p.accountId, plan.form);
    const now = this.ctx.clock.now();
    return this.ctx.transaction(async (tx) => {
      const day = shanghaiDate(now).replaceAll('-', '');
      const id = `YJ${day}${String(await this.apps.store.nextNumber(tx, `B${day}`)).padStart(6, '0')}`;
      await this.store.insert(tx, { id, bundle_code: b.code, applicant_id: p.accountId, applicant_name: p.displayName, stage: 'draft', answers, form: { ...plan.prefill, ...own.values }, materials: {}, items: plan.items.map((i) => i.code), submitted_at: null, created_at: now, updated_at: now, version: 1 });
      return id;
    });
  }

  /** Saves the draft as the applicant goes: new answers re-plan the items; form and materials are checked as a draft. */
  async save(p: Principal | null, id: string, body: SaveBundleBody): Promise<void> {
    const row = await this.own(p, id);
    if (row.stage !== 'draft') throw new AppError('APPLICATION_TRANSITION_INVALID', `Bundle application ${id} is ${row.stage}; only a draft is saved this way`);
    if (body.version !== undefined && body.version !== row.version) throw new AppError('CONFLICT', `Bundle application ${id} is at version ${row.version}, not ${body.version}`);
    const b = this.catalogue.get(row.bundle_code);
    const answers = body.answers === undefined ? fromJson<Answers>(row.answers) : this.catalogue.checkAnswers(b, body.answers);
    const plan = this.catalogue.plan(b, answers);
    // New answers may drop items: what was kept only for them is dropped too, not refused.
    const fields = new Set(plan.form.fields);
    const keys = new Set(plan.materials.map((m) => m.key));
    const kept = Object.fromEntries(Object.entries(fromJson<Record<string, unknown>>(row.form)).filter(([k]) => fields.has(k)));
    // The applicant's own data comes from the registries. New answers may stop founding a company:
    // the company is then the account's own, and its registry values replace those typed for the
    // new one; only what was locked already is refused when changed.
    const own = await this.apps.autofill.prefill(p!.accountId, plan.form);
    const before = body.answers === undefined ? own : await this.apps.autofill.prefill(p!.accountId, this.catalogue.plan(b, fromJson<Answers>(row.answers)).form);
    this.apps.autofill.assertUnchanged({ values: own.values, locked: Object.fromEntries(Object.entries(own.locked).filter(([id]) => id in before.locked)) }, body.form);
    const form = this.apps.forms.check(plan.form, { ...kept, ...(body.form ?? {}), ...plan.prefill, ...own.values }, false);
    const attached = body.materials === undefined ? Object.fromEntries(Object.entries(fromJson<Attached>(row.materials)).filter(([k]) => keys.has(k))) : await this.apps.checkAttached(p!, plan.materials, body.materials);
    const next: BundleAppRow = { ...row, answers, form, materials: attached, items: plan.items.map((i) => i.code), updated_at: this.ctx.clock.now(), version: row.version + 1 };
    if (!(await this.store.update(this.ctx.db, next, row.version))) throw new AppError('CONFLICT', `Bundle application ${id} was changed meanwhile`);
  }

  /**
   * Submits: the merged form complete, every required material uploaded once, then one application
   * per item, each routed to its department's district office and submitted, in one transaction.
   */
  async submit(p: Principal | null, id: string, consent = false): Promise<void> {
    const row = await this.own(p, id);
    if (row.stage !== 'draft') throw new AppError('APPLICATION_TRANSITION_INVALID', `Bundle application ${id} is ${row.stage}; it was submitted already`);
    const b = this.catalogue.get(row.bundle_code);
    const plan = this.catalogue.plan(b, fromJson<Answers>(row.answers));
    if (!plan.items.length) throw new AppError('FIELD_INVALID', 'answers: with these answers no item of the bundle applies', 'answers');
    // The bundle says who may apply: a founder applies as a person for items the company-to-be will hold.
    this.apps.checkApplicant(p!, b, 'bundleCode');
    const own = await this.apps.autofill.prefill(p!.accountId, plan.form);
    const form = this.apps.forms.check(plan.form, { ...fromJson<Record<string, unknown>>(row.form), ...plan.prefill, ...own.values }, true);
    const attached = await this.apps.checkAttached(p!, plan.materials, fromJson<Attached>(row.materials));
    this.apps.requireMaterials(plan.materials, attached);
    const routes = await Promise.all(plan.items.map((i) => this.apps.route(i, form)));
    // Once-only, with consent: each department fetches the government-held documents its item needs.
    const exchanged: Array<Record<string, unknown> | null> = [];
    for (const [n, item] of plan.items.entries()) {
      exchanged.push(consent ? await fetchHeld(this.ctx, { applicantId: p!.accountId, departmentCode: routes[n]!.departmentCode, reference: id, itemName: item.nameZh, materials: this.apps.materialsOf(item) }) : null);
    }
    const now = this.ctx.clock.now();
    await this.ctx.transaction(async (tx) => {
      for (const [n, item] of plan.items.entries()) {
        const own = this.subset(plan, item.code, form, attached);
        const draft = this.apps.draftRow(await this.apps.newId(tx), p!, item, own.form, own.attached, id);
        await this.apps.store.insert(tx, draft);
        const route = routes[n]!;
        await this.apps.move(tx, draft, { action: 'submit', actor: actorOf(p!), patch: { stage: 'submitted', jurisdiction_code: route.jurisdictionCode, department_code: route.departmentCode, submitted_at: now, exchanged: exchanged[n], ...this.apps.clockFor('submitted', item, now) }, detail: { department: route.departmentCode, bundle: id }, quiet: true }, item.nameZh);
      }
      const next: BundleAppRow = { ...row, stage: 'submitted', form, materials: attached, items: plan.items.map((i) => i.code), submitted_at: now, updated_at: now, version: row.version + 1 };
      if (!(await this.store.update(tx, next, row.version))) throw new AppError('CONFLICT', `Bundle application ${id} was changed meanwhile`);
      await this.ctx.audit.record(tx, { actorId: p!.accountId, action: 'services.bundle.submitted', subjectType: 'bundle_application', subjectId: id, detail: { bundle: b.code, items: plan.items.map((i) => i.code) } });
      await this.ctx.services.notify.send(tx, { recipientId: p!.accountId, topic: 'application', title: `“一件事”申请已提交：${b.nameZh}`, body: `您的“一件事”申请 ${id} 已提交，${plan.items.length} 个事项将由 ${new Set(routes.map((r) => r.departmentCode)).size} 个部门同时办理，进展可在一处查看。`, link: `/portal/bundles/applications/${id}`, subject: { type: 'bundle_application', id }, dedupeKey: `bundle:${id}:submitted` });
    });
  }

  /** Answers every correction asked for at once: the merged form and materials updated, each item's application resubmitted. */
  async resubmit(p: Principal | null, id: string, body: BundleResubmitBody): Promise<void> {
    const row = await this.own(p, id);
    const b = this.catalogue.get(row.bundle_code);
    const apps = await this.apps.store.byBundle(this.ctx.db, id);
    const waiting = apps.filter((a) => a.stage === 'correction');
    if (!waiting.length) throw new AppError('APPLICATION_TRANSITION_INVALID', `No item of bundle application ${id} is waiting for corrections`);
    const plan = this.catalogue.plan(b, fromJson<Answers>(row.answers), fromJson<string[]>(row.items));
    // Only what some department asked for may change; answers stay what the questionnaire said.
    const asks = waiting.map((a) => this.apps.askOf(a));
    this.apps.checkAsked({ fields: asks.flatMap((x) => x.fields), materials: asks.flatMap((x) => x.materials) }, body.form, body.materials);
    const own = await this.apps.autofill.prefill(p!.accountId, plan.form);
    this.apps.autofill.assertUnchanged(own, body.form);
    const before = fromJson<Record<string, unknown>>(row.form);
    const form = this.apps.forms.check(plan.form, { ...before, ...(body.form ?? {}), ...plan.prefill, ...own.values }, true);
    const attached = { ...fromJson<Attached>(row.materials), ...(await this.apps.checkAttached(p!, plan.materials, body.materials)) };
    this.apps.requireMaterials(plan.materials, attached);
    const changed = Object.keys(body.form ?? {}).filter((f) => JSON.stringify(before[f]) !== JSON.stringify(form[f]));
    const changedFiles = Object.keys(body.materials ?? {});
    await this.ctx.transaction(async (tx) => {
      for (const a of waiting) {
        const own = this.subset(plan, a.item_code, form, attached);
        await this.actions.resumeIn(tx, a, p!, own.form, own.attached, body.note ?? null, this.ctx.services.catalogue.get(a.item_code).nameZh);
      }
      // A shared datum or document corrected for one department is the same for the others still at
      // work: their copies are brought in line, each with a timeline entry saying what changed.
      for (const a of apps.filter((x) => x.stage !== 'correction' && !FINAL.has(x.stage as AppStage))) {
        const own = this.subset(plan, a.item_code, form, attached);
        const fields = changed.filter((f) => f in own.form);
        const files = changedFiles.filter((k) => k in own.attached);
        if (!fields.length && !files.length) continue;
        await this.apps.move(tx, a, { action: 'amend', actor: actorOf(p!), note: `申请人在补正其他事项时更新了共用信息：${[...fields, ...files].join('、')}`, patch: { form: own.form, materials: own.attached }, detail: { fields, materials: files } }, this.ctx.services.catalogue.get(a.item_code).nameZh);
      }
      const now = this.ctx.clock.now();
      if (!(await this.store.update(tx, { ...row, form, materials: attached, updated_at: now, version: row.version + 1 }, row.version))) throw new AppError('CONFLICT', `Bundle application ${id} was changed meanwhile`);
    });
  }

  /**
   * Withdraws every item not yet decided (a draft is simply marked withdrawn). The bundle is then
   * withdrawn as a whole, keeping the results of items already approved, and the applicant gets one
   * message (not one per item, and no "concluded" message after it).
   */
  async withdraw(p: Principal | null, id: string): Promise<void> {
    const row = await this.own(p, id);
    if (row.stage === 'withdrawn') throw new AppError('APPLICATION_TRANSITION_INVALID', `Bundle application ${id} is withdrawn already`);
    const open = (await this.apps.store.byBundle(this.ctx.db, id)).filter((a) => !FINAL.has(a.stage as AppStage));
    if (row.stage === 'submitted' && !open.length) throw new AppError('APPLICATION_TRANSITION_INVALID', `Every item of bundle application ${id} is decided already`);
    await this.ctx.transaction(async (tx) => {
      const now = this.ctx.clock.now();
      for (const a of open) await this.apps.move(tx, a, { action: 'withdraw', actor: actorOf(p!), patch: { stage: 'withdrawn', closed_at: now, due_at: null, yellow_at: null }, quiet: true }, this.ctx.services.catalogue.get(a.item_code).nameZh);
      if (!(await this.store.update(tx, { ...row, stage: 'withdrawn', updated_at: now, version: row.version + 1 }, row.version))) throw new AppError('CONFLICT', `Bundle application ${id} was changed meanwhile`);
      await this.ctx.audit.record(tx, { actorId: p!.accountId, action: 'services.bundle.withdrawn', subjectType: 'bundle_application', subjectId: id, detail: { items: open.map((a) => a.id) } });
      if (open.length) {
        const b = this.catalogue.get(row.bundle_code);
        await this.ctx.services.notify.send(tx, { recipientId: p!.accountId, topic: 'application', title: `“一件事”申请已撤回：${b.nameZh}`, body: `您的“一件事”申请 ${id} 中尚未办结的 ${open.length} 个事项已撤回。`, link: `/portal/bundles/applications/${id}`, subject: { type: 'bundle_application', id }, dedupeKey: `bundle:${id}:withdrawn` });
      }
    });
  }

  /** The part of the merged form and materials one item asks for. */
  private subset(plan: Plan, code: string, form: Record<string, unknown>, attached: Attached): { form: Record<string, unknown>; attached: Attached } {
    const item = plan.items.find((i) => i.code === code)!;
    const fields = this.apps.formOf(item).fields;
    const keys = new Set(this.apps.materialsOf(item).map((m) => m.key));
    return {
      form: Object.fromEntries(Object.entries(form).filter(([k]) => fields.includes(k))),
      attached: Object.fromEntries(Object.entries(attached).filter(([k]) => keys.has(k))),
    };
  }

  async own(p: Principal | null, id: string): Promise<BundleAppRow> {
    authorize(p, 'account.read_self', UNSCOPED);
    const row = /^YJ\d{14}$/.test(id) ? await this.store.get(this.ctx.db, id) : undefined;
    if (!row || row.applicant_id !== p.accountId) throw new AppError('BUNDLE_NOT_FOUND', `No bundle application ${id.slice(0, 20)}`);
    return row;
  }

  /** Holds an approval back until the items it builds on are approved (parallel review, ordered issue). */
  async gate(row: ApplicationRow): Promise<void> {
    if (!row.bundle_id) return;
    const bundle = await this.store.get(this.ctx.db, row.bundle_id);
    if (!bundle) return;
    const def = this.catalogue.get(bundle.bundle_code).items.find((i) => i.code === row.item_code);
    if (!def?.after?.length) return;
    const siblings = await this.apps.store.byBundle(this.ctx.db, row.bundle_id);
    const before = siblings.filter((s) => def.after!.includes(s.item_code));
    const failed = before.filter((s) => FINAL.has(s.stage as AppStage) && s.stage !== 'approved');
    if (failed.length) {
      const names = failed.map((s) => `${this.ctx.services.catalogue.get(s.item_code).nameZh}（${s.id}，${s.stage}）`).join('、');
      throw new AppError('APPLICATION_BLOCKED', `Application ${row.id} builds on ${names}, which will not be approved: deny this one with that reason`, undefined, { blockedBy: failed.map((s) => s.id) });
    }
    const pending = before.filter((s) => s.stage !== 'approved');
    if (pending.length) {
      const names = pending.map((s) => `${this.ctx.services.catalogue.get(s.item_code).nameZh}（${s.id}，${s.stage}）`).join('、');
      throw new AppError('APPLICATION_WAITING', `Application ${row.id} builds on ${names}: it can be approved once that is approved`, undefined, { waitsFor: pending.map((s) => s.id) });
    }
  }

  /** Tells the applicant once, when the last item of a bundle is decided: one combined result. */
  async concludeIfDone(tx: Tx, bundleId: string): Promise<void> {
    const row = await this.store.get(tx, bundleId);
    if (!row || row.stage !== 'submitted') return;
    const apps = await this.apps.store.byBundle(tx, bundleId);
    const stage = bundleStage(row, apps);
    if (stage !== 'completed' && stage !== 'concluded') return;
    const b = this.catalogue.get(row.bundle_code);
    const approved = apps.filter((a) => a.stage === 'approved').length;
    await this.ctx.services.notify.send(tx, {
      recipientId: row.applicant_id,
      topic: 'application',
      title: `“一件事”已办结：${b.nameZh}`,
      body: stage === 'completed' ? `您的“一件事”申请 ${bundleId} 的 ${apps.length} 个事项已全部办结，办理结果已存入您的证照和结果中。` : `您的“一件事”申请 ${bundleId} 已全部办结：${approved} 个事项准予，${apps.length - approved} 个未准予，详情请查看。`,
      link: `/portal/bundles/applications/${bundleId}`,
      subject: { type: 'bundle_application', id: bundleId },
      dedupeKey: `bundle:${bundleId}:concluded`,
    });
  }
}

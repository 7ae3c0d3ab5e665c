import { createHash } from 'node:crypto';
import type { Principal } from '../../platform/access.ts';
import { chinaCalendar, shanghaiDate } from '../../platform/calendar/working-calendar.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/database.ts';
import { fromJson } from '../../platform/db/dialect.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { ItemDetail } from '../catalogue/catalogue.schema.ts';
import type { AppEventRow, ApplicationRow, Attached } from './application.schema.ts';
import type { ApplicationStore } from './application.store.ts';
import { AutoFill } from './autofill.ts';
import { DISTRICT_FIELD, FormCatalogue, type ItemForm, type Step } from './forms.ts';
import { FINAL, PRECHECK_DAYS, STAGE_ZH, YELLOW_AT, allowed, allowedFrom, type AppAction, type AppStage } from './workflow.ts';

/** The source of a material that is the online form itself. */
export const ONLINE_FORM = 'form';

/** Who acted: an account, or the system (the sweep, a bundle). */
export interface Actor {
  id: string | null;
  name: string | null;
}
export const actorOf = (p: Principal): Actor => ({ id: p.accountId, name: p.displayName });

/** A material of an item, with the key files are attached under. */
export interface ItemMaterial {
  key: string;
  nameZh: string;
  nameEn: string;
  form: string;
  source: string;
  sourceName: string | null;
  sourceNameEn: string | null;
  required: boolean;
}

/**
 * The key of a material: its id in the catalogue where it has one (the same document shared by
 * several items has the same id), else one made from its name, so an unchanged name keeps its key.
 */
export function materialKey(m: { id?: string; nameZh: string }): string {
  return m.id ?? `m-${createHash('sha256').update(m.nameZh).digest('hex').slice(0, 10)}`;
}

/** One move of an application, as a service asks for it. */
export interface Move {
  action: AppAction | 'escalate' | 'draft' | 'amend';
  actor: Actor;
  patch?: Partial<ApplicationRow>;
  note?: string | null;
  detail?: Record<string, unknown> | null;
  /** Do not message the applicant (a bundle sends one message for all its items). */
  quiet?: boolean;
}

/** What the applicant is told at a step. */
const TOLD: Partial<Record<AppAction, (r: ApplicationRow, item: string, note: string) => { title: string; body: string }>> = {
  submit: (r, item) => ({ title: `申请已提交：${item}`, body: `您的申请（办件号 ${r.id}）已提交，部门将在 ${PRECHECK_DAYS} 个工作日内完成预审。` }),
  accept: (r, item) => ({ title: `申请已受理：${item}`, body: `办件 ${r.id} 已受理，进入审查。` }),
  correct: (r, item, note) => ({ title: `请补正材料：${item}`, body: `办件 ${r.id} 需要补正：${note}。补正期间办理时限暂停计算，请在“我的办件”中补正后重新提交。` }),
  reject: (r, item, note) => ({ title: `申请不予受理：${item}`, body: `办件 ${r.id} 不予受理：${note}` }),
  pass: (r, item, note) => ({ title: `审查进展：${item}`, body: `办件 ${r.id} 已完成“${note}”，进入下一审查环节。` }),
  approve: (r, item) => ({ title: `申请已办结（准予）：${item}`, body: `办件 ${r.id} 已准予办理，办理结果已存入您的证照和结果中。` }),
  deny: (r, item, note) => ({ title: `申请已办结（不予许可）：${item}`, body: `办件 ${r.id} 不予许可：${note}` }),
  withdraw: (r, item) => ({ title: `申请已撤回：${item}`, body: `办件 ${r.id} 已按您的要求撤回。` }),
};

/**
 * The writes of applications: drafting, routing to the department, and moving an application
 * through its life — each move one transaction with its timeline entry, audit entry, outbox event
 * and the applicant's message. Who may do what is checked in ApplicationActions.
 */
export class ApplicationService {
  readonly calendar = chinaCalendar();
  readonly forms = new FormCatalogue();
  /** Names of departments met, for views built without another query (inside transactions too). */
  private readonly departmentNames = new Map<string, { zh: string; en: string }>();
  /** Checks other modules run before an approval; one that throws holds the decision back (bundles: an item waiting for another). */
  readonly approvalChecks: Array<(row: ApplicationRow) => Promise<void>> = [];
  /** The applicant's own data filled in from the base registries, and locked. */
  readonly autofill: AutoFill;

  constructor(
    private readonly ctx: AppContext,
    readonly store: ApplicationStore,
  ) {
    this.autofill = new AutoFill(ctx, this.forms);
  }

  item(code: string, field = 'itemCode'): ItemDetail {
    try {
      return this.ctx.services.catalogue.get(code);
    } catch {
      throw invalid(field, `${JSON.stringify(code.slice(0, 40))} is not a service item (see GET /api/services/items)`);
    }
  }

  formOf(item: ItemDetail): ItemForm {
    return this.forms.form({ code: item.code, applicants: item.applicants, kind: item.kind, inspections: item.inspections });
  }

  /**
   * The item's materials with their keys. The item's own application form (申请书, a key ending in
   * `-form`) is what the applicant fills in online here, so it is not uploaded: its source is `form`.
   */
  materialsOf(item: ItemDetail): ItemMaterial[] {
    return item.materials.map((m) => {
      const key = materialKey(m);
      const online = key.endsWith('-form') && m.source === 'applicant';
      return { key, nameZh: m.nameZh, nameEn: m.nameEn, form: m.form, source: online ? ONLINE_FORM : m.source, sourceName: online ? '在线填报，无需上传' : m.sourceName, sourceNameEn: online ? 'Filled in online, not uploaded' : m.sourceNameEn, required: m.required };
    });
  }

  /** Refuses an item the asker cannot apply for: a person for an enterprise-only item and back. */
  checkApplicant(p: Principal, item: { nameZh: string; applicants: string[] }, field = 'itemCode'): void {
    const kind = p.roles.includes('enterprise') ? 'enterprise' : 'person';
    if (!item.applicants.includes(kind)) throw invalid(field, `${item.nameZh} is for ${item.applicants.join(' or ')} applicants, and you apply as ${kind === 'person' ? 'a person' : 'an enterprise'}`);
  }

  /**
   * Checks the files attached to materials: known keys, files the applicant uploaded. Government-held
   * materials are not to be submitted, so files for them are refused too.
   */
  async checkAttached(p: Principal, materials: ItemMaterial[], attached: Attached | undefined, field = 'materials'): Promise<Attached> {
    if (!attached) return {};
    const byKey = new Map(materials.map((m) => [m.key, m]));
    const out: Attached = {};
    for (const [key, ids] of Object.entries(attached)) {
      const m = byKey.get(key);
      if (!m) throw invalid(`${field}.${key.slice(0, 60)}`, 'is not a material of this item');
      if (m.source === ONLINE_FORM) throw invalid(`${field}.${key}`, 'is the form filled in online and is not uploaded');
      if (m.source !== 'applicant') throw invalid(`${field}.${key}`, `is already held by ${m.sourceName ?? m.source} and is not to be submitted`);
      if (ids.length) out[key] = [...new Set(ids)];
    }
    const ids = [...new Set(Object.values(out).flat())];
    const files = new Map((await this.store.files(this.ctx.db, ids)).map((f) => [f.id, f]));
    for (const [key, list] of Object.entries(out)) {
      for (const id of list) {
        const f = files.get(id);
        if (!f) throw invalid(`${field}.${key}`, `${id.slice(0, 40)} is not an uploaded file (POST /api/services/files first)`);
        if (f.owner_id !== p.accountId) throw invalid(`${field}.${key}`, `${id.slice(0, 40)} was uploaded by someone else`);
      }
    }
    return out;
  }

  /**
   * A correction answers what was asked: form fields and materials outside the request are refused
   * (补正 is not a second application), so what the department already reviewed stays as it was.
   */
  checkAsked(ask: { fields: string[]; materials: string[] }, form: Record<string, unknown> | undefined, materials: Attached | undefined): void {
    const field = Object.keys(form ?? {}).find((f) => !ask.fields.includes(f));
    if (field) throw invalid(`form.${field.slice(0, 80)}`, `was not asked to be corrected (asked: ${ask.fields.join(', ') || 'no fields'})`);
    const key = Object.keys(materials ?? {}).find((k) => !ask.materials.includes(k));
    if (key) throw invalid(`materials.${key.slice(0, 60)}`, `was not asked to be corrected (asked: ${ask.materials.join(', ') || 'no materials'})`);
  }

  /** The correction asked of an application waiting for one. */
  askOf(row: ApplicationRow): { note: string; fields: string[]; materials: string[] } {
    const ask = fromJson<{ note: string; fields: string[]; materials: string[] } | null>(row.correction_materials);
    return { note: ask?.note ?? row.correction_note ?? '', fields: ask?.fields ?? [], materials: ask?.materials ?? [] };
  }

  /** Every required material the applicant must submit has a file; throws MATERIAL_MISSING naming them. */
  requireMaterials(materials: ItemMaterial[], attached: Attached, field = 'materials'): void {
    const missing = materials.filter((m) => m.required && m.source === 'applicant' && !(attached[m.key]?.length));
    if (missing.length) throw new AppError('MATERIAL_MISSING', `${field}: ${missing.map((m) => m.nameZh).join('、')} still to be uploaded`, `${field}.${missing[0]!.key}`, { missing: missing.map((m) => m.key) });
  }

  /** The district of the form and the office of the item's department there (else the municipal one). */
  async route(item: ItemDetail, form: Record<string, unknown>, field = `form.${DISTRICT_FIELD}`): Promise<{ jurisdictionCode: string; departmentCode: string }> {
    const district = String(form[DISTRICT_FIELD] ?? '');
    const place = district ? this.ctx.services.jurisdictions.get(district) : null;
    if (!place || place.level !== 'district') throw invalid(field, `${JSON.stringify(district.slice(0, 15))} is not a district of Shanghai`);
    const local = await this.ctx.services.departments.find(`${item.sector}.${district}`);
    const departmentCode = local?.code ?? item.sector;
    const d = local ?? (await this.ctx.services.departments.find(item.sector));
    this.departmentNames.set(departmentCode, { zh: d?.name ?? item.departmentName, en: d?.nameEn ?? item.departmentNameEn });
    return { jurisdictionCode: district, departmentCode };
  }

  departmentName(code: string | null, lang: 'zh' | 'en' = 'zh'): string | null {
    return code ? (this.departmentNames.get(code)?.[lang] ?? null) : null;
  }

  async rememberDepartment(code: string | null): Promise<void> {
    if (!code || this.departmentNames.has(code)) return;
    const d = await this.ctx.services.departments.find(code);
    if (d) this.departmentNames.set(code, { zh: d.name, en: d.nameEn });
  }

  /** A new application number: SQ + Shanghai date + six digits. */
  async newId(tx: Tx): Promise<string> {
    const day = shanghaiDate(this.ctx.clock.now()).replaceAll('-', '');
    return `SQ${day}${String(await this.store.nextNumber(tx, day)).padStart(6, '0')}`;
  }

  /** A new draft row (not written). */
  draftRow(id: string, p: Pick<Principal, 'accountId' | 'displayName'>, item: ItemDetail, form: Record<string, unknown>, attached: Attached, bundleId: string | null = null): ApplicationRow {
    const now = this.ctx.clock.now();
    return {
      id,
      item_code: item.code,
      bundle_id: bundleId,
      applicant_id: p.accountId,
      applicant_name: p.displayName,
      jurisdiction_code: null,
      department_code: null,
      stage: 'draft',
      step: 0,
      steps: this.formOf(item).steps,
      form,
      materials: attached,
      submitted_at: null,
      accepted_at: null,
      stage_started_at: now,
      yellow_at: null,
      due_at: null,
      legal_due_at: null,
      remaining_ms: null,
      legal_remaining_ms: null,
      yellow_gap_ms: null,
      paused_ms: 0,
      correction_from: null,
      correction_note: null,
      correction_materials: null,
      outcome: null,
      reasons: null,
      result_id: null,
      level: 0,
      late: false,
      decided_at: null,
      closed_at: null,
      created_at: now,
      updated_at: now,
      version: 1,
    };
  }

  /** The clock of a stage entered now: pre-check's own limit, or the item's promised and legal limits. */
  clockFor(stage: AppStage, item: ItemDetail, now: number): Pick<ApplicationRow, 'due_at' | 'yellow_at' | 'legal_due_at' | 'yellow_gap_ms'> {
    const cal = this.calendar;
    const days = stage === 'submitted' ? PRECHECK_DAYS : Math.max(1, item.promisedDays);
    const due = cal.due(now, { amount: days, unit: 'work_days' });
    const yellow = cal.pointAt(now, due, 'work_days', YELLOW_AT);
    const legal = stage === 'submitted' ? null : cal.due(now, { amount: Math.max(1, item.legalDays), unit: 'work_days' });
    return { due_at: due, yellow_at: yellow, legal_due_at: legal, yellow_gap_ms: cal.workingMsBetween(yellow, due) };
  }

  /** Loads an application for a write, or APPLICATION_NOT_FOUND. */
  async load(id: string): Promise<ApplicationRow> {
    const row = /^SQ\d{14}$/.test(id) ? await this.store.get(this.ctx.db, id) : undefined;
    if (!row) throw new AppError('APPLICATION_NOT_FOUND', `No application ${id.slice(0, 20)}`);
    return row;
  }

  /** Throws APPLICATION_TRANSITION_INVALID unless `action` may be taken now. */
  assertAllowed(row: ApplicationRow, action: AppAction): void {
    if (allowed(row.stage as AppStage, action)) return;
    const final = FINAL.has(row.stage as AppStage);
    throw new AppError('APPLICATION_TRANSITION_INVALID', `Application ${row.id} is ${STAGE_ZH[row.stage as AppStage] ?? row.stage} (${row.stage})${final ? ', already decided or closed' : ''}; ${action} is possible only when ${allowedFrom(action).join(' or ')}`, undefined, { stage: row.stage });
  }

  /**
   * Moves an application one step: the row (checked against the version read), its timeline entry,
   * the audit entry, the event, and the applicant's message. Throws CONFLICT when someone else moved it first.
   */
  async move(tx: Tx, row: ApplicationRow, m: Move, itemName: string): Promise<ApplicationRow> {
    const now = this.ctx.clock.now();
    const next: ApplicationRow = { ...row, ...(m.patch ?? {}), updated_at: now, version: row.version + 1 };
    if (next.stage !== row.stage) {
      next.stage_started_at = now;
      // Acceptance starts a new clock, which may be escalated when it runs out; a resumed clock is
      // the same clock, escalated at most once.
      if (m.action === 'accept') next.level = 0;
    }
    if (!(await this.store.update(tx, next, row.version))) throw new AppError('CONFLICT', `Application ${row.id} was changed meanwhile; read it again`);
    await this.store.insertEvents(tx, [this.eventRow(next, m, row.stage)]);
    await this.ctx.audit.record(tx, { actorId: m.actor.id, actorKind: m.actor.id ? undefined : 'system', action: `services.application.${m.action}`, subjectType: 'application', subjectId: row.id, jurisdictionCode: next.jurisdiction_code ?? undefined, detail: { from: row.stage, to: next.stage, item: row.item_code, ...(m.detail ?? {}) } });
    await this.ctx.outbox.add(tx, 'services.application.moved', { v: 1, applicationId: row.id, bundleId: row.bundle_id, itemCode: row.item_code, action: m.action, fromStage: row.stage, toStage: next.stage, departmentCode: next.department_code, applicantId: row.applicant_id, at: now });
    if (m.action !== 'escalate' && m.action !== 'draft' && m.action !== 'amend' && !m.quiet) await this.tell(tx, next, m.action, itemName, m.note ?? '');
    return next;
  }

  eventRow(row: ApplicationRow, m: Move, from: string | null): AppEventRow {
    return { application_id: row.id, at: this.ctx.clock.now(), actor_id: m.actor.id, actor_name: m.actor.name, action: m.action, from_stage: from, to_stage: row.stage, note: m.note ?? null, detail: m.detail ?? null };
  }

  /** Tells the applicant. In a bundle the message leads to the bundle's one progress view. */
  async tell(tx: Tx, row: ApplicationRow, action: AppAction, itemName: string, note: string): Promise<void> {
    const say = TOLD[action];
    if (!say) return;
    const { title, body } = say(row, itemName, note);
    const link = row.bundle_id ? `/portal/bundles/applications/${row.bundle_id}` : `/portal/applications/${row.id}`;
    await this.ctx.services.notify.send(tx, { recipientId: row.applicant_id, topic: 'application', title, body, link, subject: { type: 'application', id: row.id }, dedupeKey: `application:${row.id}:${action}:${row.version}` });
  }

  stepsOf(row: ApplicationRow): Step[] {
    return fromJson<Step[]>(row.steps) ?? [];
  }

  attachedOf(row: ApplicationRow): Attached {
    return fromJson<Attached>(row.materials) ?? {};
  }

  formData(row: ApplicationRow): Record<string, unknown> {
    return fromJson<Record<string, unknown>>(row.form) ?? {};
  }
}

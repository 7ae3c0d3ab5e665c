import type { AppContext } from '../../platform/context.ts';
import { authorize, UNSCOPED, type Principal } from '../../platform/access.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { ReportRow, RegistryStore } from './registry.store.ts';

/**
 * The fields a resident or company may report as wrong, and the department that keeps each: the
 * report goes to the source, which corrects its own records (nobody edits registry data here).
 */
export const REPORTABLE: Record<'person' | 'entity', Record<string, { zh: string; en: string; department: string }>> = {
  person: {
    name: { zh: '姓名', en: 'Name', department: 'ga' },
    sex: { zh: '性别', en: 'Sex', department: 'ga' },
    birthDate: { zh: '出生日期', en: 'Date of birth', department: 'ga' },
    ethnicity: { zh: '民族', en: 'Ethnicity', department: 'ga' },
    phone: { zh: '联系电话', en: 'Phone', department: 'ga' },
    hukouAddress: { zh: '户籍地址', en: 'Household registration address', department: 'ga' },
    residenceAddress: { zh: '居住地址', en: 'Residence address', department: 'ga' },
    education: { zh: '文化程度', en: 'Education', department: 'ga' },
    maritalStatus: { zh: '婚姻状况', en: 'Marital status', department: 'mz' },
  },
  entity: {
    name: { zh: '名称', en: 'Name', department: 'scjg' },
    type: { zh: '类型', en: 'Type', department: 'scjg' },
    legalRepresentative: { zh: '法定代表人', en: 'Legal representative', department: 'scjg' },
    registeredCapital: { zh: '注册资本', en: 'Registered capital', department: 'scjg' },
    address: { zh: '住所', en: 'Registered address', department: 'scjg' },
    businessScope: { zh: '经营范围', en: 'Business scope', department: 'scjg' },
    status: { zh: '登记状态', en: 'Status', department: 'scjg' },
  },
};

export interface ReportView {
  id: string;
  subjectKind: string;
  field: string;
  fieldZh: string;
  fieldEn: string;
  proposed: string;
  reason: string;
  departmentCode: string;
  departmentName: string;
  status: string;
  reply: string | null;
  createdAt: number;
  resolvedAt: number | null;
}

/** 数据纠错: reports of wrong registry data, sent to the department that keeps it, and its answers. */
export class RegistryReports {
  constructor(
    private readonly ctx: AppContext,
    private readonly store: RegistryStore,
    private readonly subjectOf: (accountId: string) => Promise<{ kind: 'person' | 'entity'; id: string } | null>,
  ) {}

  private async view(r: ReportRow): Promise<ReportView> {
    const f = REPORTABLE[r.subject_kind as 'person' | 'entity']?.[r.field];
    const d = await this.ctx.services.departments.find(r.department_code);
    return {
      id: r.id, subjectKind: r.subject_kind, field: r.field, fieldZh: f?.zh ?? r.field, fieldEn: f?.en ?? r.field, proposed: r.proposed, reason: r.reason,
      departmentCode: r.department_code, departmentName: d?.name ?? r.department_code, status: r.status, reply: r.reply, createdAt: Number(r.created_at),
      resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at),
    };
  }

  /** A resident or company reports one field of their own record as wrong. */
  async report(p: Principal | null, b: { field: string; proposed: string; reason: string }): Promise<ReportView> {
    authorize(p, 'registries.read_own', { ownerId: p?.accountId ?? null });
    const subject = await this.subjectOf(p.accountId);
    if (!subject) throw new AppError('SUBJECT_NOT_BOUND');
    const def = REPORTABLE[subject.kind][b.field];
    if (!def) throw invalid('field', `must be one of ${Object.keys(REPORTABLE[subject.kind]).join(', ')}`);
    const now = this.ctx.clock.now();
    const row: ReportRow = {
      id: `JC${this.ctx.random.uuid().replace(/-/g, '').slice(0, 14).toUpperCase()}`, account_id: p.accountId, subject_kind: subject.kind, subject_id: subject.id,
      field: b.field, proposed: b.proposed, reason: b.reason, department_code: def.department, status: 'open', reply: null, resolved_by: null, resolved_at: null, created_at: now,
    };
    await this.ctx.transaction(async (tx) => {
      await this.store.insertReport(tx, row);
      await this.ctx.audit.record(tx, { actorId: p.accountId, action: 'registries.report.created', subjectType: 'registries_report', subjectId: row.id, detail: { field: b.field, department: def.department } });
      await this.ctx.outbox.add(tx, 'registries.report.created', { v: 1, reportId: row.id, departmentCode: def.department, field: b.field });
    });
    return this.view(row);
  }

  /** The reporter's own reports, newest first. */
  async mine(p: Principal | null): Promise<ReportView[]> {
    authorize(p, 'registries.read_own', { ownerId: p?.accountId ?? null });
    return Promise.all((await this.store.reportsOf(this.ctx.db, p.accountId)).map((r) => this.view(r)));
  }

  /** Reports sent to the principal's department (its sector: a district branch sees its bureau's). */
  async forDepartment(p: Principal | null, status?: string): Promise<ReportView[]> {
    authorize(p, 'registries.report.handle', UNSCOPED);
    const sector = p.departmentCode?.split('.')[0];
    if (!sector) return [];
    return Promise.all((await this.store.reportsFor(this.ctx.db, sector, status)).map((r) => this.view(r)));
  }

  /** The source department answers: corrected (in its own records) or rejected, with a reply the reporter reads. */
  async resolve(p: Principal | null, id: string, b: { status: 'corrected' | 'rejected'; reply: string }): Promise<ReportView> {
    authorize(p, 'registries.report.handle', UNSCOPED);
    const row = await this.store.report(this.ctx.db, id);
    if (!row || row.department_code !== p.departmentCode?.split('.')[0]) throw new AppError('NOT_FOUND', `No report ${id} for your department`);
    if (row.status !== 'open') throw new AppError('CONFLICT', `Report ${id} is already ${row.status}`);
    const next: ReportRow = { ...row, status: b.status, reply: b.reply, resolved_by: p.accountId, resolved_at: this.ctx.clock.now() };
    const def = REPORTABLE[row.subject_kind as 'person' | 'entity']?.[row.field];
    await this.ctx.transaction(async (tx) => {
      if (!(await this.store.resolveReport(tx, next))) throw new AppError('CONFLICT', `Report ${id} was answered meanwhile`);
      await this.ctx.audit.record(tx, { actorId: p.accountId, action: `registries.report.${b.status}`, subjectType: 'registries_report', subjectId: id, detail: { field: row.field } });
      await this.ctx.services.notify.send(tx, {
        recipientId: row.account_id, topic: 'system', link: '/portal/my-data', subject: { type: 'registries_report', id },
        title: b.status === 'corrected' ? `数据纠错已处理：${def?.zh ?? row.field}` : `数据纠错未予更正：${def?.zh ?? row.field}`, body: b.reply,
      });
    });
    return this.view(next);
  }
}

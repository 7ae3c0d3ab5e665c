import { authorize, UNSCOPED, type Principal } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import type { CaseService } from './case.service.ts';

export interface DispatchRuleView {
  categoryCode: string;
  jurisdictionCode: string;
  departmentCode: string;
  team: string | null;
  updatedAt: number;
}

/** The dispatch table (category, jurisdiction) → department and team: operators read theirs, administrators keep it. */
export class DispatchTable {
  constructor(
    private readonly ctx: AppContext,
    private readonly cases: CaseService,
  ) {}

  async list(p: Principal | null): Promise<{ items: DispatchRuleView[] }> {
    authorize(p, 'case.read', UNSCOPED);
    const prefix = p.scopeCode === '310000' || !p.scopeCode ? '' : p.scopeCode;
    const rows = await this.cases.store.allDispatchRules(this.ctx.db, prefix);
    return { items: rows.map((r) => ({ categoryCode: r.category_code, jurisdictionCode: r.jurisdiction_code, departmentCode: r.department_code, team: r.team, updatedAt: Number(r.updated_at) })) };
  }

  async put(p: Principal | null, body: { categoryCode: string; jurisdictionCode: string; departmentCode: string; team?: string }): Promise<DispatchRuleView> {
    authorize(p, 'case.rules.manage', UNSCOPED);
    const category = this.cases.category(body.categoryCode);
    if (!this.ctx.services.jurisdictions.get(body.jurisdictionCode)) throw invalid('jurisdictionCode', `${body.jurisdictionCode} is not a jurisdiction`);
    authorize(p, 'case.rules.manage', { jurisdictionCode: body.jurisdictionCode });
    if (!(await this.cases.department(body.departmentCode))) throw invalid('departmentCode', `${body.departmentCode} is not a department`);
    const now = this.ctx.clock.now();
    const row = { category_code: category.code, jurisdiction_code: body.jurisdictionCode, department_code: body.departmentCode, team: body.team?.trim() || null, updated_by: p.accountId, updated_at: now };
    await this.ctx.transaction(async (tx) => {
      await this.cases.store.putDispatchRule(tx, row);
      await this.ctx.audit.record(tx, { actorId: p.accountId, action: 'cases.dispatch_rule.set', subjectType: 'dispatch_rule', subjectId: `${category.code}@${body.jurisdictionCode}`, jurisdictionCode: body.jurisdictionCode, detail: { department: body.departmentCode, team: row.team } });
    });
    return { categoryCode: row.category_code, jurisdictionCode: row.jurisdiction_code, departmentCode: row.department_code, team: row.team, updatedAt: now };
  }

  async remove(p: Principal | null, categoryCode: string, jurisdictionCode: string): Promise<void> {
    authorize(p, 'case.rules.manage', UNSCOPED);
    authorize(p, 'case.rules.manage', { jurisdictionCode });
    await this.ctx.transaction(async (tx) => {
      if (!(await this.cases.store.deleteDispatchRule(tx, categoryCode, jurisdictionCode))) throw new AppError('NOT_FOUND', `No dispatch rule for ${categoryCode} at ${jurisdictionCode}`);
      await this.ctx.audit.record(tx, { actorId: p.accountId, action: 'cases.dispatch_rule.deleted', subjectType: 'dispatch_rule', subjectId: `${categoryCode}@${jurisdictionCode}`, jurisdictionCode });
    });
  }
}

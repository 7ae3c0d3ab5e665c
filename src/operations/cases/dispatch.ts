import { scopeChain } from '../../platform/access.ts';
import type { Executor } from '../../platform/db/database.ts';
import type { Category } from './categories.ts';
import type { CaseStore } from './case.store.ts';

/** Where a case goes: a department (and team), and why — a dispatch-table row, the record's keeper, or the category. */
export interface Proposal {
  departmentCode: string;
  team: string | null;
  /** `table:310115005` (the row that matched), `keeper` (the component's or device's department) or `category`. */
  rule: string;
}

/** Knows which departments exist (reference data: departments change with reorganisations, not daily). */
export type DepartmentExists = (code: string) => Promise<boolean>;

/**
 * Dispatch by category and place (派遣): the most specific row of the dispatch table for the case's
 * jurisdiction wins; without one, a record's keeper (the maintainer of a damaged component, the
 * owner of a failing sensor) when given; else the category's sector at its level — the street
 * office, the district bureau or the city — taking the nearest level above that exists.
 */
export class Dispatcher {
  constructor(
    private readonly store: CaseStore,
    private readonly exists: DepartmentExists,
  ) {}

  async propose(db: Executor, category: Category, jurisdictionCode: string, keeper?: string | null): Promise<Proposal | null> {
    const chain = scopeChain(jurisdictionCode);
    const rows = await this.store.dispatchRules(db, category.code, chain);
    if (rows.length) {
      const best = rows.sort((a, b) => b.jurisdiction_code.length - a.jurisdiction_code.length)[0]!;
      return { departmentCode: best.department_code, team: best.team ?? category.team, rule: `table:${best.jurisdiction_code}` };
    }
    if (keeper && (await this.exists(keeper))) return { departmentCode: keeper, team: category.team, rule: 'keeper' };
    const street = jurisdictionCode.slice(0, 9);
    const district = jurisdictionCode.slice(0, 6);
    const candidates = category.level === 'street' ? [`${category.sector}.${street}`, `${category.sector}.${district}`, category.sector] : category.level === 'district' ? [`${category.sector}.${district}`, category.sector] : [category.sector];
    for (const code of candidates) if (await this.exists(code)) return { departmentCode: code, team: category.team, rule: 'category' };
    return null;
  }
}

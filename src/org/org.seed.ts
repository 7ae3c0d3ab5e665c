import type { AppContext } from '../platform/context.ts';
import type { SeedOptions } from '../platform/module.ts';
import type { AccountService } from './account.service.ts';
import type { AccountStore } from './account.store.ts';
import { buildDepartments, CITY_CODE, type DistrictWithStreets } from './department.catalogue.ts';
import type { DepartmentStore } from './department.store.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo-accounts.ts';
import type { JurisdictionLookup } from './jurisdiction-lookup.ts';
import { hashPassword } from './password.ts';

/** The districts of Shanghai with their ordinary streets and towns, from the jurisdiction tree. */
export async function loadDistricts(jurisdictions: JurisdictionLookup): Promise<DistrictWithStreets[]> {
  const districts = (await jurisdictions.children(CITY_CODE)).filter((n) => n.level === 'district');
  const out: DistrictWithStreets[] = [];
  for (const d of districts) {
    const streets = (await jurisdictions.children(d.code)).filter((n) => n.level === 'street' && !n.special);
    out.push({ code: d.code, name: d.name, nameEn: d.nameEn, streets: streets.map((s) => ({ code: s.code, name: s.name, nameEn: s.nameEn })) });
  }
  return out;
}

export interface OrgSeedDeps {
  jurisdictions: JurisdictionLookup;
  departments: DepartmentStore;
  accountStore: AccountStore;
  accounts: AccountService;
}

/**
 * Loads the departments and, for the demo city, the demo accounts. Idempotent: what exists is left
 * as it is (a demo account whose password was changed keeps the new one).
 */
export async function seedOrg(ctx: AppContext, deps: OrgSeedDeps, opts: SeedOptions): Promise<void> {
  const districts = await loadDistricts(deps.jurisdictions);
  // Departments are built from the live tree; the jurisdictions module seeds it, before org.
  if (districts.length === 0) {
    throw new Error('org seed: the jurisdiction tree has no districts under 310000; seed the jurisdictions module first (it comes before org in src/modules.ts)');
  }
  const departments = buildDepartments(districts);
  opts.progress('departments', 0, departments.length);
  const added = await ctx.transaction((tx) => deps.departments.insertMissing(tx, departments, (n) => opts.progress('departments', n, departments.length)));
  if (added > 0) ctx.log.info({ added }, 'org: departments seeded');
  if (!opts.demo) return;

  const existing = new Set((await deps.accountStore.getManyByUsername(ctx.db, DEMO_ACCOUNTS.map((a) => a.username))).map((a) => a.username));
  const missing = DEMO_ACCOUNTS.filter((a) => !existing.has(a.username));
  let done = 0;
  opts.progress('demo accounts', 0, missing.length);
  for (const a of missing) {
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await ctx.transaction((tx) =>
      deps.accounts.insert(
        tx,
        { username: a.username, displayName: a.displayName, kind: a.kind, roles: a.roles, passwordHash, departmentCode: a.departmentCode, scopeCode: a.scopeCode },
        null,
      ),
    );
    opts.progress('demo accounts', ++done, missing.length);
  }
}

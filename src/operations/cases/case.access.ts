import { hasPermission, isOfficial, scopePrefix, type Principal } from '../../platform/access.ts';
import type { CaseRow } from './case.schema.ts';
import type { CaseFilter } from './case.store.ts';

/**
 * Who sees which cases. Operations centres (and systems) see every case in their scope; department
 * staff the cases their department (or a branch below it) leads or supports; grid workers their
 * grid and whatever is assigned to them; citizens and companies their own reports — and anyone the
 * public fields of a case (nearby reports, Open311).
 */
export function caseFilter(p: Principal): CaseFilter | null {
  if (!isOfficial(p)) return { kind: 'reporter', accountId: p.accountId };
  if (!p.scopeCode) return null;
  const prefix = scopePrefix(p.scopeCode);
  if (p.roles.some((r) => r === 'operator' || r === 'admin' || r === 'system')) return { kind: 'scope', prefix };
  if (p.roles.includes('staff')) return p.departmentCode ? { kind: 'department', prefix, department: p.departmentCode } : null;
  if (p.roles.includes('grid_worker')) return { kind: 'worker', prefix, accountId: p.accountId };
  return null;
}

/**
 * The code prefix of a department's branches: the city bureau `cgzf` has `cgzf.…`, the district
 * bureau `cgzf.310115` has its street squadrons `cgzf.310115005`, …
 */
export function branchPrefix(dept: string): string {
  return dept.includes('.') ? dept : `${dept}.`;
}

/** True when `dept` is `lead` or a department above it (`cgzf.310115` above `cgzf.310115005`). */
export function departmentCovers(dept: string, lead: string): boolean {
  return lead === dept || lead.startsWith(branchPrefix(dept));
}

/** Whether the filter reaches this case (its departments given for department staff). */
export function filterReaches(f: CaseFilter, row: CaseRow, departments: string[]): boolean {
  switch (f.kind) {
    case 'scope':
      return row.jurisdiction_code.startsWith(f.prefix);
    case 'department':
      return row.jurisdiction_code.startsWith(f.prefix) && departments.some((d) => departmentCovers(f.department, d));
    case 'worker':
      return row.jurisdiction_code.startsWith(f.prefix) || row.assignee_id === f.accountId;
    case 'reporter':
      return false;
  }
}

/**
 * Hotline callers spoke to the operations centre in confidence: the centre sees them; the lead
 * department and the assignee, who may need to call back, a masked phone and a surname; nobody else.
 */
export function maskCaller(caller: { name: string; phone: string } | null, p: Principal, row: CaseRow, parties: Array<{ department_code: string; role: string }>): { name: string; phone: string } | null {
  if (!caller) return null;
  if (hasPermission(p, 'case.dispatch') && p.scopeCode && row.jurisdiction_code.startsWith(scopePrefix(p.scopeCode))) return caller;
  const lead = parties.find((x) => x.role === 'lead')?.department_code;
  const handles = row.assignee_id === p.accountId || (p.roles.includes('staff') && p.departmentCode !== null && lead !== undefined && departmentCovers(p.departmentCode, lead));
  if (!handles) return null;
  const phone = caller.phone.length >= 7 ? `${caller.phone.slice(0, 3)}****${caller.phone.slice(-4)}` : '****';
  return { name: `${[...caller.name][0] ?? ''}**`, phone };
}

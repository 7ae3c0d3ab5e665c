import { AppError } from './errors.ts';

/**
 * Who is asking, and the one authorisation helper that decides every read and write by role AND
 * jurisdiction scope (and, for citizens and companies, by ownership).
 */
export type Role =
  | 'citizen' // 市民
  | 'enterprise' // 企业用户
  | 'staff' // 部门工作人员
  | 'grid_worker' // 网格员
  | 'operator' // 运行中心值班员
  | 'admin' // 管理员
  | 'system'; // another system or a device, through an API token

export const ROLES: readonly Role[] = ['citizen', 'enterprise', 'staff', 'grid_worker', 'operator', 'admin', 'system'];

export interface Principal {
  accountId: string;
  username: string;
  displayName: string;
  roles: Role[];
  /** Department code for staff; null for the public. */
  departmentCode: string | null;
  /** Jurisdiction the account may act in (city, district, street, …); null for the public. */
  scopeCode: string | null;
  via: 'session' | 'token';
  /** With a token: its name, i.e. which system is calling (a department's case system, a gateway). */
  system?: string;
}

/** Actions a role may take, before scope. Modules add theirs here as they arrive. */
export type Permission =
  | 'jurisdiction.read'
  | 'department.read'
  | 'account.read_self'
  | 'account.read'
  | 'account.manage'
  | 'token.manage_own'
  | 'audit.read'
  | 'notify.read_own'
  | 'notify.send'
  | 'component.read'
  | 'component.write'
  | 'component.status'
  | 'component.delete'
  | 'component.import'
  | 'component.type.manage'
  | 'device.read'
  | 'device.manage'
  | 'telemetry.ingest'
  | 'telemetry.deadletter.read'
  | 'rule.manage'
  | 'alert.acknowledge'
  | 'case.report'
  | 'case.read'
  | 'case.dispatch'
  | 'case.handle'
  | 'case.verify'
  | 'case.supervise'
  | 'case.rules.manage'
  | 'application.apply'
  | 'application.read'
  | 'application.process'
  | 'services.figures.read'
  | 'registries.read_own'
  | 'registries.report.handle'
  | 'exchange.catalogue.read'
  | 'exchange.resource.publish'
  | 'exchange.request'
  | 'exchange.grant'
  | 'exchange.call'
  | 'exchange.log.read'
  | 'exchange.log.verify'
  | 'exchange.read_own'
  | 'wallet.hold'
  | 'wallet.status.manage'
  | 'wallet.keys.manage'
  | 'certificates.request';

const PUBLIC: Permission[] = ['jurisdiction.read', 'department.read', 'account.read_self', 'notify.read_own', 'case.report'];
// People and companies apply for services; department staff process their department's applications.
const APPLICANT: Permission[] = ['application.apply', 'registries.read_own', 'exchange.read_own', 'wallet.hold', 'certificates.request'];
// Departments share data: their staff read the catalogue and call under their department's grants.
const EXCHANGE_USER: Permission[] = ['exchange.catalogue.read', 'exchange.call'];
// A department's data officers publish resources, ask for access and decide requests for their own resources.
const EXCHANGE_OFFICER: Permission[] = ['exchange.resource.publish', 'exchange.request', 'exchange.grant', 'exchange.log.read', 'registries.report.handle', 'wallet.status.manage'];
const SERVICE_DESK: Permission[] = ['application.read', 'application.process', 'services.figures.read'];
const STAFF: Permission[] = [...PUBLIC, 'account.read', 'notify.send', 'token.manage_own', 'component.read', 'component.status', 'device.read', 'case.read', 'case.handle'];
// Operations centres take reports in, file and dispatch them, and supervise overdue ones; grid
// workers verify what others handled.
const CASE_DISPATCHER: Permission[] = ['case.dispatch', 'case.supervise'];
// Department staff keep their components' records; grid workers report a component's state.
const COMPONENT_KEEPER: Permission[] = ['component.write'];
const COMPONENT_MANAGER: Permission[] = ['component.write', 'component.delete', 'component.import'];
// Operations centres register devices, hand out their credentials and read what ingestion refused.
const DEVICE_MANAGER: Permission[] = ['device.manage', 'telemetry.deadletter.read', 'rule.manage', 'alert.acknowledge'];

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  citizen: new Set([...PUBLIC, ...APPLICANT]),
  enterprise: new Set([...PUBLIC, ...APPLICANT]),
  // Department staff share data; grid workers and operation centres' duty staff do not.
  staff: new Set([...STAFF, ...COMPONENT_KEEPER, ...SERVICE_DESK, ...EXCHANGE_USER, ...EXCHANGE_OFFICER]),
  grid_worker: new Set([...STAFF, 'case.verify']),
  operator: new Set([...STAFF, ...COMPONENT_MANAGER, ...DEVICE_MANAGER, ...CASE_DISPATCHER, 'audit.read', 'services.figures.read']),
  // Administrators oversee applications in their scope (read) but decide none: that is a department's act.
  admin: new Set([...STAFF, ...COMPONENT_MANAGER, ...DEVICE_MANAGER, ...CASE_DISPATCHER, 'case.rules.manage', 'account.manage', 'audit.read', 'component.type.manage', 'application.read', 'services.figures.read', ...EXCHANGE_USER, ...EXCHANGE_OFFICER, 'exchange.log.verify', 'wallet.keys.manage']),
  // A gateway or an AI system posts readings with an API token of a system account.
  system: new Set(['jurisdiction.read', 'department.read', 'notify.send', 'account.read_self', 'token.manage_own', 'component.read', 'component.write', 'component.status', 'component.import', 'device.read', 'telemetry.ingest', 'case.report', 'case.read', ...EXCHANGE_USER]),
};

/** Roles that act for the government inside a jurisdiction scope. */
const SCOPED: ReadonlySet<Role> = new Set(['staff', 'grid_worker', 'operator', 'admin', 'system']);

/** True for accounts that act for the government (their reach is their scope, not ownership). */
export function isOfficial(p: Principal): boolean {
  return p.roles.some((r) => SCOPED.has(r));
}

/**
 * The prefix a jurisdiction code gives its descendants. Codes are hierarchical: 310000 (city) →
 * 310115 (district) → 310115004 (street) → 310115004001 (committee) → 310115004001003 (grid cell).
 * The city code's own zeros are padding, so its prefix is the province part `31`.
 */
export function scopePrefix(code: string): string {
  if (/^\d{2}0000$/.test(code)) return code.slice(0, 2);
  return code;
}

/**
 * The ancestors-or-self codes of a jurisdiction, most specific first (who is responsible for a
 * place, which dispatch rule applies): 310115005001 → 310115005001, 310115005, 310115, 310000.
 */
export function scopeChain(code: string): string[] {
  const out = [code];
  for (const len of [12, 9, 6]) if (code.length > len) out.push(code.slice(0, len));
  const city = code.slice(0, 2) + '0000';
  if (!out.includes(city)) out.push(city);
  return out;
}

/** True when `target` is `scope` itself or lies inside it. */
export function withinScope(scope: string, target: string): boolean {
  return target.startsWith(scopePrefix(scope));
}

/**
 * Powers an API token never carries, whatever its account's roles: a token sits in a device or a
 * script, and a leaked one must not be able to create, disable or re-role accounts.
 */
const SESSION_ONLY: ReadonlySet<Permission> = new Set(['account.manage']);

export function hasPermission(p: Principal, perm: Permission): boolean {
  if (p.via === 'token' && SESSION_ONLY.has(perm)) return false;
  return p.roles.some((r) => GRANTS[r]?.has(perm));
}

/** What a record says about where it belongs and whose it is. Give at least one of the two. */
export interface Target {
  jurisdictionCode?: string | null;
  /** Account that owns a personal record (an application, a message). */
  ownerId?: string | null;
}

/**
 * Says "this action is not about one record in one place" — listing through `readFilter`, one's own
 * API tokens, the public department catalogue. Only the role is checked. It must be said out loud:
 * forgetting the target is refused, so no write can slip past the scope check by omission.
 */
export const UNSCOPED = Object.freeze({ unscoped: true as const });

/**
 * Decides one action. Throws AUTH_REQUIRED, ROLE_FORBIDDEN, OWNER_FORBIDDEN or SCOPE_FORBIDDEN.
 * Officials reach records inside their scope; citizens and companies reach only what they own.
 * An owner always reaches their own record, whatever its jurisdiction. A target with neither a
 * jurisdiction nor an owner is refused (fail closed) unless it is UNSCOPED.
 */
export function authorize(p: Principal | null | undefined, perm: Permission, target: Target | typeof UNSCOPED): asserts p is Principal {
  if (!p) throw new AppError('AUTH_REQUIRED');
  if (!hasPermission(p, perm)) throw new AppError('ROLE_FORBIDDEN', `Your role (${p.roles.join(', ')}) may not ${perm}`);
  if ('unscoped' in target) return;
  const { ownerId, jurisdictionCode } = target;
  if (ownerId && ownerId === p.accountId) return;
  if (isOfficial(p) && jurisdictionCode) {
    if (!p.scopeCode || !withinScope(p.scopeCode, jurisdictionCode)) {
      throw new AppError('SCOPE_FORBIDDEN', `${jurisdictionCode} is outside your jurisdiction ${p.scopeCode ?? '(none)'}`);
    }
    return;
  }
  if (ownerId) throw new AppError('OWNER_FORBIDDEN');
  if (jurisdictionCode) throw new AppError('SCOPE_FORBIDDEN');
  // Neither owner nor place: nothing to decide on, so nobody passes.
  throw new AppError('SCOPE_FORBIDDEN', 'This record has no owner or jurisdiction to check access against');
}

/** How a list query must be narrowed for this principal: by scope prefix, by owner, or to nothing. */
export type ReadFilter = { kind: 'scope'; prefix: string } | { kind: 'owner'; ownerId: string } | { kind: 'none' };

/** The filter every list query applies, so a street's staff list only their street's records. */
export function readFilter(p: Principal): ReadFilter {
  if (isOfficial(p)) return p.scopeCode ? { kind: 'scope', prefix: scopePrefix(p.scopeCode) } : { kind: 'none' };
  return { kind: 'owner', ownerId: p.accountId };
}

// The four areas of the web app and which roles each is for.
import type { Account, Role } from '../api/types.ts';

export type AreaId = 'portal' | 'workbench' | 'command' | 'worker';

export const AREA_ROLES: Record<AreaId, readonly Role[]> = {
  portal: ['citizen', 'enterprise', 'staff', 'grid_worker', 'operator', 'admin'],
  workbench: ['staff', 'operator', 'admin'],
  command: ['operator', 'admin'],
  worker: ['grid_worker', 'admin'],
};

/** Officials act for the government within a jurisdiction scope. */
export function isOfficial(account: Account): boolean {
  return account.roles.some((r) => r === 'staff' || r === 'grid_worker' || r === 'operator' || r === 'admin');
}

/** The area an account lands in after login, by its most operational role. */
export function homeArea(account: Account): AreaId {
  const has = (r: Role) => account.roles.includes(r);
  if (has('operator') || has('admin')) return 'command';
  if (has('staff')) return 'workbench';
  if (has('grid_worker')) return 'worker';
  return 'portal';
}

export function mayEnter(account: Account, area: AreaId): boolean {
  return account.roles.some((r) => AREA_ROLES[area].includes(r));
}

/** The area a path belongs to, if any. */
export function areaOf(pathname: string): AreaId | null {
  const first = pathname.split('/')[1];
  return first === 'portal' || first === 'workbench' || first === 'command' || first === 'worker' ? first : null;
}

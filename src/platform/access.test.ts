import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from './errors.ts';
import { authorize, readFilter, UNSCOPED, withinScope, type Principal } from './access.ts';

const official = (scopeCode: string | null, roles: Principal['roles'] = ['operator'], via: Principal['via'] = 'session'): Principal => ({
  accountId: 'op-1',
  username: 'op',
  displayName: 'op',
  roles,
  departmentCode: 'cyzx.310115005',
  scopeCode,
  via,
});
const citizen: Principal = { accountId: 'c-1', username: 'c', displayName: 'c', roles: ['citizen'], departmentCode: null, scopeCode: null, via: 'session' };

const refused = (fn: () => void, code: string) => assert.throws(fn, (e: unknown) => e instanceof AppError && e.code === code);

test('scope is a code prefix, and the city code covers all of Shanghai', () => {
  assert.ok(withinScope('310000', '310115005001'));
  assert.ok(withinScope('310115', '310115005'));
  assert.ok(withinScope('310115005', '310115005'));
  assert.ok(!withinScope('310115005', '310101013'));
  assert.ok(!withinScope('310115005', '310115'), 'a street does not reach its district');
});

test('a street operator reaches records of their street and nothing beyond', () => {
  const p = official('310115005');
  authorize(p, 'account.read', { jurisdictionCode: '310115005003' });
  refused(() => authorize(p, 'account.read', { jurisdictionCode: '310101013001' }), 'SCOPE_FORBIDDEN');
  refused(() => authorize(p, 'account.read', { jurisdictionCode: '310115' }), 'SCOPE_FORBIDDEN');
});

test('a citizen reaches only what they own', () => {
  authorize(citizen, 'notify.read_own', { ownerId: 'c-1' });
  refused(() => authorize(citizen, 'notify.read_own', { ownerId: 'c-2' }), 'OWNER_FORBIDDEN');
  refused(() => authorize(citizen, 'account.read_self', { jurisdictionCode: '310115005' }), 'SCOPE_FORBIDDEN');
});

test("an official cannot reach another person's personal record that has no jurisdiction", () => {
  refused(() => authorize(official('310000'), 'notify.read_own', { ownerId: 'someone-else' }), 'OWNER_FORBIDDEN');
});

test('a target with neither owner nor jurisdiction is refused unless UNSCOPED is said out loud', () => {
  refused(() => authorize(official('310000', ['admin']), 'account.manage', {}), 'SCOPE_FORBIDDEN');
  authorize(official('310000', ['admin']), 'account.manage', UNSCOPED);
});

test('the role is checked before anything else, and anonymous callers must sign in', () => {
  refused(() => authorize(citizen, 'account.manage', UNSCOPED), 'ROLE_FORBIDDEN');
  refused(() => authorize(null, 'jurisdiction.read', UNSCOPED), 'AUTH_REQUIRED');
});

test("an API token never manages accounts, even an administrator's", () => {
  refused(() => authorize(official('310000', ['admin'], 'token'), 'account.manage', { jurisdictionCode: '310115' }), 'ROLE_FORBIDDEN');
  authorize(official('310000', ['admin'], 'session'), 'account.manage', { jurisdictionCode: '310115' });
});

test('an official without a scope lists nothing; citizens list their own', () => {
  assert.deepEqual(readFilter(official(null)), { kind: 'none' });
  assert.deepEqual(readFilter(official('310000')), { kind: 'scope', prefix: '31' });
  assert.deepEqual(readFilter(citizen), { kind: 'owner', ownerId: 'c-1' });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { DIALECTS } from '../platform/db/testing.ts';
import type { TestYiwang } from '../platform/testing.ts';
import { DEMO_PASSWORD } from './demo-accounts.ts';
import type { LoginGuard } from './login-guard.ts';
import { SESSION_COOKIE } from './session.service.ts';
import { freshIp, login, makeAccount, outboxEvents, startOrgYiwang, TEST_PASSWORD, type TestClock } from './testing.ts';

const MINUTE = 60_000;

for (const dialect of DIALECTS) {
  describe(`org sessions and tokens (${dialect})`, () => {
    let y: TestYiwang & { clock: TestClock };
    const secrets = [DEMO_PASSWORD, TEST_PASSWORD, 'New-Passw0rd!x'];
    /** Every reply these tests see is checked: no password, hash or hash format ever leaves the server. */
    const call = async (opts: InjectOptions): Promise<LightMyRequestResponse> => {
      const res = await y.app.inject({ remoteAddress: freshIp(), ...opts });
      for (const s of secrets) assert.ok(!res.body.includes(s), `reply to ${opts.url} contains a password`);
      assert.doesNotMatch(res.body, /scrypt\$|password_?hash/i, `reply to ${opts.url} contains a password hash`);
      return res;
    };
    const loginReq = (username: string, password: string, ip = freshIp()) =>
      call({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

    before(async () => {
      y = await startOrgYiwang(dialect);
    });
    after(async () => y?.close());

    test('login with the right password sets an HttpOnly SameSite=Lax session cookie and /me answers', async () => {
      const res = await loginReq('lujiazui.operator', DEMO_PASSWORD);
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().account.username, 'lujiazui.operator');
      assert.equal(res.json().account.scopeName, '陆家嘴街道');
      const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
      assert.ok(cookie, 'session cookie set');
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Lax');
      assert.equal(cookie.path, '/');
      assert.ok(!cookie.secure, 'not Secure unless configured');
      assert.ok(cookie.value.length >= 43, 'a 32-byte random token');
      const me = await call({ url: '/api/auth/me', headers: { cookie: `${SESSION_COOKIE}=${cookie.value}` } });
      assert.equal(me.statusCode, 200);
      assert.deepEqual(
        { username: me.json().account.username, roles: me.json().account.roles, departmentCode: me.json().account.departmentCode, scopeCode: me.json().account.scopeCode },
        { username: 'lujiazui.operator', roles: ['operator'], departmentCode: 'cyzx.310115005', scopeCode: '310115005' },
      );
    });

    test('the session token is stored only as its sha256 hash', async () => {
      const res = await loginReq('city.operator', DEMO_PASSWORD);
      const value = res.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
      const rows = await y.ctx.db.selectFrom('org_session').select('token_hash').execute();
      assert.ok(rows.length > 0);
      assert.ok(rows.every((r) => r.token_hash !== value && /^[0-9a-f]{64}$/.test(r.token_hash)));
    });

    test('/me without a session is 401 AUTH_REQUIRED problem+json', async () => {
      const res = await call({ url: '/api/auth/me' });
      assert.equal(res.statusCode, 401);
      assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
      assert.equal(res.json().code, 'AUTH_REQUIRED');
    });

    test('a wrong password and an unknown username get the same 401 AUTH_INVALID answer', async () => {
      const wrong = await loginReq('citizen', 'not-the-password');
      const unknown = await loginReq('nobody.here', 'not-the-password');
      for (const res of [wrong, unknown]) {
        assert.equal(res.statusCode, 401);
        assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
        assert.equal(res.json().code, 'AUTH_INVALID');
        assert.equal(res.cookies.length, 0);
      }
      assert.equal(wrong.json().detail, unknown.json().detail);
      assert.equal(wrong.json().title, unknown.json().title);
    });

    test('five failed logins lock the username for 15 minutes (423 with Retry-After), then it unlocks', async () => {
      const a = await makeAccount(y.ctx);
      for (let i = 1; i <= 4; i++) assert.equal((await loginReq(a.username, 'Wrong-password1')).statusCode, 401, `failure ${i}`);
      const fifth = await loginReq(a.username, 'Wrong-password1');
      assert.equal(fifth.statusCode, 423);
      assert.equal(fifth.json().code, 'AUTH_LOCKED');
      const locked = await loginReq(a.username, a.password);
      assert.equal(locked.statusCode, 423, 'even the right password is refused while locked');
      const retry = Number(locked.headers['retry-after']);
      assert.ok(retry > 14 * 60 && retry <= 15 * 60, `retry-after ${retry}`);
      assert.equal(locked.json().retryAfter, retry);
      y.clock.advance(10 * MINUTE);
      assert.equal((await loginReq(a.username, a.password)).statusCode, 423, 'still locked after 10 minutes');
      y.clock.advance(5 * MINUTE + 1000);
      assert.equal((await loginReq(a.username, a.password)).statusCode, 200, 'unlocked after 15 minutes');
      const audit = await y.ctx.audit.forSubject('account', a.id);
      assert.ok(audit.some((e) => e.action === 'org.account.locked'));
      assert.equal((await outboxEvents(y.ctx, 'org.account.locked', a.id)).length, 1);
    });

    test('failures spread over more than 15 minutes do not lock', async () => {
      const a = await makeAccount(y.ctx);
      for (let i = 0; i < 4; i++) await loginReq(a.username, 'Wrong-password1');
      y.clock.advance(16 * MINUTE);
      for (let i = 0; i < 4; i++) assert.equal((await loginReq(a.username, 'Wrong-password1')).statusCode, 401);
      assert.equal((await loginReq(a.username, a.password)).statusCode, 200);
    });

    test('unknown usernames lock like real ones, so a lockout does not reveal that an account exists', async () => {
      for (let i = 0; i < 4; i++) assert.equal((await loginReq('ghost.user', 'Wrong-password1')).statusCode, 401);
      assert.equal((await loginReq('ghost.user', 'Wrong-password1')).statusCode, 423);
    });

    test('parallel wrong passwords from many addresses cannot outrun the lockout: at most five are checked, and the right one after them is refused', async () => {
      const a = await makeAccount(y.ctx);
      // Count the wrong passwords that really reach the password check (each is recorded as a failure).
      const guard = (y.ctx.services.sessions as unknown as { guard: LoginGuard }).guard;
      const recordFailure = guard.recordFailure;
      let checkedWrong = 0;
      guard.recordFailure = (...args: Parameters<LoginGuard['recordFailure']>) => {
        checkedWrong++;
        return recordFailure.apply(guard, args);
      };
      let results: LightMyRequestResponse[];
      try {
        const wrong = Array.from({ length: 20 }, (_, i) => loginReq(a.username, `Wrong-password${i}`, `198.51.100.${i + 1}`));
        results = await Promise.all([...wrong, loginReq(a.username, a.password, '198.51.100.200')]);
      } finally {
        guard.recordFailure = recordFailure;
      }
      assert.ok(checkedWrong <= 5, `${checkedWrong} wrong passwords were checked`);
      const right = results.at(-1)!;
      assert.equal(right.statusCode, 423, 'the right password, tried past the limit, is refused');
      assert.equal(right.json().code, 'AUTH_LOCKED');
      assert.ok(results.every((r) => r.statusCode === 401 || r.statusCode === 423), JSON.stringify(results.map((r) => r.statusCode)));
      const sessions = await y.ctx.db.selectFrom('org_session').select('id').where('account_id', '=', a.id).execute();
      assert.equal(sessions.length, 0, 'no session was opened');
      assert.equal((await loginReq(a.username, a.password)).statusCode, 423, 'the account stays locked');
      assert.equal((await outboxEvents(y.ctx, 'org.account.locked', a.id)).length, 1, 'the lock is announced once');
      y.clock.advance(15 * MINUTE + 1000);
      assert.equal((await loginReq(a.username, a.password)).statusCode, 200, 'unlocked after 15 minutes');
    });

    test('wrong current passwords in a password change count towards the same lockout as logins', async () => {
      const a = await makeAccount(y.ctx);
      const here = await login(y.app, a.username);
      const change = (currentPassword: string) =>
        call({ method: 'POST', url: `/api/accounts/${a.id}/password`, headers: here, payload: { currentPassword, newPassword: 'New-Passw0rd!x' } });
      assert.equal((await loginReq(a.username, 'Wrong-password1')).statusCode, 401, 'one wrong login');
      for (let i = 2; i <= 4; i++) {
        const res = await change('Wrong-password1');
        assert.equal(res.statusCode, 400, `failure ${i}`);
        assert.equal(res.json().field, 'currentPassword');
      }
      const fifth = await change('Wrong-password1');
      assert.equal(fifth.statusCode, 423);
      assert.equal(fifth.json().code, 'AUTH_LOCKED');
      assert.ok(Number(fifth.headers['retry-after']) > 14 * 60, 'with Retry-After');
      assert.equal((await change(a.password)).statusCode, 423, 'even the right current password is refused while locked');
      assert.equal((await loginReq(a.username, a.password)).statusCode, 423, 'and so is signing in');
      assert.ok((await y.ctx.audit.forSubject('account', a.id)).some((e) => e.action === 'org.account.locked'));
      y.clock.advance(15 * MINUTE + 1000);
      const session = await login(y.app, a.username);
      const ok = await call({ method: 'POST', url: `/api/accounts/${a.id}/password`, headers: session, payload: { currentPassword: a.password, newPassword: 'New-Passw0rd!x' } });
      assert.equal(ok.statusCode, 204);
    });

    test('IPv6 clients are counted by their /64, IPv4-mapped addresses as the IPv4 address', async () => {
      // One filler name: after five checks it is locked, so the other attempts cost no password hash.
      for (let i = 1; i <= 20; i++) assert.notEqual((await loginReq('filler.v6', 'x', `2001:db8:77:1::${i.toString(16)}`)).statusCode, 429, `attempt ${i}`);
      const sameNet = await loginReq('lujiazui.grid', DEMO_PASSWORD, '2001:db8:77:1:ffff:ffff:ffff:1');
      assert.equal(sameNet.statusCode, 429, 'another address in the same /64 shares the limit');
      assert.equal((await loginReq('lujiazui.grid', DEMO_PASSWORD, '2001:db8:77:2::1')).statusCode, 200, 'the next /64 does not');
      for (let i = 0; i < 20; i++) assert.notEqual((await loginReq('filler.v6', 'x', '192.0.2.200')).statusCode, 429);
      assert.equal((await loginReq('lujiazui.grid', DEMO_PASSWORD, '::ffff:192.0.2.200')).statusCode, 429, 'IPv4-mapped is the same address');
      assert.equal((await loginReq('lujiazui.grid', DEMO_PASSWORD, '192.0.2.201')).statusCode, 200, 'IPv4 neighbours are not');
    });

    test('one address may try 20 logins a minute; the 21st is 429 RATE_LIMITED with Retry-After', async () => {
      const ip = '192.0.2.77';
      // One name throughout: locked after five checks, so the rest cost no password hash (and are still counted).
      for (let i = 0; i < 20; i++) assert.notEqual((await loginReq('nobody.filler', 'x', ip)).statusCode, 429, `attempt ${i + 1}`);
      const limited = await loginReq('lujiazui.grid', DEMO_PASSWORD, ip);
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.json().code, 'RATE_LIMITED');
      const retry = Number(limited.headers['retry-after']);
      assert.ok(retry >= 1 && retry <= 60, `retry-after ${retry}`);
      assert.equal((await loginReq('lujiazui.grid', DEMO_PASSWORD, '192.0.2.78')).statusCode, 200, 'another address is not limited');
      y.clock.advance(MINUTE + 1000);
      assert.equal((await loginReq('lujiazui.grid', DEMO_PASSWORD, ip)).statusCode, 200, 'the limit resets after a minute');
    });

    test('malformed and invalid login bodies are 400 problem+json naming the field', async () => {
      const cases: Array<[InjectOptions['payload'], string, string]> = [
        [{ username: 'citizen' }, 'FIELD_REQUIRED', 'password'],
        [{ password: 'x' }, 'FIELD_REQUIRED', 'username'],
        [{ username: { name: 'citizen' }, password: 'x' }, 'FIELD_INVALID', 'username'],
        [{ username: '', password: 'x' }, 'FIELD_INVALID', 'username'],
        [{ username: 'citizen', password: 'x', admin: true }, 'FIELD_INVALID', 'admin'],
        [{ username: 'a'.repeat(500), password: 'x' }, 'FIELD_INVALID', 'username'],
      ];
      for (const [payload, code, field] of cases) {
        const res = await call({ method: 'POST', url: '/api/auth/login', payload });
        assert.equal(res.statusCode, 400, JSON.stringify(payload));
        assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
        assert.equal(res.json().code, code, JSON.stringify(payload));
        assert.equal(res.json().field, field, JSON.stringify(payload));
      }
      const broken = await call({ method: 'POST', url: '/api/auth/login', payload: '{"username": "citizen",', headers: { 'content-type': 'application/json' } });
      assert.equal(broken.statusCode, 400);
      assert.equal(broken.json().code, 'BODY_MALFORMED');
    });

    test('a disabled account cannot log in, and its open session stops working', async () => {
      const a = await makeAccount(y.ctx);
      const { cookie } = await login(y.app, a.username);
      const admin = await login(y.app, 'admin', DEMO_PASSWORD);
      const off = await call({ method: 'PATCH', url: `/api/accounts/${a.id}`, headers: admin, payload: { disabled: true } });
      assert.equal(off.statusCode, 200);
      assert.equal(off.json().account.disabled, true);
      const res = await loginReq(a.username, a.password);
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().code, 'ACCOUNT_DISABLED');
      assert.equal(res.cookies.length, 0);
      assert.equal((await call({ url: '/api/auth/me', headers: { cookie } })).statusCode, 401);
      // A disabled account with a wrong password hears only AUTH_INVALID: nothing is revealed.
      assert.equal((await loginReq(a.username, 'Wrong-password1')).json().code, 'AUTH_INVALID');
    });

    test('logout ends the session: the old cookie no longer authenticates', async () => {
      const a = await makeAccount(y.ctx);
      const { cookie } = await login(y.app, a.username);
      const out = await call({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
      assert.equal(out.statusCode, 204);
      const cleared = out.cookies.find((c) => c.name === SESSION_COOKIE);
      assert.ok(cleared && (cleared.value === '' || (cleared.expires && cleared.expires.getTime() < Date.now())));
      assert.equal((await call({ url: '/api/auth/me', headers: { cookie } })).statusCode, 401);
      assert.ok((await y.ctx.audit.forSubject('account', a.id)).some((e) => e.action === 'org.session.ended'));
    });

    test('a session expires after the configured lifetime', async () => {
      const a = await makeAccount(y.ctx);
      const { cookie } = await login(y.app, a.username);
      y.clock.advance(y.ctx.config.sessionTtlMs - MINUTE);
      assert.equal((await call({ url: '/api/auth/me', headers: { cookie } })).statusCode, 200);
      y.clock.advance(2 * MINUTE);
      assert.equal((await call({ url: '/api/auth/me', headers: { cookie } })).statusCode, 401);
    });

    test('an API token is shown once, authenticates as its account, and stops working when revoked', async () => {
      const a = await makeAccount(y.ctx, { roles: ['operator'] });
      const session = await login(y.app, a.username);
      const created = await call({ method: 'POST', url: '/api/auth/tokens', headers: session, payload: { name: '陆家嘴水位传感器网关', expiresInDays: 30 } });
      assert.equal(created.statusCode, 201);
      const { id, token, expiresAt } = created.json();
      assert.match(token, /^yw_[A-Za-z0-9_-]{43}$/);
      assert.equal(expiresAt, y.clock.now() + 30 * 86400_000);
      const stored = await y.ctx.db.selectFrom('org_api_token').select('token_hash').where('id', '=', id).executeTakeFirstOrThrow();
      assert.notEqual(stored.token_hash, token);

      const bearer = { authorization: `Bearer ${token}` };
      const me = await call({ url: '/api/auth/me', headers: bearer });
      assert.equal(me.statusCode, 200);
      assert.equal(me.json().account.id, a.id);
      const listed = await call({ url: '/api/auth/tokens', headers: session });
      assert.deepEqual(listed.json().items.map((t: { id: string }) => t.id), [id]);
      assert.ok(!listed.body.includes(token), 'the token is never shown again');

      const minted = await call({ method: 'POST', url: '/api/auth/tokens', headers: bearer, payload: { name: 'copy' } });
      assert.equal(minted.statusCode, 403);
      assert.equal(minted.json().code, 'SESSION_REQUIRED');

      assert.equal((await call({ method: 'DELETE', url: `/api/auth/tokens/${id}`, headers: session })).statusCode, 204);
      const after = await call({ url: '/api/auth/me', headers: bearer });
      assert.equal(after.statusCode, 401);
      assert.equal(after.json().code, 'TOKEN_INVALID');
      assert.deepEqual((await call({ url: '/api/auth/tokens', headers: session })).json().items, []);
      const audit = (await y.ctx.audit.forSubject('account', a.id)).map((e) => e.action);
      assert.ok(audit.includes('org.token.created') && audit.includes('org.token.revoked'));
      assert.equal((await outboxEvents(y.ctx, 'org.token.revoked', a.id)).length, 1);
    });

    test('API tokens live 90 days by default and at most 365', async () => {
      const a = await makeAccount(y.ctx, { roles: ['staff'] });
      const session = await login(y.app, a.username);
      const create = (payload: object) => call({ method: 'POST', url: '/api/auth/tokens', headers: session, payload });
      assert.equal((await create({ name: 'default' })).json().expiresAt, y.clock.now() + 90 * 86400_000);
      assert.equal((await create({ name: 'a year', expiresInDays: 365 })).json().expiresAt, y.clock.now() + 365 * 86400_000);
      for (const expiresInDays of [366, 3650]) {
        const res = await create({ name: 'too long', expiresInDays });
        assert.equal(res.statusCode, 400, String(expiresInDays));
        assert.equal(res.json().field, 'expiresInDays');
      }
      assert.equal((await call({ url: '/api/auth/tokens', headers: session })).json().items.length, 2);
    });

    test('an expired or unknown API token is 401 TOKEN_INVALID', async () => {
      const a = await makeAccount(y.ctx, { roles: ['staff'] });
      const session = await login(y.app, a.username);
      const { token } = (await call({ method: 'POST', url: '/api/auth/tokens', headers: session, payload: { name: 'short-lived', expiresInDays: 1 } })).json();
      assert.equal((await call({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 200);
      y.clock.advance(86400_000 + 1000);
      const expired = await call({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
      assert.equal(expired.statusCode, 401);
      assert.equal(expired.json().code, 'TOKEN_INVALID');
      const unknown = await call({ url: '/api/auth/me', headers: { authorization: 'Bearer yw_notarealtoken' } });
      assert.equal(unknown.json().code, 'TOKEN_INVALID');
    });

    test('someone else\'s API token cannot be revoked (404 TOKEN_NOT_FOUND) and citizens cannot create tokens', async () => {
      const owner = await makeAccount(y.ctx);
      const other = await makeAccount(y.ctx);
      const { id } = (await call({ method: 'POST', url: '/api/auth/tokens', headers: await login(y.app, owner.username), payload: { name: 'mine' } })).json();
      const res = await call({ method: 'DELETE', url: `/api/auth/tokens/${id}`, headers: await login(y.app, other.username) });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().code, 'TOKEN_NOT_FOUND');
      const citizen = await call({ method: 'POST', url: '/api/auth/tokens', headers: await login(y.app, 'citizen', DEMO_PASSWORD), payload: { name: 'x' } });
      assert.equal(citizen.statusCode, 403);
      assert.equal(citizen.json().code, 'ROLE_FORBIDDEN');
    });

    test('changing one\'s password needs the current one, ends other sessions and keeps this one', async () => {
      const a = await makeAccount(y.ctx);
      const here = await login(y.app, a.username);
      const elsewhere = await login(y.app, a.username);
      const wrong = await call({ method: 'POST', url: `/api/accounts/${a.id}/password`, headers: here, payload: { currentPassword: 'nope', newPassword: 'New-Passw0rd!x' } });
      assert.equal(wrong.statusCode, 400);
      assert.equal(wrong.json().field, 'currentPassword');
      const weak = await call({ method: 'POST', url: `/api/accounts/${a.id}/password`, headers: here, payload: { currentPassword: a.password, newPassword: 'short' } });
      assert.equal(weak.statusCode, 400);
      assert.equal(weak.json().field, 'newPassword');
      const ok = await call({ method: 'POST', url: `/api/accounts/${a.id}/password`, headers: here, payload: { currentPassword: a.password, newPassword: 'New-Passw0rd!x' } });
      assert.equal(ok.statusCode, 204);
      assert.equal((await call({ url: '/api/auth/me', headers: here })).statusCode, 200, 'this session stays');
      assert.equal((await call({ url: '/api/auth/me', headers: elsewhere })).statusCode, 401, 'other sessions end');
      assert.equal((await loginReq(a.username, a.password)).statusCode, 401);
      assert.equal((await loginReq(a.username, 'New-Passw0rd!x')).statusCode, 200);
      assert.ok((await y.ctx.audit.forSubject('account', a.id)).some((e) => e.action === 'org.account.password_changed'));
      assert.equal((await outboxEvents(y.ctx, 'org.account.password_changed', a.id)).length, 1);
    });

    test('nobody can change another account\'s password, not even an administrator', async () => {
      const a = await makeAccount(y.ctx);
      const admin = await login(y.app, 'admin', DEMO_PASSWORD);
      const res = await call({ method: 'POST', url: `/api/accounts/${a.id}/password`, headers: admin, payload: { currentPassword: DEMO_PASSWORD, newPassword: 'New-Passw0rd!x' } });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().code, 'OWNER_FORBIDDEN');
    });

    test('a server that is not the demo city lists no demo accounts, even though they exist', async () => {
      const res = await y.app.inject({ url: '/api/auth/demo-accounts' });
      assert.equal(res.statusCode, 404);
      assert.ok(!res.body.includes(DEMO_PASSWORD), 'no password in the reply');
    });
  });
}

/** The demo city administrator as a principal, for calling services directly. */
async function adminPrincipal(y: TestYiwang) {
  const row = await y.ctx.db.selectFrom('org_account').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
  const view = (await y.ctx.services.accounts.find(row.id))!;
  return { accountId: view.id, username: view.username, displayName: view.displayName, roles: view.roles, departmentCode: view.departmentCode, scopeCode: view.scopeCode, via: 'session' as const };
}

describe('org demo city', () => {
  test('the demo city lists the demo accounts with their password for the login page', async () => {
    const y = await startOrgYiwang('sqlite', { env: { YIWANG_DEMO: 'true' } });
    try {
      // The one reply meant to show a password: the published demo password.
      const res = await y.app.inject({ url: '/api/auth/demo-accounts' });
      assert.equal(res.statusCode, 200);
      const byName = new Map(res.json().items.map((a: { username: string }) => [a.username, a]));
      assert.ok(byName.has('lujiazui.operator') && byName.has('citizen') && byName.has('enterprise'));
      assert.equal((byName.get('lujiazui.operator') as { password: string }).password, DEMO_PASSWORD);
      assert.equal((byName.get('lujiazui.operator') as { scopeName: string }).scopeName, '陆家嘴街道');
      // The route asks the account service; the service answers the same.
      assert.deepEqual(await y.ctx.services.accounts.demoAccounts(), res.json().items);
      await y.ctx.services.accounts.update(await adminPrincipal(y), (await y.ctx.db.selectFrom('org_account').select('id').where('username', '=', 'citizen').executeTakeFirstOrThrow()).id, { disabled: true });
      const after = (await y.app.inject({ url: '/api/auth/demo-accounts' })).json().items.map((a: { username: string }) => a.username);
      assert.ok(!after.includes('citizen'), 'a disabled demo account is not offered');
    } finally {
      await y.close();
    }
  });
});

describe('org session cookie over HTTPS', () => {
  test('the session cookie is Secure when YIWANG_SECURE_COOKIES is set', async () => {
    const y = await startOrgYiwang('sqlite', { env: { YIWANG_SECURE_COOKIES: 'true' } });
    try {
      const res = await y.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'citizen', password: DEMO_PASSWORD }, remoteAddress: freshIp() });
      assert.equal(res.statusCode, 200);
      const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
      assert.equal(cookie.secure, true);
      assert.equal(cookie.httpOnly, true);
    } finally {
      await y.close();
    }
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Tx } from '../platform/db/database.ts';
import { DIALECTS } from '../platform/db/testing.ts';
import type { TestYiwang } from '../platform/testing.ts';
import { DEMO_PASSWORD } from './demo-accounts.ts';
import { login, makeAccount, outboxEvents, startOrgYiwang, TEST_PASSWORD, XSS, type TestClock } from './testing.ts';

type Headers = { cookie: string };
interface View {
  id: string;
  username: string;
  scopeCode: string | null;
  roles: string[];
  displayName: string;
  disabled: boolean;
}

for (const dialect of DIALECTS) {
  describe(`org accounts and scope (${dialect})`, () => {
    let y: TestYiwang & { clock: TestClock };
    let as: Record<string, Headers>;
    let ids: Record<string, string>;
    const call = async (opts: InjectOptions): Promise<LightMyRequestResponse> => {
      const res = await y.app.inject(opts);
      for (const s of [DEMO_PASSWORD, TEST_PASSWORD, 'Brand-new-Passw0rd']) assert.ok(!res.body.includes(s), `reply to ${opts.url} contains a password`);
      assert.doesNotMatch(res.body, /scrypt\$|password_?hash/i);
      return res;
    };
    const usernames = (res: LightMyRequestResponse) => (res.json().items as View[]).map((a) => a.username);

    before(async () => {
      y = await startOrgYiwang(dialect);
      // A street administrator and a district administrator beside the demo accounts.
      await makeAccount(y.ctx, { username: 'lujiazui.admin', roles: ['admin'], departmentCode: 'cyzx.310115005', scopeCode: '310115005' });
      await makeAccount(y.ctx, { username: 'pudong.admin', roles: ['admin'], departmentCode: 'cyzx.310115', scopeCode: '310115' });
      as = {};
      for (const u of ['admin', 'lujiazui.operator', 'waitan.operator', 'pudong.operator', 'citizen', 'enterprise', 'lujiazui.grid']) as[u] = await login(y.app, u, DEMO_PASSWORD);
      for (const u of ['lujiazui.admin', 'pudong.admin']) as[u] = await login(y.app, u, TEST_PASSWORD);
      const all = await call({ url: '/api/accounts?limit=200', headers: as.admin });
      ids = Object.fromEntries((all.json().items as View[]).map((a) => [a.username, a.id]));
    });
    after(async () => y?.close());

    test('a street operator reads their own street\'s accounts', async () => {
      const res = await call({ url: `/api/accounts/${ids['lujiazui.grid']}`, headers: as['lujiazui.operator'] });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().account.username, 'lujiazui.grid');
      const list = await call({ url: '/api/accounts', headers: as['lujiazui.operator'] });
      assert.ok(usernames(list).includes('lujiazui.grid'));
      assert.ok((list.json().items as View[]).every((a) => a.scopeCode?.startsWith('310115005')), 'only accounts of 陆家嘴街道');
    });

    test('a street operator cannot read or change another street\'s accounts (403 SCOPE_FORBIDDEN)', async () => {
      const read = await call({ url: `/api/accounts/${ids['waitan.operator']}`, headers: as['lujiazui.operator'] });
      assert.equal(read.statusCode, 403);
      assert.equal(read.json().code, 'SCOPE_FORBIDDEN');
      const change = await call({ method: 'PATCH', url: `/api/accounts/${ids['waitan.operator']}`, headers: as['lujiazui.operator'], payload: { displayName: 'x' } });
      assert.equal(change.statusCode, 403);
      assert.equal(change.json().code, 'SCOPE_FORBIDDEN');
      const list = await call({ url: '/api/accounts', headers: as['lujiazui.operator'] });
      assert.ok(!usernames(list).includes('waitan.operator'));
      const byAdmin = await call({ method: 'PATCH', url: `/api/accounts/${ids['waitan.operator']}`, headers: as['lujiazui.admin'], payload: { disabled: true } });
      assert.equal(byAdmin.json().code, 'SCOPE_FORBIDDEN', 'a street administrator cannot change another street either');
    });

    test('a street administrator changes their own street\'s accounts; a street operator may not', async () => {
      const target = await makeAccount(y.ctx, { roles: ['grid_worker'] });
      const byOperator = await call({ method: 'PATCH', url: `/api/accounts/${target.id}`, headers: as['lujiazui.operator'], payload: { roles: ['operator'] } });
      assert.equal(byOperator.statusCode, 403);
      assert.equal(byOperator.json().code, 'ROLE_FORBIDDEN');
      const byAdmin = await call({ method: 'PATCH', url: `/api/accounts/${target.id}`, headers: as['lujiazui.admin'], payload: { roles: ['grid_worker', 'operator'], displayName: '李娜' } });
      assert.equal(byAdmin.statusCode, 200);
      assert.deepEqual(byAdmin.json().account.roles, ['grid_worker', 'operator']);
      assert.equal(byAdmin.json().account.displayName, '李娜');
    });

    test('a district administrator sees the streets below but not other districts', async () => {
      const res = await call({ url: '/api/accounts?limit=200', headers: as['pudong.admin'] });
      const names = usernames(res);
      for (const u of ['pudong.operator', 'pudong.scjg', 'lujiazui.operator', 'lujiazui.grid']) assert.ok(names.includes(u), u);
      for (const u of ['waitan.operator', 'admin', 'city.operator', 'citizen']) assert.ok(!names.includes(u), u);
      assert.equal((await call({ url: `/api/accounts/${ids['lujiazui.grid']}`, headers: as['pudong.admin'] })).statusCode, 200);
      assert.equal((await call({ url: `/api/accounts/${ids['waitan.operator']}`, headers: as['pudong.admin'] })).json().code, 'SCOPE_FORBIDDEN');
    });

    test('a citizen sees only their own account', async () => {
      const list = await call({ url: '/api/accounts', headers: as.citizen });
      assert.equal(list.statusCode, 200);
      assert.deepEqual(usernames(list), ['citizen']);
      const withFilter = await call({ url: '/api/accounts?q=lujiazui', headers: as.citizen });
      assert.deepEqual(usernames(withFilter), []);
      assert.equal((await call({ url: `/api/accounts/${ids.citizen}`, headers: as.citizen })).statusCode, 200);
      for (const other of [ids.enterprise, ids['lujiazui.operator']]) {
        const res = await call({ url: `/api/accounts/${other}`, headers: as.citizen });
        assert.equal(res.statusCode, 403);
        assert.equal(res.json().code, 'OWNER_FORBIDDEN');
      }
    });

    test('public accounts are reached only by city administrators, not by operators', async () => {
      assert.equal((await call({ url: `/api/accounts/${ids.citizen}`, headers: as['lujiazui.operator'] })).json().code, 'ROLE_FORBIDDEN');
      assert.ok(!usernames(await call({ url: '/api/accounts?limit=200', headers: as['pudong.operator'] })).includes('citizen'));
      assert.ok(usernames(await call({ url: '/api/accounts?kind=person', headers: as.admin })).includes('citizen'));
      assert.equal((await call({ url: `/api/accounts/${ids.citizen}`, headers: as['pudong.admin'] })).json().code, 'SCOPE_FORBIDDEN');
    });

    test('anonymous requests for accounts are 401 AUTH_REQUIRED', async () => {
      assert.equal((await call({ url: '/api/accounts' })).json().code, 'AUTH_REQUIRED');
      assert.equal((await call({ url: `/api/accounts/${ids.citizen}` })).statusCode, 401);
    });

    test('an administrator creates a staff account inside their scope; it is audited and announced', async () => {
      const res = await call({
        method: 'POST',
        url: '/api/accounts',
        headers: as['pudong.admin'],
        payload: { username: 'lujiazui.scjg.wang', displayName: `王芳 ${XSS}`, password: 'Brand-new-Passw0rd', roles: ['staff'], departmentCode: 'scjg.310115005', scopeCode: '310115005' },
      });
      assert.equal(res.statusCode, 201);
      const account = res.json().account;
      assert.equal(account.departmentName, '陆家嘴市场监督管理所');
      assert.equal(account.scopeName, '陆家嘴街道');
      assert.equal(account.displayName, `王芳 ${XSS}`, 'stored as given; escaping is the screen\'s job');
      const audit = await y.ctx.audit.forSubject('account', account.id);
      assert.equal(audit[0]?.action, 'org.account.created');
      assert.equal(audit[0]?.actor_id, ids['pudong.admin']);
      const events = await outboxEvents(y.ctx, 'org.account.created', account.id);
      assert.equal(events.length, 1);
      assert.equal(events[0]!.v, 1);
      assert.equal(events[0]!.scopeCode, '310115005');
      const signIn = await y.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'lujiazui.scjg.wang', password: 'Brand-new-Passw0rd' }, remoteAddress: '10.200.0.1' });
      assert.equal(signIn.statusCode, 200);
    });

    test('creating an account outside your scope is refused with SCOPE_FORBIDDEN', async () => {
      const res = await call({
        method: 'POST',
        url: '/api/accounts',
        headers: as['pudong.admin'],
        payload: { username: 'waitan.new', displayName: '外滩新人', password: 'Brand-new-Passw0rd', roles: ['staff'], departmentCode: 'cyzx.310101013', scopeCode: '310101013' },
      });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().code, 'SCOPE_FORBIDDEN');
      const byOperator = await call({
        method: 'POST',
        url: '/api/accounts',
        headers: as['pudong.operator'],
        payload: { username: 'pudong.new', displayName: '新人', password: 'Brand-new-Passw0rd', roles: ['staff'], departmentCode: 'cyzx.310115', scopeCode: '310115' },
      });
      assert.equal(byOperator.json().code, 'ROLE_FORBIDDEN');
      assert.equal((await y.ctx.db.selectFrom('org_account').select('id').where('username', 'in', ['waitan.new', 'pudong.new']).execute()).length, 0);
    });

    test('creating an account checks department, jurisdiction, roles, password and username, naming the field', async () => {
      const base = { username: 'pudong.check', displayName: '检查', password: 'Brand-new-Passw0rd', roles: ['staff'], departmentCode: 'cyzx.310115', scopeCode: '310115' };
      const cases: Array<[Record<string, unknown>, number, string, string]> = [
        [{ departmentCode: 'nope.310115' }, 400, 'FIELD_INVALID', 'departmentCode'],
        [{ scopeCode: '310115999' }, 400, 'FIELD_INVALID', 'scopeCode'],
        [{ departmentCode: 'cyzx.310115005', scopeCode: '310115' }, 400, 'FIELD_INVALID', 'scopeCode'],
        [{ roles: ['citizen'] }, 400, 'FIELD_INVALID', 'roles'],
        [{ password: 'password' }, 400, 'FIELD_INVALID', 'password'],
        [{ username: 'Bad Name!' }, 400, 'FIELD_INVALID', 'username'],
        [{ username: 'lujiazui.grid' }, 409, 'USERNAME_TAKEN', 'username'],
        [{ roles: undefined }, 400, 'FIELD_REQUIRED', 'roles'],
      ];
      for (const [change, status, code, field] of cases) {
        const res = await call({ method: 'POST', url: '/api/accounts', headers: as['pudong.admin'], payload: { ...base, ...change } });
        assert.equal(res.statusCode, status, JSON.stringify(change));
        assert.equal(res.json().code, code, JSON.stringify(change));
        assert.equal(res.json().field, field, JSON.stringify(change));
      }
    });

    test('every account change is audited in the same transaction and emits a versioned event', async () => {
      const a = await makeAccount(y.ctx, { roles: ['grid_worker'] });
      const patch = (payload: object) => call({ method: 'PATCH', url: `/api/accounts/${a.id}`, headers: as['lujiazui.admin'], payload });
      assert.equal((await patch({ displayName: '新名字' })).statusCode, 200);
      assert.equal((await patch({ disabled: true })).statusCode, 200);
      assert.equal((await patch({ disabled: false })).statusCode, 200);
      const actions = (await y.ctx.audit.forSubject('account', a.id)).map((e) => e.action).reverse();
      assert.deepEqual(actions, ['org.account.created', 'org.account.updated', 'org.account.disabled', 'org.account.enabled']);
      const updated = await outboxEvents(y.ctx, 'org.account.updated', a.id);
      assert.deepEqual(updated.map((e) => [e.v, e.changed, e.by]), [[1, ['displayName'], ids['lujiazui.admin']]]);
      assert.equal((await outboxEvents(y.ctx, 'org.account.disabled', a.id)).length, 1);
      assert.equal((await outboxEvents(y.ctx, 'org.account.enabled', a.id)).length, 1);
      const unchanged = await patch({ displayName: '新名字' });
      assert.equal(unchanged.statusCode, 200);
      assert.equal((await y.ctx.audit.forSubject('account', a.id)).length, 4, 'a change that changes nothing writes nothing');
    });

    test('an account may change its own display name and locale but not its own roles', async () => {
      const a = await makeAccount(y.ctx, { roles: ['grid_worker'] });
      const self = await login(y.app, a.username);
      const ok = await call({ method: 'PATCH', url: `/api/accounts/${a.id}`, headers: self, payload: { displayName: '陈小明', locale: 'en' } });
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.json().account.locale, 'en');
      const roles = await call({ method: 'PATCH', url: `/api/accounts/${a.id}`, headers: self, payload: { roles: ['admin'] } });
      assert.equal(roles.statusCode, 403);
      assert.equal(roles.json().code, 'ROLE_FORBIDDEN');
      const admin = await call({ method: 'PATCH', url: `/api/accounts/${ids['lujiazui.admin']}`, headers: as['lujiazui.admin'], payload: { disabled: true } });
      assert.equal(admin.statusCode, 400, 'an administrator cannot disable themselves');
      assert.equal(admin.json().field, 'disabled');
    });

    test('the account list filters by role, department and text, and pages with a cursor', async () => {
      const byRole = await call({ url: '/api/accounts?role=grid_worker&limit=200', headers: as['pudong.admin'] });
      assert.ok((byRole.json().items as View[]).every((a) => a.roles.includes('grid_worker')));
      assert.ok(usernames(byRole).includes('lujiazui.grid'));
      const byDept = await call({ url: '/api/accounts?department=scjg&limit=200', headers: as.admin });
      assert.ok(usernames(byDept).includes('pudong.scjg'));
      assert.ok((byDept.json().items as { departmentCode: string }[]).every((a) => a.departmentCode.startsWith('scjg')));
      const byText = await call({ url: `/api/accounts?q=${encodeURIComponent('刘洋')}`, headers: as.admin });
      assert.deepEqual(usernames(byText), ['lujiazui.operator']);
      const wild = await call({ url: `/api/accounts?q=${encodeURIComponent('%')}`, headers: as.admin });
      assert.deepEqual(usernames(wild), [], 'LIKE wildcards in q are taken literally');

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: LightMyRequestResponse = await call({ url: `/api/accounts?limit=3${cursor ? `&cursor=${cursor}` : ''}`, headers: as.admin });
        assert.ok(page.json().items.length <= 3);
        seen.push(...usernames(page));
        cursor = page.json().nextCursor;
      } while (cursor);
      const all = usernames(await call({ url: '/api/accounts?limit=200', headers: as.admin }));
      assert.deepEqual(seen, all);
      assert.deepEqual([...seen].sort(), seen, 'in username order');
      assert.equal((await call({ url: '/api/accounts?cursor=!!!', headers: as.admin })).json().field, 'cursor');
    });

    test('an administrator staffs only departments inside their own scope, not the municipal bureau above it', async () => {
      const payload = (username: string, departmentCode: string) => ({
        username,
        displayName: '新同事',
        password: 'Brand-new-Passw0rd',
        roles: ['staff'],
        departmentCode,
        scopeCode: '310115005',
      });
      for (const departmentCode of ['scjg', 'scjg.310115']) {
        const res = await call({ method: 'POST', url: '/api/accounts', headers: as['lujiazui.admin'], payload: payload(`lujiazui.dep.${departmentCode.length}`, departmentCode) });
        assert.equal(res.statusCode, 403, departmentCode);
        assert.equal(res.json().code, 'SCOPE_FORBIDDEN', departmentCode);
        assert.equal(res.json().field, 'departmentCode', departmentCode);
      }
      const own = await call({ method: 'POST', url: '/api/accounts', headers: as['lujiazui.admin'], payload: payload('lujiazui.dep.own', 'scjg.310115005') });
      assert.equal(own.statusCode, 201);
      const byCity = await call({ method: 'POST', url: '/api/accounts', headers: as.admin, payload: payload('lujiazui.dep.city', 'scjg') });
      assert.equal(byCity.statusCode, 201, 'a city administrator may staff the municipal bureau with a street scope');
      const refused = await y.ctx.db.selectFrom('org_account').select('id').where('username', 'in', ['lujiazui.dep.4', 'lujiazui.dep.11']).execute();
      assert.equal(refused.length, 0);
    });

    test('concurrent edits of one account apply one after the other, and each audit entry records what it replaced', async () => {
      const a = await makeAccount(y.ctx, { roles: ['grid_worker'], displayName: '原名' });
      const names = ['甲', '乙', '丙', '丁', '戊', '己'];
      // Every transaction starts a little late, as under load, so all six requests are in flight at once.
      const transaction = y.ctx.transaction;
      const run = transaction.bind(y.ctx);
      y.ctx.transaction = async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
        await new Promise((r) => setTimeout(r, 20));
        return run(fn);
      };
      let results: LightMyRequestResponse[];
      try {
        results = await Promise.all(
          names.map((displayName, i) => call({ method: 'PATCH', url: `/api/accounts/${a.id}`, headers: i % 2 ? as['lujiazui.admin'] : as['pudong.admin'], payload: { displayName } })),
        );
      } finally {
        y.ctx.transaction = transaction;
      }
      assert.deepEqual(results.map((r) => r.statusCode), names.map(() => 200));
      const updates = (await y.ctx.audit.forSubject('account', a.id))
        .filter((e) => e.action === 'org.account.updated')
        .reverse()
        .map((e) => (e.detail as { changes: { displayName: { from: string; to: string } } }).changes.displayName);
      assert.equal(updates.length, names.length);
      assert.equal(updates[0]!.from, '原名');
      for (let i = 1; i < updates.length; i++) assert.equal(updates[i]!.from, updates[i - 1]!.to, `edit ${i + 1} replaced what edit ${i} wrote`);
      assert.deepEqual([...updates.map((u) => u.to)].sort(), [...names].sort());
      const row = await y.ctx.db.selectFrom('org_account').select('display_name').where('id', '=', a.id).executeTakeFirstOrThrow();
      assert.equal(row.display_name, updates.at(-1)!.to, 'the last audited value is the stored one');
    });

    test('an account write and its audit entry commit together: when the audit or the event fails, nothing remains', async () => {
      const counts = async () => ({
        accounts: (await y.ctx.db.selectFrom('org_account').select('id').execute()).length,
        audit: (await y.ctx.db.selectFrom('platform_audit').select('seq').execute()).length,
        events: (await y.ctx.db.selectFrom('platform_outbox').select('seq').execute()).length,
      });
      // Creating: the account row and its audit entry are written, then the event fails.
      const before = await counts();
      const add = y.ctx.outbox.add;
      y.ctx.outbox.add = async () => {
        throw new Error('outbox unavailable (test)');
      };
      try {
        const res = await call({
          method: 'POST',
          url: '/api/accounts',
          headers: as['pudong.admin'],
          payload: { username: 'atomic.check', displayName: '原子', password: 'Brand-new-Passw0rd', roles: ['staff'], departmentCode: 'cyzx.310115', scopeCode: '310115' },
        });
        assert.equal(res.statusCode, 500);
      } finally {
        y.ctx.outbox.add = add;
      }
      assert.deepEqual(await counts(), before, 'no account, no audit entry, no event');
      assert.equal(await y.ctx.db.selectFrom('org_account').select('id').where('username', '=', 'atomic.check').executeTakeFirst(), undefined);

      // Changing: the row is updated (and sessions revoked), then the audit entry fails.
      const a = await makeAccount(y.ctx, { roles: ['grid_worker'], displayName: '原名' });
      const session = await login(y.app, a.username);
      const beforeChange = await counts();
      const record = y.ctx.audit.record;
      y.ctx.audit.record = async () => {
        throw new Error('audit unavailable (test)');
      };
      try {
        const res = await call({ method: 'PATCH', url: `/api/accounts/${a.id}`, headers: as['lujiazui.admin'], payload: { displayName: '新名', roles: ['operator'], disabled: true } });
        assert.equal(res.statusCode, 500);
      } finally {
        y.ctx.audit.record = record;
      }
      assert.deepEqual(await counts(), beforeChange);
      const row = await y.ctx.db.selectFrom('org_account').select(['display_name', 'disabled_at']).where('id', '=', a.id).executeTakeFirstOrThrow();
      assert.deepEqual({ ...row, disabled_at: row.disabled_at === null ? null : Number(row.disabled_at) }, { display_name: '原名', disabled_at: null });
      const roles = await y.ctx.db.selectFrom('org_account_role').select('role').where('account_id', '=', a.id).execute();
      assert.deepEqual(roles.map((r) => r.role), ['grid_worker']);
      assert.equal((await call({ url: '/api/auth/me', headers: session })).statusCode, 200, 'the session was not revoked');
    });

    test('an unknown account id is 404 ACCOUNT_NOT_FOUND', async () => {
      const res = await call({ url: '/api/accounts/00000000-0000-0000-0000-000000000000', headers: as.admin });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().code, 'ACCOUNT_NOT_FOUND');
    });

    test('accounts responsible for a place are found from the place upwards', async () => {
      const found = await y.ctx.services.accounts.responsibleFor('310115005001', 'operator');
      const names = found.map((a) => a.username);
      for (const u of ['lujiazui.operator', 'pudong.operator', 'city.operator']) assert.ok(names.includes(u), u);
      assert.ok(!names.includes('waitan.operator'));
    });
  });
}

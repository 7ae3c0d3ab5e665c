import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../platform/db/testing.ts';
import type { TestYiwang } from '../platform/testing.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo-accounts.ts';
import { orgModule } from './index.ts';
import { login, startOrgYiwang, type TestClock } from './testing.ts';

for (const dialect of DIALECTS) {
  describe(`org departments and seed (${dialect})`, () => {
    let y: TestYiwang & { clock: TestClock };
    let headers: { cookie: string };

    before(async () => {
      y = await startOrgYiwang(dialect);
      headers = await login(y.app, 'citizen', DEMO_PASSWORD);
    });
    after(async () => y?.close());

    test('seeding again changes nothing: no new departments, accounts or audit entries', async () => {
      const count = async () => ({
        departments: (await y.ctx.db.selectFrom('org_department').select('code').execute()).length,
        accounts: (await y.ctx.db.selectFrom('org_account').select('id').execute()).length,
        audit: (await y.ctx.db.selectFrom('platform_audit').select('seq').execute()).length,
      });
      const before = await count();
      await orgModule.seed!(y.ctx, { demo: true, progress: () => {} });
      assert.deepEqual(await count(), before);
      assert.ok(before.departments > 1000, `${before.departments} departments`);
      assert.ok(before.accounts >= DEMO_ACCOUNTS.length);
    });

    test('every demo account exists with its department and scope, and signs in with the demo password', async () => {
      for (const a of DEMO_ACCOUNTS) {
        const row = await y.ctx.db.selectFrom('org_account').selectAll().where('username', '=', a.username).executeTakeFirst();
        assert.ok(row, a.username);
        assert.equal(row.department_code, a.departmentCode, a.username);
        assert.equal(row.scope_code, a.scopeCode, a.username);
        if (a.departmentCode) assert.ok(await y.ctx.services.departments.find(a.departmentCode), `${a.username}: department ${a.departmentCode} exists`);
      }
      const { cookie } = await login(y.app, 'waitan.operator', DEMO_PASSWORD);
      const me = (await y.app.inject({ url: '/api/auth/me', headers: { cookie } })).json().account;
      assert.equal(me.scopeName, '外滩街道');
      assert.equal(me.departmentName, '外滩街道城市运行管理中心');
    });

    test('the departments of a street are its market-regulation office, enforcement squadron, police station and operations centre', async () => {
      const res = await y.app.inject({ url: '/api/departments?jurisdiction=310115005', headers });
      assert.equal(res.statusCode, 200);
      const names = res.json().items.map((d: { name: string }) => d.name);
      for (const n of ['陆家嘴市场监督管理所', '陆家嘴街道城管执法中队', '陆家嘴派出所', '陆家嘴街道城市运行管理中心']) assert.ok(names.includes(n), n);
      assert.ok(res.json().items.every((d: { jurisdictionCode: string; kind: string }) => d.jurisdictionCode === '310115005' && d.kind === 'street'));
    });

    test('a district branch names its bureau as parent and its street offices as children', async () => {
      const res = await y.app.inject({ url: '/api/departments/scjg.310115', headers });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.deepEqual(
        { name: body.department.name, nameEn: body.department.nameEn, kind: body.department.kind, jurisdictionCode: body.department.jurisdictionCode },
        { name: '浦东新区市场监督管理局', nameEn: 'Pudong New Area Administration for Market Regulation', kind: 'district', jurisdictionCode: '310115' },
      );
      assert.equal(body.parent.name, '上海市市场监督管理局');
      assert.ok(body.children.some((c: { code: string }) => c.code === 'scjg.310115005'));
      assert.ok(body.children.every((c: { parentCode: string }) => c.parentCode === 'scjg.310115'));
    });

    test('departments can be searched by name and listed page by page', async () => {
      const q = await y.app.inject({ url: `/api/departments?q=${encodeURIComponent('消防救援')}&kind=district`, headers });
      assert.equal(q.json().items.length, 16, 'one fire and rescue detachment per district');
      const en = await y.app.inject({ url: '/api/departments?q=big%20data&kind=municipal', headers });
      assert.deepEqual(en.json().items.map((d: { code: string }) => d.code), ['dsj']);
      const first = (await y.app.inject({ url: '/api/departments?kind=municipal&limit=5', headers })).json();
      assert.equal(first.items.length, 5);
      const second = (await y.app.inject({ url: `/api/departments?kind=municipal&limit=5&cursor=${first.nextCursor}`, headers })).json();
      assert.ok(second.items[0].code > first.items[4].code);
    });

    test('an unknown department is 404 DEPARTMENT_NOT_FOUND, and departments need a signed-in caller', async () => {
      const res = await y.app.inject({ url: '/api/departments/nope', headers });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().code, 'DEPARTMENT_NOT_FOUND');
      assert.equal((await y.app.inject({ url: '/api/departments' })).statusCode, 401);
    });
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../platform/db/testing.ts';
import { login, makeAccount } from '../../org/testing.ts';
import { caller, startServicesYiwang, type ServicesYiwang } from '../applications/testing.ts';
import { registriesModule } from './index.ts';
import { SAMPLE, sampleRegistries } from './testing.ts';

for (const dialect of DIALECTS) {
  describe(`reporting wrong registry data (数据纠错) through the API (${dialect})`, () => {
    let y: ServicesYiwang;
    let call: ReturnType<typeof caller>;
    before(async () => {
      y = await startServicesYiwang(dialect, ['citizen', 'enterprise', 'pudong.scjg'], [registriesModule]);
      call = caller(y);
      await y.ctx.services.registries.load(sampleRegistries());
      const ids = new Map((await y.ctx.services.accounts.findByUsernames(['citizen', 'enterprise'])).map((a) => [a.username, a.id]));
      await y.ctx.services.registries.bind(ids.get('citizen')!, 'person', SAMPLE.zhangWei);
      await y.ctx.services.registries.bind(ids.get('enterprise')!, 'entity', SAMPLE.company);
      for (const [name, dept] of [['ga.officer', 'ga'], ['ga.pudong', 'ga.310115'], ['mz.officer', 'mz']] as const) {
        const a = await makeAccount(y.ctx, { username: `${name}.${dialect}`, departmentCode: dept, scopeCode: dept === 'ga.310115' ? '310115' : '310000' });
        y.as[name] = await login(y.app, a.username, a.password);
      }
    });
    after(async () => y?.close());

    test('a resident reports a wrong value; it reaches the department that keeps it, whose answer reaches the resident', async () => {
      const sent = await call('citizen', 'POST', '/api/registries/me/reports', { field: 'phone', proposed: '13900001111', reason: '号码已更换 <script>alert(1)</script>' });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      assert.equal(sent.body.departmentCode, 'ga');
      assert.equal(sent.body.status, 'open');
      const marital = await call('citizen', 'POST', '/api/registries/me/reports', { field: 'maritalStatus', proposed: '已婚', reason: '登记信息有误' });
      assert.equal(marital.body.departmentCode, 'mz', 'marital status is kept by civil affairs');

      // The police see theirs (a district branch too), civil affairs only theirs, market regulation none.
      const ga = (await call('ga.officer', 'GET', '/api/registries/reports?status=open')).body.items;
      assert.deepEqual(ga.map((r: any) => r.id), [sent.body.id]);
      assert.deepEqual((await call('ga.pudong', 'GET', '/api/registries/reports')).body.items.map((r: any) => r.id), [sent.body.id]);
      assert.deepEqual((await call('mz.officer', 'GET', '/api/registries/reports')).body.items.map((r: any) => r.id), [marital.body.id]);
      assert.equal((await call('pudong.scjg', 'GET', '/api/registries/reports')).body.items.length, 0);
      assert.equal((await call('mz.officer', 'POST', `/api/registries/reports/${sent.body.id}/answer`, { status: 'corrected', reply: '已更正' })).status, 404);

      const answered = await call('ga.officer', 'POST', `/api/registries/reports/${sent.body.id}/answer`, { status: 'corrected', reply: '已核实并更正联系电话' });
      assert.equal(answered.body.status, 'corrected');
      const again = await call('ga.officer', 'POST', `/api/registries/reports/${sent.body.id}/answer`, { status: 'rejected', reply: '重复' });
      assert.equal(again.status, 409);
      const mine = (await call('citizen', 'GET', '/api/registries/me/reports')).body.items;
      assert.equal(mine.find((r: any) => r.id === sent.body.id).reply, '已核实并更正联系电话');
      const inbox = (await call('citizen', 'GET', '/api/messages?limit=20')).body.items;
      assert.ok(inbox.some((m: any) => m.title === '数据纠错已处理：联系电话'));
      // Nobody edits the registry from here: the value stays until the department reloads its records.
      assert.equal((await call('citizen', 'GET', '/api/registries/me')).body.person.phone, '13812345678');
    });

    test('a report names a field of the reporter\'s own kind of record; others cannot report', async () => {
      const bad = await call('citizen', 'POST', '/api/registries/me/reports', { field: 'businessScope', proposed: 'x', reason: '有误' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.field, 'field');
      const company = await call('enterprise', 'POST', '/api/registries/me/reports', { field: 'businessScope', proposed: '餐饮服务；食品销售', reason: '经营范围已变更' });
      assert.equal(company.body.departmentCode, 'scjg');
      assert.equal((await call('pudong.scjg', 'POST', '/api/registries/me/reports', { field: 'phone', proposed: '1', reason: '有误' })).status, 403);
      assert.equal((await call(null, 'POST', '/api/registries/me/reports', { field: 'phone', proposed: '1', reason: '有误' })).status, 401);
    });
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jurisdictionsModule } from '../src/jurisdictions/index.ts';
import { DIALECTS } from '../src/platform/db/testing.ts';
import { platformModule } from '../src/platform/index.ts';
import { startTestYiwang, type TestYiwang } from '../src/platform/testing.ts';
import { orgModule, DEMO_PASSWORD } from '../src/org/index.ts';
import { login, makeAccount } from '../src/org/testing.ts';
import { createNotifyModule } from '../src/notify/index.ts';
import { TEST_NOTIFY_OPTIONS } from '../src/notify/testing.ts';

type Headers = Record<string, string>;

/** The message centre with the real org module: real sign-in, real accounts, real scopes and API tokens. */
for (const dialect of DIALECTS) {
  describe(`messages with real accounts (${dialect})`, () => {
    let y: TestYiwang;
    const who: Record<string, { headers: Headers; id: string }> = {};
    const send = (headers: Headers, recipientId: string, over: object = {}) =>
      y.app.inject({ method: 'POST', url: '/api/messages', headers, payload: { recipientId, topic: 'system', title: '工作提醒', body: '请于今日17时前完成巡查。', ...over } });
    const inboxOf = async (name: string) => (await y.app.inject({ url: '/api/messages', headers: who[name]!.headers })).json().items as Array<{ id: string }>;
    /** Signs in as a demo (or factory) account and remembers its session and id. */
    const signIn = async (username: string, password = DEMO_PASSWORD) => {
      const headers = await login(y.app, username, password);
      const id = (await y.app.inject({ url: '/api/auth/me', headers })).json().account.id;
      assert.ok(id, username);
      who[username] = { headers, id };
      return who[username]!;
    };
    /** An API token of the signed-in account, as a bearer header. */
    const tokenOf = async (session: Headers): Promise<Headers> => {
      const res = await y.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: session, payload: { name: '测试令牌' } });
      assert.equal(res.statusCode, 201, res.body);
      return { authorization: `Bearer ${res.json().token}` };
    };

    before(async () => {
      y = await startTestYiwang(dialect, { modules: [platformModule, jurisdictionsModule, orgModule, createNotifyModule(TEST_NOTIFY_OPTIONS)] });
      await jurisdictionsModule.seed!(y.ctx, { demo: false, progress: () => {} });
      await orgModule.seed!(y.ctx, { demo: true, progress: () => {} });
      for (const u of ['city.operator', 'pudong.scjg', 'lujiazui.grid', 'lujiazui.operator', 'waitan.operator', 'citizen', 'enterprise']) await signIn(u);
    });
    after(async () => y?.close());

    test('a city-wide official messages a real citizen, who reads it; district staff may not; the company sees nothing', async () => {
      const citizenId = who.citizen!.id;
      const district = await send(who['pudong.scjg']!.headers, citizenId, { topic: 'application', title: '办件已受理', body: '您的申请已受理。' });
      assert.equal(district.statusCode, 403, district.body);
      assert.equal(district.json().code, 'SCOPE_FORBIDDEN');
      const sent = await send(who['city.operator']!.headers, citizenId, { topic: 'application', title: '办件已受理', body: '您的申请已受理。' });
      assert.equal(sent.statusCode, 201, sent.body);
      assert.deepEqual((await inboxOf('citizen')).map((m) => m.id), [sent.json().id]);
      assert.equal((await inboxOf('enterprise')).length, 0);
      const other = await y.app.inject({ method: 'POST', url: `/api/messages/${sent.json().id}/read`, headers: who.enterprise!.headers });
      assert.equal(other.statusCode, 404);
    });

    test('a 陆家嘴 grid worker cannot message a 外滩 operator (403, the same answer as for no account), but can message a colleague in the street', async () => {
      const grid = who['lujiazui.grid']!.headers;
      const outside = await send(grid, who['waitan.operator']!.id);
      const missing = await send(grid, 'no-such-account');
      for (const res of [outside, missing]) {
        assert.equal(res.statusCode, 403, res.body);
        assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
        assert.equal(res.json().code, 'SCOPE_FORBIDDEN');
        assert.equal(res.json().field, 'recipientId');
      }
      assert.equal(outside.json().detail.replace(who['waitan.operator']!.id, '<id>'), missing.json().detail.replace('no-such-account', '<id>'));
      assert.equal((await inboxOf('waitan.operator')).length, 0);
      const colleague = await send(grid, who['lujiazui.operator']!.id);
      assert.equal(colleague.statusCode, 201, colleague.body);
      assert.ok((await inboxOf('lujiazui.operator')).some((m) => m.id === colleague.json().id));
    });

    test('the API token of a system account is held to the same scope', async () => {
      const gateway = await makeAccount(y.ctx, { roles: ['system'], scopeCode: '310115005', departmentCode: 'cyzx.310115005', displayName: '陆家嘴传感网关' });
      const bearer = await tokenOf((await signIn(gateway.username, gateway.password)).headers);
      const outside = await send(bearer, who['waitan.operator']!.id, { topic: 'alert', title: '积水预警', body: '请前往处置。' });
      assert.equal(outside.statusCode, 403, outside.body);
      assert.equal(outside.json().code, 'SCOPE_FORBIDDEN');
      const citizen = await send(bearer, who.citizen!.id, { topic: 'alert', title: '积水预警', body: '请前往处置。' });
      assert.equal(citizen.statusCode, 403, citizen.body);
      const inside = await send(bearer, who['lujiazui.operator']!.id, { topic: 'alert', title: '积水预警', body: '请前往处置。' });
      assert.equal(inside.statusCode, 201, inside.body);
    });

    test('an API token reads preferences without the webhook secret and can neither rotate it nor move the webhook', async () => {
      const staff = await makeAccount(y.ctx, {});
      const session = (await signIn(staff.username, staff.password)).headers;
      const set = await y.app.inject({ method: 'PUT', url: '/api/messages/preferences', headers: session, payload: { webhook: { url: 'https://hooks.example.com/staff' } } });
      assert.equal(set.statusCode, 200, set.body);
      const secret = set.json().webhook.secret as string;
      assert.match(secret, /^[0-9a-f]{64}$/);
      const bearer = await tokenOf(session);
      const read = await y.app.inject({ url: '/api/messages/preferences', headers: bearer });
      assert.equal(read.statusCode, 200, read.body);
      assert.deepEqual(read.json().webhook, { url: 'https://hooks.example.com/staff', secretSet: true });
      assert.ok(!read.body.includes(secret));
      for (const res of [
        await y.app.inject({ method: 'POST', url: '/api/messages/preferences/webhook-secret', headers: bearer }),
        await y.app.inject({ method: 'PUT', url: '/api/messages/preferences', headers: bearer, payload: { webhook: { url: 'https://attacker.example/' } } }),
      ]) {
        assert.equal(res.statusCode, 403, res.body);
        assert.equal(res.json().code, 'SESSION_REQUIRED');
      }
      const rotated = await y.app.inject({ method: 'POST', url: '/api/messages/preferences/webhook-secret', headers: session });
      assert.equal(rotated.statusCode, 200, rotated.body);
      assert.notEqual(rotated.json().webhook.secret, secret);
    });

    test('a citizen cannot send messages', async () => {
      const res = await send(who.citizen!.headers, who.citizen!.id);
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().code, 'ROLE_FORBIDDEN');
    });
  });
}

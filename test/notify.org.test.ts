import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../src/platform/db/testing.ts';
import { platformModule } from '../src/platform/index.ts';
import { startTestYiwang, type TestYiwang } from '../src/platform/testing.ts';
import { orgModule, DEMO_PASSWORD } from '../src/org/index.ts';
import { login } from '../src/org/testing.ts';
import { createNotifyModule } from '../src/notify/index.ts';
import { TEST_NOTIFY_OPTIONS } from '../src/notify/testing.ts';

/** The message centre with the real org module: real sign-in, real accounts. */
for (const dialect of DIALECTS) {
  describe(`messages with real accounts (${dialect})`, () => {
    let y: TestYiwang;
    let staff: { cookie: string };
    let citizen: { cookie: string };
    let enterprise: { cookie: string };
    let citizenId: string;

    before(async () => {
      y = await startTestYiwang(dialect, { modules: [platformModule, orgModule, createNotifyModule(TEST_NOTIFY_OPTIONS)] });
      await orgModule.seed!(y.ctx, { demo: true, progress: () => {} });
      staff = await login(y.app, 'pudong.scjg', DEMO_PASSWORD);
      citizen = await login(y.app, 'citizen', DEMO_PASSWORD);
      enterprise = await login(y.app, 'enterprise', DEMO_PASSWORD);
      citizenId = (await y.app.inject({ url: '/api/auth/me', headers: citizen })).json().account.id;
      assert.ok(citizenId, 'the citizen account id');
    });
    after(async () => y?.close());

    test('staff send to a real citizen, who reads it; the company does not see it', async () => {
      const sent = await y.app.inject({ method: 'POST', url: '/api/messages', headers: staff, payload: { recipientId: citizenId, topic: 'application', title: '办件已受理', body: '您的申请已受理。' } });
      assert.equal(sent.statusCode, 201, sent.body);
      const inbox = await y.app.inject({ url: '/api/messages', headers: citizen });
      assert.equal(inbox.json().items[0].id, sent.json().id);
      assert.equal((await y.app.inject({ url: '/api/messages', headers: enterprise })).json().items.length, 0);
      const other = await y.app.inject({ method: 'POST', url: `/api/messages/${sent.json().id}/read`, headers: enterprise });
      assert.equal(other.statusCode, 404);
    });

    test('sending to an account that does not exist is 404 ACCOUNT_NOT_FOUND', async () => {
      const res = await y.app.inject({ method: 'POST', url: '/api/messages', headers: staff, payload: { recipientId: 'no-such-account', topic: 'system', title: 't', body: 'b' } });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().code, 'ACCOUNT_NOT_FOUND');
      assert.equal(res.json().field, 'recipientId');
    });

    test('a citizen cannot send messages', async () => {
      const res = await y.app.inject({ method: 'POST', url: '/api/messages', headers: citizen, payload: { recipientId: citizenId, topic: 'system', title: 't', body: 'b' } });
      assert.equal(res.statusCode, 403);
    });
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../platform/db/testing.ts';
import type { ComponentsYiwang } from '../components/testing.ts';
import { gatewayToken, registerDevice, startDevicesYiwang } from '../devices/testing.ts';
import { rulesModule } from './index.ts';

const MIN = 60_000;

for (const dialect of DIALECTS) {
  describe(`rules and alerts (${dialect})`, () => {
    let y: ComponentsYiwang;
    let token: { authorization: string };
    before(async () => {
      y = await startDevicesYiwang(dialect, ['lujiazui.operator', 'waitan.operator', 'lujiazui.grid'], [rulesModule]);
      token = await gatewayToken(y, '310115');
    });
    after(async () => y?.close());
    const send = async (deviceId: string, values: Record<string, number>) => {
      y.clock.advance(1000); // readings of one device and metric are keyed by time: each send is a new moment
      const res = await y.app.inject({ method: 'POST', url: '/api/telemetry', headers: token, payload: { readings: [{ deviceId, values }] } });
      assert.equal(res.json().accepted, Object.keys(values).length, res.body);
      await y.ctx.services.ruleEngine.idle();
    };
    const tick = async (ms: number) => {
      y.clock.advance(ms);
      await y.ctx.services.ruleEngine.tick();
    };
    const alertsOf = async (deviceId: string, who = 'lujiazui.operator') => {
      const items = (await y.app.inject({ url: '/api/alerts?limit=500', headers: y.as[who] })).json().items as Array<{ id: string; ruleId: string; subjectId: string; status: string; severity: string; raisedAt: number; message: string; evidence: { readings: Array<{ value: number }> } }>;
      return items.filter((a) => a.subjectId === deviceId);
    };
    const events = async (name: string, alertId: string) => {
      const rows = await y.ctx.db.selectFrom('platform_outbox').select('payload').where('name', '=', name).execute();
      return rows.map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload)).filter((p: { alertId: string }) => p.alertId === alertId);
    };

    test('the shipped packs are seeded city-wide and listed to a street operator', async () => {
      const rules = (await y.app.inject({ url: '/api/rules', headers: y.as['lujiazui.operator'] })).json().items as Array<{ id: string; pack: string; jurisdictionCode: string }>;
      const warning = rules.find((r) => r.id === 'typhoon.water_level_warning');
      assert.equal(warning?.jurisdictionCode, '310000');
      assert.ok(new Set(rules.map((r) => r.pack)).size >= 9);
    });

    test('water above 4.8 m for five minutes raises one high alert naming the rule and readings; it clears only after 15 minutes below', async () => {
      const d = (await registerDevice(y, 'lujiazui.operator')).id;
      await send(d, { waterLevel: 4.9 });
      assert.equal((await alertsOf(d)).filter((a) => a.ruleId === 'typhoon.water_level_warning').length, 0, 'not before five minutes');
      await tick(2 * MIN);
      await send(d, { waterLevel: 4.95 });
      await tick(3 * MIN + 1000);
      let open = (await alertsOf(d)).filter((a) => a.ruleId === 'typhoon.water_level_warning');
      assert.equal(open.length, 1);
      const alert = open[0]!;
      assert.deepEqual([alert.status, alert.severity], ['active', 'high']);
      assert.deepEqual(alert.evidence.readings.map((r) => r.value), [4.9, 4.95]);
      assert.equal((await events('operations.alert.raised', alert.id)).length, 1);

      await send(d, { waterLevel: 5.0 });
      await tick(MIN);
      assert.equal((await alertsOf(d)).filter((a) => a.ruleId === 'typhoon.water_level_warning').length, 1, 'no second alert while it holds');

      const ack = await y.app.inject({ method: 'POST', url: `/api/alerts/${alert.id}/acknowledge`, headers: y.as['lujiazui.operator'] });
      assert.equal(ack.json().status, 'acknowledged');
      assert.equal((await y.app.inject({ method: 'POST', url: `/api/alerts/${alert.id}/acknowledge`, headers: y.as['lujiazui.grid'] })).statusCode, 403);

      await send(d, { waterLevel: 4.0 });
      await tick(10 * MIN);
      // Back above the warning for six minutes before the clear time ran out: the condition holds
      // again, so the same alert stays and the clear time starts over when the water falls.
      await send(d, { waterLevel: 4.9 });
      await tick(6 * MIN);
      await send(d, { waterLevel: 4.0 });
      await tick(10 * MIN);
      open = (await alertsOf(d)).filter((a) => a.ruleId === 'typhoon.water_level_warning');
      assert.deepEqual(open.map((a) => a.status), ['acknowledged'], 'still the one alert');
      await tick(5 * MIN + 1000);
      open = (await alertsOf(d)).filter((a) => a.ruleId === 'typhoon.water_level_warning');
      assert.deepEqual(open.map((a) => a.status), ['cleared']);
      assert.equal((await events('operations.alert.cleared', alert.id)).length, 1);
    });

    test('a fast rise raises the rate rule; a silent device raises the offline rule, which clears when it reports again', async () => {
      const d = (await registerDevice(y, 'lujiazui.operator')).id;
      await send(d, { waterLevel: 3.0 });
      await tick(10 * MIN);
      await send(d, { waterLevel: 3.4 });
      assert.deepEqual((await alertsOf(d)).map((a) => a.ruleId), ['typhoon.water_level_rising']);

      await tick(16 * MIN);
      const offline = (await alertsOf(d)).find((a) => a.ruleId === 'typhoon.water_level_offline');
      assert.equal(offline?.status, 'active');
      await send(d, { waterLevel: 3.3 });
      await tick(6 * MIN);
      assert.equal((await alertsOf(d)).find((a) => a.ruleId === 'typhoon.water_level_offline')?.status, 'cleared');
    });

    test('a threshold without a duration (critical water level) raises at once, clears after its clear time below and raises anew; raisedAt is when it fired, not when its write got its turn', async () => {
      const d = (await registerDevice(y, 'lujiazui.operator')).id;
      const critical = async () => (await alertsOf(d)).filter((a) => a.ruleId === 'typhoon.water_level_critical');
      await send(d, { waterLevel: 5.3 });
      const first = await critical();
      assert.deepEqual(first.map((a) => a.status), ['active']);
      await send(d, { waterLevel: 4.0 });
      await tick(15 * MIN + 1000);
      assert.deepEqual((await critical()).map((a) => a.status), ['cleared']);
      await send(d, { waterLevel: 4.1 });
      assert.equal((await critical()).length, 1, 'nothing while below');

      if (dialect === 'sqlite') {
        // Every write of this process waits (as behind a long telemetry commit): the reading is
        // judged when it is accepted, before its own commit, and the alert keeps that moment.
        const release = await y.ctx.database.writeTurn!.acquire();
        y.clock.advance(1000);
        const firedAt = y.clock.now();
        const posting = y.app.inject({ method: 'POST', url: '/api/telemetry', headers: token, payload: { readings: [{ deviceId: d, values: { waterLevel: 5.4 } }] } });
        // Until the rule has fired (its alert waits for the turn in the raise lane).
        const lane = () => (y.ctx.services.ruleEngine as unknown as { raiseLane: Promise<void> | null }).raiseLane;
        for (const until = Date.now() + 20_000; !lane() && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
        assert.ok(lane(), 'the rule fired while the reading was still waiting for its commit');
        y.clock.advance(MIN);
        release();
        assert.equal((await posting).json().accepted, 1);
        await y.ctx.services.ruleEngine.idle();
        const again = (await critical()).filter((a) => a.status === 'active');
        assert.equal(again.length, 1);
        assert.equal(again[0]!.raisedAt, firedAt);
      } else {
        await send(d, { waterLevel: 5.4 });
        assert.equal((await critical()).filter((a) => a.status === 'active').length, 1);
      }
    });

    test('one batch that fires alerts for several devices raises each once with its event, also judged in slices and when another process raised one of them first', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) ids.push((await registerDevice(y, 'lujiazui.operator')).id);
      // Another process raised the third device's alert a moment ago: this engine does not know.
      const rule = y.ctx.services.rules.byId('typhoon.water_level_critical')!;
      const theirs = await y.ctx.services.alerts.raise(rule, (await y.ctx.services.devices.info(ids[2]!))!, { readings: [], lastSeen: null });
      y.clock.advance(1000);
      // Judged a device at a time, with the event loop let through between them (as a big batch is):
      // the alerts fired in earlier slices are raised once all the same.
      y.ctx.services.ruleEngine.readingsSliceMs = 0;
      const res = await y.app.inject({ method: 'POST', url: '/api/telemetry', headers: token, payload: { readings: ids.map((deviceId) => ({ deviceId, values: { waterLevel: 5.9 } })) } });
      assert.equal(res.json().accepted, 4, res.body);
      await y.ctx.services.ruleEngine.idle();
      y.ctx.services.ruleEngine.readingsSliceMs = 5;
      for (const id of ids) {
        const critical = (await alertsOf(id)).filter((a) => a.ruleId === 'typhoon.water_level_critical');
        assert.equal(critical.length, 1, `one critical alert for ${id}`);
        assert.equal((await events('operations.alert.raised', critical[0]!.id)).length, 1);
        if (id === ids[2]) assert.equal(critical[0]!.id, theirs!.id, 'the one already open is kept');
        else assert.deepEqual(critical[0]!.evidence.readings.map((r) => r.value), [5.9]);
      }
      // Still above: nothing new. The engine took the other process's alert as the open one.
      await send(ids[2]!, { waterLevel: 6.0 });
      assert.equal((await alertsOf(ids[2]!)).filter((a) => a.ruleId === 'typhoon.water_level_critical').length, 1);
    });

    test('operators write rules for their own street, checked against the type; the rule fires; other streets see neither', async () => {
      const bad = async (condition: unknown, field: RegExp, status = 400, extra: Record<string, unknown> = {}) => {
        const res = await y.app.inject({ method: 'POST', url: '/api/rules', headers: y.as['lujiazui.operator'], payload: { nameZh: '测试', nameEn: 'Test', deviceType: 'water_level', severity: 'low', condition, ...extra } });
        assert.equal(res.statusCode, status, res.body);
        assert.match(res.body, field);
      };
      await bad({ kind: 'threshold', metric: 'rainfall', above: 1 }, /condition\.metric.*not a metric/);
      await bad({ kind: 'threshold', metric: 'waterLevel', above: 99 }, /condition\.above.*never be reached/);
      await bad({ kind: 'threshold', metric: 'waterLevel' }, /exactly one of above, below or outside/);
      await bad({ kind: 'any', of: [{ kind: 'noData' }] }, /condition\.of\[0\]\.forS/);
      await bad({ kind: 'threshold', metric: 'waterLevel', above: 1 }, /jurisdiction/i, 403, { jurisdictionCode: '310115' });
      const grid = await y.app.inject({ method: 'POST', url: '/api/rules', headers: y.as['lujiazui.grid'], payload: { nameZh: 'x', nameEn: 'x', deviceType: 'water_level', severity: 'low', condition: { kind: 'threshold', metric: 'waterLevel', above: 1 } } });
      assert.equal(grid.statusCode, 403);

      const created = await y.app.inject({
        method: 'POST',
        url: '/api/rules',
        headers: y.as['lujiazui.operator'],
        payload: { id: 'lujiazui.low_water', nameZh: '陆家嘴低水位', nameEn: 'Low water in Lujiazui', deviceType: 'water_level', severity: 'medium', condition: { kind: 'count', metric: 'waterLevel', below: 1, atLeast: 2, withinS: 600 }, clearAfterS: 0 },
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json().jurisdictionCode, '310115005');
      await y.ctx.services.rules.load(); // the change event reloads every process; here, at once
      const d = (await registerDevice(y, 'lujiazui.operator')).id;
      await send(d, { waterLevel: 0.5 });
      await send(d, { waterLevel: 0.6 });
      const mine = (await alertsOf(d)).find((a) => a.ruleId === 'lujiazui.low_water');
      assert.equal(mine?.severity, 'medium');
      assert.equal((await alertsOf(d, 'waitan.operator')).length, 0);
      const waitanRules = (await y.app.inject({ url: '/api/rules', headers: y.as['waitan.operator'] })).json().items as Array<{ id: string }>;
      assert.ok(!waitanRules.some((r) => r.id === 'lujiazui.low_water'));
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`AI detections (${dialect})`, () => {
    let y: ComponentsYiwang;
    let token: { authorization: string };
    before(async () => {
      y = await startDevicesYiwang(dialect, ['lujiazui.operator'], [rulesModule]);
      token = await gatewayToken(y, '310115');
    });
    after(async () => y?.close());
    const detect = async (body: Record<string, unknown>) => {
      const res = await y.app.inject({ method: 'POST', url: '/api/detections', headers: token, payload: body });
      await y.ctx.services.ruleEngine.idle();
      return res;
    };

    test('a confident detection of an uncovered muck truck raises an alert with the snapshot; a doubtful one does not', async () => {
      const cam = (await registerDevice(y, 'lujiazui.operator', { type: 'camera', name: '杨高路AI摄像机' })).id;
      const other = (await registerDevice(y, 'lujiazui.operator', { type: 'camera', name: '世纪大道AI摄像机' })).id;
      assert.equal((await detect({ cameraId: other, class: 'uncovered_muck_truck', confidence: 0.55 })).statusCode, 201);
      const res = await detect({ cameraId: cam, class: 'uncovered_muck_truck', confidence: 0.93, snapshotUrl: 'https://vision.example.gov.cn/snap/1115.jpg' });
      assert.equal(res.statusCode, 201, res.body);
      const alerts = (await y.app.inject({ url: '/api/alerts?status=open', headers: y.as['lujiazui.operator'] })).json().items as Array<{ ruleId: string; subjectId: string; message: string; evidence: { detections: Array<{ snapshotUrl: string; confidence: number }> } }>;
      const mine = alerts.filter((a) => a.ruleId === 'ai_vision.uncovered_muck_truck');
      assert.deepEqual(mine.map((a) => a.subjectId), [cam], 'only the confident detection');
      assert.match(mine[0]!.message, /杨高路AI摄像机 识别到渣土车未密闭/);
      assert.equal(mine[0]!.evidence.detections.at(-1)!.snapshotUrl, 'https://vision.example.gov.cn/snap/1115.jpg');
      // Nothing more seen: after its window and clear time the alert clears.
      y.clock.advance(300_000 + 1000); // the detection leaves the rule's 5-minute window
      await y.ctx.services.ruleEngine.tick();
      y.clock.advance(600_000 + 1000); // and the rule's clear time passes
      await y.ctx.services.ruleEngine.tick();
      const after = (await y.app.inject({ url: '/api/alerts?status=cleared', headers: y.as['lujiazui.operator'] })).json().items as Array<{ subjectId: string }>;
      assert.ok(after.some((a) => a.subjectId === cam));
    });

    test('bad detections are 400s naming the field', async () => {
      const cam = (await registerDevice(y, 'lujiazui.operator', { type: 'camera', name: '摄像机' })).id;
      const gauge = (await registerDevice(y, 'lujiazui.operator')).id;
      const field = async (body: Record<string, unknown>) => (await detect(body)).json().field;
      assert.equal(await field({ cameraId: gauge, class: 'exposed_garbage', confidence: 0.9 }), 'cameraId');
      assert.equal(await field({ cameraId: cam, class: 'ufo', confidence: 0.9 }), 'class');
      assert.equal(await field({ cameraId: cam, class: 'exposed_garbage', confidence: 0.9, ts: y.clock.now() + 86_400_000 }), 'ts');
      assert.equal(await field({ cameraId: cam, class: 'exposed_garbage', confidence: 0.9, snapshotUrl: 'javascript:alert(1)' }), 'snapshotUrl');
    });
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../platform/db/testing.ts';
import type { ComponentsYiwang } from '../components/testing.ts';
import { gatewayToken, registerDevice } from '../devices/testing.ts';
import { makeComponent } from '../components/testing.ts';
import { PLACES, reportCase, startCasesYiwang, walkToClosure } from './testing.ts';
import { login, makeAccount } from '../../org/testing.ts';
import { DEMO_PASSWORD } from '../../org/demo-accounts.ts';

const sh = (iso: string) => Date.parse(`${iso}+08:00`);
const USERS = ['citizen', 'lujiazui.operator', 'pudong.operator', 'city.operator', 'lujiazui.grid', 'lujiazui.grid2', 'lujiazui.cgzf', 'admin'];

for (const dialect of DIALECTS) {
  describe(`cases: time limits, escalation and automatic sources (${dialect})`, () => {
    let y: ComponentsYiwang;
    before(async () => {
      y = await startCasesYiwang(dialect, USERS);
    });
    after(async () => y?.close());
    const call = (who: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown) => y.app.inject({ method, url, headers: y.as[who], payload: payload as object });
    const view = async (who: string, id: string) => (await call(who, 'GET', `/api/cases/${id}`)).json();
    const told = async (who: string, id: string) => ((await call(who, 'GET', '/api/messages?topic=case&limit=100')).json().items as Array<{ title: string; subject: { id: string } | null }>).filter((m) => m.subject?.id === id).map((m) => m.title);
    const sweep = () => y.ctx.services.caseSweeper.sweep();
    /** Signs in a new staff member of a district department. */
    const staffOf = async (department: string) => {
      const a = await makeAccount(y.ctx, { roles: ['staff'], departmentCode: department, scopeCode: '310115' });
      return login(y.app, a.username, a.password);
    };
    // Moving the clock by days outlives the sessions: everyone signs in again at the new time.
    const at = async (t: number) => {
      y.clock.set(t);
      for (const u of USERS) y.as[u] = await login(y.app, u, DEMO_PASSWORD);
    };

    test('a report on the eve of National Day is due after the holiday; overdue, it escalates to the district, then to the city', async () => {
      await at(sh('2026-09-30T16:30'));
      const c = await reportCase(y, 'citizen');
      const due = (await view('lujiazui.operator', c.id)).dueAt;
      assert.equal(due, sh('2026-10-08T09:30'), 'one working hour: 30 minutes on the 30th, 30 after the holiday');
      assert.equal((await view('lujiazui.operator', c.id)).yellowAt, sh('2026-10-08T09:18'), '80 % (48 working minutes) is used after the holiday too');

      await at(sh('2026-10-05T12:00'));
      assert.equal((await sweep()).escalated, 0, 'the holiday does not count');
      assert.equal((await view('lujiazui.operator', c.id)).colour, 'green', 'still green: no working time has passed');

      await at(sh('2026-10-08T09:31'));
      // The server's own sweep (every 30 s) may have escalated it first: the case's level tells.
      await sweep();
      const district = await view('lujiazui.operator', c.id);
      assert.equal(district.colour, 'red');
      assert.equal(district.levelName, 'district');
      assert.ok((await told('pudong.operator', c.id)).some((t) => t.startsWith('超时升级')), 'the district centre is told');
      assert.deepEqual(await told('city.operator', c.id), [], 'not yet the city');
      const escalated = (await call('pudong.operator', 'GET', '/api/cases?escalated=true&colour=red')).json().items as Array<{ id: string }>;
      assert.ok(escalated.some((x) => x.id === c.id));
      assert.equal((await sweep()).escalated, 0, 'once per level');

      await at(sh('2026-10-08T10:31'));
      await sweep();
      const city = await view('city.operator', c.id);
      assert.equal(city.levelName, 'city');
      assert.ok((await told('city.operator', c.id)).some((t) => t.startsWith('超时升级')));
      await at(sh('2026-10-09T17:00'));
      await sweep();
      assert.equal((await view('city.operator', c.id)).level, 2, 'nothing beyond the city');
      const timeline = (await view('lujiazui.operator', c.id)).timeline.filter((e: { action: string }) => e.action === 'escalate');
      assert.equal(timeline.length, 2);

      // Accepting late counts the stage as late; the next stage has a fresh clock.
      const accepted = (await call('lujiazui.operator', 'POST', `/api/cases/${c.id}/accept`, {})).json();
      assert.equal(accepted.late, 1);
      assert.equal(accepted.colour, 'green');
    });

    test('a district centre supervises an open case (督办); a street centre may not', async () => {
      await at(sh('2026-11-30T10:00'));
      const c = await reportCase(y, 'lujiazui.grid', { description: '早餐摊' });
      assert.equal((await call('lujiazui.operator', 'POST', `/api/cases/${c.id}/supervise`, { note: '请加快' })).statusCode, 403);
      const s = await call('pudong.operator', 'POST', `/api/cases/${c.id}/supervise`, { note: '群众反映强烈，请今日办结' });
      assert.equal(s.statusCode, 200, s.body);
      assert.equal(s.json().supervised, true);
      assert.equal(s.json().levelName, 'district');
      const list = (await call('pudong.operator', 'GET', '/api/cases?supervised=true')).json().items as Array<{ id: string }>;
      assert.ok(list.some((x) => x.id === c.id));
      // The city supervising raises it to the city: the sweep has nowhere further to send it.
      assert.equal((await call('pudong.operator', 'POST', `/api/cases/${c.id}/supervise`, { note: '再次督办' })).statusCode, 409, 'the same level twice says nothing new');
      const city = await call('city.operator', 'POST', `/api/cases/${c.id}/supervise`, { note: '市级督办' });
      assert.equal(city.json().levelName, 'city', 'the city may take over the supervision');
      await at(sh('2026-12-03T10:00'));
      await sweep();
      assert.deepEqual((await view('city.operator', c.id)).timeline.filter((e: { action: string }) => e.action === 'escalate'), [], 'no escalation past the city');
    });

    test('a manhole cover sensor opens a case by itself: the rule fires, the alert files and dispatches a case', async () => {
      await at(Date.now());
      const device = await registerDevice(y, 'lujiazui.operator', { type: 'manhole_tilt', name: '井盖传感器' });
      const token = await gatewayToken(y, '310115');
      const res = await y.app.inject({ method: 'POST', url: '/api/telemetry', headers: token, payload: { readings: [{ deviceId: device.id, values: { coverOpened: 1 } }] } });
      assert.equal(res.statusCode, 200, res.body);
      let found: { id: string } | undefined;
      for (let i = 0; i < 100 && !found; i++) {
        await new Promise((r) => setTimeout(r, 50));
        found = ((await call('lujiazui.operator', 'GET', '/api/cases?category=P0101')).json().items as Array<{ id: string; source: string }>).find((x) => x.source === 'alert');
      }
      assert.ok(found, 'a case was filed from the alert');
      const c = await view('lujiazui.operator', found.id);
      assert.equal(c.stage, 'disposal', 'dispatched at once');
      assert.equal(c.severity, 'urgent', 'a high alert is urgent');
      assert.ok(c.alertId);
      assert.equal(c.departmentCode, 'zjw.310115');
      // The district's 建管委 sends it back to the street, which has its grid worker close the cover.
      const zjw = await staffOf('zjw.310115');
      assert.equal((await y.app.inject({ method: 'POST', url: `/api/cases/${found.id}/return`, headers: zjw, payload: { reason: '井盖属街道巡查范围，请网格员先行处置' } })).statusCode, 200);
      const closed = await walkToClosure(y, found.id);
      assert.equal(closed.stage, 'closed');
    });

    test('an inspection that finds a component damaged opens a case for its maintainer, once', async () => {
      await at(Date.now());
      const made = await call('lujiazui.operator', 'POST', '/api/components', makeComponent({ at: PLACES.lujiazui, maintainerDept: 'sw.310115' }));
      assert.equal(made.statusCode, 201, made.body);
      const comp = made.json();
      const upd = await call('lujiazui.grid', 'PATCH', `/api/components/${comp.code}`, { version: comp.version, status: 'damaged' });
      assert.equal(upd.statusCode, 200, upd.body);
      let found: { id: string } | undefined;
      for (let i = 0; i < 100 && !found; i++) {
        await new Promise((r) => setTimeout(r, 50));
        found = ((await call('lujiazui.operator', 'GET', '/api/cases?category=P0101')).json().items as Array<{ id: string; source: string }>).find((x) => x.source === 'inspection');
      }
      assert.ok(found, 'a case was filed from the inspection');
      const c = await view('lujiazui.operator', found.id);
      assert.equal(c.componentCode, comp.code);
      const linked = (await call('lujiazui.operator', 'GET', `/api/cases?component=${comp.code}`)).json().items as Array<{ id: string }>;
      assert.deepEqual(linked.map((x) => x.id), [found.id], 'the component card finds its case');
      assert.equal((await call('lujiazui.operator', 'GET', '/api/cases?component=12')).statusCode, 400);
      assert.equal(c.departmentCode, 'sw.310115', 'to the maintainer of the component');
      assert.ok((await view('lujiazui.grid', found.id)).timeline.length >= 1, 'the inspecting worker follows it');
      const again = await call('lujiazui.grid', 'PATCH', `/api/components/${comp.code}`, { version: upd.json().version, status: 'missing' });
      assert.equal(again.statusCode, 200);
      await new Promise((r) => setTimeout(r, 300));
      const all = ((await call('lujiazui.operator', 'GET', '/api/cases?category=P0101')).json().items as Array<{ source: string }>).filter((x) => x.source === 'inspection');
      assert.equal(all.length, 1, 'one open case per component');
      const sw = await staffOf('sw.310115');
      assert.equal((await y.app.inject({ method: 'POST', url: `/api/cases/${found.id}/return`, headers: sw, payload: { reason: '请街道网格员先行围挡' } })).statusCode, 200);
      assert.equal((await walkToClosure(y, found.id, { verifier: 'lujiazui.grid2' })).stage, 'closed');
    });

    test('figures: closure, on-time and reopen rates and time per stage, by department', async () => {
      await at(sh('2026-12-01T09:10'));
      const c = await reportCase(y, 'lujiazui.grid', { description: '占道' });
      const photo = async (who: string) => (await y.app.inject({ method: 'POST', url: '/api/cases/photos', headers: { ...y.as[who], 'content-type': 'image/png' }, payload: Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from(String(Math.random()))]) })).json().id;
      y.clock.advance(30 * 60_000);
      assert.equal((await call('lujiazui.cgzf', 'POST', `/api/cases/${c.id}/handle`, { note: '已处理', photos: [await photo('lujiazui.cgzf')] })).statusCode, 200);
      y.clock.advance(60 * 60_000);
      assert.equal((await call('lujiazui.grid2', 'POST', `/api/cases/${c.id}/verify`, { passed: true, photos: [await photo('lujiazui.grid2')] })).statusCode, 200);
      const f = (await call('pudong.operator', 'GET', `/api/cases/figures?from=${sh('2026-12-01T00:00')}&to=${sh('2026-12-02T00:00')}&by=department`)).json();
      const row = f.rows.find((r: { key: string }) => r.key === 'cgzf.310115005');
      assert.ok(row, JSON.stringify(f));
      assert.equal(row.name, '陆家嘴街道城管执法中队');
      assert.equal(row.closed, 1);
      assert.equal(row.onTimeRate, 1);
      assert.equal(row.avgStageHours.disposal, 0.5);
      assert.equal(row.avgStageHours.verification, 1);
      const byPlace = (await call('city.operator', 'GET', `/api/cases/figures?from=${sh('2026-12-01T00:00')}&to=${sh('2026-12-02T00:00')}&by=jurisdiction`)).json();
      assert.ok(byPlace.rows.some((r: { key: string; name: string }) => r.key === '310115' && r.name === '浦东新区'), 'the city sees districts');
      assert.equal((await call('citizen', 'GET', `/api/cases/figures?from=1&to=2&by=category`)).statusCode, 403);
    });
  });
}

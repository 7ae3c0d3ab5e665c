import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../platform/db/testing.ts';
import { DEMO_PASSWORD } from '../../org/demo-accounts.ts';
import { login } from '../../org/testing.ts';
import { chinaCalendar, shanghaiDate } from '../../platform/calendar/working-calendar.ts';
import { attachAll, caller, fillForm, MONDAY_10AM, startServicesYiwang, uploadPdf, type ServicesYiwang } from './testing.ts';

const FOOD = '310000-SCJG-XK-0006';
const USERS = ['enterprise', 'pudong.scjg'];
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const cal = chinaCalendar();

for (const dialect of DIALECTS) {
  describe(`applications: working-day limits, corrections pausing the clock, overdue escalation (${dialect})`, () => {
    let y: ServicesYiwang;
    let call: ReturnType<typeof caller>;
    let form: any;
    before(async () => {
      y = await startServicesYiwang(dialect, USERS);
      call = caller(y);
      form = (await call(null, 'GET', `/api/services/items/${FOOD}/form`)).body;
    });
    after(async () => y?.close());

    /** Moves the clock and signs everyone in again (sessions end after 12 hours). */
    async function at(t: number): Promise<void> {
      y.clock.set(t);
      for (const u of USERS) y.as[u] = await login(y.app, u, DEMO_PASSWORD);
    }

    async function submitted(): Promise<any> {
      const d = await call('enterprise', 'POST', '/api/services/applications', { itemCode: FOOD, form: fillForm(form.schema, { 'premises.district': '310115' }), materials: await attachAll(y, 'enterprise', form.materials) });
      return (await call('enterprise', 'POST', `/api/services/applications/${d.body.id}/submit`, {})).body;
    }

    test('limits count working days: pre-check has 2, review the promised days from acceptance; a weekend does not count', async () => {
      await at(MONDAY_10AM);
      const a = await submitted();
      // Monday 10:00 + 2 working days = Wednesday at the close of office (17:00 Shanghai).
      assert.equal(a.dueAt, Date.UTC(2026, 2, 4, 9, 0, 0));
      await at(Date.UTC(2026, 2, 6, 2, 0, 0)); // Friday 10:00: accepted late
      const v = (await call('pudong.scjg', 'POST', `/api/services/applications/${a.id}/accept`, {})).body;
      assert.equal(v.dueAt, cal.due(Date.UTC(2026, 2, 6, 2, 0, 0), { amount: v.promisedDays, unit: 'work_days' }));
      assert.ok(new Date(v.dueAt + 8 * HOUR).getUTCDay() % 6 !== 0, 'a limit never ends on a weekend');
    });

    test('a correction stops the clock: the office time left is kept, and resubmission starts it again from there; the queue shows it paused', async () => {
      await at(MONDAY_10AM + 7 * DAY);
      const a = await submitted();
      const accepted = (await call('pudong.scjg', 'POST', `/api/services/applications/${a.id}/accept`, {})).body;
      await at(MONDAY_10AM + 7 * DAY + 4 * HOUR); // Monday 14:00
      const left = cal.workingMsBetween(y.clock.now(), accepted.dueAt);
      const key = form.materials.find((m: any) => m.source === 'applicant' && m.required).key;
      const asked = await call('pudong.scjg', 'POST', `/api/services/applications/${a.id}/correct`, { note: '平面布局图不清晰，请重新上传', materials: [key] });
      assert.equal(asked.body.stage, 'correction');
      assert.equal(asked.body.colour, 'paused');
      assert.equal(asked.body.dueAt, null);
      assert.deepEqual(asked.body.correction.materials, [key]);
      assert.ok(asked.body.materials.find((m: any) => m.key === key).toCorrect);
      assert.equal((await call('pudong.scjg', 'GET', '/api/services/applications?stage=correction')).body.items.find((i: any) => i.id === a.id).colour, 'paused');
      // Staff cannot move it on while it waits for the applicant.
      assert.equal((await call('pudong.scjg', 'POST', `/api/services/applications/${a.id}/pass`, {})).status, 409);

      // Eight calendar days later (a weekend inside) the applicant resubmits.
      await at(MONDAY_10AM + 15 * DAY);
      const file = await uploadPdf(y, 'enterprise', '平面布局图.pdf');
      const back = await call('enterprise', 'POST', `/api/services/applications/${a.id}/resubmit`, { materials: { [key]: [file] }, note: '已重新上传' });
      assert.equal(back.status, 200, JSON.stringify(back.body));
      assert.equal(back.body.stage, 'review', 'back where the correction was asked');
      assert.equal(cal.workingMsBetween(y.clock.now(), back.body.dueAt), left, 'exactly the office time that was left');
      assert.ok(back.body.dueAt > accepted.dueAt);
      assert.equal(back.body.pausedMs, cal.workingMsBetween(MONDAY_10AM + 7 * DAY + 4 * HOUR, y.clock.now()));
      assert.equal(back.body.materials.find((m: any) => m.key === key).files[0].id, file);
      const resubmit = back.body.timeline.at(-1);
      assert.equal(resubmit.action, 'resubmit');
      assert.equal(resubmit.detail.pausedMs, back.body.pausedMs);
      // Only what was asked may change.
      assert.equal((await call('enterprise', 'POST', `/api/services/applications/${a.id}/resubmit`, { form: { 'applicant.name': '别人' } })).status, 409, 'nothing is waiting any more');
      // Resubmitting again has nothing to answer.
      assert.equal((await call('enterprise', 'POST', `/api/services/applications/${a.id}/resubmit`, {})).body.code, 'APPLICATION_TRANSITION_INVALID');
    });

    test('an overdue application stays overdue through a correction: red on resumption, not escalated twice, decided late', async () => {
      await at(MONDAY_10AM + 28 * DAY);
      const a = await submitted();
      const v = (await call('pudong.scjg', 'POST', `/api/services/applications/${a.id}/accept`, {})).body;
      await at(cal.addWorkingMs(v.dueAt, 2 * 7 * HOUR)); // two working days past the limit
      await y.ctx.services.applicationSweeper.sweep();
      const key = form.materials.find((m: any) => m.source === 'applicant' && m.required).key;
      assert.equal((await call('pudong.scjg', 'POST', `/api/services/applications/${a.id}/correct`, { note: '请补充', fields: ['premises.district'] })).body.field, 'fields', 'the district is not corrected: it decides the office');
      assert.equal((await call('pudong.scjg', 'POST', `/api/services/applications/${a.id}/correct`, { note: '请补充平面图', materials: [key] })).status, 200);
      await at(y.clock.now() + 3 * DAY);
      assert.equal((await call('enterprise', 'POST', `/api/services/applications/${a.id}/resubmit`, { form: { 'applicant.name': '改名' }, materials: { [key]: [await uploadPdf(y, 'enterprise')] } })).body.field, 'form.applicant.name', 'only what was asked');
      const back = (await call('enterprise', 'POST', `/api/services/applications/${a.id}/resubmit`, { materials: { [key]: [await uploadPdf(y, 'enterprise')] } })).body;
      assert.equal(back.colour, 'red');
      assert.equal(cal.workingMsBetween(back.dueAt, y.clock.now()), 2 * 7 * HOUR, 'exactly as overdue as when it paused');
      assert.equal(back.level, 1);
      assert.equal((await y.ctx.services.applicationSweeper.sweep()).escalated, 0, 'the same clock is escalated once');
      let cur = (await call('pudong.scjg', 'GET', `/api/services/applications/${a.id}`)).body;
      while (cur.actions.includes('pass')) cur = (await call('pudong.scjg', 'POST', `/api/services/applications/${a.id}/pass`, {})).body;
      const done = await call('pudong.scjg', 'POST', `/api/services/applications/${a.id}/approve`, {});
      assert.equal(done.body.late, true, JSON.stringify(done.body).slice(0, 300));
    });

    test('colours turn yellow late in the limit and red past it; the sweep escalates an overdue application once and tells the department', async () => {
      await at(MONDAY_10AM + 42 * DAY);
      const a = await submitted();
      const v = (await call('pudong.scjg', 'POST', `/api/services/applications/${a.id}/accept`, {})).body;
      await at(v.dueAt - 30 * 60_000);
      assert.equal((await call('pudong.scjg', 'GET', `/api/services/applications/${a.id}`)).body.colour, 'yellow');
      await at(v.dueAt + 60_000);
      assert.equal((await call('pudong.scjg', 'GET', `/api/services/applications/${a.id}`)).body.colour, 'red');
      const first = await y.ctx.services.applicationSweeper.sweep();
      assert.ok(first.escalated >= 1);
      const after = (await call('pudong.scjg', 'GET', `/api/services/applications/${a.id}`)).body;
      assert.equal(after.level, 1);
      assert.equal(after.timeline.at(-1).action, 'escalate');
      const inbox = (await call('pudong.scjg', 'GET', '/api/messages?limit=50')).body.items;
      assert.ok(inbox.some((m: any) => m.subject?.id === a.id && /超期/.test(m.title)), JSON.stringify(inbox.map((m: any) => m.title)) + JSON.stringify(first));
      const again = await y.ctx.services.applicationSweeper.sweep();
      assert.equal(again.escalated, 0, 'once per clock');
      // Decided late: on record as late.
      let cur = after;
      while (cur.actions.includes('pass')) cur = (await call('pudong.scjg', 'POST', `/api/services/applications/${a.id}/pass`, {})).body;
      const decided = (await call('pudong.scjg', 'POST', `/api/services/applications/${a.id}/approve`, {})).body;
      assert.equal(decided.late, true);
      const figures = (await call('pudong.scjg', 'GET', `/api/services/figures?from=${MONDAY_10AM}&to=${y.clock.now() + 1}`)).body;
      const food = figures.byItem.find((i: any) => i.code === FOOD);
      assert.ok(food.decided >= 1);
      assert.ok(food.onTimeRate < 1, 'the late one counts against the on-time rate');
      assert.ok(food.avgDays > 0 && food.promisedDays > 0);
      assert.ok(figures.catalogue.items >= 150 && figures.catalogue.fullyOnline > 0 && figures.catalogue.atMostOneTrip > 0);
      const dept = figures.byDepartment.find((d: any) => d.code === 'scjg.310115');
      assert.equal(dept.nameEn, 'Pudong New Area Administration for Market Regulation');
      assert.equal(figures.daily.reduce((s: number, d: any) => s + d.submitted, 0), figures.applications.submitted, 'the daily series adds up');
      assert.equal(figures.daily.at(-1).date, shanghaiDate(y.clock.now()));
    });
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../platform/db/testing.ts';
import { shanghaiDate, shanghaiIso } from '../../platform/calendar/working-calendar.ts';
import { makeAccount, login } from '../../org/testing.ts';
import { attachAll, caller, fillForm, startServicesYiwang, TINY_PDF, uploadPdf, XSS, type ServicesYiwang } from './testing.ts';

const FOOD = '310000-SCJG-XK-0006'; // 食品经营许可: licensing, three review steps, enterprise applicants
const USERS = ['enterprise', 'citizen', 'pudong.scjg', 'pudong.sw', 'admin', 'lujiazui.operator'];

for (const dialect of DIALECTS) {
  describe(`applications: the whole life through the API (${dialect})`, () => {
    let y: ServicesYiwang;
    let call: ReturnType<typeof caller>;
    let form: { schema: { properties: Record<string, Record<string, unknown>>; required: string[] }; materials: Array<{ key: string; source: string; required: boolean }>; steps: unknown[] };
    before(async () => {
      y = await startServicesYiwang(dialect, USERS);
      call = caller(y);
      form = (await call(null, 'GET', `/api/services/items/${FOOD}/form`)).body;
    });
    after(async () => y?.close());

    /** A submitted application of the food licence in Pudong, as the enterprise. */
    async function submitted(): Promise<any> {
      const materials = await attachAll(y, 'enterprise', form.materials);
      const d = await call('enterprise', 'POST', '/api/services/applications', { itemCode: FOOD, form: fillForm(form.schema, { 'premises.district': '310115' }), materials });
      assert.equal(d.status, 201, JSON.stringify(d.body));
      const s = await call('enterprise', 'POST', `/api/services/applications/${d.body.id}/submit`, {});
      assert.equal(s.status, 200, JSON.stringify(s.body));
      return s.body;
    }

    test("an item's form is a JSON Schema with layout hints; its own application form is filled online, not uploaded", async () => {
      assert.equal(form.schema.properties['premises.district']?.type, 'string');
      assert.ok(form.schema.required.includes('premises.district'));
      assert.ok(form.steps.length >= 2);
      const online = form.materials.find((m) => m.key.endsWith('-form'));
      assert.equal(online?.source, 'form');
      assert.ok(form.materials.some((m) => m.source === 'scjg'), 'the business licence is held by market regulation');
      assert.equal((await call(null, 'GET', '/api/services/items/nope/form')).status, 400);
    });

    test('draft → saved as you go → submit → accept → each review step → approve: a licence is recorded, the applicant told at each step, all audited', async () => {
      const d = await call('enterprise', 'POST', '/api/services/applications', { itemCode: FOOD, form: { 'company.name': `${XSS} 申味小馆` } });
      assert.equal(d.status, 201);
      assert.equal(d.body.stage, 'draft');
      assert.deepEqual(d.body.actions, ['submit', 'withdraw']);
      // A partial draft saves; the next save carries the version read.
      const saved = await call('enterprise', 'PUT', `/api/services/applications/${d.body.id}`, { form: { 'company.name': `${XSS} 申味小馆`, 'premises.district': '310115' }, version: d.body.version });
      assert.equal(saved.status, 200);
      assert.equal(saved.body.form['company.name'], `${XSS} 申味小馆`, 'stored as typed: clients render text, never HTML');
      assert.equal((await call('enterprise', 'PUT', `/api/services/applications/${d.body.id}`, { form: {}, version: d.body.version })).body.code, 'CONFLICT', 'a save over a newer version is refused');
      // Incomplete: the form first, then the materials.
      const incomplete = await call('enterprise', 'POST', `/api/services/applications/${d.body.id}/submit`, {});
      assert.equal(incomplete.status, 400);
      assert.equal(incomplete.body.code, 'FIELD_REQUIRED');
      assert.match(incomplete.body.field, /^form\./);
      await call('enterprise', 'PUT', `/api/services/applications/${d.body.id}`, { form: fillForm(form.schema, { 'premises.district': '310115' }) });
      const noFiles = await call('enterprise', 'POST', `/api/services/applications/${d.body.id}/submit`, {});
      assert.equal(noFiles.body.code, 'MATERIAL_MISSING');
      assert.match(noFiles.body.detail, /still to be uploaded/);
      await call('enterprise', 'PUT', `/api/services/applications/${d.body.id}`, { materials: await attachAll(y, 'enterprise', form.materials) });
      const s = await call('enterprise', 'POST', `/api/services/applications/${d.body.id}/submit`, {});
      assert.equal(s.status, 200, JSON.stringify(s.body));
      assert.equal(s.body.stage, 'submitted');
      assert.equal(s.body.departmentCode, 'scjg.310115', 'routed to the district office of the item\'s department');
      assert.equal(s.body.colour, 'green');

      // Staff of the department see it in their queue; others do not.
      const queue = await call('pudong.scjg', 'GET', '/api/services/applications?open=true');
      assert.ok(queue.body.items.some((a: any) => a.id === d.body.id));
      assert.ok(!(await call('pudong.sw', 'GET', '/api/services/applications?open=true')).body.items.some((a: any) => a.id === d.body.id));
      assert.equal((await call('pudong.sw', 'GET', `/api/services/applications/${d.body.id}`)).body.code, 'DEPARTMENT_FORBIDDEN');
      const staffView = await call('pudong.scjg', 'GET', `/api/services/applications/${d.body.id}`);
      assert.deepEqual(staffView.body.actions, ['accept', 'correct', 'reject']);
      // Materials can be previewed by the department through the application.
      const fileId = staffView.body.materials.find((m: any) => m.files.length).files[0].id;
      const preview = await y.app.inject({ method: 'GET', url: `/api/services/applications/${d.body.id}/files/${fileId}`, headers: y.as['pudong.scjg'] });
      assert.equal(preview.statusCode, 200);
      assert.equal(preview.headers['content-type'], 'application/pdf');
      assert.equal((await y.app.inject({ method: 'GET', url: `/api/services/applications/${d.body.id}/files/${fileId}`, headers: y.as['pudong.sw'] })).statusCode, 403);

      let v = (await call('pudong.scjg', 'POST', `/api/services/applications/${d.body.id}/accept`, { note: '材料齐全' })).body;
      assert.equal(v.stage, 'review');
      assert.ok(v.dueAt > v.acceptedAt && v.legalDueAt >= v.dueAt);
      for (let i = 0; i < v.steps.length - 1; i++) {
        assert.equal((await call('pudong.scjg', 'POST', `/api/services/applications/${d.body.id}/approve`, {})).body.code, 'APPLICATION_TRANSITION_INVALID', 'not before the last step');
        v = (await call('pudong.scjg', 'POST', `/api/services/applications/${d.body.id}/pass`, {})).body;
        assert.equal(v.step, i + 1);
      }
      v = (await call('pudong.scjg', 'POST', `/api/services/applications/${d.body.id}/approve`, { note: '准予许可' })).body;
      assert.equal(v.stage, 'approved');
      assert.equal(v.result.kind, 'licence');
      // Five years, to the end of the day before the anniversary (2026-03-02 → 2031-03-01 23:59:59).
      assert.equal(shanghaiIso(v.result.validUntil), `${Number(shanghaiDate(v.result.issuedAt).slice(0, 4)) + 5}${shanghaiIso(v.result.validUntil).slice(4, 10)}T23:59:59+08:00`);
      assert.equal(shanghaiDate(v.result.validUntil + 1).slice(5), shanghaiDate(v.result.issuedAt).slice(5));
      assert.equal(v.late, false);

      // Deciding twice, withdrawing or resubmitting after the decision: refused, nothing changes.
      assert.equal((await call('pudong.scjg', 'POST', `/api/services/applications/${d.body.id}/deny`, { reasons: '再次决定' })).body.code, 'APPLICATION_TRANSITION_INVALID');
      assert.equal((await call('enterprise', 'POST', `/api/services/applications/${d.body.id}/withdraw`, {})).status, 409);
      assert.equal((await call('enterprise', 'POST', `/api/services/applications/${d.body.id}/resubmit`, {})).status, 409);

      const mine = await call('enterprise', 'GET', `/api/services/applications/${d.body.id}`);
      assert.deepEqual(mine.body.timeline.map((e: any) => e.action), ['draft', 'submit', 'accept', ...v.steps.slice(1).map(() => 'pass'), 'approve']);
      const results = (await call('enterprise', 'GET', '/api/services/results')).body.items;
      assert.ok(results.some((r: any) => r.id === v.result.id));
      const inbox = (await call('enterprise', 'GET', '/api/messages?limit=100')).body.items.filter((m: any) => m.subject?.id === d.body.id);
      assert.deepEqual(inbox.map((m: any) => m.title.split('：')[0]).reverse(), ['申请已提交', '申请已受理', ...v.steps.slice(1).map(() => '审查进展'), '申请已办结（准予）']);
      const audit = await y.ctx.db.selectFrom('platform_audit').select('action').where('subject_id', '=', d.body.id).execute();
      assert.deepEqual(new Set(audit.map((a) => a.action)), new Set(['services.application.submit', 'services.application.accept', 'services.application.pass', 'services.application.approve']));
    });

    test('deny needs reasons and records a written denial; reject at pre-check closes it; withdraw before a decision', async () => {
      const a = await submitted();
      assert.equal((await call('pudong.scjg', 'POST', `/api/services/applications/${a.id}/reject`, { reasons: ' ' })).body.code, 'FIELD_REQUIRED');
      const r = await call('pudong.scjg', 'POST', `/api/services/applications/${a.id}/reject`, { reasons: '经营场所不在本辖区' });
      assert.equal(r.body.stage, 'rejected');
      assert.equal(r.body.reasons, '经营场所不在本辖区');

      const b = await submitted();
      await call('pudong.scjg', 'POST', `/api/services/applications/${b.id}/accept`, {});
      const denied = await call('pudong.scjg', 'POST', `/api/services/applications/${b.id}/deny`, { reasons: '现场核查不符合要求' });
      assert.equal(denied.body.stage, 'denied');
      assert.equal(denied.body.result.kind, 'denial');

      const c = await submitted();
      await call('pudong.scjg', 'POST', `/api/services/applications/${c.id}/accept`, {});
      const w = await call('enterprise', 'POST', `/api/services/applications/${c.id}/withdraw`, { note: '暂不开业' });
      assert.equal(w.body.stage, 'withdrawn');
      assert.equal((await call('pudong.scjg', 'POST', `/api/services/applications/${c.id}/pass`, {})).status, 409);
    });

    test('bad input: schema failures name the field; wrong file types, oversize files and others\' files are refused; nothing half-written', async () => {
      const bad = await call('enterprise', 'POST', '/api/services/applications', { itemCode: FOOD, form: { 'applicant.phone': '12345' } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.field, 'form.applicant.phone');
      assert.equal((await call('enterprise', 'POST', '/api/services/applications', { itemCode: FOOD, form: { 'no.such': 1 } })).body.field, 'form.no.such');
      assert.equal((await call('enterprise', 'POST', '/api/services/applications', { itemCode: FOOD, form: { 'premises.area': 'big' } })).body.field, 'form.premises.area');
      assert.equal((await call('enterprise', 'POST', '/api/services/applications', { itemCode: 'x' })).body.field, 'itemCode');
      // A person cannot apply for an enterprise-only item.
      const personal = await call('citizen', 'POST', '/api/services/applications', { itemCode: '310000-TAX-BA-0001' });
      assert.equal(personal.status, 400);
      assert.match(personal.body.detail, /enterprise/);

      for (const type of ['application/octet-stream', 'text/plain', 'application/msword']) {
        const text = await y.app.inject({ method: 'POST', url: '/api/services/files', headers: { ...y.as.enterprise, 'content-type': type }, payload: Buffer.from('just some text') });
        assert.equal(text.statusCode, 415, type);
        assert.equal(text.json().code, 'MATERIAL_TYPE_INVALID', 'the bytes decide, with the reason');
      }
      const lying = await y.app.inject({ method: 'POST', url: '/api/services/files', headers: { ...y.as.enterprise, 'content-type': 'image/png' }, payload: TINY_PDF });
      assert.equal(lying.statusCode, 415);
      const big = await y.app.inject({ method: 'POST', url: '/api/services/files', headers: { ...y.as.enterprise, 'content-type': 'application/pdf' }, payload: Buffer.concat([TINY_PDF, Buffer.alloc(10 * 1024 * 1024)]) });
      assert.equal(big.statusCode, 413);
      const anon = await y.app.inject({ method: 'POST', url: '/api/services/files', headers: { 'content-type': 'application/pdf' }, payload: TINY_PDF });
      assert.equal(anon.statusCode, 401);

      const citizensFile = await uploadPdf(y, 'citizen');
      const key = form.materials.find((m) => m.source === 'applicant')!.key;
      const stolen = await call('enterprise', 'POST', '/api/services/applications', { itemCode: FOOD, materials: { [key]: [citizensFile] } });
      assert.equal(stolen.status, 400);
      assert.match(stolen.body.detail, /someone else/);
      const held = form.materials.find((m) => m.source === 'scjg')!.key;
      assert.match((await call('enterprise', 'POST', '/api/services/applications', { itemCode: FOOD, materials: { [held]: [await uploadPdf(y, 'enterprise')] } })).body.detail, /not to be submitted/);
      assert.equal((await call('enterprise', 'GET', `/api/services/files/${citizensFile}`)).status, 404, 'someone else\'s file does not exist for you');

      // A district that is not a district: submit refuses before anything is written.
      const d = await call('enterprise', 'POST', '/api/services/applications', { itemCode: FOOD, form: fillForm(form.schema, { 'premises.district': '310199' }), materials: await attachAll(y, 'enterprise', form.materials) });
      const s = await call('enterprise', 'POST', `/api/services/applications/${d.body.id}/submit`, {});
      assert.equal(s.body.field, 'form.premises.district');
      const still = await call('enterprise', 'GET', `/api/services/applications/${d.body.id}`);
      assert.equal(still.body.stage, 'draft');
      assert.deepEqual(still.body.timeline.map((e: any) => e.action), ['draft']);
    });

    test('who may act: the applicant only on their own; staff only their department inside their scope; administrators read but do not decide', async () => {
      const a = await submitted();
      assert.equal((await call('citizen', 'GET', `/api/services/applications/${a.id}`)).body.code, 'APPLICATION_NOT_FOUND', 'numbers are sequential: others\' applications do not exist for the public');
      assert.equal((await call('citizen', 'POST', `/api/services/applications/${a.id}/withdraw`, {})).status, 404);
      assert.equal((await call('enterprise', 'POST', `/api/services/applications/${a.id}/accept`, {})).body.code, 'ROLE_FORBIDDEN');
      assert.equal((await call('pudong.sw', 'POST', `/api/services/applications/${a.id}/accept`, {})).body.code, 'DEPARTMENT_FORBIDDEN');
      assert.equal((await call('lujiazui.operator', 'POST', `/api/services/applications/${a.id}/accept`, {})).body.code, 'ROLE_FORBIDDEN');
      // Market regulation in Huangpu: the right department, the wrong district.
      const hp = await makeAccount(y.ctx, { departmentCode: 'scjg.310101', scopeCode: '310101' });
      const hpCookie = await login(y.app, hp.username);
      const res = await y.app.inject({ method: 'POST', url: `/api/services/applications/${a.id}/accept`, headers: hpCookie, payload: {} });
      assert.equal(res.json().code, 'SCOPE_FORBIDDEN');
      const admin = await call('admin', 'GET', `/api/services/applications/${a.id}`);
      assert.equal(admin.status, 200);
      assert.deepEqual(admin.body.actions, []);
      assert.equal((await call('admin', 'POST', `/api/services/applications/${a.id}/accept`, {})).body.code, 'ROLE_FORBIDDEN');
      assert.equal((await call('pudong.scjg', 'GET', `/api/services/applications/${a.id}`)).body.stage, 'submitted', 'nothing changed');
    });
  });
}

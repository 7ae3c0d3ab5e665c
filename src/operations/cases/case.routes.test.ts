import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../platform/db/testing.ts';
import type { ComponentsYiwang } from '../components/testing.ts';
import { PLACES, reportCase, TINY_PNG, uploadPhoto, walkToClosure, XSS } from './testing.ts';
import { startCasesYiwang } from './testing.ts';

const USERS = ['citizen', 'enterprise', 'lujiazui.operator', 'waitan.operator', 'pudong.operator', 'city.operator', 'lujiazui.grid', 'lujiazui.grid2', 'lujiazui.cgzf', 'pudong.scjg', 'admin'];

for (const dialect of DIALECTS) {
  describe(`cases: the closed loop (${dialect})`, () => {
    let y: ComponentsYiwang;
    before(async () => {
      y = await startCasesYiwang(dialect, USERS);
    });
    after(async () => y?.close());
    const call = (who: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => y.app.inject({ method, url, headers: y.as[who], payload: payload as object });
    const act = async (who: string, id: string, action: string, body: unknown = {}, status = 200) => {
      const res = await call(who, 'POST', `/api/cases/${id}/${action}`, body);
      assert.equal(res.statusCode, status, `${who} ${action}: ${res.body}`);
      return res.json();
    };
    const messages = async (who: string) => (await call(who, 'GET', '/api/messages?topic=case&limit=100')).json().items as Array<{ title: string; body: string; subject: { id: string } | null }>;

    test('categories follow GB/T 30428.2, with a responsible sector and a limit per stage', async () => {
      const items = (await call('citizen', 'GET', '/api/cases/categories')).json().items as Array<{ code: string; nameZh: string; groupZh: string; limits: Record<string, { amount: number; unit: string }> }>;
      const names = items.map((c) => c.nameZh);
      for (const n of ['暴露垃圾', '私搭乱建', '渣土车未密闭', '占道经营', '路面塌陷', '井盖丢失/破损', '路灯不亮']) assert.ok(names.includes(n), n);
      const collapse = items.find((c) => c.nameZh === '路面塌陷')!;
      assert.equal(collapse.groupZh, '突发事件');
      assert.equal(collapse.limits.disposal!.unit, 'hours', 'emergencies run round the clock');
      assert.deepEqual(Object.keys(collapse.limits).sort(), ['dispatch', 'disposal', 'filing', 'intake', 'verification']);
    });

    test('a citizen reports with a photo; the case is located, at intake, green; others see only its public fields', async () => {
      const photo = await uploadPhoto(y, 'citizen');
      const c = await reportCase(y, 'citizen', { photos: [photo] });
      assert.match(c.id, /^\d{14}$/);
      assert.equal(c.stage, 'intake');
      assert.equal(c.source, 'citizen');
      assert.equal(c.access, 'reporter');
      assert.match(c.jurisdictionCode, /^310115005\d{6}$/);
      assert.equal(c.description, `${XSS} 早餐摊占道`, 'text is kept as text');
      assert.deepEqual(c.photos, [`/api/cases/photos/${photo}`]);
      const img = await call('citizen', 'GET', c.photos[0]);
      assert.equal(img.headers['content-type'], 'image/png');
      assert.ok(img.rawPayload.subarray(0, 8).equals(TINY_PNG.subarray(0, 8)));

      const op = (await call('lujiazui.operator', 'GET', `/api/cases/${c.id}`)).json();
      assert.equal(op.access, 'official');
      assert.equal(op.colour, 'green');
      assert.ok(op.dueAt > op.stageStartedAt);
      const other = (await call('enterprise', 'GET', `/api/cases/${c.id}`)).json();
      assert.equal(other.access, 'public');
      assert.deepEqual(other.timeline, [], 'no timeline for the public');
      const elsewhere = (await call('waitan.operator', 'GET', `/api/cases/${c.id}`)).json();
      assert.equal(elsewhere.access, 'public', 'another street\'s centre gets the public fields only');
      assert.equal(elsewhere.dueAt, op.dueAt, 'the public may see the promised time');
      assert.equal(elsewhere.assigneeId, null);
      const queue = (await call('waitan.operator', 'GET', '/api/cases?stage=open')).json().items as Array<{ id: string }>;
      assert.ok(!queue.some((x) => x.id === c.id), 'nor is it in their queue');
      const mine = (await call('citizen', 'GET', '/api/cases')).json().items as Array<{ id: string }>;
      assert.ok(mine.some((x) => x.id === c.id));
      assert.ok(!(await call('enterprise', 'GET', '/api/cases')).json().items.some((x: { id: string }) => x.id === c.id));
    });

    test('the whole loop: accept, file, dispatch to a worker, handle, a failed verification reopens it, a second verification closes it, the citizen is told and rates', async () => {
      const c = await reportCase(y, 'citizen');
      await act('lujiazui.operator', c.id, 'accept', { note: '已核实' });
      await act('lujiazui.operator', c.id, 'file', { severity: 'normal' });
      const atDispatch = (await call('lujiazui.operator', 'GET', `/api/cases/${c.id}`)).json();
      assert.equal(atDispatch.proposal.departmentCode, 'cgzf.310115005', 'street vending goes to the street\'s enforcement squadron');
      const gridId = (await call('lujiazui.grid', 'GET', '/api/auth/me')).json().account.id as string;
      const dispatched = await act('lujiazui.operator', c.id, 'dispatch', { assigneeId: gridId, supporting: ['ga.310115005'] });
      assert.equal(dispatched.stage, 'disposal');
      assert.equal(dispatched.departmentCode, 'cgzf.310115005');
      assert.deepEqual(dispatched.supporting, ['ga.310115005'], '协调件: the police station supports');
      const ownList = (await call('citizen', 'GET', '/api/cases')).json().items as Array<{ id: string; assigneeId: string | null }>;
      assert.equal(ownList.find((x) => x.id === c.id)?.assigneeId, null, 'the citizen is not told which worker has it');
      assert.equal((await call('citizen', 'GET', `/api/cases/${c.id}`)).json().departmentCode, null);
      const tasks = (await call('lujiazui.grid', 'GET', `/api/cases?mine=true&near=${PLACES.lujiazui.join(',')}`)).json().items as Array<{ id: string; distanceM: number }>;
      assert.ok(tasks.some((t) => t.id === c.id && typeof t.distanceM === 'number'), 'the worker finds the task, nearest first');

      const evidence = await uploadPhoto(y, 'lujiazui.grid');
      await act('lujiazui.grid', c.id, 'handle', { note: '已劝离摊贩，恢复通行', photos: [evidence] });
      const self = await call('lujiazui.grid', 'POST', `/api/cases/${c.id}/verify`, { passed: true, photos: [evidence] });
      assert.equal(self.statusCode, 403);
      assert.equal(self.json().code, 'CASE_SELF_VERIFICATION');
      const noPhoto = await call('lujiazui.grid2', 'POST', `/api/cases/${c.id}/verify`, { passed: true, photos: [] });
      assert.equal(noPhoto.statusCode, 400);
      assert.equal(noPhoto.json().field, 'photos');

      const check = await uploadPhoto(y, 'lujiazui.grid2');
      const reopened = await act('lujiazui.grid2', c.id, 'verify', { passed: false, photos: [check], note: '摊贩又回来了' });
      assert.equal(reopened.stage, 'disposal');
      assert.equal(reopened.reopenCount, 1);
      await act('lujiazui.grid', c.id, 'handle', { note: '再次劝离并登记', photos: [evidence] });
      const closed = await act('lujiazui.grid2', c.id, 'verify', { passed: true, photos: [check] });
      assert.equal(closed.stage, 'closed');
      assert.equal(closed.status, 'closed');
      assert.ok(closed.closedAt);

      const seen = (await call('citizen', 'GET', `/api/cases/${c.id}`)).json();
      assert.deepEqual(seen.timeline.map((e: { action: string }) => e.action), ['report', 'accept', 'dispatch', 'handle', 'verify_fail', 'handle', 'verify_pass']);
      assert.equal(seen.timeline.find((e: { action: string }) => e.action === 'handle').note, '已劝离摊贩，恢复通行', 'the reply is shown');
      assert.equal(seen.timeline.find((e: { action: string }) => e.action === 'verify_fail').note, null, 'internal notes are not');
      assert.ok(seen.timeline.every((e: { actorName: string | null; action: string }) => e.action === 'report' || e.actorName === null), 'nor which official did it');
      const told = (await messages('citizen')).filter((m) => m.subject?.id === c.id).map((m) => m.title);
      for (const t of ['您反映的问题已受理', '您反映的问题已派遣处置', '您反映的问题已处置，等待核查', '您反映的问题复核未通过，已重新处置', '您反映的问题已办结，欢迎评价']) assert.ok(told.includes(t), t);
      assert.ok((await messages('lujiazui.grid')).some((m) => m.subject?.id === c.id && m.title.startsWith('新任务')), 'the assignee was told');

      assert.equal((await call('enterprise', 'POST', `/api/cases/${c.id}/rate`, { rating: 5 })).statusCode, 403, 'only reporters rate');
      const rated = await act('citizen', c.id, 'rate', { rating: 4, comment: '处理及时' });
      assert.equal(rated.rating, 4);
      assert.equal((await call('citizen', 'POST', `/api/cases/${c.id}/rate`, { rating: 1 })).statusCode, 409, 'once');
    });

    test('a department returns a wrongly dispatched case with a reason; others may not touch it', async () => {
      const c = await reportCase(y, 'citizen');
      await act('lujiazui.operator', c.id, 'accept');
      await act('lujiazui.operator', c.id, 'file');
      await act('lujiazui.operator', c.id, 'dispatch', {});
      assert.equal((await call('pudong.scjg', 'POST', `/api/cases/${c.id}/handle`, { note: 'x' })).statusCode, 403, 'market regulation is not the lead');
      assert.equal((await call('pudong.scjg', 'GET', `/api/cases/${c.id}`)).json().access, 'public', 'nor sees it as theirs');
      const staffQueue = (await call('lujiazui.cgzf', 'GET', '/api/cases?stage=disposal')).json().items as Array<{ id: string }>;
      assert.ok(staffQueue.some((x) => x.id === c.id), 'the squadron has it in its queue');
      const noReason = await call('lujiazui.cgzf', 'POST', `/api/cases/${c.id}/return`, { reason: '  ' });
      assert.equal(noReason.statusCode, 400);
      const back = await act('lujiazui.cgzf', c.id, 'return', { reason: '属于市场监管范围，非占道经营' });
      assert.equal(back.stage, 'dispatch');
      const atCentre = (await call('lujiazui.operator', 'GET', `/api/cases/${c.id}`)).json();
      assert.equal(atCentre.returnCount, 1);
      assert.equal(atCentre.departmentCode, null);
      assert.equal(atCentre.timeline.at(-1).note, '属于市场监管范围，非占道经营', 'the dispatcher reads why');
      assert.equal((await call('lujiazui.cgzf', 'GET', `/api/cases/${c.id}`)).json().access, 'public', 'the squadron it was wrongly sent to no longer sees it as theirs');
      const again = await act('lujiazui.operator', c.id, 'dispatch', { departmentCode: 'scjg.310115005' });
      assert.equal(again.departmentCode, 'scjg.310115005');
      assert.equal((await call('pudong.scjg', 'GET', `/api/cases/${c.id}`)).json().access, 'official', 'the district bureau sees its office\'s case');
    });

    test('illegal moves and bad input are refused with the field and the reason', async () => {
      const c = await reportCase(y, 'citizen');
      const verify = await call('lujiazui.grid2', 'POST', `/api/cases/${c.id}/verify`, { passed: true, photos: [await uploadPhoto(y, 'lujiazui.grid2')] });
      assert.equal(verify.statusCode, 409, 'an undispatched case cannot be verified (closed)');
      assert.equal(verify.json().code, 'CASE_TRANSITION_INVALID');
      assert.equal((await call('lujiazui.operator', 'POST', `/api/cases/${c.id}/dispatch`, {})).statusCode, 409, 'nor dispatched before filing');
      assert.equal((await call('citizen', 'POST', `/api/cases/${c.id}/accept`, {})).statusCode, 403, 'citizens do not accept');
      assert.equal((await call('waitan.operator', 'POST', `/api/cases/${c.id}/accept`, {})).statusCode, 403, 'nor another street');
      const bad = async (payload: Record<string, unknown>, status: number, field: RegExp) => {
        const res = await call('citizen', 'POST', '/api/cases', { categoryCode: 'E0501', description: 'x', point: PLACES.lujiazui, ...payload });
        assert.equal(res.statusCode, status, res.body);
        assert.match(JSON.stringify(res.json()), field);
      };
      await bad({ categoryCode: 'X9999' }, 400, /categoryCode.*not a case category/);
      await bad({ point: [116.39, 39.91] }, 400, /point.*outside Shanghai/);
      await bad({ point: [31.23, 121.5] }, 400, /point/);
      await bad({ description: '   ' }, 400, /description/);
      await bad({ photos: ['f'.repeat(64)] }, 400, /photos.*not an uploaded photo/);
      await bad({ caller: { name: '李', phone: '13800001111' } }, 403, /ROLE_FORBIDDEN/);
      const text = await y.app.inject({ method: 'POST', url: '/api/cases/photos', headers: { ...y.as.citizen, 'content-type': 'image/jpeg' }, payload: Buffer.from('not a picture at all') });
      assert.equal(text.statusCode, 415);
      assert.equal(text.json().code, 'PHOTO_INVALID');
      const huge = await y.app.inject({ method: 'POST', url: '/api/cases/photos', headers: { ...y.as.citizen, 'content-type': 'image/png' }, payload: Buffer.concat([TINY_PNG, Buffer.alloc(9 * 1024 * 1024)]) });
      assert.equal(huge.statusCode, 413);
      const unknownType = await y.app.inject({ method: 'POST', url: '/api/cases/photos', headers: { ...y.as.citizen, 'content-type': 'application/octet-stream' }, payload: TINY_PNG });
      assert.equal(unknownType.statusCode, 201, 'a photo whose type the browser did not know is judged by its bytes');
      assert.equal(unknownType.json().contentType, 'image/png');
      const pdf = await y.app.inject({ method: 'POST', url: '/api/cases/photos', headers: { ...y.as.citizen, 'content-type': 'application/pdf' }, payload: Buffer.from('%PDF-1.4') });
      assert.equal(pdf.statusCode, 415);
      assert.equal((await call('citizen', 'GET', '/api/cases/99999999999999')).statusCode, 404);
    });

    test('a hotline operator takes a call: the caller is kept private, and the case is not public', async () => {
      const c = (await call('lujiazui.operator', 'POST', '/api/cases', { categoryCode: 'E0101', description: '来电反映垃圾堆放', point: PLACES.lujiazui, caller: { name: '李秀英', phone: '138 0013 8000' } })).json();
      assert.equal(c.source, 'hotline');
      assert.deepEqual(c.caller, { name: '李秀英', phone: '13800138000' });
      await act('lujiazui.operator', c.id, 'accept');
      await act('lujiazui.operator', c.id, 'file');
      await act('lujiazui.operator', c.id, 'dispatch', { departmentCode: 'cgzf.310115005' });
      assert.deepEqual((await call('lujiazui.cgzf', 'GET', `/api/cases/${c.id}`)).json().caller, { name: '李**', phone: '138****8000' }, 'the handling squadron sees it masked');
      assert.equal((await call('citizen', 'GET', `/api/cases/${c.id}`)).statusCode, 404, 'a hotline case is not public');
      assert.equal((await call('lujiazui.grid', 'GET', `/api/cases/${c.id}`)).json().caller, null, 'a grid worker who does not handle it does not see the caller');
      const report = await reportCase(y, 'citizen', { categoryCode: 'E0101', description: '同一处垃圾' });
      const intoCall = await call('lujiazui.operator', 'POST', `/api/cases/${report.id}/merge`, { into: c.id });
      assert.equal(intoCall.statusCode, 400, 'a report is not merged into a confidential call');
      assert.equal(intoCall.json().field, 'into');
      for (const url of ['/api/cases/map/rows?bbox=121.4,31.1,121.6,31.3', '/api/cases/figures?from=0&to=86400000&by=department']) assert.equal((await call('lujiazui.cgzf', 'GET', url)).statusCode, 403, `${url} is for operations centres`);
      const before = (await call('lujiazui.operator', 'GET', '/api/cases?limit=200')).json().items.length;
      const elsewhere = await call('waitan.operator', 'POST', '/api/cases', { categoryCode: 'E0101', description: '来电', point: PLACES.lujiazui, caller: { name: '王', phone: '13800000000' } });
      assert.equal(elsewhere.statusCode, 403, 'a centre takes calls for its own place');
      assert.equal((await call('lujiazui.operator', 'GET', '/api/cases?limit=200')).json().items.length, before, 'and nothing was written');
      const closed = await walkToClosure(y, c.id, { handler: 'lujiazui.cgzf' });
      assert.equal(closed.stage, 'closed', 'a hotline case goes round the loop too');
    });

    test('a grid worker\'s report is trusted: accepted, filed and dispatched at once, by the dispatch table when it has a row', async () => {
      const auto = await reportCase(y, 'lujiazui.grid', { categoryCode: 'E0504', description: '非机动车堆放' });
      assert.equal(auto.stage, 'disposal');
      assert.equal(auto.departmentCode, 'cgzf.310115005');
      assert.deepEqual(auto.timeline.map((e: { action: string }) => e.action), ['report', 'accept', 'file', 'dispatch']);

      assert.equal((await call('lujiazui.operator', 'PUT', '/api/cases/dispatch-rules', { categoryCode: 'E0504', jurisdictionCode: '310115005', departmentCode: 'ga.310115005' })).statusCode, 403, 'operators do not keep the table');
      const put = await call('admin', 'PUT', '/api/cases/dispatch-rules', { categoryCode: 'E0504', jurisdictionCode: '310115005', departmentCode: 'ga.310115005', team: '社区警务队' });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal((await call('admin', 'PUT', '/api/cases/dispatch-rules', { categoryCode: 'E0504', jurisdictionCode: '310115005', departmentCode: 'nope.1' })).statusCode, 400);
      const routed = await reportCase(y, 'lujiazui.grid', { categoryCode: 'E0504', description: '又有堆放' });
      assert.equal(routed.departmentCode, 'ga.310115005');
      const official = (await call('lujiazui.operator', 'GET', `/api/cases/${routed.id}`)).json();
      assert.equal(official.team, '社区警务队');
      const confirmed = await reportCase(y, 'citizen', { categoryCode: 'E0504', description: '单车堆放' });
      await act('lujiazui.operator', confirmed.id, 'accept');
      await act('lujiazui.operator', confirmed.id, 'file');
      const sent = await act('lujiazui.operator', confirmed.id, 'dispatch', { departmentCode: 'ga.310115005' });
      assert.equal(sent.team, '社区警务队', 'confirming the proposed department keeps the table\'s team');
      assert.equal((await call('admin', 'DELETE', '/api/cases/dispatch-rules/E0504/310115005')).statusCode, 204);
      const closed = await walkToClosure(y, auto.id, { handler: 'lujiazui.cgzf' });
      assert.equal(closed.stage, 'closed', 'a worker\'s report goes round the loop');
      assert.ok(((await call('lujiazui.grid', 'GET', '/api/messages?topic=case&limit=100')).json().items as Array<{ subject: { id: string } | null; title: string }>).some((m) => m.subject?.id === auto.id && m.title === '您反映的问题已办结，欢迎评价'), 'the reporting worker is told it is closed');
    });

    test('duplicates nearby are proposed at intake; merging moves the reporters, who all hear of the surviving case', async () => {
      const first = await reportCase(y, 'citizen', { categoryCode: 'E0102', description: '渣土堆积' });
      const nearby: [number, number] = [PLACES.lujiazui[0] + 0.0001, PLACES.lujiazui[1]];
      const second = await reportCase(y, 'enterprise', { categoryCode: 'E0102', description: '门口有渣土', point: nearby });
      const view = (await call('lujiazui.operator', 'GET', `/api/cases/${second.id}`)).json();
      assert.equal(view.duplicates[0]?.id, first.id);
      assert.ok(view.duplicates[0].distanceM > 5 && view.duplicates[0].distanceM < 20);
      const merged = await act('lujiazui.operator', second.id, 'merge', { into: first.id });
      assert.equal(merged.stage, 'merged');
      assert.equal(merged.mergedInto, first.id);
      assert.ok((await messages('enterprise')).some((m) => m.subject?.id === second.id && m.title === '您反映的问题已并案办理'));
      const target = (await call('lujiazui.operator', 'GET', `/api/cases/${first.id}`)).json();
      assert.equal(target.reporters, 2);
      await act('lujiazui.operator', first.id, 'accept');
      assert.ok((await messages('enterprise')).some((m) => m.subject?.id === first.id && m.title === '您反映的问题已受理'), 'the merged reporter follows the surviving case');
      assert.equal((await call('enterprise', 'GET', `/api/cases/${first.id}`)).json().access, 'reporter');
    });
  });
}

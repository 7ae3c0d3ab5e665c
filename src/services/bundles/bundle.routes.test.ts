import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../platform/db/testing.ts';
import { waitFor } from '../../platform/bus/testing.ts';
import { attachAll, caller, fillForm, startServicesYiwang, uploadPdf, type ServicesYiwang } from '../applications/testing.ts';

const RESTAURANT = '310000-YJS-0001';
const LICENCE = '310000-SCJG-XK-0001'; // 营业执照
const FOOD = '310000-SCJG-XK-0006'; // 食品经营许可 (after the business licence)
const DRAIN = '310000-SW-XK-0001'; // 排水许可
const EVERYTHING = { hasLicence: false, area: 400, seats: 150, alcohol: true, kitchenExhaust: true, hasSign: true, renovation: true };
/** A small shop that already has its business licence: food licence (市场监管) and drainage permit (水务). */
const SMALL = { hasLicence: true, area: 80, seats: 20, alcohol: false, kitchenExhaust: false, hasSign: false, renovation: false };
const USERS = ['citizen', 'enterprise', 'pudong.scjg', 'pudong.sw'];

for (const dialect of DIALECTS) {
  describe(`bundles (一件事一次办) through the API (${dialect})`, () => {
    let y: ServicesYiwang;
    let call: ReturnType<typeof caller>;
    before(async () => {
      y = await startServicesYiwang(dialect, USERS);
      call = caller(y);
    });
    after(async () => y?.close());

    /** A submitted restaurant bundle as `who` with these answers. */
    async function submitBundle(who: string, answers: Record<string, unknown>): Promise<any> {
      const started = await call(who, 'POST', '/api/services/bundle-applications', { bundleCode: RESTAURANT, answers });
      assert.equal(started.status, 201, JSON.stringify(started.body));
      const b = started.body;
      const saved = await call(who, 'PUT', `/api/services/bundle-applications/${b.id}`, { form: fillForm(b.formView.schema, { 'premises.district': '310115', ...b.form }), materials: await attachAll(y, who, b.materials) });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const sub = await call(who, 'POST', `/api/services/bundle-applications/${b.id}/submit`, {});
      assert.equal(sub.status, 200, JSON.stringify(sub.body));
      return sub.body;
    }

    test('"开饭店" finds the restaurant bundle; its questionnaire decides which items apply', async () => {
      const found = await call(null, 'GET', `/api/services/bundles?q=${encodeURIComponent('开饭店')}`);
      assert.equal(found.body.items[0].code, RESTAURANT);
      assert.equal((await call(null, 'GET', '/api/services/bundles?q=kaifandian')).body.items[0].code, RESTAURANT);
      const all = await call(null, 'GET', '/api/services/bundles');
      assert.ok(all.body.items.length >= 5);
      for (const b of all.body.items) assert.ok(b.departments >= 2, `${b.code} combines departments`);
      const small = (await call(null, 'POST', `/api/services/bundles/${RESTAURANT}/plan`, { answers: SMALL })).body;
      assert.deepEqual(small.items.map((i: any) => i.code), [FOOD, DRAIN]);
      const big = (await call(null, 'POST', `/api/services/bundles/${RESTAURANT}/plan`, { answers: EVERYTHING })).body;
      assert.ok(big.items.length >= 8);
      assert.ok(big.items.some((i: any) => i.sector === 'xf'), 'a big restaurant needs the fire safety check');
    });

    test("the restaurant bundle's merged form asks each field once and its merged materials list each document once; government-held ones are not to be submitted", async () => {
      const plan = (await call(null, 'POST', `/api/services/bundles/${RESTAURANT}/plan`, { answers: EVERYTHING })).body;
      const forms = await Promise.all(plan.items.map(async (i: any) => (await call(null, 'GET', `/api/services/items/${i.code}/form`)).body));
      const separate = forms.reduce((s: number, f: any) => s + Object.keys(f.schema.properties).length, 0);
      const merged = Object.keys(plan.form.schema.properties);
      assert.ok(merged.length < separate, `${merged.length} fields asked once instead of ${separate}`);
      for (const f of forms) for (const field of Object.keys(f.schema.properties)) assert.ok(merged.includes(field), `${field} is in the merged form`);
      for (const f of forms) for (const r of f.schema.required) assert.ok(plan.form.schema.required.includes(r), `${r} stays required`);
      assert.equal(plan.prefill['premises.area'], 400, 'the seating-area answer fills the form');
      assert.equal(new Set(plan.materials.map((m: any) => m.key)).size, plan.materials.length, 'each document once');
      const shared = plan.materials.filter((m: any) => m.items.length >= 2);
      assert.ok(shared.length >= 1, 'some documents serve several items');
      const itemMaterials = forms.reduce((s: number, f: any) => s + f.materials.length, 0);
      assert.ok(plan.materials.length < itemMaterials);
      const held = plan.materials.filter((m: any) => m.notToSubmit && m.source !== 'form');
      assert.ok(held.length >= 1 && held.every((m: any) => m.sourceName), 'government-held documents are named by who holds them');
      // Changing an answer drops the items it no longer needs, and what was kept only for them.
      const draft = (await call('enterprise', 'POST', '/api/services/bundle-applications', { bundleCode: RESTAURANT, answers: EVERYTHING })).body;
      const dry = Object.keys((await call(null, 'POST', `/api/services/bundles/${RESTAURANT}/plan`, { answers: { ...EVERYTHING, alcohol: false } })).body.form.schema.properties);
      const alcoholOnly = Object.keys(plan.form.schema.properties).filter((f) => !dry.includes(f));
      assert.ok(alcoholOnly.length >= 1, 'the alcohol licence asks something of its own');
      const withAlcohol = await call('enterprise', 'PUT', `/api/services/bundle-applications/${draft.id}`, { form: fillForm(plan.form.schema, { 'premises.district': '310115' }) });
      assert.equal(withAlcohol.status, 200, JSON.stringify(withAlcohol.body));
      const without = await call('enterprise', 'PUT', `/api/services/bundle-applications/${draft.id}`, { answers: { ...EVERYTHING, alcohol: false } });
      assert.equal(without.status, 200, JSON.stringify(without.body));
      assert.ok(alcoholOnly.every((f) => !(f in without.body.form)));
      assert.ok(without.body.items.length < withAlcohol.body.items.length);
      // Files for a government-held document are refused.
      const start = (await call('enterprise', 'POST', '/api/services/bundle-applications', { bundleCode: RESTAURANT, answers: EVERYTHING })).body;
      const refused = await call('enterprise', 'PUT', `/api/services/bundle-applications/${start.id}`, { materials: { [held[0].key]: [await uploadPdf(y, 'enterprise')] } });
      assert.equal(refused.status, 400);
      assert.match(refused.body.detail, /not to be submitted/);
    });

    test('a bundle fans out into one application per item, processed in parallel by two departments; a correction comes back through the bundle; it converges on one combined result', async () => {
      const b = await submitBundle('citizen', SMALL);
      assert.equal(b.stage, 'processing');
      assert.equal(b.applications.length, 2);
      const byItem = Object.fromEntries(b.applications.map((a: any) => [a.itemCode, a]));
      assert.equal(byItem[FOOD].departmentCode, 'scjg.310115');
      assert.equal(byItem[DRAIN].departmentCode, 'sw.310115');
      const inbox = (await call('citizen', 'GET', '/api/messages?limit=100')).body.items;
      assert.equal(inbox.filter((m: any) => m.subject?.id === b.id).length, 1, 'one message for the bundle, not one per item');
      // Each department sees its own item in its queue.
      assert.ok((await call('pudong.scjg', 'GET', '/api/services/applications?open=true')).body.items.some((a: any) => a.id === byItem[FOOD].id));
      assert.ok((await call('pudong.sw', 'GET', '/api/services/applications?open=true')).body.items.some((a: any) => a.id === byItem[DRAIN].id));
      assert.ok(!(await call('pudong.sw', 'GET', '/api/services/applications?open=true')).body.items.some((a: any) => a.id === byItem[FOOD].id));

      await Promise.all([call('pudong.scjg', 'POST', `/api/services/applications/${byItem[FOOD].id}/accept`, {}), call('pudong.sw', 'POST', `/api/services/applications/${byItem[DRAIN].id}/accept`, {})]);
      const drain = (await call('pudong.sw', 'GET', `/api/services/applications/${byItem[DRAIN].id}`)).body;
      const key = drain.materials.find((m: any) => m.source === 'applicant' && m.required).key;
      assert.equal((await call('pudong.sw', 'POST', `/api/services/applications/${byItem[DRAIN].id}/correct`, { note: '排水管网接驳图缺少检测井位置，门牌号与不动产登记不符', materials: [key], fields: ['premises.address'] })).status, 200);
      let view = (await call('citizen', 'GET', `/api/services/bundle-applications/${b.id}`)).body;
      assert.equal(view.stage, 'correction');
      assert.equal(view.corrections.length, 1);
      assert.match(view.corrections[0].note, /检测井/);
      assert.ok(view.materials.find((m: any) => m.key === key).toCorrect);
      const message = (await call('citizen', 'GET', '/api/messages?limit=100')).body.items.find((m: any) => m.subject?.id === byItem[DRAIN].id && /补正/.test(m.title));
      assert.equal(message.link, `/portal/bundles/applications/${b.id}`, 'the correction leads back to the bundle');
      assert.equal((await call('citizen', 'POST', `/api/services/applications/${byItem[DRAIN].id}/resubmit`, {})).body.code, 'APPLICATION_TRANSITION_INVALID', 'answered through the bundle');
      const file = await uploadPdf(y, 'citizen', '接驳图.pdf');
      const unasked = await call('citizen', 'POST', `/api/services/bundle-applications/${b.id}/resubmit`, { materials: { [key]: [file] }, form: { 'premises.district': '310101' } });
      assert.equal(unasked.body.field, 'form.premises.district', 'only what a department asked for may change');
      view = (await call('citizen', 'POST', `/api/services/bundle-applications/${b.id}/resubmit`, { materials: { [key]: [file] }, form: { 'premises.address': '浦东新区张杨路501号' } })).body;
      assert.equal(view.stage, 'processing');
      // The address is shared: 市场监管's copy, still under review, is brought in line and says so.
      const amended = (await call('pudong.scjg', 'GET', `/api/services/applications/${byItem[FOOD].id}`)).body;
      assert.equal(amended.form['premises.address'], '浦东新区张杨路501号');
      assert.equal(amended.timeline.at(-1).action, 'amend');
      assert.deepEqual(amended.timeline.at(-1).detail.fields, ['premises.address']);
      assert.ok(view.materials.find((m: any) => m.key === key).files.some((f: any) => f.id === file));
      assert.equal((await call('citizen', 'POST', `/api/services/bundle-applications/${b.id}/resubmit`, {})).status, 409, 'nothing left to correct');

      // Both departments decide at the same time.
      const finish = async (who: string, id: string) => {
        let v = (await call(who, 'GET', `/api/services/applications/${id}`)).body;
        while (v.actions.includes('pass')) v = (await call(who, 'POST', `/api/services/applications/${id}/pass`, {})).body;
        return call(who, 'POST', `/api/services/applications/${id}/approve`, {});
      };
      const [food, drained] = await Promise.all([finish('pudong.scjg', byItem[FOOD].id), finish('pudong.sw', byItem[DRAIN].id)]);
      assert.equal(food.status, 200, JSON.stringify(food.body));
      assert.equal(drained.status, 200, JSON.stringify(drained.body));
      view = (await call('citizen', 'GET', `/api/services/bundle-applications/${b.id}`)).body;
      assert.equal(view.stage, 'completed');
      assert.equal(view.results.length, 2);
      await waitFor('the combined result message', async () => (await call('citizen', 'GET', '/api/messages?limit=100')).body.items.some((m: any) => m.subject?.id === b.id && /已办结/.test(m.title)));
      const mine = (await call('citizen', 'GET', '/api/services/bundle-applications')).body.items;
      assert.equal(mine.find((x: any) => x.id === b.id).stage, 'completed');
    });

    test('an item that builds on another is reviewed in parallel but approved only after it', async () => {
      const b = await submitBundle('enterprise', { ...SMALL, hasLicence: false });
      const byItem = Object.fromEntries(b.applications.map((a: any) => [a.itemCode, a]));
      assert.ok(byItem[LICENCE] && byItem[FOOD]);
      const advance = async (id: string) => {
        let v = (await call('pudong.scjg', 'POST', `/api/services/applications/${id}/accept`, {})).body;
        while (v.actions.includes('pass')) v = (await call('pudong.scjg', 'POST', `/api/services/applications/${id}/pass`, {})).body;
      };
      await advance(byItem[FOOD].id);
      await advance(byItem[LICENCE].id);
      const early = await call('pudong.scjg', 'POST', `/api/services/applications/${byItem[FOOD].id}/approve`, {});
      assert.equal(early.status, 409);
      assert.equal(early.body.code, 'APPLICATION_WAITING');
      assert.match(early.body.detail, new RegExp(byItem[LICENCE].id));
      assert.equal((await call('pudong.scjg', 'POST', `/api/services/applications/${byItem[LICENCE].id}/approve`, {})).status, 200);
      assert.equal((await call('pudong.scjg', 'POST', `/api/services/applications/${byItem[FOOD].id}/approve`, {})).status, 200);

      // A prerequisite denied: the item built on it can never be approved, and staff are told to deny it.
      const c = await submitBundle('enterprise', { ...SMALL, hasLicence: false });
      const cItems = Object.fromEntries(c.applications.map((a: any) => [a.itemCode, a]));
      await advance(cItems[FOOD].id);
      await call('pudong.scjg', 'POST', `/api/services/applications/${cItems[LICENCE].id}/accept`, {});
      assert.equal((await call('pudong.scjg', 'POST', `/api/services/applications/${cItems[LICENCE].id}/deny`, { reasons: '名称与已登记企业相同' })).status, 200);
      const blocked = await call('pudong.scjg', 'POST', `/api/services/applications/${cItems[FOOD].id}/approve`, {});
      assert.equal(blocked.body.code, 'APPLICATION_BLOCKED');
      assert.match(blocked.body.detail, /deny this one/);
    });

    test('the redesign report: before (one after another, nothing merged) against after (merged, parallel), from the definitions and the real records', async () => {
      const r = (await call(null, 'GET', `/api/services/bundles/${RESTAURANT}/redesign`)).body;
      assert.equal(r.before.items, r.items.length);
      assert.ok(r.before.materials > r.after.materials, `${r.before.materials} → ${r.after.materials} documents`);
      assert.ok(r.before.inspections >= 2 && r.after.inspections === 1, 'one joint inspection');
      assert.equal(r.before.days, r.items.reduce((s: number, i: any) => s + i.promisedDays, 0));
      assert.equal(r.after.days, Math.max(...r.items.map((i: any) => i.promisedDays)), 'the critical path of parallel review');
      assert.equal(r.after.forms, 1);
      assert.ok(r.after.formFields < r.before.formFields);
      assert.deepEqual(r.published.before, { trips: 6, materials: 31, inspections: 3, days: 58 });
      assert.ok(r.records.submitted >= 2);
      assert.ok(r.records.concluded >= 1, 'the completed bundles are on record');
      assert.ok(r.records.avgSequentialDays >= r.records.avgDays);
      const situation = (await call(null, 'GET', `/api/services/bundles/${RESTAURANT}/redesign?answers=${encodeURIComponent(JSON.stringify(SMALL))}`)).body;
      assert.equal(situation.items.length, 2);
      assert.equal((await call(null, 'GET', `/api/services/bundles/${RESTAURANT}/redesign?answers=nope`)).body.field, 'answers');
    });

    test('bad input: unknown bundles and questions, wrong answer types, missing materials (nothing fanned out), someone else\'s bundle, submitting twice', async () => {
      assert.equal((await call(null, 'GET', '/api/services/bundles/nope')).status, 404);
      assert.equal((await call('citizen', 'POST', '/api/services/bundle-applications', { bundleCode: 'nope' })).body.field, 'bundleCode');
      assert.equal((await call(null, 'POST', `/api/services/bundles/${RESTAURANT}/plan`, { answers: { area: 'big' } })).body.field, 'answers.area');
      assert.equal((await call(null, 'POST', `/api/services/bundles/${RESTAURANT}/plan`, { answers: { area: -5 } })).body.field, 'answers.area');
      assert.equal((await call(null, 'POST', `/api/services/bundles/${RESTAURANT}/plan`, { answers: { colour: 'red' } })).body.field, 'answers.colour');
      assert.equal((await call(null, 'POST', `/api/services/bundles/${RESTAURANT}/plan`, { answers: { seats: 12.5 } })).body.field, 'answers.seats', 'an answer that fills a whole-number field is whole');
      const b = (await call('citizen', 'POST', '/api/services/bundle-applications', { bundleCode: RESTAURANT, answers: SMALL })).body;
      await call('citizen', 'PUT', `/api/services/bundle-applications/${b.id}`, { form: fillForm(b.formView.schema, { 'premises.district': '310115', ...b.form }) });
      const missing = await call('citizen', 'POST', `/api/services/bundle-applications/${b.id}/submit`, {});
      assert.equal(missing.body.code, 'MATERIAL_MISSING');
      assert.equal((await call('citizen', 'GET', `/api/services/bundle-applications/${b.id}`)).body.applications.length, 0, 'nothing fanned out');
      assert.equal((await call('enterprise', 'GET', `/api/services/bundle-applications/${b.id}`)).status, 404);
      assert.equal((await call('enterprise', 'POST', `/api/services/bundle-applications/${b.id}/submit`, {})).status, 404);
      await call('citizen', 'PUT', `/api/services/bundle-applications/${b.id}`, { materials: await attachAll(y, 'citizen', b.materials) });
      assert.equal((await call('citizen', 'POST', `/api/services/bundle-applications/${b.id}/submit`, {})).status, 200);
      assert.equal((await call('citizen', 'POST', `/api/services/bundle-applications/${b.id}/submit`, {})).status, 409);
      assert.equal((await call('citizen', 'POST', `/api/services/applications/${(await call('citizen', 'GET', `/api/services/bundle-applications/${b.id}`)).body.applications[0].id}/withdraw`, {})).body.code, 'APPLICATION_TRANSITION_INVALID', 'an item is withdrawn through its bundle');
      const w = await call('citizen', 'POST', `/api/services/bundle-applications/${b.id}/withdraw`, {});
      assert.equal(w.body.stage, 'withdrawn');
      assert.ok(w.body.applications.every((a: any) => a.stage === 'withdrawn'));
      const told = (await call('citizen', 'GET', '/api/messages?limit=100')).body.items.filter((m: any) => /撤回/.test(m.title) && (m.subject?.id === b.id || w.body.applications.some((a: any) => a.id === m.subject?.id)));
      assert.equal(told.length, 1, 'one message for the bundle');
    });
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../platform/db/testing.ts';
import { login, makeAccount } from '../../org/testing.ts';
import { registriesModule } from '../registries/index.ts';
import { SAMPLE, sampleRegistries } from '../registries/testing.ts';
import { attachAll, caller, fillForm, startServicesYiwang, type ServicesYiwang } from './testing.ts';

const CARD = '310000-RS-GG-0001'; // 社会保障卡申领: for persons; name, identity number, phone, address
const FOOD = '310000-SCJG-XK-0006'; // 食品经营许可: company name, credit code, legal representative
const RESTAURANT = '310000-YJS-0001';
const NEW_SHOP = { hasLicence: false, area: 80, seats: 20, alcohol: false, kitchenExhaust: false, hasSign: false, renovation: false };
const COMPANY = sampleRegistries().entities[0]!;

for (const dialect of DIALECTS) {
  describe(`forms auto-filled from the base registries (${dialect})`, () => {
    let y: ServicesYiwang;
    let call: ReturnType<typeof caller>;
    before(async () => {
      y = await startServicesYiwang(dialect, ['citizen', 'enterprise'], [registriesModule]);
      call = caller(y);
      await y.ctx.services.registries.load(sampleRegistries());
      const ids = new Map((await y.ctx.services.accounts.findByUsernames(['citizen', 'enterprise'])).map((a) => [a.username, a.id]));
      await y.ctx.services.registries.bind(ids.get('citizen')!, 'person', SAMPLE.zhangWei);
      await y.ctx.services.registries.bind(ids.get('enterprise')!, 'entity', SAMPLE.company);
      const unbound = await makeAccount(y.ctx, { kind: 'person', username: `unbound.${dialect}` });
      y.as.unbound = await login(y.app, unbound.username, unbound.password);
    });
    after(async () => y?.close());

    test("the served form says which fields are the applicant's own registry data", async () => {
      const form = (await call(null, 'GET', `/api/services/items/${CARD}/form`)).body;
      assert.equal(form.schema.properties['applicant.name']['x-registry'], 'person.name');
      assert.equal(form.schema.properties['applicant.idNumber']['x-registry'], 'person.idNumber');
      assert.equal(form.schema.properties['premises.district']['x-registry'], undefined);
      const founding = (await call(null, 'GET', '/api/services/items/310000-SCJG-XK-0001/form')).body;
      assert.equal(founding.schema.properties['company.name']['x-registry'], undefined, 'a company being founded is not the applicant\'s own');
      assert.equal(founding.schema.properties['applicant.name']['x-registry'], 'person.name');
    });

    test("a citizen's draft is pre-filled with his registry name and identity number, locked with their source", async () => {
      const d = await call('citizen', 'POST', '/api/services/applications', { itemCode: CARD });
      assert.equal(d.status, 201, JSON.stringify(d.body));
      assert.equal(d.body.form['applicant.name'], '张伟');
      assert.equal(d.body.form['applicant.idNumber'], SAMPLE.zhangWei);
      assert.equal(d.body.form['applicant.phone'], '13812345678');
      assert.match(d.body.form['applicant.address'], /银城中路88弄/);
      assert.deepEqual(Object.keys(d.body.locked).sort(), ['applicant.address', 'applicant.idNumber', 'applicant.name', 'applicant.phone']);
      assert.deepEqual(d.body.locked['applicant.name'], { source: 'person.name', record: 'person', field: 'name', departmentCode: 'ga', departmentName: '上海市公安局', departmentNameEn: 'Shanghai Municipal Public Security Bureau', reportable: true });
      assert.equal(d.body.locked['applicant.idNumber'].reportable, false);
      // Read again: the same, from the registry.
      const read = await call('citizen', 'GET', `/api/services/applications/${d.body.id}`);
      assert.equal(read.body.form['applicant.name'], '张伟');
      assert.ok(read.body.locked['applicant.idNumber']);
    });

    test('changing a locked field is refused naming the field; sending its registry value or leaving it out is fine; the submission carries the registry values', async () => {
      const refusedAtStart = await call('citizen', 'POST', '/api/services/applications', { itemCode: CARD, form: { 'applicant.name': '张三' } });
      assert.equal(refusedAtStart.status, 400);
      assert.equal(refusedAtStart.body.code, 'FIELD_LOCKED');
      assert.equal(refusedAtStart.body.field, 'form.applicant.name');

      const d = (await call('citizen', 'POST', '/api/services/applications', { itemCode: CARD })).body;
      const form = (await call(null, 'GET', `/api/services/items/${CARD}/form`)).body;
      const changed = await call('citizen', 'PUT', `/api/services/applications/${d.id}`, { form: { ...d.form, 'applicant.idNumber': '310101198001010011', 'applicant.phone': '13900000000' }, version: d.version });
      assert.equal(changed.status, 400);
      assert.equal(changed.body.code, 'FIELD_LOCKED');
      assert.equal(changed.body.field, 'form.applicant.idNumber');
      assert.deepEqual(changed.body.errors.map((e: any) => e.field), ['form.applicant.idNumber', 'form.applicant.phone']);
      assert.match(changed.body.detail, /population registry \(上海市公安局\)/);
      const still = await call('citizen', 'GET', `/api/services/applications/${d.id}`);
      assert.equal(still.body.form['applicant.idNumber'], SAMPLE.zhangWei, 'nothing was written');
      assert.equal(still.body.version, d.version);

      const saved = await call('citizen', 'PUT', `/api/services/applications/${d.id}`, { form: fillForm(form.schema, { 'premises.district': '310115' }, 'person'), version: d.version, materials: await attachAll(y, 'citizen', form.materials) });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal(saved.body.form['applicant.name'], '张伟', 'a save without the locked fields keeps them');
      const same = await call('citizen', 'PUT', `/api/services/applications/${d.id}`, { form: saved.body.form, version: saved.body.version });
      assert.equal(same.status, 200, 'the registry value sent back is no change');
      const sent = await call('citizen', 'POST', `/api/services/applications/${d.id}/submit`, {});
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      assert.equal(sent.body.form['applicant.idNumber'], SAMPLE.zhangWei);
      assert.equal(sent.body.locked, undefined, 'a submitted form is what was sent, no longer a draft to fill');
      assert.deepEqual(sent.body.timeline.at(-1).detail.fromRegistry.sort(), ['applicant.address', 'applicant.idNumber', 'applicant.name', 'applicant.phone']);
    });

    test('an account with no registry binding gets ordinary editable fields', async () => {
      const d = await call('unbound', 'POST', '/api/services/applications', { itemCode: CARD, form: { 'applicant.name': '王小明' } });
      assert.equal(d.status, 201, JSON.stringify(d.body));
      assert.deepEqual(d.body.locked, {});
      assert.equal(d.body.form['applicant.name'], '王小明');
      const saved = await call('unbound', 'PUT', `/api/services/applications/${d.body.id}`, { form: { 'applicant.name': '王晓明', 'applicant.idNumber': '310101198001010011' } });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal(saved.body.form['applicant.name'], '王晓明');
    });

    test("a company account gets its company's name, credit code and legal representative; the person handling it stays editable", async () => {
      const d = await call('enterprise', 'POST', '/api/services/applications', { itemCode: FOOD, form: { 'applicant.name': '李经办' } });
      assert.equal(d.status, 201, JSON.stringify(d.body));
      assert.equal(d.body.form['company.name'], COMPANY.name);
      assert.equal(d.body.form['company.uscc'], SAMPLE.company);
      assert.equal(d.body.form['company.legalRep'], '张伟');
      assert.deepEqual(Object.keys(d.body.locked).sort(), ['company.legalRep', 'company.name', 'company.uscc']);
      assert.equal(d.body.locked['company.name'].departmentName, '上海市市场监督管理局');
      assert.equal(d.body.form['applicant.name'], '李经办', 'the person handling it is not the company record');
      const renamed = await call('enterprise', 'PUT', `/api/services/applications/${d.body.id}`, { form: { 'company.name': '上海别的公司' } });
      assert.equal(renamed.body.code, 'FIELD_LOCKED');
      assert.equal(renamed.body.field, 'form.company.name');
    });

    test("the restaurant bundle without a licence founds a new company: its name stays editable, while the founder's own data is locked", async () => {
      const started = await call('citizen', 'POST', '/api/services/bundle-applications', { bundleCode: RESTAURANT, answers: NEW_SHOP });
      assert.equal(started.status, 201, JSON.stringify(started.body));
      const b = started.body;
      assert.equal(b.form['applicant.name'], '张伟');
      assert.ok(b.locked['applicant.name']);
      assert.equal(b.locked['company.name'], undefined);
      assert.equal(b.formView.schema.properties['company.name']['x-registry'], undefined);
      const saved = await call('citizen', 'PUT', `/api/services/bundle-applications/${b.id}`, { form: { ...b.form, 'company.name': '上海申味小馆餐饮有限公司', 'premises.district': '310115' }, version: b.version });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal(saved.body.form['company.name'], '上海申味小馆餐饮有限公司');
      const renamed = await call('citizen', 'PUT', `/api/services/bundle-applications/${b.id}`, { form: { ...saved.body.form, 'applicant.name': '王芳' } });
      assert.equal(renamed.status, 400);
      assert.equal(renamed.body.code, 'FIELD_LOCKED');
      assert.equal(renamed.body.field, 'form.applicant.name');

      // The same bundle for a company that already has its licence: the company is its own, locked.
      const own = (await call('enterprise', 'POST', '/api/services/bundle-applications', { bundleCode: RESTAURANT, answers: { ...NEW_SHOP, hasLicence: true } })).body;
      assert.equal(own.form['company.uscc'], SAMPLE.company);
      assert.ok(own.locked['company.name']);
      const refused = await call('enterprise', 'PUT', `/api/services/bundle-applications/${own.id}`, { form: { 'company.name': '新名字有限公司' } });
      assert.equal(refused.body.code, 'FIELD_LOCKED');
      // Founding a new company after all (the answers change): its name is free again.
      const founding = await call('enterprise', 'PUT', `/api/services/bundle-applications/${own.id}`, { answers: NEW_SHOP, form: { 'company.name': '新名字有限公司' } });
      assert.equal(founding.status, 200, JSON.stringify(founding.body));
      assert.equal(founding.body.form['company.name'], '新名字有限公司');
      assert.equal(founding.body.locked['company.name'], undefined);
      // And back to the licence it has: the company is its own again, whatever was typed for the new one.
      const back = await call('enterprise', 'PUT', `/api/services/bundle-applications/${own.id}`, { answers: { ...NEW_SHOP, hasLicence: true }, form: founding.body.form });
      assert.equal(back.status, 200, JSON.stringify(back.body));
      assert.equal(back.body.form['company.name'], COMPANY.name);
      assert.ok(back.body.locked['company.name']);
    });
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { DIALECTS } from '../../platform/db/testing.ts';
import { login, makeAccount } from '../../org/testing.ts';
import { attachAll, caller, fillForm, startServicesYiwang, type ServicesYiwang } from '../applications/testing.ts';
import { registriesModule } from '../registries/index.ts';
import { SAMPLE, sampleRegistries } from '../registries/testing.ts';
import { exchangeModule } from './index.ts';

const DAY = 86_400_000;
const PERSON = 'RK-0001'; // 人口基本信息, owned by 市公安局 (ga)
const ENTITY = 'FR-0001'; // 法人基本信息, owned by 市市场监管局 (scjg)

for (const dialect of DIALECTS) {
  describe(`data exchange through the API (${dialect})`, () => {
    let y: ServicesYiwang;
    let call: ReturnType<typeof caller>;
    /** Pudong market regulation's approval system: it calls with an API token (sessions end when the clock jumps). */
    let system: { authorization: string };
    const as = (who: string) => ({ headers: who === 'system' ? system : y.as[who] });
    const exchange = async (who: string, body: Record<string, unknown>) => {
      const res = await y.app.inject({ method: 'POST', url: '/api/exchange/calls', ...as(who), payload: { purpose: '办理食品经营许可 <script>alert(1)</script>', ...body } });
      return { status: res.statusCode, body: res.json(), text: res.body };
    };

    before(async () => {
      y = await startServicesYiwang(dialect, ['citizen', 'enterprise', 'pudong.scjg', 'pudong.sw', 'admin', 'lujiazui.grid'], [registriesModule, exchangeModule]);
      call = caller(y);
      await exchangeModule.seed!(y.ctx, { demo: false, progress: () => {} });
      await y.ctx.services.registries.load(sampleRegistries());
      const ids = new Map((await y.ctx.services.accounts.findByUsernames(['citizen', 'enterprise'])).map((a) => [a.username, a.id]));
      await y.ctx.services.registries.bind(ids.get('citizen')!, 'person', SAMPLE.zhangWei);
      await y.ctx.services.registries.bind(ids.get('enterprise')!, 'entity', SAMPLE.company);
      for (const [name, dept, scope] of [['ga.officer', 'ga', '310000'], ['scjg.officer', 'scjg', '310000'], ['ga.street', 'ga', '310115005']] as const) {
        const a = await makeAccount(y.ctx, { username: `${name}.${dialect}`, departmentCode: dept, scopeCode: scope });
        y.as[name] = await login(y.app, a.username, a.password);
      }
      const token = await call('pudong.scjg', 'POST', '/api/auth/tokens', { name: '浦东食品许可审批系统', expiresInDays: 365 });
      system = { authorization: `Bearer ${token.body.token}` };
    });
    after(async () => y?.close());

    /** pudong.scjg asks 市公安局 for resident fields and the officer grants them as given. */
    async function granted(decision: Record<string, unknown> = {}, request: Record<string, unknown> = {}) {
      const req = await call('pudong.scjg', 'POST', '/api/exchange/requests', {
        resourceCode: PERSON, purpose: '食品经营许可审批中核验申请人身份', legalBasis: '《食品经营许可和备案管理办法》第十二条',
        fields: ['idNumber', 'name', 'phone', 'residenceAddress'], clearFields: ['phone'], subjectScope: { kind: 'jurisdiction', codes: ['310115'] }, days: 30, ...request,
      });
      assert.equal(req.status, 201, JSON.stringify(req.body));
      const decided = await call('ga.officer', 'POST', `/api/exchange/requests/${req.body.id}/decision`, { decision: 'grant', ...decision });
      assert.equal(decided.status, 200, JSON.stringify(decided.body));
      return decided.body;
    }

    test('the catalogue lists each department\'s resources with their fields and sensitivity; the public cannot read it', async () => {
      const list = await call('pudong.sw', 'GET', '/api/exchange/resources');
      assert.equal(list.status, 200);
      const person = list.body.items.find((r: any) => r.code === PERSON);
      assert.equal(person.ownerCode, 'ga');
      assert.equal(person.ownerName, '上海市公安局');
      assert.equal(person.fields.find((f: any) => f.name === 'idNumber').sensitivity, 3);
      assert.ok(list.body.items.some((r: any) => r.code === ENTITY && r.ownerCode === 'scjg'));
      assert.equal((await call('citizen', 'GET', '/api/exchange/resources')).status, 403);
    });

    test('without a grant a call is refused with its reason, and the refusal is logged', async () => {
      const res = await exchange('pudong.scjg', { resource: PERSON, subject: SAMPLE.zhangWei, fields: ['name'] });
      assert.equal(res.status, 403);
      assert.equal(res.body.code, 'EXCHANGE_GRANT_MISSING');
      const log = await call('ga.officer', 'GET', `/api/exchange/log?resource=${PERSON}&outcome=refused`);
      assert.ok(log.body.items.some((e: any) => e.outcome === 'EXCHANGE_GRANT_MISSING' && e.departmentCode === 'scjg.310115'));
    });

    test('only the owner decides, and never grants more fields or days than were asked for', async () => {
      const req = await call('pudong.scjg', 'POST', '/api/exchange/requests', { resourceCode: PERSON, purpose: '核验申请人身份', legalBasis: '行政许可法', fields: ['name'], subjectScope: { kind: 'all' }, days: 10 });
      assert.equal(req.status, 201);
      assert.equal(req.body.status, 'pending');
      const self = await call('pudong.scjg', 'POST', `/api/exchange/requests/${req.body.id}/decision`, { decision: 'grant' });
      assert.equal(self.body.code, 'SCOPE_FORBIDDEN', 'a district office does not decide on city data');
      const otherBureau = await call('scjg.officer', 'POST', `/api/exchange/requests/${req.body.id}/decision`, { decision: 'grant' });
      assert.equal(otherBureau.body.code, 'EXCHANGE_REQUEST_NOT_FOUND', 'another bureau does not even see it');
      const more = await call('ga.officer', 'POST', `/api/exchange/requests/${req.body.id}/decision`, { decision: 'grant', fields: ['name', 'birthDate'] });
      assert.equal(more.status, 400);
      assert.equal(more.body.field, 'fields[1]');
      const longer = await call('ga.officer', 'POST', `/api/exchange/requests/${req.body.id}/decision`, { decision: 'grant', days: 11 });
      assert.equal(longer.body.field, 'days');
      const noReason = await call('ga.officer', 'POST', `/api/exchange/requests/${req.body.id}/decision`, { decision: 'refuse' });
      assert.equal(noReason.body.field, 'reason');
      const refused = await call('ga.officer', 'POST', `/api/exchange/requests/${req.body.id}/decision`, { decision: 'refuse', reason: '目的与所需字段不符' });
      assert.equal(refused.body.status, 'refused');
      const twice = await call('ga.officer', 'POST', `/api/exchange/requests/${req.body.id}/decision`, { decision: 'refuse', reason: '再次' });
      assert.equal(twice.status, 409);
      assert.equal(twice.body.code, 'EXCHANGE_REQUEST_DECIDED');
      const unknownField = await call('pudong.scjg', 'POST', '/api/exchange/requests', { resourceCode: PERSON, purpose: '核验申请人身份', legalBasis: '行政许可法', fields: ['salary'], subjectScope: { kind: 'all' }, days: 10 });
      assert.equal(unknownField.body.field, 'fields[0]');
      const outsider = await call('pudong.sw', 'GET', `/api/exchange/requests/${req.body.id}`);
      assert.equal(outsider.status, 404);
    });

    test('a grant never gives more than was asked: no clear field not asked in clear, no wider subjects, no street clerk deciding for the city', async () => {
      const req = await call('pudong.scjg', 'POST', '/api/exchange/requests', { resourceCode: PERSON, purpose: '核验申请人身份', legalBasis: '行政许可法', fields: ['name', 'phone'], subjectScope: { kind: 'subjects', ids: [SAMPLE.zhangWei] }, days: 10 });
      const id = req.body.id;
      const clear = await call('ga.officer', 'POST', `/api/exchange/requests/${id}/decision`, { decision: 'grant', clearFields: ['phone'] });
      assert.equal(clear.status, 400);
      assert.equal(clear.body.field, 'clearFields[0]');
      const wider = await call('ga.officer', 'POST', `/api/exchange/requests/${id}/decision`, { decision: 'grant', subjectScope: { kind: 'all' } });
      assert.equal(wider.body.field, 'subjectScope');
      const street = await call('ga.street', 'POST', `/api/exchange/requests/${id}/decision`, { decision: 'grant' });
      assert.equal(street.status, 403);
      assert.equal(street.body.code, 'SCOPE_FORBIDDEN');
      // Granted as asked: only 张伟, and whether anyone else is registered is not told.
      assert.equal((await call('ga.officer', 'POST', `/api/exchange/requests/${id}/decision`, { decision: 'grant' })).body.status, 'granted');
      const other = await exchange('pudong.scjg', { resource: PERSON, subject: SAMPLE.wangFang, fields: ['name'] });
      const nobody = await exchange('pudong.scjg', { resource: PERSON, subject: '110101199003070011', fields: ['name'] });
      assert.deepEqual([other.body.code, nobody.body.code], ['EXCHANGE_SUBJECT_FORBIDDEN', 'EXCHANGE_SUBJECT_FORBIDDEN']);
      assert.equal((await call('ga.officer', 'POST', `/api/exchange/requests/${id}/revoke`, { reason: '测试结束' })).status, 200);
    });

    test('only the keeper of a registry publishes resources on it, never below its sensitivity floor; grid workers do not call', async () => {
      const resource = (over: Record<string, unknown>) => ({
        code: 'RK-0099', nameZh: '人口联系方式', nameEn: 'Residents\' contacts', descriptionZh: '', descriptionEn: '', source: 'person', subjectKind: 'person', frequency: 'daily',
        fields: [{ name: 'idNumber', zh: '公民身份号码', en: 'Identity number', type: 'string', sensitivity: 3, mask: 'id' }], ...over,
      });
      const water = await call('pudong.sw', 'POST', '/api/exchange/resources', resource({}));
      assert.equal(water.status, 400);
      assert.equal(water.body.field, 'source');
      const low = await call('ga.officer', 'POST', '/api/exchange/resources', resource({ fields: [{ name: 'idNumber', zh: '公民身份号码', en: 'Identity number', type: 'string', sensitivity: 1 }] }));
      assert.equal(low.body.field, 'fields[0].sensitivity');
      const kind = await call('ga.officer', 'POST', '/api/exchange/resources', resource({ subjectKind: 'entity' }));
      assert.equal(kind.body.field, 'subjectKind');
      const ok = await call('ga.officer', 'POST', '/api/exchange/resources', resource({}));
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.equal(ok.body.ownerCode, 'ga');
      assert.equal((await call('ga.officer', 'POST', '/api/exchange/resources', resource({}))).status, 409);
      assert.equal((await exchange('lujiazui.grid', { resource: PERSON, subject: SAMPLE.zhangWei })).status, 403);
      const missing = await exchange('pudong.scjg', { resource: 'XX-9999', subject: SAMPLE.zhangWei });
      assert.equal(missing.body.code, 'RESOURCE_NOT_FOUND');
      const logged = await call('admin', 'GET', '/api/exchange/log?outcome=RESOURCE_NOT_FOUND');
      assert.ok(logged.body.items.some((e: any) => e.resourceCode === 'XX-9999'), 'the probe is in the log');
    });

    test('a granted call masks sensitive fields not granted in clear, and logs who, which system, why and what', async () => {
      const g = await granted();
      assert.equal(g.status, 'granted');
      assert.deepEqual(g.grantedClear, []);
      const res = await exchange('system', { resource: PERSON, subject: SAMPLE.zhangWei, reference: 'SQ2026000123' });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.values.name, '张伟');
      assert.equal(res.body.values.idNumber, `3101**********${SAMPLE.zhangWei.slice(-4)}`);
      assert.equal(res.body.values.phone, '138****5678');
      assert.equal(res.body.values.residenceAddress, '上海市浦东新区陆家嘴街道****');
      assert.deepEqual(res.body.masked.sort(), ['idNumber', 'phone', 'residenceAddress']);
      assert.ok(!res.text.includes(SAMPLE.zhangWei));

      const log = await call('pudong.scjg', 'GET', `/api/exchange/log?resource=${PERSON}&outcome=ok`);
      const entry = log.body.items.find((e: any) => e.seq === res.body.callId);
      assert.equal(entry.system, '浦东食品许可审批系统');
      assert.equal(entry.reference, 'SQ2026000123');
      assert.equal(entry.purpose, '办理食品经营许可 <script>alert(1)</script>');
      assert.deepEqual(entry.masked.sort(), ['idNumber', 'phone', 'residenceAddress']);
      assert.equal(entry.subjectId, `3101**********${SAMPLE.zhangWei.slice(-4)}`, 'staff see the subject masked');
      // A department that neither called nor owns the resource sees none of it.
      const other = await call('pudong.sw', 'GET', `/api/exchange/log?resource=${PERSON}`);
      assert.equal(other.body.items.length, 0);
    });

    test('a field granted in clear goes out in clear', async () => {
      await granted({ clearFields: ['phone'] });
      const res = await exchange('system', { resource: PERSON, subject: SAMPLE.zhangWei, fields: ['phone'] });
      assert.equal(res.body.values.phone, '13812345678');
      assert.deepEqual(res.body.masked, []);
    });

    test('fields beyond the grant, subjects outside it and unknown subjects are refused without leaking anything', async () => {
      const beyond = await exchange('system', { resource: PERSON, subject: SAMPLE.zhangWei, fields: ['name', 'birthDate'] });
      assert.equal(beyond.status, 403);
      assert.equal(beyond.body.code, 'EXCHANGE_FIELD_FORBIDDEN');
      assert.match(beyond.body.detail, /birthDate/);
      const outside = await exchange('system', { resource: PERSON, subject: SAMPLE.wangFang, fields: ['name'] });
      assert.equal(outside.body.code, 'EXCHANGE_SUBJECT_FORBIDDEN');
      assert.ok(!outside.text.includes('王芳') && !outside.text.includes(SAMPLE.wangFang));
      // With a grant scoped to an area, an unregistered subject is simply outside it: existence is not told.
      const nobody = await exchange('system', { resource: PERSON, subject: '110101199003070011', fields: ['name'] });
      assert.equal(nobody.status, 403);
      assert.equal(nobody.body.code, 'EXCHANGE_SUBJECT_FORBIDDEN');
      const badField = await exchange('system', { resource: PERSON, subject: SAMPLE.zhangWei, fields: ['salary'] });
      assert.equal(badField.status, 400);
      assert.equal(badField.body.field, 'fields[0]');
      const noResource = await exchange('system', { resource: 'XX-9999', subject: SAMPLE.zhangWei });
      assert.equal(noResource.body.code, 'RESOURCE_NOT_FOUND');
    });

    test('residents and companies see who looked at their data, when and why', async () => {
      const mine = await call('citizen', 'GET', '/api/exchange/mine');
      assert.equal(mine.status, 200);
      const ok = mine.body.items.find((e: any) => e.outcome === 'ok');
      assert.equal(ok.departmentName, '浦东新区市场监督管理局');
      assert.equal(ok.subjectId, SAMPLE.zhangWei, 'their own identity number, in clear, to themselves');
      assert.equal(ok.resourceName, '人口基本信息');
      assert.ok(mine.body.items.every((e: any) => e.subjectId === SAMPLE.zhangWei));
      // The company's own log holds only calls about the company.
      const company = await call('enterprise', 'GET', '/api/exchange/mine');
      assert.equal(company.status, 200);
      assert.ok(company.body.items.every((e: any) => e.subjectId === SAMPLE.company));
      assert.equal((await call('pudong.scjg', 'GET', '/api/exchange/mine')).status, 403);
    });

    test('a resident reads what the registries hold about them; staff cannot browse the registries', async () => {
      const me = await call('citizen', 'GET', '/api/registries/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.person.name, '张伟');
      assert.equal(me.body.person.residenceAddress.streetCode, '310115005');
      assert.deepEqual(me.body.person.family.map((f: any) => [f.relation, f.name]), [['spouse', '李娜']]);
      assert.deepEqual(me.body.represents.map((e: any) => e.uscc), [SAMPLE.company]);
      assert.ok(me.body.licences.some((l: any) => l.type === 'driving_licence' && l.data.class === 'C1'));
      const company = await call('enterprise', 'GET', '/api/registries/me');
      assert.equal(company.body.entity.uscc, SAMPLE.company);
      assert.equal((await call('pudong.scjg', 'GET', '/api/registries/me')).status, 403);
    });

    test('a revoked grant stops calls at once; an expired one after its days', async () => {
      const g = await granted({}, { resourceCode: PERSON, fields: ['name'], clearFields: [], days: 5 });
      // The older grants are still live: revoke them all but this one, so the outcome is this grant's.
      for (const r of (await call('pudong.scjg', 'GET', '/api/exchange/requests?status=granted')).body.items) {
        if (r.id !== g.id && r.resourceCode === PERSON) assert.equal((await call('ga.officer', 'POST', `/api/exchange/requests/${r.id}/revoke`, { reason: '整改' })).status, 200);
      }
      assert.equal((await exchange('system', { resource: PERSON, subject: SAMPLE.zhangWei, fields: ['name'] })).status, 200);
      y.clock.advance(6 * DAY);
      const expired = await exchange('system', { resource: PERSON, subject: SAMPLE.zhangWei, fields: ['name'] });
      assert.equal(expired.status, 403);
      assert.equal(expired.body.code, 'EXCHANGE_GRANT_EXPIRED');
      y.as['pudong.scjg'] = await login(y.app, 'pudong.scjg', 'Yiwang@2026');
      const listed = (await call('pudong.scjg', 'GET', '/api/exchange/requests?status=expired')).body.items;
      assert.deepEqual(listed.map((r: any) => [r.id, r.status]), [[g.id, 'expired']]);
      assert.equal((await call('pudong.scjg', 'GET', '/api/exchange/requests?status=granted')).body.items.length, 0);

      y.as['ga.officer'] = await login(y.app, `ga.officer.${dialect}`);
      const again = await granted({}, { fields: ['name'], clearFields: [], days: 5 });
      assert.equal((await exchange('system', { resource: PERSON, subject: SAMPLE.zhangWei, fields: ['name'] })).status, 200);
      const revoked = await call('ga.officer', 'POST', `/api/exchange/requests/${again.id}/revoke`, { reason: '发现超范围使用' });
      assert.equal(revoked.body.status, 'revoked');
      const after = await exchange('system', { resource: PERSON, subject: SAMPLE.zhangWei, fields: ['name'] });
      assert.equal(after.body.code, 'EXCHANGE_GRANT_REVOKED');
      const inbox = await call('pudong.scjg', 'GET', '/api/messages?limit=50');
      assert.ok(inbox.body.items.some((m: any) => m.title.includes('授权已撤销')), JSON.stringify(inbox.body).slice(0, 300));
    });

    test('once-only: with consent, documents other departments issued are fetched through the exchange at submission, and the application says by which call', async () => {
      for (const u of ['enterprise', 'pudong.scjg']) y.as[u] = await login(y.app, u, 'Yiwang@2026');
      y.as['scjg.officer'] = await login(y.app, `scjg.officer.${dialect}`);
      y.as['ga.officer'] = await login(y.app, `ga.officer.${dialect}`);
      const FOOD = '310000-SCJG-XK-0006'; // 食品经营许可: needs the business licence (市场监管) and the legal representative's ID (公安)
      const apply = async (consent: boolean) => {
        const form = (await call(null, 'GET', `/api/services/items/${FOOD}/form`)).body;
        const draft = await call('enterprise', 'POST', '/api/services/applications', { itemCode: FOOD, form: fillForm(form.schema, { 'premises.district': '310115' }, 'entity'), materials: await attachAll(y, 'enterprise', form.materials) });
        assert.equal(draft.status, 201, JSON.stringify(draft.body));
        const sent = await call('enterprise', 'POST', `/api/services/applications/${draft.body.id}/submit`, { consent });
        assert.equal(sent.status, 200, JSON.stringify(sent.body));
        return sent.body;
      };
      const held = (app: any, key: string) => app.materials.find((m: any) => m.key === key).exchanged;

      // Market regulation reads its own business licences; the police have granted it nothing yet.
      const first = await apply(true);
      assert.equal(held(first, 'business-licence').outcome, 'ok');
      assert.equal(held(first, 'business-licence').number, SAMPLE.company);
      assert.equal(held(first, 'legal-rep-id').outcome, 'EXCHANGE_GRANT_MISSING');
      assert.equal(held(first, 'legal-rep-id').callId, null);

      // The bureau asks the police for identity cards; the grant serves its district offices too.
      const req = await call('scjg.officer', 'POST', '/api/exchange/requests', { resourceCode: 'ZZ-0004', purpose: '办理食品经营许可时核验法定代表人身份证件（申请人授权）', legalBasis: '《食品经营许可和备案管理办法》', fields: ['number', 'holderName', 'validUntil', 'status'], subjectScope: { kind: 'all' }, days: 365 });
      assert.equal(req.status, 201, JSON.stringify(req.body));
      assert.equal((await call('ga.officer', 'POST', `/api/exchange/requests/${req.body.id}/decision`, { decision: 'grant' })).body.status, 'granted');
      const second = await apply(true);
      const id = held(second, 'legal-rep-id');
      assert.equal(id.outcome, 'ok');
      assert.equal(id.number, `3101**********${SAMPLE.zhangWei.slice(-4)}`, 'the identity number stays masked: it was not granted in clear');
      const log = (await call('pudong.scjg', 'GET', `/api/exchange/log?resource=ZZ-0004&outcome=ok`)).body.items;
      const entry = log.find((e: any) => e.seq === id.callId);
      assert.equal(entry.reference, second.id, 'the log names the application the call served');
      assert.equal(entry.system, '一网通办·申请人授权调取');
      // The company sees the fetch of its licence; without consent nothing is fetched.
      const company = (await call('enterprise', 'GET', '/api/exchange/mine')).body.items;
      assert.ok(company.some((e: any) => e.reference === second.id && e.resourceCode === 'ZZ-0001'));
      const third = await apply(false);
      assert.equal(held(third, 'business-licence'), null);
      // The restaurant bundle's redesign report counts the documents the exchange now supplies.
      const report = (await call(null, 'GET', '/api/services/bundles/310000-YJS-0001/redesign')).body;
      const supplied = Object.fromEntries(report.sharing.materials.map((m: any) => [m.key, m.resource]));
      assert.equal(supplied['legal-rep-id'], 'ZZ-0004');
      assert.ok(report.sharing.fromExchange >= 1 && report.sharing.fromExchange <= report.sharing.held);

      // The same inside a bundle: a small restaurant that has its business licence (food licence + drainage permit).
      const small = { hasLicence: true, area: 80, seats: 20, alcohol: false, kitchenExhaust: false, hasSign: false, renovation: false };
      const started = (await call('enterprise', 'POST', '/api/services/bundle-applications', { bundleCode: '310000-YJS-0001', answers: small })).body;
      const saved = await call('enterprise', 'PUT', `/api/services/bundle-applications/${started.id}`, { form: fillForm(started.formView.schema, { 'premises.district': '310115', ...started.form }), materials: await attachAll(y, 'enterprise', started.materials) });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const bundle = await call('enterprise', 'POST', `/api/services/bundle-applications/${started.id}/submit`, { consent: true });
      assert.equal(bundle.status, 200, JSON.stringify(bundle.body));
      const foodApp = bundle.body.applications.find((a: any) => a.itemCode === FOOD);
      const food = (await call('enterprise', 'GET', `/api/services/applications/${foodApp.id}`)).body;
      assert.equal(held(food, 'legal-rep-id').outcome, 'ok');
      assert.equal(held(food, 'business-licence').outcome, 'ok');
    });

    test('the log is a hash chain: an edited or removed entry is found', async () => {
      await y.ctx.services.exchange.log.flushed();
      y.as.admin = await login(y.app, 'admin', 'Yiwang@2026'); // the clock moved past the session's life
      const intact = await call('admin', 'GET', '/api/exchange/log/verify');
      assert.equal(intact.status, 200);
      assert.ok(intact.body.checked >= 8);
      assert.deepEqual(intact.body.problems, []);
      assert.equal((await call('pudong.scjg', 'GET', '/api/exchange/log/verify')).status, 403);

      // Someone with database access hides a refusal by rewriting it as allowed.
      await sql`update exchange_log set outcome = 'ok' where seq = 1`.execute(y.ctx.db);
      const edited = (await call('admin', 'GET', '/api/exchange/log/verify')).body;
      assert.deepEqual(edited.problems.map((p: any) => p.seq), [1]);
      assert.match(edited.problems[0].problem, /altered/);
      // …and removes the last entry.
      await sql`delete from exchange_log where seq = ${intact.body.head.seq}`.execute(y.ctx.db);
      const cut = (await call('admin', 'GET', '/api/exchange/log/verify')).body;
      assert.ok(cut.problems.some((p: any) => /removed/.test(p.problem)));
      // The chain no longer ends at its head: calls stop instead of forking it.
      const stopped = await exchange('system', { resource: PERSON, subject: SAMPLE.zhangWei, fields: ['name'] });
      assert.equal(stopped.status, 503);
      // Moving the head back to hide the entries after it is found too.
      const second = (await sql<{ hash: string }>`select hash from exchange_log where seq = 2`.execute(y.ctx.db)).rows[0]!;
      await sql`update exchange_log_head set seq = 2, hash = ${second.hash}`.execute(y.ctx.db);
      const hidden = (await call('admin', 'GET', '/api/exchange/log/verify')).body;
      assert.ok(hidden.problems.some((p: any) => /beyond the recorded head/.test(p.problem)), JSON.stringify(hidden.problems));
    });
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { DIALECTS } from '../../platform/db/testing.ts';
import { login, makeAccount, XSS } from '../../org/testing.ts';
import { caller, startServicesYiwang, type ServicesYiwang } from '../applications/testing.ts';
import { registriesModule } from '../registries/index.ts';
import { SAMPLE, sampleRegistries } from '../registries/testing.ts';
import { exchangeModule } from '../exchange/index.ts';
import { walletModule } from '../wallet/index.ts';
import { holderKey } from '../wallet/testing.ts';
import { CERTIFICATE_TYPES } from './certificate-types.ts';
import { certificatesModule } from './index.ts';
import { verifyLink } from './verify-link.ts';

// jsqr is CommonJS with an ES-style default: under Node's ESM the function is `.default`.
const jsQR = (jsQRModule as unknown as { default: (data: Uint8ClampedArray, w: number, h: number) => { data: string } | null }).default;

const COMPANY = `上海申味餐饮管理有限公司${XSS}`;

/** What each certificate must say for the sample holders (张伟, or his company), drawn from the sample registries. */
const EXPECTED: Record<string, { who: 'citizen' | 'enterprise'; purpose?: string; claims: Record<string, unknown> }> = {
  cert_household: { who: 'citizen', claims: { hukou_address: '上海市浦东新区陆家嘴街道银城中路88弄3号楼1201室', registration_office: '陆家嘴派出所', sex: '男', ethnicity: '汉族' } },
  cert_residence: { who: 'citizen', claims: { residence_address: '上海市浦东新区陆家嘴街道银城中路88弄3号楼1201室', police_station: '陆家嘴派出所' } },
  cert_no_criminal_record: { who: 'citizen', purpose: '出国留学', claims: { statement: `经查询，截至2026年03月02日，未发现张伟（公民身份号码：${SAMPLE.zhangWei}）有犯罪记录。`, issuing_authority: '上海市公安局浦东分局' } },
  cert_kinship: { who: 'citizen', claims: { relatives: [`配偶：李娜（公民身份号码：${SAMPLE.liNa}）`] } },
  cert_marriage_record: { who: 'citizen', claims: { marital_status: '已婚', records: ['2016年10月01日 结婚登记，配偶：李娜，结婚证字号：J310115-2016-004512'] } },
  cert_social_insurance: { who: 'citizen', claims: { insurance_status: '正常参保缴费', current_employer: COMPANY, current_base: '12,000.00元', total_months: '165个月', insurance_kinds: '养老、医疗、失业、工伤、生育保险' } },
  cert_employment: { who: 'citizen', claims: { employment_status: '就业', employer: COMPANY, employer_uscc: SAMPLE.company, employed_since: '2019年03月' } },
  cert_income_tax: { who: 'citizen', claims: { tax_period: '2024年度至2026年度', total_income: '366,000.00元', total_tax: '13,870.00元' } },
  cert_housing_fund: { who: 'citizen', claims: { account_no: '612345678901', account_status: '正常缴存', fund_rate: '单位7%，个人7%', monthly_deposit: '1,680.00元', deposit_months: '85个月' } },
  cert_property: { who: 'citizen', claims: { search_result: '有不动产登记记录', property_count: '1套' } },
  cert_entity_tax: { who: 'enterprise', claims: { entity_name: COMPANY, uscc: SAMPLE.company, total_paid: '71,150.00元', arrears: '截至2026年03月02日，无欠缴税款' } },
  cert_entity_credit: { who: 'enterprise', claims: { legal_representative: '张伟', penalties: [], conclusion: '查询期间内，未发现该主体在上述领域存在行政处罚记录。' } },
  cert_entity_insurance: { who: 'enterprise', claims: { insured_count: '1人', insurance_status: '正常缴费' } },
};

for (const dialect of DIALECTS) {
  describe(`instant certificates through the API (${dialect})`, () => {
    let y: ServicesYiwang;
    let call: ReturnType<typeof caller>;
    const issued = new Map<string, any>();

    before(async () => {
      y = await startServicesYiwang(dialect, ['citizen', 'enterprise', 'pudong.scjg'], [registriesModule, exchangeModule, walletModule, certificatesModule]);
      call = caller(y);
      await y.ctx.services.registries.load(sampleRegistries());
      const ids = new Map((await y.ctx.services.accounts.findByUsernames(['citizen', 'enterprise'])).map((a) => [a.username, a.id]));
      await y.ctx.services.registries.bind(ids.get('citizen')!, 'person', SAMPLE.zhangWei);
      await y.ctx.services.registries.bind(ids.get('enterprise')!, 'entity', SAMPLE.company);
      for (const [name, subject] of [['wangfang', SAMPLE.wangFang], ['lina', SAMPLE.liNa], ['nobody', null]] as const) {
        const a = await makeAccount(y.ctx, { username: `${name}.${dialect}`, kind: 'person' as never });
        if (subject) await y.ctx.services.registries.bind(a.id, 'person', subject);
        y.as[name] = await login(y.app, a.username, a.password);
      }
    });
    after(async () => y?.close());

    const issue = async (who: string, body: Record<string, unknown>) => call(who, 'POST', '/api/certificates', body);
    /** The unbound paper copy the wallet signed beside the holder's credential. */
    const paper = async (who: string, credentialId: string): Promise<string> => {
      const res = await call(who, 'GET', `/api/wallet/credentials/${credentialId}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(res.body.paperSdJwt, 'a paper copy was signed');
      return res.body.paperSdJwt;
    };

    test('the catalogue offers at least twelve certificates, each saying whether the holder can have it and why not', async () => {
      assert.ok(CERTIFICATE_TYPES.length >= 12);
      const res = await call('citizen', 'GET', '/api/certificates/types');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const items = res.body.items as any[];
      assert.deepEqual(items.map((t) => t.code), CERTIFICATE_TYPES.map((t) => t.code));
      for (const t of items) {
        assert.ok(t.nameZh && t.nameEn && t.descriptionZh && t.descriptionEn && t.issuerName, t.code);
        assert.equal(t.eligible, t.holderKind === 'person', `${t.code} for a resident`);
        if (!t.eligible) assert.match(t.reasonZh, /企业/);
      }
      assert.equal(items.find((t) => t.code === 'cert_household').issuerName, '上海市公安局');
      assert.equal(items.find((t) => t.code === 'cert_no_criminal_record').purposeRequired, true);
      const wang = (await call('wangfang', 'GET', '/api/certificates/types')).body.items as any[];
      assert.equal(wang.find((t) => t.code === 'cert_no_criminal_record').eligible, false);
      assert.equal(wang.find((t) => t.code === 'cert_social_insurance').eligible, false);
      const unbound = (await call('nobody', 'GET', '/api/certificates/types')).body.items as any[];
      assert.ok(unbound.every((t) => !t.eligible && /实名绑定/.test(t.reasonZh)));
      assert.equal((await call(null, 'GET', '/api/certificates/types')).status, 401);
      assert.equal((await call('pudong.scjg', 'GET', '/api/certificates/types')).status, 403, 'staff do not request certificates');
    });

    test('every certificate issues for its holder, numbered in its series, with the facts the registries hold, and its credential verifies', async () => {
      for (const t of CERTIFICATE_TYPES) {
        const want = EXPECTED[t.code];
        assert.ok(want, `a test expectation for ${t.code}`);
        const res = await issue(want.who, { type: t.code, ...(want.purpose ? { purpose: want.purpose } : {}) });
        assert.equal(res.status, 201, `${t.code}: ${JSON.stringify(res.body)}`);
        const { certificate: c, credential } = res.body;
        issued.set(t.code, res.body);
        assert.match(c.number, /〔2026〕第000001号$/, t.code);
        assert.equal(c.status, 'valid');
        assert.equal(c.issuedOn, '2026-03-02');
        assert.equal(c.validUntil, new Date(Date.UTC(2026, 2, 2 + t.validDays! - 1)).toISOString().slice(0, 10));
        assert.equal(credential.type, t.code);
        assert.equal(credential.source.id, c.id);
        assert.equal(credential.bound, false);
        const claims = Object.fromEntries(c.claims.map((x: any) => [x.key, x.value]));
        assert.equal(claims.certificate_number, c.number);
        assert.ok(claims.issuing_authority, `${t.code} names its office`);
        for (const [k, v] of Object.entries(want.claims)) assert.deepEqual(claims[k], v, `${t.code}.${k}`);
        if (t.holderKind === 'person') assert.equal(claims.id_number, SAMPLE.zhangWei);

        const checked = await y.ctx.services.wallet.verify(await paper(want.who, credential.id));
        assert.equal(checked.valid, true, `${t.code}: ${JSON.stringify(checked)}`);
        assert.equal(checked.claims.certificate_number, c.number);
      }
      y.clock.advance(60_000);
      const again = await issue('citizen', { type: 'cert_household' });
      assert.match(again.body.certificate.number, /^沪公\(户\)证字〔2026〕第000002号$/);
      const mine = (await call('citizen', 'GET', '/api/certificates')).body.items as any[];
      assert.equal(mine[0].id, again.body.certificate.id, 'newest first');
      assert.ok(mine.every((c) => c.holderKind === 'person'));
    });

    test('a certificate can be bound to the holder\'s phone key', async () => {
      const phone = await holderKey();
      const res = await issue('citizen', { type: 'cert_residence', holderJwk: phone.jwk });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.credential.bound, true);
      assert.ok(res.body.sdJwt.includes('~'));
    });

    test('refusals say why in plain words, and say nothing about a criminal record', async () => {
      const criminal = await issue('wangfang', { type: 'cert_no_criminal_record', purpose: '入职' });
      assert.equal(criminal.status, 422);
      assert.equal(criminal.body.code, 'CERTIFICATE_NOT_ELIGIBLE');
      assert.match(criminal.body.reasonZh, /无法在线开具.*派出所窗口/);
      assert.doesNotMatch(`${criminal.body.detail} ${criminal.body.reasonZh}`, /有犯罪|record (is|was) found|offen/i);
      const noInsurance = await issue('wangfang', { type: 'cert_social_insurance' });
      assert.equal(noInsurance.status, 422);
      assert.match(noInsurance.body.reasonEn, /No social insurance/);
      const companyMarriage = await issue('enterprise', { type: 'cert_marriage_record' });
      assert.equal(companyMarriage.status, 422);
      assert.match(companyMarriage.body.reasonZh, /仅向个人/);
      const personCompany = await issue('citizen', { type: 'cert_entity_tax' });
      assert.equal(personCompany.status, 422);
      assert.match(personCompany.body.reasonEn, /companies only/);
      const unbound = await issue('nobody', { type: 'cert_residence' });
      assert.equal(unbound.status, 404);
      assert.equal(unbound.body.code, 'SUBJECT_NOT_BOUND');
      // No family linked: 王芳 has none in the sample.
      assert.equal((await issue('wangfang', { type: 'cert_kinship' })).status, 422);
    });

    test('bad input names the field', async () => {
      const noPurpose = await issue('citizen', { type: 'cert_no_criminal_record' });
      assert.equal(noPurpose.status, 400);
      assert.equal(noPurpose.body.field, 'purpose');
      const unknown = await issue('citizen', { type: 'cert_moon_landing' });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.field, 'type');
      const extra = await issue('citizen', { type: 'cert_household', colour: 'red' });
      assert.equal(extra.status, 400);
      const badKey = await issue('citizen', { type: 'cert_household', holderJwk: { kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'secret' } });
      assert.equal(badKey.status, 400);
      assert.match(badKey.body.field, /holderJwk/);
    });

    test('someone else\'s certificate, PDF or QR is not found', async () => {
      const id = issued.get('cert_household').certificate.id;
      for (const url of [`/api/certificates/${id}`, `/api/certificates/${id}/pdf`, `/api/certificates/${id}/qr.png`]) {
        assert.equal((await call('lina', 'GET', url)).status, 404, url);
        assert.equal((await call('enterprise', 'GET', url)).status, 404, url);
      }
      assert.equal((await call('citizen', 'GET', `/api/certificates/${id}`)).body.number, issued.get('cert_household').certificate.number);
      assert.equal((await call('citizen', 'GET', '/api/certificates/ZMNOSUCHTHING')).status, 404);
    });

    test('the PDF is a small A4 PDF in Chinese, and its QR code opens the verify page with the paper credential', async () => {
      const { certificate: c, credential } = issued.get('cert_social_insurance');
      const res = await y.app.inject({ method: 'GET', url: `/api/certificates/${c.id}/pdf`, headers: y.as.citizen });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/pdf');
      const pdf = res.rawPayload;
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
      assert.ok(pdf.length < 400_000, `a subset font keeps it small (${pdf.length} bytes)`);
      assert.match(pdf.toString('latin1'), /\/MediaBox \[0 0 595\.28 841\.89\]/);

      const png = await y.app.inject({ method: 'GET', url: `/api/certificates/${c.id}/qr.png`, headers: y.as.citizen });
      assert.equal(png.headers['content-type'], 'image/png');
      const img = PNG.sync.read(png.rawPayload);
      const code = jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height);
      assert.ok(code, 'the QR code decodes');
      // It fits whole here: every disclosure of the paper copy is in the code.
      assert.equal(code.data, `${y.ctx.config.publicUrl}/verify#vp=${await paper('citizen', credential.id)}`);
      const checked = await y.ctx.services.wallet.verify(code.data.split('#vp=')[1]!);
      assert.equal(checked.valid, true);
      assert.equal(checked.claims.current_base, '12,000.00元');
    });

    test('when the issuing department revokes the credential, the certificate is withdrawn and its PDF says so', async () => {
      const res = await issue('citizen', { type: 'cert_household', purpose: '撤回测试' });
      const ga = await makeAccount(y.ctx, { username: `ga.officer.${dialect}`, departmentCode: 'ga', scopeCode: '310000' });
      y.as.ga = await login(y.app, ga.username, ga.password);
      const revoked = await call('ga', 'POST', `/api/wallet/credentials/${res.body.credential.id}/status`, { status: 'revoked', reason: '户籍信息已变更' });
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      let status = '';
      for (let i = 0; i < 50 && status !== 'withdrawn'; i++) {
        status = (await call('citizen', 'GET', `/api/certificates/${res.body.certificate.id}`)).body.status;
        if (status !== 'withdrawn') await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(status, 'withdrawn');
      const checked = await y.ctx.services.wallet.verify(await paper('citizen', res.body.credential.id));
      assert.equal(checked.valid, false, 'the paper copy shares the revoked status');
      const pdf = await y.app.inject({ method: 'GET', url: `/api/certificates/${res.body.certificate.id}/pdf`, headers: y.as.citizen });
      assert.equal(pdf.statusCode, 200);
    });

    test('a paper credential too long for a QR code keeps its key facts in it, and still verifies', async () => {
      const { certificate: c, credential } = issued.get('cert_income_tax');
      const full = await paper('citizen', credential.id);
      const link = verifyLink(y.ctx.config.publicUrl, full, 1400);
      assert.ok(Buffer.byteLength(link.url) <= 1400);
      assert.ok(link.omitted.length > 0 && !link.omitted.includes('certificate_number'));
      assert.deepEqual(verifyLink(y.ctx.config.publicUrl, full), { url: `${y.ctx.config.publicUrl}/verify#vp=${full}`, omitted: [] });
      const checked = await y.ctx.services.wallet.verify(link.url.split('#vp=')[1]!);
      assert.equal(checked.valid, true, JSON.stringify(checked));
      assert.equal(checked.claims.certificate_number, c.number);
      assert.equal(checked.claims.name, '张伟');
      for (const k of link.omitted) assert.equal(checked.claims[k], undefined);
    });
  });
}

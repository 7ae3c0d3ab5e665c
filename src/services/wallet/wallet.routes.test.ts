import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import { DIALECTS } from '../../platform/db/testing.ts';
import { login, makeAccount } from '../../org/testing.ts';
import { caller, startServicesYiwang, type ServicesYiwang } from '../applications/testing.ts';
import { registriesModule } from '../registries/index.ts';
import { SAMPLE, sampleRegistries } from '../registries/testing.ts';
import { exchangeModule } from '../exchange/index.ts';
import { walletModule } from './index.ts';
import { b64url } from './sdjwt.ts';
import { holderKey, presentAt, type HolderKey } from './testing.ts';

const DRIVING = 'L900000000001';
const POLICE = ['name', 'portrait', 'licence_class', 'valid_from', 'valid_until'];

for (const dialect of DIALECTS) {
  describe(`e-licence wallet through the API (${dialect})`, () => {
    let y: ServicesYiwang;
    let call: ReturnType<typeof caller>;
    let phone: HolderKey;
    let audience: string;

    before(async () => {
      y = await startServicesYiwang(dialect, ['citizen', 'enterprise', 'admin', 'pudong.scjg'], [registriesModule, exchangeModule, walletModule]);
      call = caller(y);
      await y.ctx.services.registries.load(sampleRegistries());
      const ids = new Map((await y.ctx.services.accounts.findByUsernames(['citizen', 'enterprise'])).map((a) => [a.username, a.id]));
      await y.ctx.services.registries.bind(ids.get('citizen')!, 'person', SAMPLE.zhangWei);
      await y.ctx.services.registries.bind(ids.get('enterprise')!, 'entity', SAMPLE.company);
      const lina = await makeAccount(y.ctx, { username: `lina.${dialect}`, kind: 'person' as never, roles: ['citizen'], departmentCode: null, scopeCode: null });
      await y.ctx.services.registries.bind(lina.id, 'person', SAMPLE.liNa);
      y.as.lina = await login(y.app, lina.username, lina.password);
      const ga = await makeAccount(y.ctx, { username: `ga.officer.${dialect}`, departmentCode: 'ga', scopeCode: '310000' });
      y.as.ga = await login(y.app, ga.username, ga.password);
      const jingan = await makeAccount(y.ctx, { username: `ga.jingan.${dialect}`, departmentCode: 'ga', scopeCode: '310106' });
      y.as.gaJingan = await login(y.app, jingan.username, jingan.password);
      phone = await holderKey();
      audience = `${y.ctx.config.publicUrl}/verify`;
    });
    after(async () => y?.close());

    const addDriving = async (key: HolderKey = phone) => {
      const res = await call('citizen', 'POST', '/api/wallet/credentials', { licenceId: DRIVING, holderJwk: key.jwk });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { credential: { id: string; status: string; bound: boolean }; sdJwt: string };
    };
    const verify = async (presentation: string) => {
      const res = await y.app.inject({ method: 'POST', url: '/api/verify', payload: { presentation } });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    const show = (sdJwt: string, key: HolderKey | null = phone, disclose = POLICE) => presentAt(sdJwt, key, disclose, y.clock.now(), audience);

    test('the issuer publishes its metadata and keys under /.well-known, and a signed status list', async () => {
      const meta = await y.app.inject({ method: 'GET', url: '/.well-known/jwt-vc-issuer' });
      assert.equal(meta.statusCode, 200);
      assert.equal(meta.json().issuer, y.ctx.config.publicUrl);
      assert.equal(meta.json().jwks.keys.length, 1);
      assert.equal(meta.json().jwks.keys[0].d, undefined, 'no private part is published');
      await addDriving();
      const list = await y.app.inject({ method: 'GET', url: '/status-lists/1' });
      assert.equal(list.statusCode, 200);
      assert.match(String(list.headers['content-type']), /application\/statuslist\+jwt/);
      assert.equal((await y.app.inject({ method: 'GET', url: '/status-lists/99' })).statusCode, 404);
    });

    test('a driver shows a licence with only what the police need, and it verifies', async () => {
      const { credential, sdJwt } = await addDriving();
      assert.equal(credential.bound, true);
      const wallet = await call('citizen', 'GET', '/api/wallet');
      assert.ok(wallet.body.items.some((c: any) => c.id === credential.id && c.status === 'valid'));
      assert.ok(!JSON.stringify(wallet.body).includes(SAMPLE.zhangWei), 'the identity number is masked in the list');
      const r = await verify(await show(sdJwt));
      assert.equal(r.valid, true, JSON.stringify(r));
      assert.equal(r.type, 'driving_licence');
      assert.equal(r.holderBound, true);
      assert.equal(r.claims.name, '张伟');
      assert.equal(r.claims.licence_class, 'C1');
      assert.equal(r.claims.valid_until, '2030-06-01');
      assert.match(r.claims.portrait, /^photo:/);
      for (const hidden of ['address', 'id_number', 'birth_date', 'licence_number']) assert.equal(r.claims[hidden], undefined, `${hidden} stays undisclosed`);
      // The holder sees who verified, and which claims — names, never values.
      const seen = await call('citizen', 'GET', '/api/wallet/verifications');
      const mine = seen.body.items.find((v: any) => v.credentialId === credential.id);
      assert.deepEqual([...mine.disclosed].sort(), [...POLICE].sort());
      const log = await y.ctx.db.selectFrom('wallet_verification').selectAll().execute();
      assert.ok(!JSON.stringify(log).includes('张伟') && !JSON.stringify(log).includes(SAMPLE.zhangWei), 'the log holds no claim values');
    });

    test('each kind of bad presentation is refused with its reason', async () => {
      const { sdJwt } = await addDriving();
      const good = await show(sdJwt);
      const [jwt, ...rest] = good.split('~');
      const [h, p] = jwt!.split('.');
      const kb = rest[rest.length - 1]!;
      const disclosures = rest.slice(0, -1);

      // Malformed: not an SD-JWT at all, or junk shaped like one.
      for (const junk of ['hello', '~~~', 'a.b.c~', `${h}.${p}~${'%%%'}~`, 'x'.repeat(30000)]) {
        const res = await y.app.inject({ method: 'POST', url: '/api/verify', payload: { presentation: junk } });
        if (junk.length > 20000) assert.equal(res.statusCode, 400, 'an oversize code is bad input');
        else assert.equal(res.json().reason, 'MALFORMED', junk);
      }
      assert.equal((await y.app.inject({ method: 'POST', url: '/api/verify', payload: {} })).statusCode, 400);

      // Forged: signed by someone else's key, under an unknown kid and under Yiwang's kid.
      const { privateKey } = await generateKeyPair('ES256');
      const header = JSON.parse(Buffer.from(h!, 'base64url').toString());
      const forge = async (hdr: object) => new CompactSign(Buffer.from(p!, 'base64url')).setProtectedHeader(hdr as never).sign(privateKey);
      assert.equal((await verify([await forge({ ...header, kid: 'someone-else' }), ...disclosures, ''].join('~'))).reason, 'UNKNOWN_KEY');
      assert.equal((await verify([await forge(header), ...disclosures, ''].join('~'))).reason, 'SIGNATURE_INVALID');

      // Altered: a payload changed after signing; a disclosure swapped for a made-up one (class A1).
      const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
      const altered = `${h}.${Buffer.from(JSON.stringify({ ...payload, exp: payload.exp + 1e8 })).toString('base64url')}.${jwt!.split('.')[2]}`;
      assert.equal((await verify([altered, ...disclosures, kb].join('~'))).reason, 'SIGNATURE_INVALID');
      const fake = Buffer.from(JSON.stringify(['c2FsdHNhbHRzYWx0', 'licence_class', 'A1'])).toString('base64url');
      assert.equal((await verify([jwt, ...disclosures.slice(1), fake, ''].join('~'))).reason, 'DISCLOSURE_INVALID');

      // Holder binding: missing, by the wrong key, made for another verifier, stale.
      assert.equal((await verify([jwt, ...disclosures, ''].join('~'))).reason, 'HOLDER_BINDING_MISSING');
      assert.equal((await verify(await show(sdJwt, await holderKey()))).reason, 'HOLDER_BINDING_INVALID');
      assert.equal((await verify(await presentAt(sdJwt, phone, POLICE, y.clock.now(), 'https://elsewhere.example/verify'))).reason, 'AUDIENCE_MISMATCH');
      assert.equal((await verify(await presentAt(sdJwt, phone, POLICE, y.clock.now() - 10 * 60_000, audience))).reason, 'PRESENTATION_STALE');

      // Replayed: the good one works once.
      assert.equal((await verify(good)).valid, true);
      const again = await verify(good);
      assert.equal(again.reason, 'REPLAYED');
      assert.equal(again.message.zh.length > 0 && again.message.en.length > 0, true);
      assert.deepEqual(again.claims, {}, 'a refused presentation discloses nothing');
    });

    test('one address may ask for 120 verifications a minute: the next gets 429 with Retry-After; other addresses, and the next minute, are not held up', async () => {
      const ask = (remoteAddress: string) => y.app.inject({ method: 'POST', url: '/api/verify', remoteAddress, payload: { presentation: 'hello' } });
      for (let i = 0; i < 120; i++) assert.equal((await ask('192.0.2.50')).json().reason, 'MALFORMED');
      const refused = await ask('192.0.2.50');
      assert.equal(refused.statusCode, 429);
      assert.equal(refused.json().code, 'RATE_LIMITED');
      assert.ok(Number(refused.headers['retry-after']) >= 1 && Number(refused.headers['retry-after']) <= 60, String(refused.headers['retry-after']));
      assert.equal((await ask('192.0.2.51')).statusCode, 200, 'another address');
      assert.equal((await ask('2001:db8:7:7::1')).statusCode, 200);
      y.clock.advance(60_000);
      assert.equal((await ask('192.0.2.50')).statusCode, 200, 'a new minute');
    });

    test('expired: after the licence runs out the credential fails, before it works', async () => {
      const { sdJwt } = await addDriving();
      const t0 = y.clock.now();
      try {
        y.clock.advance(Date.parse('2030-06-03T00:00:00+08:00') - t0);
        const r = await verify(await show(sdJwt));
        assert.equal(r.reason, 'EXPIRED');
      } finally {
        y.clock.advance(t0 - y.clock.now());
      }
    });

    test('revoked and suspended through the status list; only the issuing department may change it', async () => {
      const { credential, sdJwt } = await addDriving();
      assert.equal((await call('citizen', 'POST', `/api/wallet/credentials/${credential.id}/status`, { status: 'revoked', reason: '自行注销' })).status, 403);
      assert.equal((await call('pudong.scjg', 'POST', `/api/wallet/credentials/${credential.id}/status`, { status: 'revoked', reason: '市场监管不管驾驶证' })).status, 403);
      assert.equal((await call('ga', 'POST', `/api/wallet/credentials/${credential.id}/status`, { status: 'paused', reason: 'x' })).status, 400);
      const outside = await call('gaJingan', 'POST', `/api/wallet/credentials/${credential.id}/status`, { status: 'suspended', reason: '静安分局不管陆家嘴的驾驶证' });
      assert.equal(outside.status, 403, 'a district office reaches only holders in its district');
      assert.equal(outside.body.code, 'SCOPE_FORBIDDEN');

      const suspend = await call('ga', 'POST', `/api/wallet/credentials/${credential.id}/status`, { status: 'suspended', reason: '暂扣驾驶证 <script>alert(1)</script>' });
      assert.equal(suspend.status, 200, JSON.stringify(suspend.body));
      assert.equal((await verify(await show(sdJwt))).reason, 'SUSPENDED');
      assert.equal((await call('ga', 'POST', `/api/wallet/credentials/${credential.id}/status`, { status: 'valid', reason: '暂扣期满发还' })).status, 200);
      assert.equal((await verify(await show(sdJwt))).valid, true);
      assert.equal((await call('ga', 'POST', `/api/wallet/credentials/${credential.id}/status`, { status: 'revoked', reason: '吊销驾驶证' })).status, 200);
      assert.equal((await verify(await show(sdJwt))).reason, 'REVOKED');
      assert.equal((await call('ga', 'POST', `/api/wallet/credentials/${credential.id}/status`, { status: 'valid', reason: '恢复' })).status, 409);
      const wallet = await call('citizen', 'GET', '/api/wallet');
      assert.equal(wallet.body.items.find((c: any) => c.id === credential.id).status, 'revoked');
    });

    test('adding the licence on a new phone retires the copy on the old one', async () => {
      const old = await addDriving();
      const newPhone = await holderKey();
      const fresh = await addDriving(newPhone);
      assert.equal((await verify(await show(old.sdJwt))).reason, 'REVOKED');
      assert.equal((await verify(await show(fresh.sdJwt, newPhone))).valid, true);
    });

    test('holders reach only their own wallet; keys must be public P-256 keys', async () => {
      const { credential } = await addDriving();
      assert.equal((await call('lina', 'GET', `/api/wallet/credentials/${credential.id}`)).status, 404);
      assert.equal((await call('citizen', 'GET', `/api/wallet/credentials/${credential.id}`)).status, 200);
      assert.equal((await y.app.inject({ method: 'GET', url: '/api/wallet' })).statusCode, 401);
      assert.equal((await call('lina', 'POST', '/api/wallet/credentials', { licenceId: DRIVING, holderJwk: phone.jwk })).status, 404, '张伟\'s licence is not 李娜\'s');
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const priv = await exportJWK(privateKey);
      const withD = await call('citizen', 'POST', '/api/wallet/credentials', { licenceId: DRIVING, holderJwk: priv });
      assert.equal(withD.status, 400);
      assert.match(JSON.stringify(withD.body), /holderJwk/);
      const offCurve = await call('citizen', 'POST', '/api/wallet/credentials', { licenceId: DRIVING, holderJwk: { ...phone.jwk, y: b64url(new Uint8Array(32)) } });
      assert.equal(offCurve.status, 400);
      assert.match(JSON.stringify(offCurve.body), /holderJwk/);
    });

    test('a company shows its business licence; its wallet offers its own licences only', async () => {
      const wallet = await call('enterprise', 'GET', '/api/wallet');
      assert.deepEqual(wallet.body.available.map((a: any) => a.type).sort(), ['business_licence', 'food_business_licence']);
      const key = await holderKey();
      const res = await call('enterprise', 'POST', '/api/wallet/credentials', { licenceId: 'L900000000004', holderJwk: key.jwk });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const r = await verify(await show(res.body.sdJwt, key, ['entity_name', 'uscc', 'business_scope']));
      assert.equal(r.valid, true);
      assert.ok(r.claims.entity_name.startsWith('上海申味餐饮管理有限公司'));
      assert.equal(r.claims.uscc, SAMPLE.company);
    });

    test('rotating keys keeps earlier credentials verifying; withdrawing a key fails them', async () => {
      const before = await addDriving();
      const rot = await call('admin', 'POST', '/api/wallet/keys/rotate', {});
      assert.equal(rot.status, 200, JSON.stringify(rot.body));
      assert.equal((await call('citizen', 'POST', '/api/wallet/keys/rotate', {})).status, 403);
      y.ctx.services.wallet.keys.forget();
      const meta = (await y.app.inject({ method: 'GET', url: '/.well-known/jwt-vc-issuer' })).json();
      assert.ok(meta.jwks.keys.some((k: any) => k.kid === rot.body.kid));
      assert.ok(meta.jwks.keys.length >= 2, 'the retired key stays published while its credentials live');
      assert.equal((await verify(await show(before.sdJwt))).valid, true);
      const after = await addDriving();
      assert.equal(JSON.parse(Buffer.from(after.sdJwt.split('.')[0]!, 'base64url').toString()).kid, rot.body.kid);

      // The scheduled rotation: nothing until the key is 90 days old, then a new one signs.
      assert.equal(await y.ctx.services.wallet.rotateIfDue(90), null);
      const t0 = y.clock.now();
      y.clock.advance(91 * 86_400_000);
      const scheduled = await y.ctx.services.wallet.rotateIfDue(90);
      y.clock.advance(t0 - y.clock.now());
      assert.ok(scheduled && scheduled !== rot.body.kid, 'a 91-day-old key is rotated');
      y.ctx.services.wallet.keys.forget();
      assert.equal((await verify(await show(after.sdJwt))).valid, true, 'credentials of the key it replaced still verify');
      const latest = await addDriving();
      assert.equal(JSON.parse(Buffer.from(latest.sdJwt.split('.')[0]!, 'base64url').toString()).kid, scheduled);

      const second = await call('admin', 'POST', '/api/wallet/keys/rotate', { withdraw: true });
      assert.equal(second.status, 200);
      y.ctx.services.wallet.keys.forget();
      assert.equal((await verify(await show(latest.sdJwt))).reason, 'UNKNOWN_KEY', 'a withdrawn key no longer vouches');
    });
  });
}

// The verification steps one by one, against a fake environment: each test breaks exactly one thing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusList, createHeaderAndPayload } from '@sd-jwt/jwt-status-list';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { checkPresentation, type CheckEnv } from './check.ts';
import { ALG, discloseAll, sdJwtVc, webCryptoSigner, type PublicJwk } from './sdjwt.ts';
import { holderKey, presentAt } from './testing.ts';

const ISS = 'https://yiwang.example';
const URI = `${ISS}/status-lists/1`;
const AUD = `${ISS}/verify`;
const NOW = 1_780_000_000;
const CLAIMS = { name: '张伟', licence_class: 'C1', address: '上海市浦东新区银城中路88号', valid_until: '2030-06-01' };

async function issuer() {
  const { publicKey, privateKey } = await generateKeyPair(ALG);
  const jwk = (await exportJWK(publicKey)) as PublicJwk;
  const kid = await calculateJwkThumbprint(jwk as never);
  return { jwk: { ...jwk, kid }, kid, privateKey: privateKey as CryptoKey, sign: webCryptoSigner(privateKey as CryptoKey) };
}
type Issuer = Awaited<ReturnType<typeof issuer>>;

async function statusList(by: Issuer, opts: { sub?: string; exp?: number; revoked?: number[]; size?: number } = {}) {
  const entries = new Array<number>(opts.size ?? 1024).fill(0);
  for (const i of opts.revoked ?? []) entries[i] = 1;
  const { header, payload } = createHeaderAndPayload(new StatusList(entries, 2), { iss: ISS, sub: opts.sub ?? URI, iat: NOW - 10, exp: opts.exp ?? NOW + 3600 }, { alg: ALG, typ: 'statuslist+jwt', kid: by.kid });
  return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(by.privateKey);
}

async function credential(by: Issuer, holder: PublicJwk, over: Record<string, unknown> = {}, header: Record<string, unknown> = {}, idx = 7) {
  const payload = { iss: ISS, vct: 'urn:yiwang:vct:driving_licence:1', iat: NOW - 100, exp: NOW + 86_400, cnf: { jwk: holder }, status: { status_list: { idx, uri: URI } }, ...CLAIMS, ...over };
  return sdJwtVc({ signer: by.sign }).issue(payload as never, discloseAll(CLAIMS) as never, { header: { typ: 'dc+sd-jwt', kid: by.kid, alg: ALG, ...header } });
}

function env(by: Issuer, list: string | null | (() => Promise<string>), over: Partial<CheckEnv> = {}): CheckEnv {
  const seen = new Set<string>();
  return {
    issuer: ISS, keys: [by.jwk], now: NOW, audience: AUD, maxAge: 120,
    statusList: typeof list === 'function' ? list : async () => list,
    seen: async (n) => (seen.has(n) ? true : (seen.add(n), false)),
    ...over,
  };
}

describe('checkPresentation, step by step', () => {
  test('each broken step gives its own reason; the intact presentation passes', async () => {
    const by = await issuer();
    const phone = await holderKey();
    const list = await statusList(by);
    const sd = await credential(by, phone.jwk);
    const show = (s = sd, disclose = ['name', 'licence_class']) => presentAt(s, phone, disclose, NOW * 1000, AUD);

    const ok = await checkPresentation(await show(), env(by, list));
    assert.equal(ok.valid, true, JSON.stringify(ok));
    assert.deepEqual(Object.keys(ok.claims).sort(), ['licence_class', 'name']);

    // A disclosure dropped after the holder signed: sd_hash no longer matches.
    const vp = await show(sd, ['name', 'licence_class', 'address']);
    const parts = vp.split('~');
    const dropped = [parts[0], ...parts.slice(2)].join('~');
    assert.equal((await checkPresentation(dropped, env(by, list))).reason, 'HOLDER_BINDING_INVALID');
    // A disclosure repeated.
    const dup = [parts[0], parts[1], parts[1], ...parts.slice(2)].join('~');
    assert.equal((await checkPresentation(dup, env(by, list))).reason, 'DISCLOSURE_INVALID');

    // Issuer, type and time.
    assert.equal((await checkPresentation(await show(), env(by, list, { issuer: 'https://elsewhere.example' }))).reason, 'UNKNOWN_ISSUER');
    assert.equal((await checkPresentation(await show(await credential(by, phone.jwk, {}, { typ: 'JWT' })), env(by, list))).reason, 'UNSUPPORTED');
    assert.equal((await checkPresentation(await show(await credential(by, phone.jwk, { nbf: NOW + 3600 })), env(by, list))).reason, 'NOT_YET_VALID');
    assert.equal((await checkPresentation(await show(await credential(by, phone.jwk, { vct: 'urn:other:vct' })), env(by, list))).reason, 'UNKNOWN_TYPE');

    // An empty audience is an audience: a proof made for the verify page does not pass it.
    assert.equal((await checkPresentation(await show(), env(by, list, { audience: '' }))).reason, 'AUDIENCE_MISMATCH');
  });

  test('the status list must be the issuer\'s, for this URI, current, and hold the entry', async () => {
    const by = await issuer();
    const other = await issuer();
    const phone = await holderKey();
    const sd = await credential(by, phone.jwk);
    const check = async (e: CheckEnv, s = sd) => checkPresentation(await presentAt(s, phone, ['name'], NOW * 1000, AUD), e);

    assert.equal((await check(env(by, await statusList(by, { revoked: [7] })))).reason, 'REVOKED');
    assert.equal((await check(env(by, await statusList(by, { sub: `${ISS}/status-lists/2` })))).reason, 'STATUS_UNAVAILABLE');
    const foreign = await check(env(by, await statusList(other)));
    assert.equal(foreign.reason, 'STATUS_UNAVAILABLE');
    assert.match(foreign.detail!, /refresh the issuer keys/, 'a list under a key not held says so: the caller refetches the keys');
    assert.equal((await check(env(by, null))).reason, 'STATUS_UNAVAILABLE');
    assert.equal((await check(env(by, async () => { throw new Error('network down'); }))).reason, 'STATUS_UNAVAILABLE');
    assert.equal((await check(env(by, await statusList(by, { size: 4 })))).reason, 'STATUS_UNAVAILABLE', 'index 7 is beyond a list of 4');

    const expired = await statusList(by, { exp: NOW - 60 });
    assert.equal((await check(env(by, expired))).reason, 'STATUS_UNAVAILABLE');
    const offline = await check(env(by, expired, { allowStaleStatus: true }));
    assert.equal(offline.valid, true);
    assert.equal(offline.statusStale, true);
  });

  test('a failing nonce store is the verifier\'s problem, not an unreadable code', async () => {
    const by = await issuer();
    const phone = await holderKey();
    const vp = await presentAt(await credential(by, phone.jwk), phone, ['name'], NOW * 1000, AUD);
    await assert.rejects(checkPresentation(vp, env(by, await statusList(by), { seen: async () => { throw new Error('database is locked'); } })), /database is locked/);
  });
});

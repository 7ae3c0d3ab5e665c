// Yiwang's credentials against an independent SD-JWT implementation (@meeco/sd-jwt, written apart
// from the @sd-jwt packages Yiwang uses): its verifier accepts what Yiwang's wallet presents, and
// Yiwang's verifier accepts an SD-JWT that library packed and signed, presented with a key-binding
// JWT made by plain jose.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodeSDJWT, issueSDJWT, verifySDJWT } from '@meeco/sd-jwt';
import { compactVerify, importJWK, SignJWT, type JWK } from 'jose';
import { startServicesYiwang, type ServicesYiwang } from '../applications/testing.ts';
import { registriesModule } from '../registries/index.ts';
import { SAMPLE, sampleRegistries } from '../registries/testing.ts';
import { walletModule } from './index.ts';
import { holderKey, presentAt, type HolderKey } from './testing.ts';

const hasher = (data: string) => createHash('sha256').update(data).digest('base64url');
const getHasher = async (alg: string) => {
  assert.equal(alg, 'sha-256');
  return hasher;
};
const jwsVerifier = (jwk: JWK) => async (jws: string) => {
  await compactVerify(jws, await importJWK(jwk, 'ES256'));
  return true;
};

describe('SD-JWT interoperability with @meeco/sd-jwt (sqlite)', () => {
  let y: ServicesYiwang;
  let phone: HolderKey;
  let issued: { sdJwt: string };
  let issuerKey: JWK;
  let audience: string;

  before(async () => {
    y = await startServicesYiwang('sqlite', ['citizen'], [registriesModule, walletModule]);
    await y.ctx.services.registries.load(sampleRegistries());
    const [citizen] = await y.ctx.services.accounts.findByUsernames(['citizen']);
    await y.ctx.services.registries.bind(citizen!.id, 'person', SAMPLE.zhangWei);
    phone = await holderKey();
    const res = await y.app.inject({ method: 'POST', url: '/api/wallet/credentials', headers: y.as.citizen, payload: { licenceId: 'L900000000001', holderJwk: phone.jwk } });
    assert.equal(res.statusCode, 201, res.body);
    issued = res.json();
    const meta = (await y.app.inject({ method: 'GET', url: '/.well-known/jwt-vc-issuer' })).json();
    issuerKey = meta.jwks.keys[0];
    audience = `${meta.issuer}/verify`;
  });
  after(async () => y?.close());

  test('a presentation from Yiwang\'s wallet verifies with @meeco/sd-jwt, disclosing only what was chosen', async () => {
    const vp = await presentAt(issued.sdJwt, phone, ['name', 'licence_class', 'valid_until'], y.clock.now(), audience);
    const claims = (await verifySDJWT(vp, jwsVerifier(issuerKey), getHasher, { kb: { verifier: (kb, jwk) => jwsVerifier(jwk as JWK)(kb) } })) as Record<string, unknown>;
    assert.equal(claims.name, '张伟');
    assert.equal(claims.licence_class, 'C1');
    assert.equal(claims.valid_until, '2030-06-01');
    assert.equal(claims.address, undefined);
    assert.equal(claims.id_number, undefined);
    // The key-binding JWT covers exactly this presentation (sd_hash over everything before it).
    const kb = decodeSDJWT(vp).keyBindingJWT!;
    const kbPayload = JSON.parse(Buffer.from(kb.split('.')[1]!, 'base64url').toString());
    assert.equal(kbPayload.sd_hash, hasher(vp.slice(0, vp.length - kb.length)));
    // And the independent verifier refuses a signature that is not the issuer's.
    const other = await holderKey();
    await assert.rejects(verifySDJWT(vp, jwsVerifier(other.jwk as JWK), getHasher));
  });

  test('an SD-JWT packed and signed by @meeco/sd-jwt, presented with a jose key-binding JWT, verifies with Yiwang', async () => {
    const yiwang = decodeSDJWT(issued.sdJwt).unverifiedInputSDJWT as Record<string, unknown>;
    const key = await y.ctx.services.wallet.keys.active();
    const holder = await holderKey();
    const claims = { name: '张伟', licence_class: 'C1', valid_until: '2030-06-01', address: '上海市浦东新区陆家嘴街道（不应出示）' };
    const payload = { iss: yiwang.iss, vct: yiwang.vct, iat: Math.floor(y.clock.now() / 1000), exp: yiwang.exp, status: yiwang.status, ...claims };
    const sdJwt = await issueSDJWT({ alg: 'ES256', kid: key.kid, typ: 'dc+sd-jwt' }, payload as never, { _sd: Object.keys(claims) }, {
      signer: async (header, body) => key.sign(`${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(body)).toString('base64url')}`),
      hash: { alg: 'sha-256', callback: hasher },
      cnf: { jwk: holder.jwk as never },
    });
    // The holder keeps every disclosure but the address, then binds the presentation to its key.
    const [jwt, ...disclosures] = sdJwt.split('~').filter(Boolean);
    const kept = disclosures.filter((d) => !Buffer.from(d, 'base64url').toString().includes('"address"'));
    assert.equal(kept.length, 3);
    const unbound = `${[jwt, ...kept].join('~')}~`;
    const kb = await new SignJWT({ aud: audience, nonce: 'interop-nonce-0001', iat: Math.floor(y.clock.now() / 1000), sd_hash: hasher(unbound) })
      .setProtectedHeader({ alg: 'ES256', typ: 'kb+jwt' })
      .sign(holder.privateKey);
    const res = await y.app.inject({ method: 'POST', url: '/api/verify', payload: { presentation: unbound + kb } });
    const r = res.json();
    assert.equal(r.valid, true, res.body);
    assert.equal(r.holderBound, true);
    assert.equal(r.claims.name, '张伟');
    assert.equal(r.claims.licence_class, 'C1');
    assert.equal(r.claims.address, undefined);
  });
});

// Credential verifications for `npm run bench -- exchange`: presentations of driving licences made
// beforehand (the holder's cost is not the verifier's), then checked four ways beside a bare
// signature check.
import { createHash } from 'node:crypto';
import { compactVerify, importJWK } from 'jose';
import type { Yiwang } from '../src/app.ts';
import { checkPresentation } from '../src/services/wallet/check.ts';
import { holderKey, presentAt } from '../src/services/wallet/testing.ts';

type Pool = (label: string, n: number, k: number, fn: (i: number) => Promise<void>) => Promise<{ perS: number; p50: number; p99: number }>;

export async function benchCredentials(y: Yiwang, ids: string[], n: number, k: number, pool: Pool, progress: (l: string, d: number, t: number) => void) {
  const { ctx, app } = y;
  const wallet = ctx.services.wallet;
  const holders = await Promise.all(Array.from({ length: 20 }, () => holderKey()));
  const creds: string[] = [];
  for (let i = 0; i < 200; i++) {
    const id = ids[(i * 104729) % ids.length]!;
    const issued = await wallet.issue({
      holder: { kind: 'person', id }, accountId: ctx.random.uuid(), type: 'driving_licence', validUntil: '2032-06-30',
      claims: { name: '张伟', id_number: id, birth_date: '1988-05-17', address: '上海市浦东新区银城中路88号', licence_class: 'C1', licence_number: id, valid_from: '2022-06-30', valid_until: '2032-06-30', issuing_authority: '上海市公安局交通警察总队' },
      holderJwk: holders[i % holders.length]!.jwk, source: { kind: 'licence', id: `BENCH${i}` },
    });
    creds.push(issued.sdJwt);
    if (i % 50 === 49) progress('issuing credentials', i + 1, 200);
  }
  const audience = `${ctx.config.publicUrl}/verify`;
  const make = async (count: number, label: string) => {
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      out.push(await presentAt(creds[i % creds.length]!, holders[(i % creds.length) % holders.length]!, ['name', 'portrait', 'licence_class', 'valid_until'], ctx.clock.now(), audience));
      if (i % 1000 === 999) progress(`presentations (${label})`, i + 1, count);
    }
    return out;
  };
  const keys = await wallet.keys.published();
  const issuerKey = await importJWK({ ...keys[0]!, alg: 'ES256' }, 'ES256');

  const sets = { bare: await make(n, 'baseline'), local: await make(n, 'local'), service: await make(n, 'service'), http: await make(n, 'http') };
  const baseline = await pool('baseline: one ES256 signature check', n, k, async (i) => {
    await compactVerify(sets.bare[i]!.split('~')[0]!, issuerKey);
  });
  const seen = new Set<string>();
  const local = await pool('full check in-process (as the offline /verify page)', n, k, async (i) => {
    const r = await checkPresentation(sets.local[i]!, {
      issuer: ctx.config.publicUrl, keys, now: Math.floor(ctx.clock.now() / 1000), audience, maxAge: 120,
      statusList: (uri) => wallet.lists.token(Number(uri.split('/').pop())),
      sha256: (s) => createHash('sha256').update(s).digest(),
      seen: async (nonce) => (seen.has(nonce) ? true : (seen.add(nonce), false)),
    });
    if (!r.valid) throw new Error(`local check: ${r.reason}`);
  });
  const service = await pool('verify service (nonce in DB, logged)', n, k, async (i) => {
    const r = await wallet.verify(sets.service[i]!);
    if (!r.valid) throw new Error(`service: ${r.reason}`);
  });
  const http = await pool('POST /api/verify', n, k, async (i) => {
    const res = await app.inject({ method: 'POST', url: '/api/verify', payload: { presentation: sets.http[i]! } });
    if (!res.json().valid) throw new Error(`http: ${res.body}`);
  });
  return { baseline, local, service, http };
}

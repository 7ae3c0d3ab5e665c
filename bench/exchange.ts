// Benchmark: data exchange calls (grant check, masking, hash-chained log) and credential verifications.
//   npm run bench -- exchange [--db=sqlite|postgres] [--persons=50000] [--calls=20000] [--concurrency=32] [--verifications=5000]
// Loads --persons generated residents (the demo generator), grants Pudong market regulation the
// resident resource (RK-0001) of the police, and makes --calls calls for random residents:
//   - baseline: the same registry lookup and field pick, without grant check, masking or logging;
//   - through the exchange service (what an in-process caller pays);
//   - through POST /api/exchange/calls with an API token (app.inject: routing, auth, validation, JSON).
// Prints calls/s and p50/p99 for each. Every call's log entry is committed before it returns.
// Then SD-JWT VC presentations are verified: a bare ES256 signature check as the baseline, the full
// check in-process (what the offline /verify page does), the verify service, and POST /api/verify.
// Target (issue 7): ≥ 5,000 exchange calls/s with p99 ≤ 20 ms on SQLite.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { progressPrinter } from '../src/cli/progress.ts';
import type { Principal } from '../src/platform/access.ts';
import { orgModule } from '../src/org/index.ts';
import { seedDemoRegistries } from '../src/services/registries/demo.ts';
import { startBenchYiwang } from './_pg.ts';
import { benchCredentials } from './_credentials.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const DB = (arg('db') ?? 'sqlite') as 'sqlite' | 'postgres';
const PERSONS = Number(arg('persons') ?? 50_000);
const CALLS = Number(arg('calls') ?? 20_000);
const CONCURRENCY = Number(arg('concurrency') ?? 32);
const VERIFICATIONS = Number(arg('verifications') ?? 5_000);
const progress = progressPrinter();
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? 0;

/** Runs `fn` over 0..n-1 with `k` in flight; returns calls/s and each call's latency. */
async function pool(label: string, n: number, k: number, fn: (i: number) => Promise<void>) {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: k }, async () => {
    for (let i = next++; i < n; i = next++) {
      const s = performance.now();
      await fn(i);
      lat.push(performance.now() - s);
      if (lat.length % 1000 === 0) progress(label, lat.length, n);
    }
  }));
  progress(label, n, n);
  return { perS: (n / (performance.now() - t0)) * 1000, p50: pct(lat, 0.5), p99: pct(lat, 0.99) };
}

console.log(`exchange benchmark — ${DB}, ${fmt(PERSONS)} residents, ${fmt(CALLS)} calls, ${CONCURRENCY} in flight, node ${process.version}, ${os.cpus().length} cores`);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-bench-exchange-'));
const bench = await startBenchYiwang(DB, 'exchange', work, progress);
try {
  const { ctx, app } = bench.y;
  await orgModule.seed!(ctx, { demo: true, progress });
  await seedDemoRegistries(ctx, ctx.services.registries, PERSONS / 20_000, progress);
  const ids = (await ctx.db.selectFrom('registries_person').select('id_number').execute()).map((r) => r.id_number);

  const officer = (dept: string, username: string): Principal => ({ accountId: (ctx.random.uuid()), username, displayName: username, roles: ['staff'], departmentCode: dept, scopeCode: '310000', via: 'session' });
  const ga = officer('ga', 'bench.ga');
  const [scjg] = await ctx.services.accounts.findByUsernames(['pudong.scjg']);
  const caller: Principal = { accountId: scjg!.id, username: 'pudong.scjg', displayName: '浦东市场监管', roles: ['staff'], departmentCode: 'scjg.310115', scopeCode: '310115', via: 'token', system: 'bench' };
  const grants = ctx.services.exchange.grants;
  const req = await grants.request(caller, { resourceCode: 'RK-0001', purpose: '食品经营许可审批核验申请人', legalBasis: '《食品经营许可和备案管理办法》', fields: ['idNumber', 'name', 'sex', 'birthDate', 'phone', 'residenceAddress'], clearFields: ['birthDate'], subjectScope: { kind: 'all' }, days: 365 });
  await grants.decide(ga, req.id, { decision: 'grant', clearFields: ['birthDate'] });
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'pudong.scjg', password: 'Yiwang@2026' } });
  const cookie = login.headers['set-cookie']!.toString().split(';')[0]!;
  const token = (await app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { cookie }, payload: { name: '浦东食品许可审批系统' } })).json().token as string;
  const subject = (i: number) => ids[(i * 7919) % ids.length]!;
  const fields = ['idNumber', 'name', 'sex', 'birthDate', 'phone', 'residenceAddress'];

  const baseline = await pool('baseline: lookup only', CALLS, CONCURRENCY, async (i) => {
    const r = await ctx.services.registries.record('person', subject(i));
    const out: Record<string, unknown> = {};
    for (const f of fields) out[f] = r!.values[f];
  });
  const service = await pool('exchange service', CALLS, CONCURRENCY, async (i) => {
    await ctx.services.exchange.call(caller, { resource: 'RK-0001', subject: subject(i), purpose: '食品经营许可审批', reference: `SQ${i}` });
  });
  const http = await pool('POST /api/exchange/calls', CALLS, CONCURRENCY, async (i) => {
    const res = await app.inject({ method: 'POST', url: '/api/exchange/calls', headers: { authorization: `Bearer ${token}` }, payload: { resource: 'RK-0001', subject: subject(i), purpose: '食品经营许可审批', reference: `SQ${i}` } });
    if (res.statusCode !== 200) throw new Error(`call: ${res.statusCode} ${res.body}`);
  });
  await ctx.services.exchange.log.flushed();
  const verifyStart = performance.now();
  const chain = await ctx.services.exchange.log.verify();
  const verifyMs = performance.now() - verifyStart;

  const line = (label: string, r: { perS: number; p50: number; p99: number }) =>
    console.log(`  ${label.padEnd(52)} ${fmt(r.perS).padStart(7)} calls/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms`);
  console.log(`\nexchange calls on ${DB} (${fmt(CALLS)} each, ${CONCURRENCY} in flight; ${fmt(ids.length)} residents)`);
  line('baseline: registry lookup, no checks, no log', baseline);
  line('exchange service: grant, mask, log (committed)', service);
  line('POST /api/exchange/calls (token, validation, JSON)', http);
  console.log(`  log chain verified: ${fmt(chain.checked)} entries in ${fmt(verifyMs)} ms, ${chain.problems.length} problems`);
  console.log(`  ${fmt(process.memoryUsage().rss / 2 ** 20)} MiB resident`);
  const cred = await benchCredentials(bench.y, ids, VERIFICATIONS, CONCURRENCY, pool, progress);
  const vline = (label: string, r: { perS: number; p50: number; p99: number }) =>
    console.log(`  ${label.padEnd(52)} ${fmt(r.perS).padStart(7)} verif/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms`);
  console.log(`\ncredential verifications (SD-JWT VC driving licence, 4 claims disclosed, key-bound; ${fmt(VERIFICATIONS)} each)`);
  vline('baseline: one bare ES256 signature check', cred.baseline);
  vline('full check in-process (offline /verify page)', cred.local);
  vline('verify service: + nonce stored, verification logged', cred.service);
  vline('POST /api/verify', cred.http);
  console.log('\ntarget: ≥ 5,000 exchange calls/s with p99 ≤ 20 ms on SQLite');
} finally {
  await bench.close();
  fs.rmSync(work, { recursive: true, force: true });
}

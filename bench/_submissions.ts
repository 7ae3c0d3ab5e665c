// Application submissions through the API, for bench/services.ts.
import type { Yiwang } from '../src/app.ts';
import { DEMO_PASSWORD } from '../src/org/demo-accounts.ts';
import type { Progress } from '../src/platform/module.ts';
import { fillForm, TINY_PDF } from '../src/services/applications/testing.ts';

const ITEM = '310000-SCJG-XK-0006'; // 食品经营许可: a licence with several materials and review steps
const CONCURRENCY = 16;
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? 0;

/** Runs `fn` over 0..n-1 with `k` in flight; returns the wall time in ms and each call's latency. */
async function pool(n: number, k: number, fn: (i: number) => Promise<void>, tick: (done: number) => void): Promise<{ ms: number; lat: number[] }> {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: k }, async () => {
      for (let i = next++; i < n; i = next++) {
        const s = performance.now();
        await fn(i);
        lat.push(performance.now() - s);
        if (lat.length % 250 === 0) tick(lat.length);
      }
    }),
  );
  tick(n);
  return { ms: performance.now() - t0, lat };
}

export async function benchSubmissions(y: Yiwang, n: number, progress: Progress) {
  const login = await y.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'enterprise', password: DEMO_PASSWORD } });
  const cookie = login.headers['set-cookie']!.toString().split(';')[0]!;
  const headers = { cookie };
  const form = (await y.app.inject({ method: 'GET', url: `/api/services/items/${ITEM}/form` })).json();
  // One set of uploaded materials, attached to every application (as a company reuses its documents).
  const materials: Record<string, string[]> = {};
  for (const m of form.materials as Array<{ key: string; source: string }>) {
    if (m.source !== 'applicant') continue;
    const res = await y.app.inject({ method: 'POST', url: `/api/services/files?name=${m.key}.pdf`, headers: { ...headers, 'content-type': 'application/pdf' }, payload: TINY_PDF });
    materials[m.key] = [res.json().id];
  }
  const values = fillForm(form.schema, { 'premises.district': '310115' });
  const ids: string[] = [];
  const drafts = await pool(n, CONCURRENCY, async (i) => {
    const res = await y.app.inject({ method: 'POST', url: '/api/services/applications', headers, payload: { itemCode: ITEM, form: values, materials } });
    if (res.statusCode !== 201) throw new Error(`draft: ${res.statusCode} ${res.body}`);
    ids[i] = res.json().id;
  }, (d) => progress('drafts', d, n));
  const submits = await pool(n, CONCURRENCY, async (i) => {
    const res = await y.app.inject({ method: 'POST', url: `/api/services/applications/${ids[i]}/submit`, headers, payload: {} });
    if (res.statusCode !== 200) throw new Error(`submit: ${res.statusCode} ${res.body}`);
  }, (d) => progress('submissions', d, n));

  // Baseline: the submitted rows written again under new numbers, one bare insert per transaction.
  const rows = await y.ctx.db.selectFrom('services_application').selectAll().where('stage', '=', 'submitted').limit(n).execute();
  const t0 = performance.now();
  for (const [i, r] of rows.entries()) {
    await y.ctx.transaction((tx) => tx.insertInto('services_application').values({ ...r, id: `SQ99${String(i).padStart(12, '0')}` }).execute());
    if (i % 250 === 0) progress('baseline inserts', i, rows.length);
  }
  progress('baseline inserts', rows.length, rows.length);
  const baselineMs = performance.now() - t0;
  return {
    concurrency: CONCURRENCY,
    baselinePerS: (rows.length / baselineMs) * 1000,
    draftsPerS: (n / drafts.ms) * 1000,
    draftP50: pct(drafts.lat, 0.5),
    draftP99: pct(drafts.lat, 0.99),
    submitsPerS: (n / submits.ms) * 1000,
    submitP50: pct(submits.lat, 0.5),
    submitP99: pct(submits.lat, 0.99),
  };
}

import type { Dialect } from '../../platform/db/database.ts';
import type { Module } from '../../platform/module.ts';
import { DEMO_PASSWORD } from '../../org/demo-accounts.ts';
import { ORG_TEST_MODULES, ensureJurisdictions, login, testClock, type TestClock } from '../../org/testing.ts';
import { orgModule } from '../../org/index.ts';
import { notifyModule } from '../../notify/index.ts';
import { startTestYiwang, type TestYiwang } from '../../platform/testing.ts';
import { catalogueModule } from '../catalogue/index.ts';
import { bundlesModule } from '../bundles/index.ts';
import { applicationsModule } from './index.ts';

export { XSS } from '../../org/testing.ts';

/** The smallest PDF a byte check accepts: a real header, then anything. */
export const TINY_PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

export type ServicesYiwang = TestYiwang & { clock: TestClock; as: Record<string, { cookie: string }> };

/** Monday 2 March 2026, 10:00 in Shanghai: an ordinary working morning for clocks to start on. */
export const MONDAY_10AM = Date.UTC(2026, 2, 2, 2, 0, 0);

/** A test Yiwang with org (demo accounts signed in as `users`), messages, the catalogue, applications and bundles. */
export async function startServicesYiwang(dialect: Dialect, users: string[] = [], more: Module[] = []): Promise<ServicesYiwang> {
  const clock = testClock(MONDAY_10AM);
  const y = await startTestYiwang(dialect, { clock, modules: [...ORG_TEST_MODULES, notifyModule, catalogueModule, applicationsModule, bundlesModule, ...more] });
  try {
    await ensureJurisdictions(y.ctx);
    await orgModule.seed!(y.ctx, { demo: true, progress: () => {} });
    await catalogueModule.seed!(y.ctx, { demo: false, progress: () => {} });
    const as: Record<string, { cookie: string }> = {};
    for (const u of users) as[u] = await login(y.app, u, DEMO_PASSWORD);
    return { ...y, clock, as };
  } catch (err) {
    await y.close();
    throw err;
  }
}

/** Calls the API as a signed-in demo account (or anonymously with `who` = null). */
export function caller(y: ServicesYiwang) {
  return async (who: string | null, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
    const res = await y.app.inject({ method, url, headers: who ? y.as[who] : {}, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.body ? (res.headers['content-type']?.toString().includes('json') ? res.json() : res.body) : null };
  };
}

/** Uploads a small PDF as `who`; each call sends different bytes. Returns the file id. */
export async function uploadPdf(y: ServicesYiwang, who: string, name = '材料.pdf'): Promise<string> {
  const body = Buffer.concat([TINY_PDF, Buffer.from(`% ${Math.random()}\n`)]);
  const res = await y.app.inject({ method: 'POST', url: `/api/services/files?name=${encodeURIComponent(name)}`, headers: { ...y.as[who], 'content-type': 'application/pdf' }, payload: body });
  if (res.statusCode !== 201) throw new Error(`uploadPdf: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

/** One uploaded file for every material the applicant must submit (government-held ones skipped). */
export async function attachAll(y: ServicesYiwang, who: string, materials: Array<{ key: string; source: string; notToSubmit?: boolean }>): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const m of materials) if (m.source === 'applicant' && !m.notToSubmit) out[m.key] = [await uploadPdf(y, who, `${m.key}.pdf`)];
  return out;
}

/**
 * Fills a form with valid values from its JSON Schema: options take the first, patterns get a
 * value that matches them, numbers their minimum (or 1), dates a day, text a name carrying script.
 * For an applicant bound to a registry record (`bound`), the fields that record fills in
 * (`x-registry: person.…` or `entity.…`) are left to the server.
 */
export function fillForm(schema: { properties: Record<string, Record<string, unknown>> }, over: Record<string, unknown> = {}, bound?: 'person' | 'entity'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, s] of Object.entries(schema.properties)) {
    if (bound && String(s['x-registry'] ?? '').startsWith(`${bound}.`)) continue;
    if (Array.isArray(s.enum)) out[id] = s.enum[0];
    else if (s.type === 'boolean') out[id] = true;
    else if (s.type === 'integer' || s.type === 'number') out[id] = Math.max(Number(s.minimum ?? 1), 1);
    else if (s.format === 'date') out[id] = '2026-01-15';
    else if (typeof s.pattern === 'string') out[id] = sample(id, s.pattern);
    else out[id] = `测试 <script>alert(1)</script> ${id}`.slice(0, Number(s.maxLength ?? 200));
  }
  return { ...out, ...over };
}

/** Values for the patterns the forms use (identity numbers, credit codes, phones, districts, postcodes). */
function sample(id: string, pattern: string): string {
  const known = ['310115', '310101198001010011', '310115005001', '91310115MA1FL0000X', '13800138000', '200120', '沪A12345'];
  const re = new RegExp(pattern);
  const hit = known.find((k) => re.test(k));
  if (hit) return hit;
  throw new Error(`fillForm: no sample value for ${id} matching ${pattern}`);
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, launchChromium, signedInPage, startDemoServer, type DemoServer } from './harness.ts';

// 开饭店“一件事” in real Chromium: a citizen finds the restaurant bundle by everyday words, answers
// the questionnaire (no business licence yet, so the business licence, the food business licence
// and the sewer permit apply: two departments), fills the one merged form (his own name and identity
// number come from the registries, the new company's name he types), uploads every material
// once and submits. Staff of 市场监管 and 水务 then work at the same time in their own browsers,
// each accepting, passing the review steps and approving their items; the sewer permit builds on
// the business licence, so approving it first is held back with APPLICATION_WAITING. The citizen's
// one progress view ends completed; the redesign report and the figures count what happened.

const BUNDLE = '310000-YJS-0001';
const LICENCE = '310000-SCJG-XK-0001';
const FOOD = '310000-SCJG-XK-0006';
const SEWER = '310000-SW-XK-0001';
const ANSWERS: Record<string, boolean | number> = { hasLicence: false, area: 120, seats: 40, alcohol: false, kitchenExhaust: false, hasSign: false, renovation: false };
/** A one-page PDF with a line of text, so the reviewer's preview shows a page. */
function pdf(text: string): Buffer {
  const content = `BT /F1 18 Tf 40 780 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = objects.map((o, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

interface Plan {
  items: Array<{ code: string; sector: string }>;
  form: { schema: { required: string[]; properties: Record<string, { type?: string; enum?: string[]; minimum?: number; format?: string }> } };
  prefill: Record<string, unknown>;
  materials: Array<{ key: string; required: boolean; notToSubmit: boolean }>;
}

/** A valid value for a form field, from its id and JSON Schema. */
function valueFor(id: string, s: Plan['form']['schema']['properties'][string]): string | number | boolean {
  if (id === 'premises.district') return '310115';
  if (/idNumber$/i.test(id)) return '31011519900307002X';
  if (/phone$/i.test(id)) return '13912345678';
  if (id === 'premises.address') return '浦东新区东昌路568号1层';
  if (s.enum?.length) return s.enum[0]!;
  if (s.type === 'boolean') return true;
  if (s.type === 'integer' || s.type === 'number') return Math.max(s.minimum ?? 0, id.includes('Capital') ? 100 : id.includes('staff') ? 6 : 1);
  if (s.format === 'date') return '2026-12-01';
  if (id === 'company.businessScope') return '餐饮服务；食品销售';
  if (id === 'company.name') return '上海申味小馆餐饮有限公司';
  if (id === 'company.shareholders') return '王芳 认缴100万元';
  return '王芳';
}

/** Fills `field-<id>` whatever control the form renders for it: input, textarea, select, checkbox or radios. */
async function fill(page: Page, id: string, value: string | number | boolean): Promise<void> {
  const el = page.getByTestId(`field-${id}`);
  const kind = await el.evaluate((n) => (n instanceof HTMLInputElement ? `input:${n.type}` : n.tagName.toLowerCase()));
  if (kind === 'select') await el.selectOption(String(value));
  else if (kind === 'input:checkbox') await el.setChecked(value === true);
  else if (kind.startsWith('input:') || kind === 'textarea') await el.fill(String(value));
  else await el.locator(`input[type="radio"][value="${String(value)}"]`).check();
}

describe('开饭店一件事 in Chromium: one application, two departments in parallel, completed', () => {
  let browser: Browser;
  let server: DemoServer;
  const contexts: BrowserContext[] = [];

  before(async () => {
    server = await startDemoServer('bundle', '0.005');
    browser = await launchChromium();
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  const as = (username: string, allowed?: (status: number, url: URL) => boolean) => signedInPage(browser, server.base, contexts, username, allowed);

  const app = (page: Page) => page.getByTestId('desk-app');
  const version = async (page: Page) => Number(await app(page).getAttribute('data-version'));

  /** Opens an application from the department's queue (where the demo city's own applications are too). */
  async function open(page: Page, id: string): Promise<void> {
    await page.goto('/workbench/applications');
    const row = page.locator(`[data-testid="app-row"][data-id="${id}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-colour'), 'green', 'a fresh application is within its limit');
    await row.click();
    await page.locator(`[data-testid="desk-app"][data-id="${id}"]`).waitFor();
  }

  /** Takes one decision through its confirm panel and waits for the page to show the next version. */
  async function act(page: Page, action: string, note?: string): Promise<void> {
    const v = await version(page);
    await page.getByTestId(`act-${action}`).click();
    if (note) await page.getByTestId('act-note').fill(note);
    await page.getByTestId('act-confirm').click();
    await page.locator(`[data-testid="desk-app"][data-version="${v + 1}"]`).waitFor();
  }

  /** Accepts and passes every review step up to the last one, where approval is offered. */
  async function review(page: Page): Promise<void> {
    await act(page, 'accept', '材料齐全，予以受理');
    await page.locator('[data-testid="app-stage"][data-stage="review"]').waitFor();
    while ((await page.getByTestId('act-pass').count()) > 0) await act(page, 'pass');
    await page.getByTestId('act-approve').waitFor();
  }

  test('a citizen applies once; 市场监管 and 水务 decide in parallel; the bundle completes', { timeout: 420_000 }, async () => {
    // 1. The citizen finds the bundle, answers, fills the merged form, uploads and submits.
    const citizen = await as('citizen');
    const plan = (await (await citizen.page.request.post(`/api/services/bundles/${BUNDLE}/plan`, { data: { answers: ANSWERS } })).json()) as Plan;
    assert.deepEqual(plan.items.map((i) => i.code), [LICENCE, FOOD, SEWER]);
    assert.deepEqual([...new Set(plan.items.map((i) => i.sector))], ['scjg', 'sw'], 'items of two departments apply');

    await citizen.page.goto('/portal/services');
    await citizen.page.getByTestId('svc-q').fill('开饭店');
    await citizen.page.getByTestId('svc-go').click();
    await citizen.page.getByTestId('svc-bundle').filter({ hasText: '餐饮' }).first().click();
    for (const [q, a] of Object.entries(ANSWERS)) {
      if (typeof a === 'boolean') await citizen.page.getByTestId(`bw-q-${q}-${a ? 'yes' : 'no'}`).check();
      else await citizen.page.getByTestId(`bw-q-${q}`).fill(String(a));
    }
    await citizen.page.getByTestId('bw-start').click();
    // The founder's own data comes from the population registry, read-only; the company being
    // founded is a new one, so its name is typed.
    await citizen.page.getByTestId('field-source-applicant.name').waitFor();
    assert.equal(await citizen.page.getByTestId('field-applicant.name').isEditable(), false);
    assert.equal(await citizen.page.getByTestId('field-company.name').isEditable(), true, 'the new company\'s name is not locked');
    for (const id of plan.form.schema.required) {
      if (plan.prefill[id] !== undefined) continue;
      if ((await citizen.page.locator(`[data-field="${id}"][data-registry]`).count()) > 0) continue;
      await fill(citizen.page, id, valueFor(id, plan.form.schema.properties[id]!));
    }
    const toUpload = plan.materials.filter((x) => x.required && !x.notToSubmit);
    // The materials may be the draft's next step.
    if ((await citizen.page.getByTestId(`mat-file-${toUpload[0]!.key}`).count()) === 0) await citizen.page.getByTestId('bw-next').click();
    for (const m of toUpload) {
      const uploaded = citizen.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/services/files' && r.request().method() === 'POST');
      await citizen.page.getByTestId(`mat-file-${m.key}`).setInputFiles({ name: `${m.key}.pdf`, mimeType: 'application/pdf', buffer: pdf(m.key) });
      assert.equal((await uploaded).status(), 201);
    }
    await citizen.page.screenshot({ path: path.join(ARTIFACTS, 'bundle-form.png'), fullPage: true });
    await citizen.page.getByTestId('bw-submit').click();
    await citizen.page.getByTestId('bundle-progress').waitFor();
    await citizen.page.locator('[data-testid="bundle-app"]').nth(2).waitFor();
    assert.equal(await citizen.page.locator('[data-testid="bundle-app"]').count(), 3);
    const progressUrl = citizen.page.url();
    // The applications the bundle became, one per item, found through the citizen's own list.
    const mine = (await (await citizen.page.request.get('/api/services/bundle-applications')).json()) as { items: Array<{ id: string; bundleCode: string; submittedAt: number | null }> };
    const bundleId = mine.items.filter((b) => b.bundleCode === BUNDLE && b.submittedAt !== null).sort((a, b) => b.submittedAt! - a.submittedAt!)[0]!.id;
    const view = (await (await citizen.page.request.get(`/api/services/bundle-applications/${bundleId}`)).json()) as { applications: Array<{ id: string; itemCode: string }> };
    const ids = Object.fromEntries(view.applications.map((a) => [a.itemCode, a.id]));
    assert.deepEqual(Object.keys(ids).sort(), [LICENCE, FOOD, SEWER].sort());

    // 2. An administrator reads the queue and an application, and is offered no decision.
    const admin = await as('admin');
    await admin.page.goto('/workbench/applications');
    await admin.page.locator(`[data-testid="app-row"][data-id="${ids[SEWER]}"]`).waitFor();
    await admin.page.screenshot({ path: path.join(ARTIFACTS, 'bundle-desk-queue.png') });
    await admin.page.locator(`[data-testid="app-row"][data-id="${ids[SEWER]}"]`).click();
    await admin.page.getByTestId('app-readonly').waitFor();
    assert.equal(await admin.page.locator('[data-testid^="act-"]').count(), 0, 'administrators read, they do not decide');

    // 3. Two departments at once, each in its own browser.
    const scjg = await as('pudong.scjg');
    const sw = await as('pudong.sw', (status, url) => status === 409 && url.pathname.endsWith('/approve'));
    let sawWaiting!: () => void;
    const waitingSeen = new Promise<void>((resolve) => (sawWaiting = resolve));
    let licensed!: () => void;
    const licenceApproved = new Promise<void>((resolve) => (licensed = resolve));

    await Promise.all([
      (async () => {
        const { page } = scjg;
        const id = ids[LICENCE]!;
        await open(page, id);
        assert.equal(await page.getByTestId('app-stage').getAttribute('data-stage'), 'submitted');
        await page.getByTestId('app-preview-pdf').waitFor();
        await page.screenshot({ path: path.join(ARTIFACTS, 'bundle-desk-app.png'), fullPage: true });
        await review(page);
        // Held until 水务 has seen its approval wait for this licence.
        await waitingSeen;
        await act(page, 'approve', '准予设立登记');
        await page.locator(`[data-testid="desk-app"][data-id="${id}"] [data-testid="app-stage"][data-stage="approved"]`).waitFor();
        licensed();
        await open(page, ids[FOOD]!);
        await review(page);
        await act(page, 'approve');
        await page.locator('[data-testid="app-stage"][data-stage="approved"]').waitFor();
      })(),
      (async () => {
        const { page } = sw;
        await open(page, ids[SEWER]!);
        assert.equal(await page.locator('[data-testid="app-mat-business-licence"]').getAttribute('data-held'), 'true', 'the business licence is fetched, not submitted');
        await page.screenshot({ path: path.join(ARTIFACTS, 'bundle-desk-app-sw.png'), fullPage: true });
        await review(page);
        await page.getByTestId('act-approve').click();
        await page.getByTestId('act-confirm').click();
        await page.locator('[data-testid="act-error"][data-code="APPLICATION_WAITING"]').waitFor();
        assert.match((await page.getByTestId('act-error').textContent()) ?? '', /营业执照/);
        sawWaiting();
        await licenceApproved;
        await page.getByTestId('act-confirm').click();
        await page.locator('[data-testid="app-stage"][data-stage="approved"]').waitFor();
        await page.screenshot({ path: path.join(ARTIFACTS, 'bundle-desk-approved.png'), fullPage: true });
      })(),
    ]);

    // 4. The citizen's one progress view: every item approved.
    await citizen.page.goto(progressUrl);
    await citizen.page.locator('[data-testid="bundle-stage"][data-stage="completed"]').waitFor();
    await citizen.page.screenshot({ path: path.join(ARTIFACTS, 'bundle-completed.png'), fullPage: true });

    // 5. The redesign report and the figures show what the server counts, this bundle included.
    const report = (await (await scjg.page.request.get(`/api/services/bundles/${BUNDLE}/redesign`)).json()) as { records: { concluded: number } };
    assert.ok(report.records.concluded >= 1);
    await scjg.page.getByTestId('nav-redesign').click();
    await scjg.page.locator(`[data-testid="rd-report"][data-bundle="${BUNDLE}"]`).waitFor();
    assert.equal(await scjg.page.getByTestId('rd-concluded').textContent(), String(report.records.concluded));
    const materials = scjg.page.locator('[data-testid="rd-compare"] tr[data-measure="materials"]');
    assert.ok(Number(await materials.getAttribute('data-after')) < Number(await materials.getAttribute('data-before')), 'fewer materials after the redesign');
    await scjg.page.getByTestId('rd-published').waitFor();
    await scjg.page.screenshot({ path: path.join(ARTIFACTS, 'bundle-redesign.png'), fullPage: true });
    await scjg.page.getByTestId('nav-service-figures').click();
    await scjg.page.locator('[data-testid="fig-chart"][data-ready="true"]').waitFor();
    const figures = (await (await scjg.page.request.get('/api/services/figures')).json()) as { applications: { submitted: number }; byItem: Array<{ code: string; decided: number }> };
    assert.ok(figures.applications.submitted >= 3);
    assert.equal(await scjg.page.getByTestId('fig-submitted').locator('.stat-value').textContent(), String(figures.applications.submitted));
    assert.equal(await scjg.page.locator(`[data-testid="fig-items"] tr[data-code="${SEWER}"] td`).nth(2).textContent(), String(figures.byItem.find((r) => r.code === SEWER)!.decided));
    await scjg.page.screenshot({ path: path.join(ARTIFACTS, 'bundle-figures.png'), fullPage: true });

    for (const who of [citizen, admin, scjg, sw]) assert.deepEqual(who.problems, []);
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, launchChromium, signedInPage, startDemoServer, type DemoServer } from './harness.ts';

// Auto-fill and once-only in Chromium, on the demo city:
// 1. The citizen 张伟 applies for a social security card: his name, identity number, phone and
//    address come from the population registry, read-only, each saying so; the name offers
//    "报告错误", which sends a 数据纠错 report on that field to 市公安局. Ticking the consent box
//    shows the identity card as to be fetched; after submission the card is marked fetched through
//    data sharing. A second application without the box fetches nothing.
// 2. The company account opens the restaurant bundle for a shop under its existing licence: the
//    company name and credit code are its own, locked. Ticking the bundle's consent box and
//    submitting has 市场监管 find the business licence supplied by the exchange; a bundle
//    submitted without the box has nothing fetched.

const CARD = '310000-RS-GG-0001'; // 社会保障卡申领: identity card held by 公安, fetched by 人社
const BUNDLE = '310000-YJS-0001';
const FOOD = '310000-SCJG-XK-0006';
const SMALL_SHOP: Record<string, boolean | number> = { hasLicence: true, area: 80, seats: 20, alcohol: false, kitchenExhaust: false, hasSign: false, renovation: false };
/** A one-page PDF (the smallest a byte check takes). */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

interface Schema {
  required: string[];
  properties: Record<string, { type?: string; enum?: string[]; minimum?: number; format?: string; 'x-registry'?: string }>;
}

/** A valid value for a form field from its id and JSON Schema. */
function valueFor(id: string, s: Schema['properties'][string]): string | number | boolean {
  if (id === 'premises.district') return '310115';
  if (/idNumber$/i.test(id)) return '31011519900307002X';
  if (/phone$/i.test(id)) return '13912345678';
  if (id === 'premises.address') return '浦东新区东昌路568号1层';
  if (s.enum?.length) return s.enum[0]!;
  if (s.type === 'boolean') return true;
  if (s.type === 'integer' || s.type === 'number') return Math.max(s.minimum ?? 0, 1);
  if (s.format === 'date') return '2026-12-01';
  return '王芳 <script>alert(1)</script>';
}

/** Fills `field-<id>` whatever control renders it: input, textarea, select, checkbox or radios. */
async function fill(page: Page, id: string, value: string | number | boolean): Promise<void> {
  const el = page.getByTestId(`field-${id}`);
  const kind = await el.evaluate((n) => (n instanceof HTMLInputElement ? `input:${n.type}` : n.tagName.toLowerCase()));
  if (kind === 'select') await el.selectOption(String(value));
  else if (kind === 'input:checkbox') await el.setChecked(value === true);
  else if (kind.startsWith('input:') || kind === 'textarea') await el.fill(String(value));
  else await el.locator(`input[type="radio"][value="${String(value)}"]`).check();
}

/** Fills every required field the page lets one edit (registry fields and answered questions are filled already). */
async function fillRequired(page: Page, schema: Schema, given: Record<string, unknown> = {}): Promise<void> {
  for (const id of schema.required) {
    if (given[id] !== undefined) continue;
    if ((await page.locator(`[data-field="${id}"][data-registry]`).count()) > 0) continue;
    if ((await page.getByTestId(`field-${id}`).count()) === 0 || (await page.getByTestId(`field-${id}`).isDisabled())) continue;
    await fill(page, id, valueFor(id, schema.properties[id]!));
  }
}

describe('auto-fill from the registries and once-only consent in Chromium', () => {
  let browser: Browser;
  let server: DemoServer;
  const contexts: BrowserContext[] = [];

  before(async () => {
    server = await startDemoServer('autofill', '0.005');
    browser = await launchChromium();
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  const as = (username: string) => signedInPage(browser, server.base, contexts, username);

  /** Opens the item page, starts an application and waits for its draft. */
  async function startApplication(page: Page): Promise<void> {
    await page.goto(`/portal/services/${CARD}`);
    await page.getByTestId('svc-apply').click();
    await page.locator('[data-testid="app-page"][data-stage="draft"]').waitFor();
    await page.getByTestId('app-form').waitFor();
  }

  test('a citizen\'s own data is filled in read-only with its source and a report action; with consent his identity card is fetched, without it nothing is', { timeout: 240_000 }, async () => {
    const { page, problems } = await as('citizen');
    const me = (await (await page.request.get('/api/registries/me')).json()) as { person: { name: string; idNumber: string } };
    const form = (await (await page.request.get(`/api/services/items/${CARD}/form`)).json()) as { schema: Schema };

    await startApplication(page);
    const name = page.getByTestId('field-applicant.name');
    assert.equal(await name.inputValue(), me.person.name);
    assert.equal(await page.getByTestId('field-applicant.idNumber').inputValue(), me.person.idNumber);
    assert.equal(await name.getAttribute('readonly'), '', 'the registry value is read-only');
    assert.equal(await name.isEditable(), false);
    const source = page.getByTestId('field-source-applicant.name');
    assert.match((await source.textContent()) ?? '', /人口库（上海市公安局）/);
    assert.equal(await page.getByTestId('field-report-applicant.idNumber').count(), 0, 'identity numbers are corrected in person, not by report');
    assert.match((await page.getByTestId('field-source-applicant.idNumber').textContent()) ?? '', /持有效证件/);

    // 报告错误 on the name: the report goes to 市公安局, the field stays what the registry says.
    await page.getByTestId('field-report-applicant.name').click();
    assert.equal(await page.getByTestId('field-report-applicant.name-field').inputValue(), 'name', 'the report starts on this field');
    await page.getByTestId('field-report-applicant.name-proposed').fill('张 伟');
    await page.getByTestId('field-report-applicant.name-reason').fill('户口簿上姓名为张 伟 <script>alert(1)</script>');
    const sent = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/registries/me/reports' && r.request().method() === 'POST');
    await page.getByTestId('field-report-applicant.name-send').click();
    assert.equal((await sent).status(), 201);
    const row = page.getByTestId('field-report-applicant.name-row');
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /上海市公安局/);
    assert.equal(await name.inputValue(), me.person.name);
    await page.screenshot({ path: path.join(ARTIFACTS, 'autofill-form.png'), fullPage: true });

    // Consent, ticked: the identity card is to be fetched, then fetched.
    await fillRequired(page, form.schema);
    const held = page.getByTestId('mat-held-id-card');
    assert.equal(await held.getAttribute('data-fetch'), null, 'nothing is fetched before consent');
    assert.equal(await page.getByTestId('app-consent-box').isChecked(), false, 'consent is never assumed');
    assert.match((await page.getByTestId('app-consent').textContent()) ?? '', /申请人有效身份证件（上海市公安局）/);
    await page.getByTestId('app-consent-box').check();
    assert.equal(await held.getAttribute('data-fetch'), 'will');
    assert.match((await held.textContent()) ?? '', /将由受理部门通过数据共享向上海市公安局调取/);
    await page.getByTestId('app-submit').click();
    await page.locator('[data-testid="app-page"][data-stage="submitted"]').waitFor();
    const fetched = page.getByTestId('mat-exchanged-id-card');
    await fetched.waitFor();
    assert.equal(await fetched.getAttribute('data-outcome'), 'ok');
    assert.match((await fetched.textContent()) ?? '', /已通过数据共享调取/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'autofill-fetched.png'), fullPage: true });

    // Without consent: submitted all the same, and nothing fetched.
    await startApplication(page);
    await fillRequired(page, form.schema);
    await page.getByTestId('app-submit').click();
    await page.locator('[data-testid="app-page"][data-stage="submitted"]').waitFor();
    await page.getByTestId('mat-held-id-card').waitFor();
    assert.equal(await page.getByTestId('mat-exchanged-id-card').count(), 0);
    assert.equal(await page.getByTestId('mat-held-id-card').getAttribute('data-fetch'), null);
    assert.deepEqual(problems, []);
  });

  test('a company\'s bundle: its own company data locked; with consent 市场监管 finds the business licence supplied by the exchange, without it nothing', { timeout: 300_000 }, async () => {
    const { page, problems } = await as('enterprise');
    const me = (await (await page.request.get('/api/registries/me')).json()) as { entity: { name: string; uscc: string } };

    /** Answers the questionnaire, fills the merged form, uploads, and submits with or without consent. */
    async function bundle(consent: boolean): Promise<string> {
      await page.goto(`/portal/bundles/${BUNDLE}`);
      for (const [q, a] of Object.entries(SMALL_SHOP)) {
        if (typeof a === 'boolean') await page.getByTestId(`bw-q-${q}-${a ? 'yes' : 'no'}`).check();
        else await page.getByTestId(`bw-q-${q}`).fill(String(a));
      }
      await page.getByTestId('bw-start').click();
      await page.getByTestId('bw-draft').waitFor();
      const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
      const view = (await (await page.request.get(`/api/services/bundle-applications/${id}`)).json()) as { form: Record<string, unknown>; formView: { schema: Schema }; materials: Array<{ key: string; required: boolean; notToSubmit: boolean }> };
      const company = page.getByTestId('field-company.name');
      assert.equal(await company.inputValue(), me.entity.name);
      assert.equal(await company.isEditable(), false, 'the company is the account\'s own: locked');
      assert.equal(await page.getByTestId('field-company.uscc').inputValue(), me.entity.uscc);
      assert.match((await page.getByTestId('field-source-company.name').textContent()) ?? '', /法人库（上海市市场监督管理局）/);
      await page.getByTestId('field-report-company.name').waitFor();
      assert.equal(await page.getByTestId('field-applicant.name').isEditable(), true, 'the person handling it is not the company record');
      await fillRequired(page, view.formView.schema, view.form);
      await page.getByTestId('bw-next').click();
      for (const m of view.materials.filter((x) => x.required && !x.notToSubmit)) {
        const uploaded = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/services/files' && r.request().method() === 'POST');
        await page.getByTestId(`mat-file-${m.key}`).setInputFiles({ name: `${m.key}.pdf`, mimeType: 'application/pdf', buffer: PDF });
        assert.equal((await uploaded).status(), 201);
      }
      const licence = page.getByTestId('mat-held-business-licence');
      assert.equal(await page.getByTestId('bw-consent-box').isChecked(), false, 'consent is never assumed');
      assert.match((await page.getByTestId('bw-consent').textContent()) ?? '', /营业执照（上海市市场监督管理局）/);
      if (consent) {
        await page.getByTestId('bw-consent-box').check();
        assert.equal(await licence.getAttribute('data-fetch'), 'will');
        await page.screenshot({ path: path.join(ARTIFACTS, 'autofill-bundle-consent.png'), fullPage: true });
      } else assert.equal(await licence.getAttribute('data-fetch'), null);
      await page.getByTestId('bw-submit').click();
      await page.getByTestId('bundle-progress').waitFor();
      return id;
    }

    const withConsent = await bundle(true);
    const without = await bundle(false);
    const foodOf = async (id: string) => {
      const v = (await (await page.request.get(`/api/services/bundle-applications/${id}`)).json()) as { applications: Array<{ id: string; itemCode: string }> };
      return v.applications.find((a) => a.itemCode === FOOD)!.id;
    };
    const [fetchedApp, plainApp] = [await foodOf(withConsent), await foodOf(without)];

    // The applicant sees it on the item's application page.
    await page.goto(`/portal/applications/${fetchedApp}`);
    const mine = page.getByTestId('mat-exchanged-business-licence');
    await mine.waitFor();
    assert.equal(await mine.getAttribute('data-outcome'), 'ok');
    assert.deepEqual(problems, []);

    // The desk sees which call supplied it; the bundle submitted without consent has nothing fetched.
    const desk = await as('pudong.scjg');
    await desk.page.goto(`/workbench/applications/${fetchedApp}`);
    const supplied = desk.page.locator('[data-testid="app-mat-business-licence"] [data-testid="app-mat-exchanged"]');
    await supplied.waitFor();
    assert.equal(await supplied.getAttribute('data-outcome'), 'ok');
    await desk.page.screenshot({ path: path.join(ARTIFACTS, 'autofill-desk-fetched.png'), fullPage: true });
    await desk.page.goto(`/workbench/applications/${plainApp}`);
    await desk.page.locator(`[data-testid="desk-app"][data-id="${plainApp}"]`).waitFor();
    await desk.page.getByTestId('app-mat-business-licence').waitFor();
    assert.equal(await desk.page.locator('[data-testid="app-mat-business-licence"] [data-testid="app-mat-exchanged"]').count(), 0);
    assert.deepEqual(desk.problems, []);
  });
});

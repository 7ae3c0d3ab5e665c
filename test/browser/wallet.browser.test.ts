import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { XSS } from '../../src/org/testing.ts';
import { ARTIFACTS, launchChromium, signIn, startDemoServer, type DemoServer, watch } from './harness.ts';

// The e-licence wallet and the /verify page in real Chromium, in two browsers:
// 1. The demo resident 张伟 (`citizen`, a C1 driving licence in the demo registries), on a phone, adds
//    his driving licence to this phone's wallet (a device key in IndexedDB) and shows it with the
//    交警查验 preset: a full-screen QR. The test screenshots the QR and decodes it in Node (jsQR).
// 2. A traffic officer, not signed in, opens /verify and picks the screenshot: green, 张伟 and C1,
//    and not his home address. The same code again is red: 已被使用 (a replay). With the officer's
//    browser offline, a fresh code still verifies from the cached keys and status list, and the page
//    itself reloads offline from its service worker.
// 3. 张伟 requests a certificate: the catalogue says why the ineligible ones are not available, the
//    issued one shows its facts, its PDF downloads, and its printed QR verifies as a printed copy.

// jsqr is CommonJS: under Node's ESM the default import is the module, its `default` the function.
const jsQR = (jsQRModule as unknown as { default: (data: Uint8ClampedArray, w: number, h: number) => { data: string } | null }).default;
const PHONE = { viewport: { width: 412, height: 915 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** Decodes the QR code in a PNG (a screenshot) in Node. */
function decodePng(png: Buffer): string {
  const img = PNG.sync.read(png);
  const found = jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height);
  assert.ok(found, 'a QR code is found in the screenshot');
  return found.data;
}

describe('e-licence wallet in Chromium: a driver shows a licence QR, the verifier page checks it, online and offline', () => {
  let browser: Browser;
  let server: DemoServer;
  const contexts: BrowserContext[] = [];
  let holder: Page;
  let holderProblems: string[];
  let officer: Page;
  let officerCtx: BrowserContext;
  let officerProblems: string[];
  let code = '';
  let address = '';

  before(async () => {
    server = await startDemoServer('wallet', '0.002');
    browser = await launchChromium();
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  async function context(opts: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
    const c = await browser.newContext({ baseURL: server.base, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...opts });
    c.setDefaultTimeout(30_000);
    contexts.push(c);
    return c;
  }
  const result = (page: Page) => page.getByTestId('verify-result');
  async function verifyPasted(page: Page, text: string): Promise<void> {
    await page.getByTestId('verify-clear').click();
    await page.getByTestId('verify-input').fill(text);
    await page.getByTestId('verify-submit').click();
    await result(page).waitFor();
  }
  /** A fresh presentation from the holder's QR screen (new nonce and time). */
  async function freshCode(): Promise<string> {
    const before = await holder.getByTestId('wallet-qr-text').inputValue();
    await holder.getByTestId('wallet-qr-refresh').click();
    await holder.waitForFunction((old) => {
      const v = (document.querySelector('[data-testid="wallet-qr-text"]') as HTMLTextAreaElement | null)?.value;
      return !!v && v !== old;
    }, before);
    return holder.getByTestId('wallet-qr-text').inputValue();
  }

  test('张伟 adds his driving licence to this phone and shows it to the police: name, photo, class, validity — not the address', { timeout: 180_000 }, async () => {
    const c = await context(PHONE);
    holder = await c.newPage();
    holderProblems = watch(holder);
    await signIn(holder, 'citizen');
    await holder.getByTestId('quick-wallet').click();
    await holder.getByTestId('wallet-page').waitFor();
    await holder.getByTestId('wallet-device').waitFor();

    const available = holder.locator('[data-testid="wallet-available"][data-type="driving_licence"]');
    await available.waitFor();
    const licenceId = (await available.getAttribute('data-licence'))!;
    await shot(holder, 'wallet-available');
    await holder.getByTestId(`wallet-add-${licenceId}`).click();
    const card = holder.locator('[data-testid="wallet-credential"][data-type="driving_licence"][data-here="true"]');
    await card.waitFor();
    assert.equal(await card.getAttribute('data-status'), 'valid');
    assert.doesNotMatch(await card.innerText(), /\d{17}[\dX]/, 'the list shows the identity number masked');
    const id = (await card.getAttribute('data-id'))!;
    await shot(holder, 'wallet-list');

    // The card: the holder sees every claim of his own licence, the address among them.
    await holder.getByTestId(`wallet-open-${id}`).click();
    await holder.getByTestId('wallet-card').waitFor();
    assert.equal(await holder.getByTestId('wallet-card-claim-name').locator('dd').innerText(), '张伟');
    assert.equal(await holder.getByTestId('wallet-card-claim-licence_class').locator('dd').innerText(), 'C1');
    address = (await holder.getByTestId('wallet-card-claim-address').locator('dd').innerText()).trim();
    assert.ok(address.length > 4, 'the holder sees his address on his own card');

    // 交警查验: name, photo, class, validity and number are ticked; the address is not.
    await holder.getByTestId('wallet-preset-police').click();
    for (const k of ['name', 'portrait', 'licence_class', 'valid_until']) assert.equal(await holder.getByTestId(`wallet-claim-toggle-${k}`).isChecked(), true, k);
    for (const k of ['address', 'id_number', 'birth_date']) assert.equal(await holder.getByTestId(`wallet-claim-toggle-${k}`).isChecked(), false, k);
    await shot(holder, 'wallet-card');

    await holder.getByTestId('wallet-show').click();
    const qr = holder.getByTestId('wallet-qr');
    await holder.waitForFunction(() => Number(document.querySelector('[data-testid="wallet-qr"]')?.getAttribute('data-code-length')) > 0);
    await qr.waitFor({ state: 'visible' });
    assert.match(await holder.getByTestId('wallet-qr-countdown').innerText(), /秒后自动刷新/);
    assert.match(await holder.getByTestId('wallet-qr-disclosed').innerText(), /准驾车型/);
    assert.doesNotMatch(await holder.getByTestId('wallet-qr-disclosed').innerText(), /住址/);
    const png = await qr.screenshot({ path: path.join(ARTIFACTS, 'wallet-qr-code.png') });
    await holder.screenshot({ path: path.join(ARTIFACTS, 'wallet-qr.png') }); // the overlay is fixed: the viewport, not the page
    code = decodePng(png);
    assert.equal(code, await holder.getByTestId('wallet-qr-text').inputValue(), 'the QR carries the code shown as text');
    assert.ok(!code.includes('.') || code.split('~').length >= 7, 'a presentation with the chosen disclosures and a key-binding proof');
    assert.deepEqual(holderProblems, []);
  });

  test('the officer, not signed in, checks the QR on /verify: green with 张伟 and C1, no address; the same code again is refused as used', { timeout: 120_000 }, async () => {
    assert.ok(code, 'the holder showed a code');
    officerCtx = await context({ viewport: { width: 1024, height: 900 } });
    officer = await officerCtx.newPage();
    officerProblems = watch(officer);
    await officer.goto('/verify');
    await officer.getByTestId('verify-page').waitFor();
    assert.equal(await officer.getByTestId('area-frame').count(), 0, 'no sign-in, no area frame');

    // The picture of the QR, as a phone's photo picker would give it.
    await officer.getByTestId('verify-file').setInputFiles(path.join(ARTIFACTS, 'wallet-qr-code.png'));
    await result(officer).waitFor();
    assert.equal(await result(officer).getAttribute('data-valid'), 'true', await result(officer).innerText());
    assert.equal(await officer.getByTestId('verify-input').inputValue(), code, 'the picture decoded to the same code');
    assert.match(await officer.getByTestId('verify-verdict').innerText(), /核验通过/);
    assert.match(await officer.getByTestId('verify-type').innerText(), /机动车驾驶证/);
    assert.equal(await officer.getByTestId('verify-bound').getAttribute('data-bound'), 'true');
    assert.equal(await officer.getByTestId('verify-claim-name').innerText(), '姓名\n张伟');
    assert.equal(await officer.getByTestId('verify-claim-licence_class').locator('dd').innerText(), 'C1');
    assert.equal(await officer.getByTestId('verify-claim-portrait').getByTestId('claim-photo').count(), 1, 'the photo as a reference chip');
    await officer.getByTestId('verify-claim-valid_until').waitFor();
    for (const hidden of ['address', 'id_number', 'birth_date']) assert.equal(await officer.getByTestId(`verify-claim-${hidden}`).count(), 0, `${hidden} is not shown`);
    assert.ok(!(await officer.locator('body').innerText()).includes(address), 'the home address appears nowhere on the page');
    await shot(officer, 'verify-valid');

    // The same code again: a copy (a screenshot), refused with the reason in words.
    await verifyPasted(officer, code);
    assert.equal(await result(officer).getAttribute('data-valid'), 'false');
    assert.equal(await result(officer).getAttribute('data-reason'), 'REPLAYED');
    assert.match(await officer.getByTestId('verify-reason').innerText(), /已被使用/);
    assert.equal(await officer.getByTestId('verify-claim-name').count(), 0, 'a refused code shows no claims');
    await shot(officer, 'verify-replayed');
    await officer.getByTestId('lang-en').click();
    assert.match(await officer.getByTestId('verify-reason').innerText(), /already used/);
    await officer.getByTestId('lang-zh').click();

    // Junk is named as unreadable, not as a crash.
    await verifyPasted(officer, `hello ${XSS}`);
    assert.equal(await result(officer).getAttribute('data-reason'), 'MALFORMED');
    assert.equal(await officer.locator('#root script').count(), 0);
    assert.deepEqual(officerProblems, []);
  });

  test('offline, a fresh code still verifies with the cached keys and status list, and /verify reloads from its service worker', { timeout: 120_000 }, async () => {
    assert.ok(officer, 'the officer opened /verify online');
    // The service worker has taken the page and kept its files.
    await officer.waitForFunction(async () => !!navigator.serviceWorker.controller && (await (await caches.open('yiwang-verify-v1')).keys()).length >= 3, undefined, { timeout: 15_000 });

    // Both phones offline: the holder's QR is remade from the key and credential kept on the phone.
    await officerCtx.setOffline(true);
    await holder.context().setOffline(true);
    await verifyPasted(officer, await freshCode());
    assert.equal(await result(officer).getAttribute('data-valid'), 'true', await result(officer).innerText());
    await officer.getByTestId('verify-offline').waitFor();
    assert.match(await officer.getByTestId('verify-status-asof').innerText(), /注销状态截至/);
    assert.equal(await officer.getByTestId('verify-claim-licence_class').locator('dd').innerText(), 'C1');
    await shot(officer, 'verify-offline');

    await officer.reload();
    await officer.getByTestId('verify-page').waitFor();
    await verifyPasted(officer, await freshCode());
    assert.equal(await result(officer).getAttribute('data-valid'), 'true', await result(officer).innerText());
    assert.equal(await officer.getByTestId('verify-claim-name').locator('dd').innerText(), '张伟');
    await officerCtx.setOffline(false);
    await holder.context().setOffline(false);
    await holder.getByTestId('wallet-qr-close').click();
    assert.deepEqual(officerProblems, []);
    assert.deepEqual(holderProblems, []);
  });

  test('张伟 requests a certificate: reasons for the unavailable ones, the facts, the PDF, the wallet, and the printed QR verifies', { timeout: 120_000 }, async () => {
    await holder.goto('/portal/certificates');
    await holder.getByTestId('cert-page').waitFor();
    const types = holder.getByTestId('cert-type');
    await types.first().waitFor();
    for (const row of await holder.locator('[data-testid="cert-type"][data-eligible="false"]').all()) {
      const code = (await row.getAttribute('data-code'))!;
      assert.ok((await holder.getByTestId(`cert-reason-${code}`).innerText()).trim().length > 4, `${code} says why it is not available`);
    }
    const eligible = holder.locator('[data-testid="cert-type"][data-eligible="true"]');
    const type = (await holder.locator('[data-testid="cert-type"][data-code="cert_household"][data-eligible="true"]').count()) ? 'cert_household' : (await eligible.first().getAttribute('data-code'))!;
    await holder.getByTestId(`cert-open-${type}`).click();
    await holder.getByTestId(`cert-purpose-${type}`).fill(`办理居住证 ${XSS}`);
    assert.equal(await holder.getByTestId(`cert-wallet-${type}`).isChecked(), true, 'added to the wallet by default');
    await holder.getByTestId(`cert-request-${type}`).click();
    const issued = holder.getByTestId('cert-issued');
    await issued.waitFor();
    assert.match(await issued.getByTestId('cert-number').innerText(), /第\d{6}号/);
    assert.equal(await issued.getByTestId('cert-claim-purpose').locator('dd').innerText(), `办理居住证 ${XSS}`, 'the purpose shows as text');
    await issued.getByTestId('cert-in-wallet').waitFor();
    const certId = (await issued.getAttribute('data-id'))!;
    await holder.locator(`[data-testid="cert-row"][data-id="${certId}"]`).waitFor();
    await shot(holder, 'certificate-issued');

    const pdf = await holder.request.get((await issued.getByTestId('cert-pdf').getAttribute('href'))!);
    assert.equal(pdf.status(), 200);
    assert.equal((await pdf.body()).subarray(0, 4).toString('latin1'), '%PDF');
    fs.writeFileSync(path.join(ARTIFACTS, 'certificate.pdf'), await pdf.body());

    // The printed copy's QR opens /verify#vp=…: it verifies as a printed copy, without a device.
    const qr = await holder.request.get(`/api/certificates/${certId}/qr.png`);
    assert.equal(qr.status(), 200);
    const url = new URL(decodePng(await qr.body()));
    assert.equal(url.pathname, '/verify');
    assert.match(url.hash, /^#vp=/);
    await officer.goto(`/verify${url.hash}`);
    await result(officer).waitFor();
    assert.equal(await result(officer).getAttribute('data-valid'), 'true', await result(officer).innerText());
    assert.equal(await officer.getByTestId('verify-bound').getAttribute('data-bound'), 'false');
    await officer.getByTestId('verify-claim-certificate_number').waitFor();
    await shot(officer, 'verify-certificate');

    // Back in the wallet the certificate is held on this phone next to the driving licence.
    await holder.goto('/portal/wallet');
    await holder.locator(`[data-testid="wallet-credential"][data-type="${type}"][data-here="true"]`).waitFor();
    // In English and elder mode, like every portal page.
    await holder.getByTestId('lang-en').click();
    await holder.getByTestId('elder-toggle').click();
    assert.match(await holder.locator('[data-testid="wallet-credential"][data-type="driving_licence"]').innerText(), /Motor Vehicle Driving Licence[\s\S]*On this phone/);
    await shot(holder, 'wallet-list-en-elder');
    await holder.getByTestId('elder-toggle').click();
    await holder.getByTestId('lang-zh').click();
    assert.equal(await holder.locator('#root script').count(), 0);
    assert.deepEqual(holderProblems, []);
    assert.deepEqual(officerProblems, []);
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
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
// 4. The verifier's cache holds up: a status list answered with a captive portal's HTML or a forged
//    token does not replace the good cached one; right after the issuer rotates its key the page
//    fetches the new keys and list and stays green; offline, a list more than 7 days past its expiry
//    gives "status unknown" and keys more than 30 days old are refused.
// 5. Another account on the same phone gets its own device key and none of 张伟's licences, and
//    signing out clears the held copies (signing back in fetches them again, on the same key).

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
  /** The printed certificate's verify link (/verify#vp=…): unbound, so it can be checked again and again. */
  let certLink = '';

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
    certLink = url.href;
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
  const STATUS_PREFIX = 'yiwang.verify.status:';
  type CachedList = { value: string; fetchedAt: number };
  /** The officer's cached status lists, by localStorage key. */
  const statusCache = () =>
    officer.evaluate((prefix) => Object.fromEntries(Object.keys(localStorage).filter((k) => k.startsWith(prefix)).map((k) => [k, JSON.parse(localStorage.getItem(k)!) as { value: string; fetchedAt: number }])), STATUS_PREFIX);
  /** Makes every cached status list older than its ttl (10 minutes), so the next check fetches it again. */
  const ageStatusCache = () =>
    officer.evaluate((prefix) => {
      for (const k of Object.keys(localStorage).filter((key) => key.startsWith(prefix))) {
        const v = JSON.parse(localStorage.getItem(k)!) as { fetchedAt: number };
        localStorage.setItem(k, JSON.stringify({ ...v, fetchedAt: Date.now() - 600_000 }));
      }
    }, STATUS_PREFIX);
  const LISTS = '**/status-lists/**';

  test('a status list answered with an HTML page or a forged token does not replace the good cached one', { timeout: 120_000 }, async () => {
    assert.ok(certLink, 'the printed certificate was issued');
    await officer.goto('/verify');
    await officer.getByTestId('verify-page').waitFor();
    await verifyPasted(officer, certLink);
    assert.equal(await result(officer).getAttribute('data-valid'), 'true', await result(officer).innerText());
    assert.ok(Object.keys(await statusCache()).length >= 1, 'the status list is cached');

    // A captive portal: 200 with its own HTML page instead of the list.
    let served = 0;
    await officerCtx.route(LISTS, (route) => {
      served++;
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<html><body>请登录 Wi-Fi</body></html>' });
    });
    await ageStatusCache();
    const aged = (await statusCache()) as Record<string, CachedList>;
    await verifyPasted(officer, certLink);
    assert.ok(served >= 1, 'the list was asked for again');
    assert.equal(await result(officer).getAttribute('data-valid'), 'true', 'the cached list (within its expiry) still answers');
    await officer.getByTestId('verify-status-asof').waitFor();
    assert.deepEqual(await statusCache(), aged, 'the HTML page did not replace the cached list');
    await officerCtx.unroute(LISTS);

    // A forged list: well-formed, naming the issuer's kid and a newer iat, signed by another key.
    const { privateKey } = await generateKeyPair('ES256');
    served = 0;
    await officerCtx.route(LISTS, async (route) => {
      served++;
      const path = new URL(route.request().url()).pathname;
      const real = Object.values(aged).find((c) => String(decodeJwt(c.value).sub).endsWith(path))!.value;
      const p = decodeJwt(real);
      const forged = await new SignJWT({ ...p, iat: p.iat! + 3600, exp: p.exp! + 3600 }).setProtectedHeader({ alg: 'ES256', typ: 'statuslist+jwt', kid: decodeProtectedHeader(real).kid! }).sign(privateKey);
      return route.fulfill({ status: 200, contentType: 'application/statuslist+jwt', body: forged });
    });
    await verifyPasted(officer, certLink);
    assert.ok(served >= 1, 'the forged list was served');
    assert.equal(await result(officer).getAttribute('data-valid'), 'true', await result(officer).innerText());
    assert.deepEqual(await statusCache(), aged, 'the forged list was not kept');
    await officerCtx.unroute(LISTS);

    // The real list again: checked, kept, and no "as of" note.
    await verifyPasted(officer, certLink);
    assert.equal(await result(officer).getAttribute('data-valid'), 'true');
    assert.equal(await officer.getByTestId('verify-status-asof').count(), 0);
    for (const [k, v] of Object.entries(await statusCache())) assert.ok(v.fetchedAt > aged[k]!.fetchedAt, `${k} was fetched again and kept`);
    assert.deepEqual(officerProblems, []);
  });

  test('right after the issuer rotates its key (status lists re-signed at once), /verify fetches the new keys and stays green', { timeout: 60_000 }, async () => {
    // The keys were fetched a moment ago: within the 5 minutes they are trusted without asking.
    await officer.evaluate(() => {
      const m = JSON.parse(localStorage.getItem('yiwang.verify.issuer')!) as { fetchedAt: number };
      localStorage.setItem('yiwang.verify.issuer', JSON.stringify({ ...m, fetchedAt: Date.now() }));
    });
    const kid = await server.y.ctx.services.wallet.rotateIfDue(0);
    assert.ok(kid, 'the key rotated');
    await ageStatusCache(); // the list's ttl is over: it is fetched, signed by the new key
    await verifyPasted(officer, certLink);
    assert.equal(await result(officer).getAttribute('data-valid'), 'true', await result(officer).innerText());
    const meta = await officer.evaluate(() => JSON.parse(localStorage.getItem('yiwang.verify.issuer')!) as { value: { jwks: { keys: Array<{ kid: string }> } } });
    assert.ok(meta.value.jwks.keys.some((k) => k.kid === kid), 'the new key was fetched');
    for (const v of Object.values(await statusCache())) assert.equal(decodeProtectedHeader(v.value).kid, kid, 'the list signed by the new key is kept');
    assert.deepEqual(officerProblems, []);
  });

  test('another account on this phone gets its own key and none of 张伟’s licences; signing out clears the held copies', { timeout: 120_000 }, async () => {
    await holder.goto('/portal/wallet');
    const licence = holder.locator('[data-testid="wallet-credential"][data-type="driving_licence"][data-here="true"]');
    await licence.waitFor();
    const licenceId = (await licence.getAttribute('data-id'))!;
    const label = await holder.getByTestId('wallet-device').innerText();
    /** The held-credential records in this phone's IndexedDB (all accounts), or puts records back. */
    const held = () =>
      holder.evaluate(
        () =>
          new Promise<Array<Record<string, unknown> & { accountId: string; id: string }>>((resolve, reject) => {
            const r = indexedDB.open('yiwang-wallet');
            r.onerror = () => reject(r.error);
            r.onsuccess = () => {
              const db = r.result;
              const q = db.transaction('held').objectStore('held').getAll();
              q.onerror = () => reject(q.error);
              q.onsuccess = () => {
                db.close();
                resolve(q.result as Array<Record<string, unknown> & { accountId: string; id: string }>);
              };
            };
          }),
      );
    const putBack = (records: unknown[]) =>
      holder.evaluate(
        (rows) =>
          new Promise<void>((resolve, reject) => {
            const r = indexedDB.open('yiwang-wallet');
            r.onerror = () => reject(r.error);
            r.onsuccess = () => {
              const db = r.result;
              const tx = db.transaction('held', 'readwrite');
              for (const row of rows) tx.objectStore('held').put(row);
              tx.oncomplete = () => {
                db.close();
                resolve();
              };
              tx.onerror = () => reject(tx.error);
            };
          }),
        records,
      );
    const signOut = async () => {
      await holder.getByTestId('logout').click();
      await holder.getByTestId('login-username').waitFor();
      for (let i = 0; i < 50 && (await held()).length; i++) await holder.waitForTimeout(100);
    };
    const his = await held();
    assert.ok(his.some((c) => c.id === licenceId), 'the licence is held on this phone');

    await signOut();
    assert.deepEqual(await held(), [], 'signing out cleared the held credentials');

    // Even if 张伟's copies were still there (an older build, a failed clear), the company account
    // signing in on the same phone is offered none of them, and signs with a key of its own.
    await putBack(his);
    await signIn(holder, 'enterprise');
    await holder.goto('/portal/wallet');
    await holder.getByTestId('wallet-device').waitFor();
    await holder.locator('[data-testid="wallet-none"], [data-testid="wallet-credential"]').first().waitFor();
    assert.notEqual(await holder.getByTestId('wallet-device').innerText(), label, 'a device key of its own');
    for (const c of his) assert.equal(await holder.locator(`[data-testid="wallet-credential"][data-id="${c.id}"]`).count(), 0, `张伟’s ${c.id} is not offered`);
    await shot(holder, 'wallet-second-account');
    await signOut();

    // 张伟 again: his licence is fetched again, bound to the same key on this phone — no re-adding.
    await signIn(holder, 'citizen');
    await holder.goto('/portal/wallet');
    await holder.locator(`[data-testid="wallet-credential"][data-id="${licenceId}"][data-here="true"]`).waitFor();
    assert.equal(await holder.getByTestId('wallet-device').innerText(), label, 'his own key again');
    assert.deepEqual(holderProblems, []);
  });

  test('offline, a status list over 7 days past its expiry gives "status unknown", and keys over 30 days old are refused', { timeout: 60_000 }, async () => {
    await officerCtx.setOffline(true);
    // 9 days on: the cached list (valid a day) is 8 days past its expiry.
    await officer.clock.setFixedTime(Date.now() + 9 * 86_400_000);
    await verifyPasted(officer, certLink);
    assert.equal(await result(officer).getAttribute('data-valid'), 'false', 'not green');
    assert.equal(await result(officer).getAttribute('data-reason'), 'STATUS_UNAVAILABLE');
    assert.match(await officer.getByTestId('verify-verdict').innerText(), /状态未知/);
    assert.match(await officer.getByTestId('verify-status-too-old').innerText(), /7 天/);
    await shot(officer, 'verify-status-too-old');

    // 31 days on: the issuer keys themselves are too old to trust.
    await officer.clock.setFixedTime(Date.now() + 31 * 86_400_000);
    await officer.getByTestId('verify-clear').click();
    await officer.getByTestId('verify-input').fill(certLink);
    await officer.getByTestId('verify-submit').click();
    assert.match(await officer.getByTestId('verify-error').innerText(), /30 天/);
    await officerCtx.setOffline(false);
    assert.deepEqual(officerProblems, []);
  });
  test('a wallet kept by an older build (one key for the whole browser) moves over: the account whose licences are bound to that key keeps it, others get their own', { timeout: 90_000 }, async () => {
    const c = await context(PHONE);
    const page = await c.newPage();
    const problems = watch(page);
    await signIn(page, 'citizen');
    // What version 1 left: store `credentials` (keyed by id) and a single key under `device`.
    const legacyX = await page.evaluate(async () => {
      const { account } = (await (await fetch('/api/auth/me')).json()) as { account: { id: string } };
      const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
      const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
      // (No named functions in here: the test runner's transform would wrap them in a helper the page lacks.)
      const [head, body] = [{ alg: 'ES256', typ: 'dc+sd-jwt' }, { cnf: { jwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } } }].map((o) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
      const sdJwt = `${head}.${body}.c2ln~`;
      await new Promise<void>((resolve, reject) => {
        const r = indexedDB.open('yiwang-wallet', 1);
        r.onupgradeneeded = () => {
          r.result.createObjectStore('keys');
          r.result.createObjectStore('credentials', { keyPath: 'id' });
        };
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const tx = r.result.transaction(['keys', 'credentials'], 'readwrite');
          tx.objectStore('keys').put({ privateKey: pair.privateKey, publicJwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } }, 'device');
          tx.objectStore('credentials').put({ id: 'legacy-1', accountId: account.id, sdJwt, view: { id: 'legacy-1', status: 'valid' }, storedAt: Date.now() });
          tx.oncomplete = () => {
            r.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      });
      return jwk.x!;
    });
    await page.goto('/portal/wallet');
    await page.getByTestId('wallet-device').waitFor();
    assert.match(await page.getByTestId('wallet-device').innerText(), new RegExp(legacyX.slice(0, 8).replace(/[-]/g, '\\-')), 'the key his held licence is bound to');
    const stores = await page.evaluate(
      () =>
        new Promise<string[]>((resolve) => {
          const r = indexedDB.open('yiwang-wallet');
          r.onsuccess = () => {
            const names = Array.from({ length: r.result.objectStoreNames.length }, (_, i) => r.result.objectStoreNames.item(i)!);
            r.result.close();
            resolve(names);
          };
        }),
    );
    assert.deepEqual(stores.sort(), ['held', 'keys'], 'version 1 credentials moved into `held`');

    // Signing out while the wallet still fetches his credentials (held up here, as on a slow
    // network): the page drops those requests before the logout, so none of them comes back 401.
    let heldUp = 0;
    await page.route('**/api/wallet/credentials/*', async (route) => {
      heldUp++;
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue().catch(() => {}); // the page has dropped it
    });
    await page.reload();
    await page.getByTestId('wallet-device').waitFor();
    while (heldUp === 0) await page.waitForTimeout(50);
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor();
    await page.waitForTimeout(2000);
    await page.unroute('**/api/wallet/credentials/*');
    await signIn(page, 'enterprise');
    await page.goto('/portal/wallet');
    await page.getByTestId('wallet-device').waitFor();
    assert.doesNotMatch(await page.getByTestId('wallet-device').innerText(), new RegExp(legacyX.slice(0, 8).replace(/[-]/g, '\\-')), 'the company gets a key of its own');
    assert.deepEqual(problems, []);
  });
});

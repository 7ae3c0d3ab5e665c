// What every browser test shares: paths, building web/dist when the sources are newer, launching
// Debian's Chromium, and watching a page for the problems it must never have.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/org/index.ts';
import { buildYiwang, type Yiwang } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const WEB = path.join(ROOT, 'web');
export const WEB_DIST = path.join(WEB, 'dist');
export const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
export const CHROMIUM = process.env.YIWANG_CHROMIUM ?? '/usr/bin/chromium';

function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((e) => newestMtime(path.join(p, e))));
}

/** Builds web/dist unless it is newer than every source file of the web app. */
export function ensureWebBuilt(): void {
  const index = path.join(WEB_DIST, 'index.html');
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => path.join(WEB, p)).filter((p) => fs.existsSync(p));
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  if (built > Math.max(...sources.map(newestMtime))) return;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(WEB, 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

/**
 * Launches headless Chromium with the project's flags. `--enable-unsafe-swiftshader` keeps WebGL
 * (MapLibre) working in software now that Chromium is removing the silent fallback.
 */
export function launchChromium(): Promise<Browser> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-unsafe-swiftshader'] });
}

/**
 * Problems a page must never have: script errors, dialogs (injected script), failed calls — except
 * the 401 of `/api/auth/me` before signing in and the answers `allowed` names.
 */
export function watch(page: Page, allowed: (status: number, url: URL) => boolean = () => false): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog opened (injected script?): ${d.message()}`);
    void d.dismiss();
  });
  page.on('response', (r) => {
    const url = new URL(r.url());
    const expected401 = r.status() === 401 && url.pathname === '/api/auth/me';
    if (r.status() >= 400 && !expected401 && !allowed(r.status(), url)) problems.push(`${r.status()} ${r.request().method()} ${url.pathname}${url.search}`);
  });
  return problems;
}

/** A seeded demo city served on a free port with the built web app, for one browser test file. */
export interface DemoServer {
  y: Yiwang;
  base: string;
  close(): Promise<void>;
}

/**
 * Builds web/dist if needed, seeds a demo city in a fresh SQLite data dir and serves it on
 * 127.0.0.1. The demo components are a small fraction of the real density (`demoScale`): enough
 * around 陆家嘴 to draw a map, quick to seed.
 */
export async function startDemoServer(name: string, demoScale = '0.02'): Promise<DemoServer> {
  ensureWebBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `yiwang-${name}-`));
  const config = (dir: string) => loadConfig({ YIWANG_DATA_DIR: dir, YIWANG_PORT: '0', YIWANG_DEMO: 'true', YIWANG_DEMO_SCALE: demoScale, YIWANG_WEB_DIR: WEB_DIST, YIWANG_LOG_LEVEL: 'silent', YIWANG_MQTT_PORT: '0' });
  const seeded = await seededCopy(dataDir, demoScale, config);
  const y = await buildYiwang(config(dataDir));
  try {
    if (!seeded) await y.seed({ demo: true, progress: () => {} });
    await y.start();
    await y.app.listen({ port: 0, host: '127.0.0.1' });
  } catch (err) {
    await y.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const addr = y.app.server.address();
  if (!addr || typeof addr !== 'object') throw new Error('the server has no address');
  return {
    y,
    base: `http://127.0.0.1:${addr.port}`,
    async close() {
      await y.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Within one `npm test` run (which sets YIWANG_TEST_DEMO_CACHE to a directory it removes at the
 * end), the demo city of a scale is seeded once and each browser test file gets a copy of that data
 * dir: seeding takes ~15 s of CPU, copying a few milliseconds. The first file to need a scale seeds
 * it while the others wait. Returns false when there is no cache (a file run on its own seeds its own).
 */
async function seededCopy(dataDir: string, scale: string, config: (dir: string) => ReturnType<typeof loadConfig>): Promise<boolean> {
  const cache = process.env.YIWANG_TEST_DEMO_CACHE;
  if (!cache) return false;
  const template = path.join(cache, `demo-${scale}`);
  const lock = `${template}.lock`;
  fs.mkdirSync(cache, { recursive: true });
  for (const deadline = Date.now() + 300_000; !fs.existsSync(template); ) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
    } catch {
      // Another file is seeding it, unless that file died with the lock held: then the lock is freed.
      let holder = 0;
      try {
        holder = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
      } catch {
        // just made, or just freed
      }
      if (holder > 0 && !alive(holder)) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      if (fs.existsSync(template)) break; // seeded between our look and our lock
      const building = fs.mkdtempSync(`${template}.building-`);
      const y = await buildYiwang(config(building));
      try {
        await y.seed({ demo: true, progress: () => {} });
      } finally {
        await y.close(); // a clean close folds the WAL into the file
      }
      fs.renameSync(building, template);
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
  fs.cpSync(template, dataDir, { recursive: true });
  return true;
}

/** Signs in through the login page as a demo account and waits for its area to open. */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('area-frame').waitFor();
}

/**
 * A desktop page in a fresh context (zh-CN, Shanghai time, 1366×900) signed in as a demo account.
 * The context joins `contexts`, which the test closes at the end; `problems` collects what `watch` sees.
 */
export async function signedInPage(browser: Browser, base: string, contexts: BrowserContext[], username: string, allowed?: (status: number, url: URL) => boolean): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(30_000);
  contexts.push(context);
  const page = await context.newPage();
  const problems = watch(page, allowed);
  await signIn(page, username);
  return { page, problems };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

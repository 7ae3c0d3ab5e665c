#!/usr/bin/env node
// `npm test`: checks (and where it can, installs) what the suite needs, type-checks, builds the web
// app, then runs every test file — unit, store tests on SQLite and PostgreSQL, NATS bus tests and
// browser tests — through node's own test runner. It never skips silently: a missing dependency it
// cannot install stops the run with a message saying what to install.
import { execSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const say = (m) => process.stderr.write(`[test] ${m}\n`);
const fail = (m) => {
  process.stderr.write(`\n[test] CANNOT RUN THE SUITE: ${m}\n`);
  process.exit(1);
};
const isRoot = process.getuid?.() === 0;
const hasApt = fs.existsSync('/usr/bin/apt-get');
const pgUrl = process.env.YIWANG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const natsUrl = process.env.YIWANG_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

function sh(cmd, opts = {}) {
  return execSync(cmd, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
}

function reachable(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 3000 }, () => (s.destroy(), resolve(true)));
    s.on('error', () => resolve(false));
    s.on('timeout', () => (s.destroy(), resolve(false)));
  });
}

let aptUpdated = false;
function aptInstall(pkgs, why) {
  if (!isRoot || !hasApt) fail(`${why}. Install ${pkgs.join(' ')} (e.g. \`sudo apt-get install -y ${pkgs.join(' ')}\`) and run again.`);
  say(`installing ${pkgs.join(' ')} (${why})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    aptUpdated = true;
  }
  const r = spawnSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'inherit', env });
  if (r.status !== 0) fail(`apt-get install ${pkgs.join(' ')} failed`);
}

async function psql(sql) {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

// 1. PostgreSQL with PostGIS
const pgu = new URL(pgUrl);
if (!(await reachable(pgu.hostname, Number(pgu.port || 5432)))) fail(`PostgreSQL is not reachable at ${pgu.host} (set YIWANG_TEST_PG_URL or start it)`);
const postgis = await psql("select 1 from pg_available_extensions where name = 'postgis'");
if (postgis.length === 0) {
  const [{ server_version_num }] = await psql('show server_version_num');
  const major = Math.floor(Number(server_version_num) / 10000);
  aptInstall([`postgresql-${major}-postgis-3`], `PostGIS is missing from PostgreSQL ${major}`);
  if ((await psql("select 1 from pg_available_extensions where name = 'postgis'")).length === 0) fail('PostGIS still unavailable after installing it');
}
// 2. NATS with JetStream
const nu = new URL(natsUrl);
if (!(await reachable(nu.hostname, Number(nu.port || 4222)))) fail(`NATS is not reachable at ${nu.host} (set YIWANG_TEST_NATS_URL or start nats-server -js)`);
// 3. Chromium for the browser tests (and CJK fonts so screenshots show Chinese)
const chromium = process.env.YIWANG_CHROMIUM ?? '/usr/bin/chromium';
if (!fs.existsSync(chromium)) aptInstall(['chromium', 'fonts-noto-cjk'], 'Chromium is missing (browser tests)');
else if (isRoot && hasApt && !fs.existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')) aptInstall(['fonts-noto-cjk'], 'CJK fonts are missing (screenshots)');
// ... and GDAL's ogrinfo, the OGC API – Features client of test/ogc.gdal.test.ts
if (!fs.existsSync(process.env.YIWANG_OGRINFO ?? '/usr/bin/ogrinfo')) aptInstall(['gdal-bin'], 'GDAL (ogrinfo) is missing (OGC API – Features test)');

// 4. Type-check and build the web app the browser tests load
// (both at once: each is mostly one core's work)
say('type-checking and building the web app');
const run = (cmd, args) => new Promise((resolve) => spawn(cmd, args, { stdio: 'inherit' }).on('close', (code) => resolve(code ?? 1)));
const [typed, built] = await Promise.all([run('npx', ['tsc', '--noEmit', '-p', '.']), run('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'])]);
if (typed !== 0) fail('the type check failed (above)');
if (built !== 0) fail('the web app did not build (above)');
let r;

// 5. Every test file
function find(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') find(p, out);
    else if (/\.test\.ts$/.test(e.name)) out.push(p);
  }
  return out;
}
const only = process.argv.slice(2);
// The long files (browsers, CLI runs, real servers in test/) start first, so the run does not end
// with one of them alone while the other slots idle.
const files = only.length ? only : [...find('test').sort(), ...find('src').sort()];
if (files.length === 0) fail('no test files found');
say(`running ${files.length} test files`);
// Three files at a time on two cores: much of a file's time is waiting (browsers, servers, PostgreSQL,
// child processes), and tests assert no timings. YIWANG_TEST_CONCURRENCY overrides.
const concurrency = process.env.YIWANG_TEST_CONCURRENCY ?? '3';
// The browser tests seed each demo city scale once per run and copy it (test/browser/harness.ts).
const demoCache = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-test-demo-'));
r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${path.join(root, 'scripts/slowest-reporter.mjs')}`, '--test-reporter-destination=stderr', ...files], {
  stdio: 'inherit',
  env: { ...process.env, YIWANG_TEST_DEMO_CACHE: demoCache, YIWANG_TEST_PG_URL: pgUrl, YIWANG_TEST_NATS_URL: natsUrl, YIWANG_CHROMIUM: chromium, YIWANG_LOG_LEVEL: 'silent' },
});
fs.rmSync(demoCache, { recursive: true, force: true });
process.exit(r.status ?? 1);

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../src/platform/config.ts';
import { buildYiwang } from '../src/app.ts';
import { pointIn } from '../src/operations/components/testing.ts';

const BIN = new URL('../bin/yiwang.js', import.meta.url).pathname;
const ROWS = 200_000;

function env(dataDir: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, YIWANG_DATA_DIR: dataDir, YIWANG_LOG_LEVEL: 'silent' };
  delete e.YIWANG_DATABASE_URL;
  delete e.YIWANG_BUS_URL;
  return e;
}

/** Runs the real `yiwang` command against a data dir (embedded mode, whatever the caller's env says). */
function yiwang(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: env(dataDir), timeout: 180_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

/**
 * Starts `yiwang` and, once its stderr matches `when`, sends `signal`; resolves with its exit and
 * output. Fails if the command ends before the signal was sent.
 */
function interrupt(dataDir: string, args: string[], when: RegExp, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; sent: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: env(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!sent && when.test(stderr)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      resolve({ code, signal: sig, stdout, stderr, sent });
    });
  });
}

describe('yiwang import components (CLI, SQLite data dir)', () => {
  let dataDir: string;
  let file: string;
  let points: Array<[number, number]>;
  const timings: string[] = [];

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-cli-import-'));
    let t = Date.now();
    assert.equal((await yiwang(dataDir, 'migrate')).code, 0);
    const seed = await yiwang(dataDir, 'seed');
    assert.equal(seed.code, 0, seed.stderr);
    timings.push(`migrate + seed ${Date.now() - t} ms`);
    // Points inside Pudong's streets, found in the seeded tree (street shapes are generated).
    const config = loadConfig({ YIWANG_DATA_DIR: dataDir });
    const y = await buildYiwang(config, { migrate: false });
    await y.ctx.services.jurisdictions.load();
    points = y.ctx.services.jurisdictions.children('310115').slice(0, 20).map((s) => pointIn(y.ctx, s.code));
    await y.close();
    file = (config.database as { file: string }).file;

  });
  after(() => {
    process.stderr.write(`cli.import timings: ${timings.join('; ')}\n`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  // The registry is empty, so this is an initial load (indexes built at the end): run 1 is killed
  // while they are missing, run 2 builds them before it goes on, and is stopped with Ctrl-C.
  test(`${ROWS.toLocaleString('en')} rows of NDJSON into an empty registry: kill -9 loses only the open batch, Ctrl-C stops cleanly (130), and each re-run resumes to exactly ${ROWS.toLocaleString('en')} components, all indexed`, async () => {
    const big = path.join(dataDir, 'covers.ndjson');
    const out = fs.createWriteStream(big);
    for (let i = 0; i < ROWS; i++) {
      const [lon, lat] = points[i % points.length]!;
      const feature = { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { code: `3101150101${String(i + 1).padStart(6, '0')}`, material: '铸铁', shape: '圆形', diameter_mm: 600 + (i % 9) * 100 } };
      if (!out.write(JSON.stringify(feature) + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r) => out.end(r));
    const args = ['import', 'components', big, '--scope', '310115'];
    let t = Date.now();

    const killed = await interrupt(dataDir, args, /importing covers\.ndjson: [1-9]\d*%/, 'SIGKILL');
    timings.push(`run 1 (kill -9 at the first progress line) ${Date.now() - t} ms`);
    assert.ok(killed.sent, killed.stdout + killed.stderr);
    assert.equal(killed.signal, 'SIGKILL');
    const midLoad = new SQLite(file, { readonly: true });
    try {
      assert.equal((midLoad.prepare("select count(*) as n from sqlite_master where name = 'components_item_place'").get() as { n: number }).n, 0, 'an initial load builds the place index at its end');
      assert.ok((midLoad.prepare('select count(*) as n from components_item').get() as { n: number }).n > 0, 'run 1 committed batches before it was killed');
    } finally {
      midLoad.close();
    }

    t = Date.now();
    const stopped = await interrupt(dataDir, args, /importing covers\.ndjson: [1-9]\d*%/, 'SIGINT');
    timings.push(`run 2 (builds the indexes, then Ctrl-C at its first progress line) ${Date.now() - t} ms`);
    assert.ok(stopped.sent, stopped.stdout + stopped.stderr);
    assert.equal(stopped.code, 130, stopped.stdout + stopped.stderr);
    assert.match(stopped.stderr, /building indexes/, 'the resumed run builds the indexes the crash left out');
    assert.match(stopped.stdout, /interrupted: [\d,]+ rows done .*; run the same command again to resume/);
    const resumedAt = Number(/resuming import \S+ of covers\.ndjson from line (\d+)/.exec(stopped.stdout)?.[1]);
    assert.ok(resumedAt > 1, stopped.stdout);

    t = Date.now();
    const last = await yiwang(dataDir, ...args);
    timings.push(`run 3 (to the end) ${last.ms} ms`);
    assert.equal(last.code, 0, last.stderr);
    const m = /resuming import \S+ of covers\.ndjson from line (\d+) \(([\d,]+) rows already done\)/.exec(last.stdout);
    assert.ok(m, last.stdout);
    const line = Number(m[1]);
    assert.ok(line > resumedAt, `run 2 committed batches before it was stopped (${resumedAt} → ${line})`);
    assert.equal(Number(m[2]!.replace(/,/g, '')), line - 1, 'one Feature per line: the checkpoint is a batch boundary');
    assert.match(last.stdout, new RegExp(`done: ${ROWS.toLocaleString('en')} rows — ${ROWS.toLocaleString('en')} created, 0 updated, 0 unchanged, 0 refused`));

    const db = new SQLite(file, { readonly: true });
    try {
      const n = db.prepare("select count(*) as n from components_item where code like '3101150101%' and code < '3101150101900000'").get() as { n: number };
      assert.equal(n.n, ROWS, 'every row once, none twice');
      const counted = db.prepare("select sum(n) as n from components_count where type_code = '0101' and jurisdiction_code like '310115%'").get() as { n: number };
      assert.equal(counted.n, ROWS, 'the counts table agrees');
      const spatial = db.prepare('select count(*) as n from components_rtree r join components_item c on c.id = r.id').get() as { n: number };
      assert.equal(spatial.n, ROWS, 'every component is in the R*Tree once');
      const indexes = db.prepare("select name from sqlite_master where type = 'index' and tbl_name = 'components_item' and name not like 'sqlite_autoindex%' order by name").all();
      assert.deepEqual(indexes.map((r) => (r as { name: string }).name), ['components_item_place', 'components_item_type_place', 'components_item_updated']);
      const jobs = db.prepare("select status, created_count from components_import where file_name = 'covers.ndjson'").all();
      assert.deepEqual(jobs, [{ status: 'done', created_count: ROWS }], 'one job, resumed twice');
    } finally {
      db.close();
    }
  });

  test('a CSV with some bad rows: exit 0, a summary with the counts, the error file and the first errors', async () => {
    const [a, b] = [points[0]!, points[1]!];
    const csv = path.join(dataDir, 'covers.csv');
    fs.writeFileSync(csv, ['code,type,lon,lat,material,shape', `3101150101900001,0101,${a.join(',')},铸铁,圆形`, `3101150101900002,0101,${b[1]},${b[0]},铸铁,圆形`, `3101150101900003,0101,${b.join(',')},铸铁,圆形`].join('\n'));
    const r = await yiwang(dataDir, 'import', 'components', csv, '--scope', '310115');
    timings.push(`small CSV ${r.ms} ms`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^import [0-9a-f-]{36}: covers\.csv \(csv, 0\.0 MB\) into 310115$/m);
    assert.match(r.stdout, /done: 3 rows — 2 created, 0 updated, 0 unchanged, 1 refused/);
    const errorFile = /in (\S+\.errors\.csv)/.exec(r.stdout)?.[1];
    assert.ok(errorFile && fs.existsSync(errorFile), r.stdout);
    assert.match(r.stdout, /line 3, geometry\.coordinates: .*latitude and longitude appear swapped/);
    assert.match(fs.readFileSync(errorFile, 'utf8'), /^line,field,reason,record\n3,geometry\.coordinates,/);

    const again = await yiwang(dataDir, 'import', 'components', csv, '--scope', '310115');
    assert.match(again.stdout, /done: 3 rows — 0 created, 0 updated, 2 unchanged, 1 refused/);

    const bad = path.join(dataDir, 'no-geometry.csv');
    fs.writeFileSync(bad, 'code,type\n3101150101900009,0101\n');
    const failed = await yiwang(dataDir, 'import', 'components', bad);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /yiwang import: no-geometry\.csv: CSV: no geometry column/);
    assert.equal((await yiwang(dataDir, 'import', 'components', csv, '--batch', 'lots')).code, 2);
  });
});

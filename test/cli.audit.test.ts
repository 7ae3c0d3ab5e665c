import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../src/platform/config.ts';
import { buildYiwang } from '../src/app.ts';

const BIN = new URL('../bin/yiwang.js', import.meta.url).pathname;

/** Runs the real `yiwang` command against a data dir; embedded mode, whatever the caller's env says. */
function yiwang(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, YIWANG_DATA_DIR: dataDir, YIWANG_LOG_LEVEL: 'silent' };
  delete env.YIWANG_DATABASE_URL;
  delete env.YIWANG_BUS_URL;
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('yiwang audit verify (CLI, SQLite data dir)', () => {
  let dataDir: string;
  let file: string;
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-cli-audit-'));
    const config = loadConfig({ YIWANG_DATA_DIR: dataDir });
    file = (config.database as { file: string }).file;
    const y = await buildYiwang(config);
    for (let n = 1; n <= 4; n++) {
      await y.ctx.transaction((tx) =>
        y.ctx.audit.record(tx, { actorId: 'admin-1', action: 'test.thing.changed', subjectType: 'thing', subjectId: String(n), detail: { n } }),
      );
    }
    await y.close();
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('an untouched log: exit 0 and "intact" with the number of entries', async () => {
    const r = await yiwang(dataDir, 'audit', 'verify');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /intact: 4 entries verified/);
    assert.match(r.stdout, /head: entry 4 [0-9a-f]{64}/);
  });

  test('an entry edited in the file: exit 1 naming the entry', async () => {
    const db = new SQLite(file);
    db.prepare('update platform_audit set detail = ? where seq = 3').run(JSON.stringify({ n: 99 }));
    db.close();
    const r = await yiwang(dataDir, 'audit', 'verify');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /BROKEN/);
    assert.match(r.stdout, /entry 3: content does not match its hash/);
  });

  test('the last entry deleted as well: both breaks are reported', async () => {
    const db = new SQLite(file);
    db.prepare('delete from platform_audit where seq = 4').run();
    db.close();
    const r = await yiwang(dataDir, 'audit', 'verify');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /entry 3:/);
    assert.match(r.stdout, /entry 4: the log ends at entry 3/);
  });
});

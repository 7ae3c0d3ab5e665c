import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from './database.ts';

test('the WAL is checkpointed into the database file by the worker, without a commit doing it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-ckpt-'));
  const file = path.join(dir, 'y.sqlite');
  const d = openDatabase({ dialect: 'sqlite', file });
  try {
    await sql`create table t (id integer primary key, body text)`.execute(d.db);
    const before = fs.statSync(file).size;
    // About 2 MB of rows: far below the backstop threshold, so only the worker can move them.
    for (let i = 0; i < 20; i++) await sql`insert into t (body) select hex(randomblob(500)) from (select 1 union all select 2 union all select 3 union all select 4 union all select 5) a, (select 1 union all select 2 union all select 3 union all select 4 union all select 5) b, (select 1 union all select 2 union all select 3 union all select 4) c`.execute(d.db);
    assert.ok(fs.statSync(`${file}-wal`).size > 1_000_000, 'the rows are in the WAL');
    const deadline = Date.now() + 5000;
    while (fs.statSync(file).size < before + 1_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(fs.statSync(file).size > before + 1_000_000, 'the pages reached the database file');
    assert.equal(d.sqlite!.pragma('wal_autocheckpoint', { simple: true }), 40_000);
  } finally {
    await d.close(); // stops the worker too: the test process must be able to exit
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

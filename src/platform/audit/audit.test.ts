import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { loadConfig } from '../config.ts';
import type { AppContext } from '../context.ts';
import { openDatabase } from '../db/database.ts';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { platformModule } from '../index.ts';
import { MemoryBus } from '../bus/memory-bus.ts';
import { closeContext, createContext, migrateAll } from '../runtime.ts';

async function openProcess(tdb: TestDatabase): Promise<AppContext> {
  const config = { ...loadConfig({ YIWANG_DATA_DIR: '/tmp/yiwang-test-data' }), database: tdb.config };
  const ctx = await createContext(config, [platformModule], { bus: new MemoryBus(), database: openDatabase(tdb.config) });
  await migrateAll(ctx, [platformModule]);
  return ctx;
}

/** Runs a separate node process that appends `n` entries to the same SQLite file; resolves to its exit code. */
function writeInAnotherProcess(tdb: TestDatabase, n: number): Promise<number | null> {
  const here = (f: string) => new URL(f, import.meta.url).pathname;
  const code = `
    import { openDatabase } from ${JSON.stringify(here('../db/database.ts'))};
    import { AuditLog } from ${JSON.stringify(here('./audit.ts'))};
    const database = openDatabase(JSON.parse(process.env.DB));
    const audit = new AuditLog(database.db, 'sqlite', () => Date.now());
    for (let i = 0; i < ${n}; i++) {
      await database.db.transaction().execute((tx) => audit.record(tx, { actorId: 'other', action: 'test.thing.changed', subjectType: 'thing', subjectId: 'o' + i }));
    }
    await database.close();`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { env: { ...process.env, DB: JSON.stringify(tdb.config) }, stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve) => child.on('exit', (c) => resolve(c)));
}

/** The chain verifies with `n` entries and the head at entry n. */
async function assertIntact(ctx: AppContext, n: number): Promise<void> {
  const v = await ctx.audit.verify();
  assert.deepEqual(v.problems, []);
  assert.equal(v.checked, n);
  assert.equal(v.head?.seq, n);
}

/** Appends one entry in its own transaction, as a service would alongside its change. */
function record(ctx: AppContext, n: number) {
  return ctx.transaction((tx) =>
    ctx.audit.record(tx, {
      actorId: `acct-${n}`,
      action: 'test.thing.changed',
      subjectType: 'thing',
      subjectId: String(n),
      jurisdictionCode: '310115',
      detail: { n, note: '变更 <script>alert(1)</script>', nested: { b: 2, a: 1 } },
    }),
  );
}

for (const dialect of DIALECTS) {
  describe(`audit log (${dialect})`, () => {
    let tdb: TestDatabase;
    let ctx: AppContext;
    before(async () => {
      tdb = await createTestDatabase(dialect);
      ctx = await openProcess(tdb);
    });
    after(async () => {
      if (ctx) await closeContext(ctx);
      await tdb?.drop();
    });
    beforeEach(async () => {
      await ctx.db.deleteFrom('platform_audit').execute();
      await ctx.db.deleteFrom('platform_audit_head').execute();
    });
    const entries = () => ctx.db.selectFrom('platform_audit').selectAll().orderBy('seq').execute();
    const fill = async (n: number) => {
      for (let i = 1; i <= n; i++) await record(ctx, i);
    };

    test('an empty log verifies as intact', async () => {
      assert.deepEqual(await ctx.audit.verify(), { checked: 0, problems: [], head: null });
    });

    test('each entry links to the one before it and the chain verifies', async () => {
      await fill(5);
      const rows = await entries();
      assert.deepEqual(rows.map((r) => Number(r.seq)), [1, 2, 3, 4, 5]);
      assert.equal(rows[0].prev_hash, '0'.repeat(64));
      for (let i = 1; i < rows.length; i++) assert.equal(rows[i].prev_hash, rows[i - 1].hash);
      const head = await ctx.db.selectFrom('platform_audit_head').selectAll().executeTakeFirstOrThrow();
      assert.equal(Number(head.seq), 5);
      assert.equal(head.hash, rows[4].hash);
      const progress: number[] = [];
      assert.deepEqual(await ctx.audit.verify((done) => progress.push(done)), { checked: 5, problems: [], head: { seq: 5, hash: rows[4].hash } });
      assert.deepEqual(progress, [5]);
    });

    test('an entry is kept only if its transaction commits', async () => {
      await fill(2);
      await assert.rejects(
        ctx.transaction(async (tx) => {
          await ctx.audit.record(tx, { actorId: null, action: 'test.thing.changed', subjectType: 'thing', subjectId: 'x' });
          throw new Error('the change failed');
        }),
      );
      await record(ctx, 3);
      assert.deepEqual((await entries()).map((r) => Number(r.seq)), [1, 2, 3]);
      assert.deepEqual((await ctx.audit.verify()).problems, []);
    });

    test('editing an entry\'s detail is reported at that entry', async () => {
      await fill(5);
      await ctx.db.updateTable('platform_audit').set({ detail: JSON.stringify({ n: 3, note: 'nothing happened' }) }).where('seq', '=', 3).execute();
      const { problems } = await ctx.audit.verify();
      assert.deepEqual(problems.map((p) => p.seq), [3]);
      assert.match(problems[0].problem, /edited/);
    });

    test('editing an entry and recomputing its hash is caught at the next entry', async () => {
      await fill(5);
      await ctx.db.updateTable('platform_audit').set({ actor_id: 'someone-else', hash: 'f'.repeat(64) }).where('seq', '=', 2).execute();
      const { problems } = await ctx.audit.verify();
      assert.equal(problems[0].seq, 2);
      assert.ok(problems.some((p) => p.seq === 3 && /prev_hash/.test(p.problem)), JSON.stringify(problems));
    });

    test('deleting an entry in the middle is reported with the missing entry number', async () => {
      await fill(5);
      await ctx.db.deleteFrom('platform_audit').where('seq', '=', 3).execute();
      const { checked, problems } = await ctx.audit.verify();
      assert.equal(checked, 4);
      assert.equal(problems[0].seq, 3);
      assert.match(problems[0].problem, /missing/);
      assert.ok(problems.some((p) => p.seq === 4 && /prev_hash/.test(p.problem)));
    });

    test('deleting the first entry is reported at entry 1', async () => {
      await fill(3);
      await ctx.db.deleteFrom('platform_audit').where('seq', '=', 1).execute();
      const { problems } = await ctx.audit.verify();
      assert.equal(problems[0].seq, 1);
      assert.match(problems[0].problem, /missing/);
    });

    test('deleting the last entry is reported at that entry number', async () => {
      await fill(5);
      await ctx.db.deleteFrom('platform_audit').where('seq', '=', 5).execute();
      const { problems } = await ctx.audit.verify();
      assert.deepEqual(problems.map((p) => p.seq), [5]);
      assert.match(problems[0].problem, /ends at entry 4/);
    });

    test('editing the head record is reported at the entry it names', async () => {
      await fill(5);
      await ctx.db.updateTable('platform_audit_head').set({ hash: 'a'.repeat(64) }).where('id', '=', 1).execute();
      const { problems } = await ctx.audit.verify();
      assert.deepEqual(problems.map((p) => p.seq), [5]);
      assert.match(problems[0].problem, /head/);
    });

    test('editing the last entry is reported at that entry', async () => {
      await fill(5);
      await ctx.db.updateTable('platform_audit').set({ action: 'test.thing.viewed' }).where('seq', '=', 5).execute();
      const { problems } = await ctx.audit.verify();
      assert.equal(problems[0].seq, 5);
      assert.match(problems[0].problem, /edited/);
    });

    test('many transactions writing at once keep one unbroken chain', async () => {
      // PostgreSQL: up to the pool size of transactions really run at once; SQLite serialises them.
      await Promise.all(Array.from({ length: 40 }, (_, i) => record(ctx, i + 1)));
      const rows = await entries();
      assert.deepEqual(rows.map((r) => Number(r.seq)), Array.from({ length: 40 }, (_, i) => i + 1));
      assert.equal(new Set(rows.map((r) => r.subject_id)).size, 40);
      await assertIntact(ctx, 40);
    });

    test('two processes writing to one database at once keep one unbroken chain', async () => {
      if (dialect === 'postgres') {
        const other = await openProcess(tdb);
        try {
          await Promise.all([
            ...Array.from({ length: 20 }, (_, i) => record(ctx, i)),
            ...Array.from({ length: 20 }, (_, i) => record(other, 100 + i)),
          ]);
        } finally {
          await closeContext(other);
        }
      } else {
        // better-sqlite3 waits for a lock synchronously, so the second writer must be a real process.
        let exited = false;
        const child = writeInAnotherProcess(tdb, 20).finally(() => (exited = true));
        let mine = 0;
        while (!exited || mine < 20) {
          await record(ctx, mine++);
          // better-sqlite3 never yields on its own; let the child's exit (and its lock requests) in.
          await new Promise((r) => setTimeout(r, 10));
        }
        assert.equal(await child, 0, 'the other process wrote its entries');
        const actors = (await entries()).map((r) => r.actor_id);
        assert.equal(actors.filter((a) => a === 'other').length, 20);
        await assertIntact(ctx, mine + 20);
        return;
      }
      await assertIntact(ctx, 40);
    });

    test('the hash does not depend on the order a database returns object keys in', async () => {
      await fill(1);
      // PostgreSQL jsonb reorders keys; SQLite keeps the text. Rewrite the text with keys reversed.
      const row = (await entries())[0];
      const detail = typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail;
      const reversed = Object.fromEntries(Object.entries(detail as object).reverse());
      if (dialect === 'sqlite') await ctx.db.updateTable('platform_audit').set({ detail: JSON.stringify(reversed) }).where('seq', '=', 1).execute();
      else await sql`update platform_audit set detail = ${JSON.stringify(reversed)}::jsonb where seq = 1`.execute(ctx.db);
      assert.deepEqual((await ctx.audit.verify()).problems, []);
    });

    test('forSubject lists a subject\'s entries newest first with detail as an object', async () => {
      await fill(3);
      await record(ctx, 2);
      const rows = await ctx.audit.forSubject('thing', '2');
      assert.deepEqual(rows.map((r) => r.seq), [4, 2]);
      assert.equal((rows[0].detail as { n: number }).n, 2);
    });
  });
}

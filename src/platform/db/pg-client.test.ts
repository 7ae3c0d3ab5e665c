import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from './database.ts';
import { TEST_PG_URL } from './testing.ts';

// The pool's connections (pg-client.ts, decision 0009): Kysely's promise-style queries go through
// the driver's callback form, errors still lead back to the caller, and PostgreSQL's JIT is off.
test('PostgreSQL connections: results, errors with the caller in their stack, JIT off', async () => {
  const database = openDatabase({ dialect: 'postgres', url: TEST_PG_URL, poolSize: 2 });
  try {
    const rows = (await sql<{ n: number; s: string }>`select ${41}::int + 1 as n, ${'<script>'}::text as s`.execute(database.db)).rows;
    assert.deepEqual(rows, [{ n: 42, s: '<script>' }]);

    const pageOfRows = await sql<{ i: number }>`select i from generate_series(1, 2000) i`.execute(database.db);
    assert.equal(pageOfRows.rows.length, 2000);
    assert.equal(pageOfRows.rows[1999]!.i, 2000);

    async function askForTheImpossible(): Promise<unknown> {
      return await sql`select 1 / ${0}::int`.execute(database.db);
    }
    const err = await askForTheImpossible().then(
      () => assert.fail('division by zero must fail'),
      (e: Error & { code?: string }) => e,
    );
    assert.equal(err.code, '22012', 'the PostgreSQL error code arrives');
    assert.match(err.stack ?? '', /askForTheImpossible/, 'the stack leads to the caller');

    const jit = (await sql<{ jit: string }>`show jit`.execute(database.db)).rows[0]!.jit;
    assert.equal(jit, 'off');
  } finally {
    await database.close();
  }
});

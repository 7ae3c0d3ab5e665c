// The same-run baseline of bench/components.ts: the same rows, inserted with plain batched INSERTs
// (SQLite: one prepared statement run per row in 5,000-row transactions; PostgreSQL: one
// unnest-of-arrays INSERT per 5,000 rows) into a table with no index at all (no primary key beyond SQLite's rowid, no R*Tree, no PostGIS),
// so the import's figure can be read against what the database does at best. Only the INSERTs are
// timed; reading the file and shaping the rows are not.
import fs from 'node:fs';
import readline from 'node:readline';
import { sql } from 'kysely';
import type { AppContext } from '../src/platform/context.ts';
import type { Progress } from '../src/platform/module.ts';

const COLS = ['code', 'type_code', 'geometry', 'lon', 'lat', 'min_lon', 'min_lat', 'max_lon', 'max_lat', 'status', 'address', 'attributes'] as const;
const BATCH = 5000;

type Row = unknown[];

const isFloat = (c: string) => c === 'lon' || c === 'lat' || c.endsWith('_lon') || c.endsWith('_lat');

function shape(line: string): Row {
  const f = JSON.parse(line) as { geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> };
  const flat = JSON.stringify(f.geometry.coordinates).match(/-?\d+(\.\d+)?/g)!.map(Number);
  const xs = flat.filter((_, i) => i % 2 === 0);
  const ys = flat.filter((_, i) => i % 2 === 1);
  const { code, type, status, address, attributes } = f.properties;
  return [code, type, JSON.stringify(f.geometry), xs[0], ys[0], Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys), status, address ?? null, JSON.stringify(attributes)];
}

/** Inserts the file's rows (`expected` of them, for the progress line) and gives the database back as it was. */
export async function rawBaseline(ctx: AppContext, file: string, progress: Progress, expected: number): Promise<{ rowsPerSecond: number; rows: number }> {
  const pgLike = ctx.dialect === 'postgres';
  await sql.raw(`create table bench_raw (${COLS.map((c) => `${c} ${isFloat(c) ? (pgLike ? 'double precision' : 'real') : 'text'}`).join(', ')})`).execute(ctx.db);
  let rows = 0;
  let insertMs = 0;
  let batch: Row[] = [];
  const sqlite = ctx.database.sqlite;
  const stmt = sqlite?.prepare(`insert into bench_raw (${COLS.join(', ')}) values (${COLS.map(() => '?').join(', ')})`);
  const flush = async () => {
    const t = performance.now();
    if (sqlite && stmt) {
      sqlite.transaction((b: Row[]) => {
        for (const r of b) stmt.run(...r);
      })(batch);
    } else {
      // One statement per batch with an array per column (unnest): PostgreSQL's fastest plain
      // INSERT, and the way the import itself writes (a VALUES list is several times slower).
      await ctx.db.transaction().execute(async (tx) => {
        const arrays = COLS.map((c, j) => sql`${batch.map((r) => r[j])}::${sql.raw(isFloat(c) ? 'float8' : 'text')}[]`);
        await sql`insert into bench_raw (${sql.raw(COLS.join(', '))}) select * from unnest(${sql.join(arrays)})`.execute(tx);
      });
    }
    insertMs += performance.now() - t;
    rows += batch.length;
    batch = [];
    progress(`baseline (${ctx.dialect})`, rows, Math.max(expected, rows));
  };
  for await (const line of readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })) {
    if (!line) continue;
    batch.push(shape(line));
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length) await flush();
  await sql`drop table bench_raw`.execute(ctx.db);
  // SQLite keeps a dropped table's pages in the file as free pages, and the import would then
  // write into them: give them back, so that the import starts from the file it would have had.
  // (PostgreSQL removes a dropped table's files.)
  if (sqlite) {
    sqlite.exec('vacuum');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
  }
  return { rows, rowsPerSecond: rows / (insertMs / 1000) };
}

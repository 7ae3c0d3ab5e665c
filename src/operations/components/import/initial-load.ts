// The initial load: an import into an empty registry builds its secondary indexes once, at the end,
// instead of row by row (docs/decisions/0004-components-initial-load.md).
//
// Kept row by row: the primary key and the unique code index (a re-run or a code twice in the file
// must update, not duplicate), and SQLite's R*Tree of the components that are not intact (its
// triggers, migration 0003). Deferred: the place and time B-trees, the spatial indexes (SQLite's
// R*Tree, PostGIS's GiST indexes) and the counts per place, type and status. Building a B-tree from a sorted scan costs a fraction of keeping it in
// step with every insert, and filling an R*Tree in one statement costs about half of inserting
// into it batch by batch.
//
// While a load runs, SQLite finds its rows by id and code but not by place (they are not in the
// R*Tree yet); PostgreSQL finds them by a slower scan. The registry was empty, so nothing else is
// affected. The end of every run — done, failed, interrupted, or thrown — restores the indexes;
// after a crash, resuming the job (or the next server start) does.
import os from 'node:os';
import { sql } from 'kysely';
import type { AppContext } from '../../../platform/context.ts';
import type { Tx } from '../../../platform/db/database.ts';

/**
 * The indexes an initial load leaves out, exactly as migration 0001 creates them: a restore must
 * give the same schema back (import.initial-load.test.ts compares the two).
 */
const BTREES: Array<[name: string, columns: string[]]> = [
  ['components_item_place', ['jurisdiction_code', 'id']],
  ['components_item_type_place', ['type_code', 'jurisdiction_code', 'id']],
  ['components_item_updated', ['updated_at', 'id']],
];

/** SQLite's helper threads for sorting an index's keys: one per core but one, 1–3. */
const SORT_THREADS = Math.min(3, Math.max(1, os.availableParallelism() - 1));

/** One step of a restore, for a progress line: `done` of `total` steps. */
export type RestoreStep = (step: string, done: number, total: number) => void;

/**
 * In one transaction: drops the deferred indexes, checks the registry is empty and runs `then`
 * (which records the job). Returns false, changing nothing, when the registry holds a component.
 */
export async function deferIndexes(ctx: AppContext, then: (tx: Tx) => Promise<void>): Promise<boolean> {
  const empty = Symbol('not empty');
  try {
    await ctx.transaction(async (tx) => {
      // PostgreSQL: the exclusive lock DROP INDEX takes keeps a concurrent insert out until commit.
      if (ctx.dialect === 'postgres') await sql`lock table components_item in share row exclusive mode`.execute(tx);
      const any = await tx.selectFrom('components_item').select('id').limit(1).executeTakeFirst();
      if (any) throw empty;
      for (const [name] of BTREES) await sql`drop index if exists ${sql.ref(name)}`.execute(tx);
      if (ctx.dialect === 'postgres') {
        await sql`drop index if exists components_item_geom`.execute(tx);
        await sql`drop index if exists components_item_issue_geom`.execute(tx);
      }
      await then(tx);
    });
    return true;
  } catch (err) {
    if (err === empty) return false;
    throw err;
  }
}

/**
 * Gives every component its index entries back: creates the missing B-trees and the spatial index
 * (PostgreSQL), or fills the R*Tree with the rows it lacks (SQLite); then counts the components per
 * place, type and status afresh (a load keeps no counts as it goes). Each step is idempotent and is
 * its own transaction: at millions of rows one transaction for all would hold gigabytes of SQLite
 * write-ahead log, and a step cut short is simply done again.
 */
export async function restoreIndexes(ctx: AppContext, onStep?: RestoreStep): Promise<void> {
  const total = BTREES.length + 2;
  const pg = ctx.dialect === 'postgres';
  const step = (fn: (tx: Tx) => Promise<void>) =>
    ctx.transaction(async (tx) => {
      if (pg) await sql`set local maintenance_work_mem = '512MB'`.execute(tx);
      await fn(tx);
    });
  onStep?.('spatial index', 0, total);
  await step(async (tx) => {
    if (pg) {
      await sql`create index if not exists components_item_geom on components_item using gist (geom)`.execute(tx);
      // The not-intact components' own index (migration 0003). SQLite's triggers kept its R*Tree of them during the load.
      await sql`create index if not exists components_item_issue_geom on components_item using gist (geom) where status <> 'intact'`.execute(tx);
    }
    // Rows another writer added during the load are in the R*Tree already.
    else await sql`insert into components_rtree (id, min_lon, max_lon, min_lat, max_lat)
        select c.id, c.min_lon, c.max_lon, c.min_lat, c.max_lat from components_item c
        where not exists (select 1 from components_rtree r where r.id = c.id)`.execute(tx);
  });
  let done = 1;
  // SQLite sorts an index's keys on helper threads when allowed (off by default); the setting is
  // the connection's, so it is put back after the builds.
  if (!pg) await sql.raw(`pragma threads = ${SORT_THREADS}`).execute(ctx.db);
  try {
    for (const [name, columns] of BTREES) {
      onStep?.(name, done++, total);
      await step(async (tx) => void (await tx.schema.createIndex(name).ifNotExists().on('components_item').columns(columns).execute()));
    }
  } finally {
    if (!pg) await sql.raw('pragma threads = 0').execute(ctx.db);
  }
  onStep?.('counts', done, total);
  await step(async (tx) => {
    // Writers wait while the table is counted, so that the counts are exact (SQLite: one writer anyway).
    if (pg) await sql`lock table components_item in share mode`.execute(tx);
    await sql`delete from components_count`.execute(tx);
    await sql`insert into components_count (jurisdiction_code, type_code, status, n)
      select jurisdiction_code, type_code, status, count(*) from components_item group by jurisdiction_code, type_code, status`.execute(tx);
    // The planner's statistics still describe the empty table the load began with.
    if (pg) await sql`analyze components_item`.execute(tx);
  });
  onStep?.('indexes built', total, total);
}

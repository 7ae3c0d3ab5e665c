import { sql, type Kysely } from 'kysely';
import type { Database, Dialect } from './database.ts';
import { withWriteTurn } from './write-turn.ts';

/** One schema change of one module. Names sort in order of application (`0001_init`, `0002_…`). */
export interface Migration {
  name: string;
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

export interface ModuleMigrations {
  module: string;
  migrations: Migration[];
}

// Any number tells PostgreSQL "the migrator"; concurrent `yiwang serve` processes wait on it.
const MIGRATION_LOCK = 74_210_001;

/**
 * Applies every pending migration, module by module in composition order, each in its own
 * transaction together with its bookkeeping row, so a failed migration leaves nothing half-done.
 */
export async function migrate(
  database: Database,
  modules: ModuleMigrations[],
  onStep: (module: string, name: string) => void = () => {},
): Promise<{ applied: string[] }> {
  const { db, dialect } = database;
  const any = db as unknown as Kysely<any>;
  const applied: string[] = [];
  const run = async (conn: Kysely<any>) => {
    // Created under the lock: two processes creating it at once can collide in PostgreSQL's catalog.
    await conn.schema
      .createTable('yiwang_migration')
      .ifNotExists()
      .addColumn('module', 'varchar(64)', (c) => c.notNull())
      .addColumn('name', 'varchar(128)', (c) => c.notNull())
      .addColumn('applied_at', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('yiwang_migration_pk', ['module', 'name'])
      .execute();
    const done = new Set(
      (await conn.selectFrom('yiwang_migration').select(['module', 'name']).execute()).map((r) => `${r.module}/${r.name}`),
    );
    for (const mod of modules) {
      const sorted = [...mod.migrations].sort((a, b) => a.name.localeCompare(b.name));
      for (const m of sorted) {
        const key = `${mod.module}/${m.name}`;
        if (done.has(key)) continue;
        onStep(mod.module, m.name);
        await conn.transaction().execute(async (trx) => {
          await m.up(trx, dialect);
          await trx.insertInto('yiwang_migration').values({ module: mod.module, name: m.name, applied_at: Date.now() }).execute();
        });
        applied.push(key);
      }
    }
  };

  if (dialect === 'postgres') {
    // Hold a session-level advisory lock on one connection for the whole run.
    await any.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
      try {
        await run(conn);
      } finally {
        await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
      }
    });
  } else {
    // This process's other writers (the telemetry thread) wait for the whole run.
    await withWriteTurn(database.writeTurn, () => run(any));
  }
  return { applied };
}

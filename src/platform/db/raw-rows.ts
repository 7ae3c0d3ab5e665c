import type SQLite from 'better-sqlite3';
import type { CompiledQuery } from 'kysely';
import type { Executor } from './database.ts';
import { cachingDatabase } from './statement-cache.ts';

/**
 * Reads on SQLite with each row as an array in column order, for the few hot paths that read
 * hundreds of wide rows at once (a map box, a tile, nearest-k candidates).
 *
 * Why: better-sqlite3 builds a row object one property at a time. For a thousand 24-column
 * component rows that costs about as much as reading them (measured at 15 million rows: 7.2 ms
 * as objects, 3.7 ms as arrays). The caller turns each array into its row with an object literal,
 * which V8 makes cheaply.
 *
 * The query is built and compiled by Kysely as usual; only the execution differs. Outside a
 * transaction it holds Kysely's connection while it runs, so it never reads in the middle of
 * another caller's open transaction on the one connection; inside one it is that transaction's
 * own read. `db` is the root Kysely or a transaction of it, never a Kysely bound to a connection
 * already held (`db.connection().execute(conn => …)`'s `conn`): asking that one for the connection
 * again would wait for itself.
 */
export class RawRows {
  /** Its own statements (raw mode would break Kysely's), kept like Kysely's (statement-cache.ts). */
  private readonly statements: SQLite.Database;

  constructor(sqlite: SQLite.Database) {
    this.statements = cachingDatabase(sqlite, 200);
  }

  async all(db: Executor, query: CompiledQuery): Promise<unknown[][]> {
    const stmt = this.statements.prepare(query.sql).raw(true);
    const run = () => stmt.all(...(query.parameters as unknown[])) as unknown[][];
    return db.isTransaction ? run() : db.connection().execute(async () => run());
  }
}

import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { createRequire } from 'node:module';
import type pgTypes from 'pg';
import { callbackQueryClient } from './pg-client.ts';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, type Driver, type Transaction } from 'kysely';
import type { DatabaseConfig } from '../config.ts';
import type { Tables } from './tables.ts';
import { cachingDatabase } from './statement-cache.ts';
import { BACKSTOP_PAGES, startCheckpointer } from './checkpointer.ts';
import { WriteTurn } from './write-turn.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Tables>;
export type Tx = Transaction<Tables>;
/** Either the database or an open transaction: stores accept both so services decide the boundary. */
export type Executor = Db | Tx;

let pgDriver: typeof pgTypes | undefined;
/**
 * The PostgreSQL driver, loaded when a PostgreSQL database is opened: the embedded default (and
 * every CLI command and test on SQLite) does not pay for loading it.
 */
function loadPg(): typeof pgTypes {
  if (pgDriver) return pgDriver;
  const pg = createRequire(import.meta.url)('pg') as typeof pgTypes;
  // int8 (bigint) columns hold epoch milliseconds and counters well inside 2^53: read them as numbers.
  pg.types.setTypeParser(20, (v) => Number(v));
  // numeric -> number (coordinates, measurements); we never keep money in floats here.
  pg.types.setTypeParser(1700, (v) => Number(v));
  return (pgDriver = pg);
}

/** An open database with its dialect and a few facts for /metrics and /readyz. */
export interface Database {
  db: Db;
  dialect: Dialect;
  /** Connections in use / idle / waiting (PostgreSQL pool); SQLite reports one connection. */
  poolStats(): { total: number; idle: number; waiting: number };
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * The SQLite connection itself, for bulk paths (imports, seeding) that run prepared statements
   * synchronously inside a Kysely transaction on this same connection. Absent for PostgreSQL.
   */
  sqlite?: SQLite.Database;
  /** SQLite: this process's writers take turns here before taking the file's write lock (write-turn.ts). */
  writeTurn?: WriteTurn;
}

/**
 * SQLite transactions begin IMMEDIATE: they take the write lock at the start, waiting (busy_timeout)
 * for another process that holds it. A plain BEGIN reads first and upgrades on the first write, and
 * if another process (a CLI command beside the server) committed in between, SQLite fails the
 * upgrade at once with SQLITE_BUSY instead of waiting. Read-only transactions keep a plain BEGIN.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    // The write turn (write-turn.ts) is taken before the connection, by whoever starts the
    // transaction (ctx.transaction), not here: here the connection is already held.
    driver.beginTransaction = async (connection, settings) => {
      await connection.executeQuery(CompiledQuery.raw(settings?.accessMode === 'read only' ? 'begin' : 'begin immediate'));
    };
    return driver;
  }
}

/** Opens SQLite (WAL, foreign keys, busy timeout) or a PostgreSQL pool, per the configuration. */
export function openDatabase(cfg: DatabaseConfig, warn: (msg: string) => void = () => {}): Database {
  if (cfg.dialect === 'sqlite') {
    if (cfg.file !== ':memory:') fs.mkdirSync(path.dirname(cfg.file), { recursive: true });
    const sqlite = new SQLite(cfg.file);
    sqlite.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives a process crash (kill -9); only an OS crash can lose the last commits.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // 64 MB of page cache (default 2 MB): index pages of a registry of millions stay in memory, which
    // makes bulk inserts into several B-trees and the R*Tree several times faster.
    sqlite.pragma('cache_size = -65536');
    sqlite.pragma('temp_store = memory');
    // Checkpoints run in a worker (checkpointer.ts); the connection's own is only the backstop.
    const every = cfg.checkpointMs ?? 1000;
    const checkpointer = cfg.file !== ':memory:' && every > 0 ? startCheckpointer(cfg.file, every, warn) : null;
    if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    const writeTurn = new WriteTurn();
    const db = new Kysely<Tables>({ dialect: new ImmediateSqliteDialect({ database: cachingDatabase(sqlite) }) });
    return {
      db,
      dialect: 'sqlite',
      sqlite,
      writeTurn,
      poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
      ping: async () => {
        sqlite.prepare('select 1').get();
      },
      close: async () => {
        await checkpointer?.stop();
        await db.destroy();
      },
    };
  }
  const pg = loadPg();
  // JIT off: PostgreSQL compiles any plan estimated costly, and a statement over a wide but sparse
  // box is estimated costly and runs in a millisecond; compiling took 100+ ms (decision 0009).
  const pool = new pg.Pool({ connectionString: cfg.url, max: cfg.poolSize, Client: callbackQueryClient(pg), options: '-c jit=off' });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    ping: async () => {
      await pool.query('select 1');
    },
    close: () => db.destroy(),
  };
}

// A throw-away PostgreSQL database for a benchmark run (created empty, dropped at the end), and a
// seeded Yiwang on either database.
import { buildYiwang, type Yiwang } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { Progress } from '../src/platform/module.ts';

const PG_URL = process.env.YIWANG_BENCH_PG_URL ?? process.env.YIWANG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function admin<T>(fn: (c: import('pg').Client) => Promise<T>): Promise<T> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Creates `yiwang_bench_<name>_<pid>`; returns its name and its URL (for YIWANG_DATABASE_URL). */
export async function createBenchDatabase(name: string): Promise<{ name: string; url: string }> {
  const db = `yiwang_bench_${name}_${process.pid}`;
  await admin((c) => c.query(`create database ${db}`));
  const u = new URL(PG_URL);
  u.pathname = `/${db}`;
  return { name: db, url: u.toString() };
}

export async function dropBenchDatabase(db: string): Promise<void> {
  await admin((c) => c.query(`drop database if exists ${db} with (force)`));
}

/**
 * A seeded Yiwang for a benchmark on either database: PostgreSQL gets a throw-away database, and
 * `close()` drops it again (unless asked to keep it, for looking into afterwards).
 */
export async function startBenchYiwang(dialect: 'sqlite' | 'postgres', name: string, dataDir: string, progress: Progress, env: Record<string, string> = {}): Promise<{ y: Yiwang; database: string | null; close(opts?: { keep?: boolean }): Promise<void> }> {
  const vars: Record<string, string> = { YIWANG_DATA_DIR: dataDir, YIWANG_LOG_LEVEL: 'warn', YIWANG_MQTT_PORT: '0', ...env };
  const db = dialect === 'postgres' ? await createBenchDatabase(name) : null;
  if (db) vars.YIWANG_DATABASE_URL = db.url;
  let y: Yiwang | null = null;
  try {
    y = await buildYiwang(loadConfig(vars));
    await y.seed({ demo: false, progress });
  } catch (err) {
    await y?.close().catch(() => {});
    if (db) await dropBenchDatabase(db.name);
    throw err;
  }
  const built = y;
  return {
    y: built,
    database: db?.name ?? null,
    async close(opts: { keep?: boolean } = {}) {
      await built.close().catch(() => {});
      if (db && !opts.keep) await dropBenchDatabase(db.name);
    },
  };
}

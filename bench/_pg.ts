// A throw-away PostgreSQL database for a benchmark run: created empty, dropped at the end.
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

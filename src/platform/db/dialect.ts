import { sql, type Kysely } from 'kysely';
import type { Dialect } from './database.ts';

/**
 * Column types and value helpers that differ between SQLite and PostgreSQL. Migrations and stores
 * use these so one migration set serves both dialects.
 *  - time: epoch milliseconds in an integer column (bigint in PostgreSQL)
 *  - json: text in SQLite, jsonb in PostgreSQL; write with toJson, read with fromJson
 */
export const columnTypes = (d: Dialect) => ({
  time: d === 'postgres' ? ('bigint' as const) : ('integer' as const),
  bigint: d === 'postgres' ? ('bigint' as const) : ('integer' as const),
  json: d === 'postgres' ? ('jsonb' as const) : ('text' as const),
  bool: d === 'postgres' ? ('boolean' as const) : ('integer' as const),
  float: d === 'postgres' ? ('double precision' as const) : ('real' as const),
});

/** Serialises a value for a json column (both dialects accept the JSON text). */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Reads a json column: PostgreSQL hands back objects, SQLite the text. */
export function fromJson<T>(value: unknown): T {
  if (typeof value === 'string') return JSON.parse(value) as T;
  return value as T;
}

/** Writes a boolean column: SQLite stores 0/1, PostgreSQL a boolean. */
export function boolValue(d: Dialect, value: boolean): boolean | number {
  return d === 'postgres' ? value : Number(value);
}

/** Booleans: SQLite stores 0/1. */
export function toBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

/** Enables PostGIS in PostgreSQL; fails with a message saying what to install if it is missing. */
export async function ensurePostgis(db: Kysely<any>, d: Dialect): Promise<void> {
  if (d !== 'postgres') return;
  try {
    await sql`create extension if not exists postgis`.execute(db);
  } catch (err) {
    throw new Error(
      `PostGIS is not available in this PostgreSQL server (${(err as Error).message}). ` +
        'Install it, e.g. `apt-get install -y postgresql-15-postgis-3`.',
    );
  }
}

/**
 * A unique constraint refused a row (PostgreSQL 23505; SQLite's unique or primary key constraint):
 * for a caller, a conflict with a row written meanwhile, not a fault.
 */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '../config.ts';
import type { Dialect } from './database.ts';

/** Both dialects: every store and route test runs once per entry. */
export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

/** The PostgreSQL server tests create their throw-away databases on. */
export const TEST_PG_URL = process.env.YIWANG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  config: DatabaseConfig;
  /** Removes the database (PostgreSQL) or file (SQLite). */
  drop(): Promise<void>;
}

/** A fresh, empty database of the given dialect, dropped by `drop()`. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const tag = `${process.pid}_${randomBytes(4).toString('hex')}`;
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yiwang-test-'));
    const file = path.join(dir, 'test.sqlite');
    return { config: { dialect: 'sqlite', file }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `yiwang_t_${tag}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_PG_URL);
  url.pathname = '/' + name;
  return {
    config: { dialect: 'postgres', url: url.toString(), poolSize: 5 },
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

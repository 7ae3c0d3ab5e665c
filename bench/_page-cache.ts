// How much of a database the operating system holds in memory, and reading it all in, for the
// components benchmark's two passes of queries: right after the import (part of a 15 GB file is on
// disk, and the 5 GB import file competes for the same memory) and warm, as on a server that has
// answered queries for a while.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../src/platform/db/database.ts';
import type { Progress } from '../src/platform/module.ts';

/** The files holding the registry: SQLite's one file, or PostgreSQL's segments of the table and its indexes. */
export async function registryFiles(dialect: 'sqlite' | 'postgres', db: Db, sqliteFile: string): Promise<string[]> {
  if (dialect === 'sqlite') return [sqliteFile];
  const dir = (await sql<{ d: string }>`select current_setting('data_directory') as d`.execute(db)).rows[0]!.d;
  const rels = await sql<{ p: string }>`select pg_relation_filepath(c.oid) as p from pg_class c
    where c.oid = 'components_item'::regclass or c.oid in (select indexrelid from pg_index where indrelid = 'components_item'::regclass)`.execute(db);
  const files: string[] = [];
  for (const { p } of rels.rows) {
    const base = path.join(dir, p);
    // A relation over 1 GB continues in base.1, base.2, …
    for (let i = 0; fs.existsSync(i ? `${base}.${i}` : base); i++) files.push(i ? `${base}.${i}` : base);
  }
  return files;
}

/** "9.7 of 14.4 GiB in memory", from util-linux's fincore; null where it or the files cannot be read. */
export function residency(files: string[]): string | null {
  try {
    let res = 0;
    let size = 0;
    for (const f of files) {
      const [r, s] = execFileSync('fincore', ['--bytes', '--noheadings', '--output', 'RES,SIZE', f], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
      res += r!;
      size += s!;
    }
    const gib = (b: number) => (b / 2 ** 30).toFixed(1);
    return `${gib(res)} of ${gib(size)} GiB in memory`;
  } catch {
    return null;
  }
}

/** Reads every file through once, so the operating system caches them (progress in MiB). */
export function readThrough(files: string[], progress: Progress): void {
  const total = files.reduce((a, f) => a + fs.statSync(f).size, 0);
  const buf = Buffer.allocUnsafe(8 << 20);
  let done = 0;
  for (const f of files) {
    const fd = fs.openSync(f, 'r');
    try {
      for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) {
        done += n;
        if ((done & ((256 << 20) - 1)) < n) progress('warming the database', Math.round(done / 2 ** 20), Math.round(total / 2 ** 20));
      }
    } finally {
      fs.closeSync(fd);
    }
  }
  progress('warming the database', Math.round(done / 2 ** 20), Math.round(total / 2 ** 20));
}

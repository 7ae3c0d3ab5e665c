import type SQLite from 'better-sqlite3';

/**
 * Kysely prepares every query it runs on SQLite afresh (about 10 µs each, more for wide inserts),
 * though a service runs the same few dozen SQL texts over and over. This hands Kysely a database
 * whose `prepare` keeps the most recently used statements. Kysely runs one query at a time on its
 * one SQLite connection (a stream holds the connection until it ends), so a cached statement is
 * never in use twice; SQLite itself re-prepares a statement whose tables a migration changed.
 */
export function cachingDatabase(sqlite: SQLite.Database, size = 1000): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = (source: string): SQLite.Statement => {
    let stmt = cache.get(source);
    if (stmt) {
      // Most recently used last: Map keeps insertion order, so the first key is the oldest.
      cache.delete(source);
      cache.set(source, stmt);
      return stmt;
    }
    stmt = sqlite.prepare(source);
    cache.set(source, stmt);
    if (cache.size > size) cache.delete(cache.keys().next().value!);
    return stmt;
  };
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop === 'prepare') return prepare;
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

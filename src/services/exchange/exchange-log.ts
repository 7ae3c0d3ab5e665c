import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Statement } from 'better-sqlite3';
import type { AppContext } from '../../platform/context.ts';
import { canonical } from '../../platform/audit/audit.ts';
import { fromJson, toJson } from '../../platform/db/dialect.ts';
import { AppError } from '../../platform/errors.ts';
import type { LogRow } from './exchange.schema.ts';

/** What a call says about itself; the log adds seq, time and the chain. */
export type LogEntry = Omit<LogRow, 'seq' | 'at' | 'prev_hash' | 'hash' | 'fields' | 'masked'> & { fields: string[]; masked: string[]; at: number };

export interface LogVerification {
  checked: number;
  problems: Array<{ seq: number; problem: string }>;
  head: { seq: number; hash: string } | null;
}

const GENESIS = '0'.repeat(64);
const COLUMNS = ['seq', 'at', 'department_code', 'account_id', 'system', 'purpose', 'reference', 'resource_code', 'grant_id', 'subject_kind', 'subject_id', 'fields', 'masked', 'outcome', 'prev_hash', 'hash'] as const satisfies ReadonlyArray<keyof LogRow>;
// Serialises writers of the chain in PostgreSQL (several `yiwang serve` processes append).
const LOG_LOCK = 74_210_007;
/** Entries per transaction at most; a busy exchange fills batches, a quiet one writes each at once. */
const BATCH = 500;

function entryHash(row: Omit<LogRow, 'hash'>): string {
  return createHash('sha256').update(entryBody(row)).digest('hex');
}

/**
 * The hashed text of an entry: `canonical()` of its fields (keys sorted, undefined left out), written
 * out by hand because it runs once for every exchange call. log.test.ts holds it equal to canonical().
 */
export function entryBody(row: Omit<LogRow, 'hash'>): string {
  const q = (v: string | null | undefined, key: string) => (v === undefined ? '' : `"${key}":${JSON.stringify(v)},`);
  // Arrays of field names: as stored on SQLite (JSON.stringify, already canonical) or as jsonb gives them back.
  const list = (v: unknown) => (typeof v === 'string' ? v : canonical(v));
  return (
    '{' +
    q(row.account_id, 'account_id') +
    `"at":${Number(row.at)},` +
    q(row.department_code, 'department_code') +
    `"fields":${list(row.fields)},` +
    q(row.grant_id, 'grant_id') +
    `"masked":${list(row.masked)},` +
    q(row.outcome, 'outcome') +
    q(row.prev_hash, 'prev_hash') +
    q(row.purpose, 'purpose') +
    q(row.reference, 'reference') +
    q(row.resource_code, 'resource_code') +
    `"seq":${Number(row.seq)},` +
    q(row.subject_id, 'subject_id') +
    q(row.subject_kind, 'subject_kind') +
    q(row.system, 'system')
  ).replace(/,$/, '') + '}';
}

/** The reference form of the hashed text (what entries written before entryBody existed were hashed over). */
export function canonicalBody(row: Omit<LogRow, 'hash'>): string {
  return canonical({
    seq: Number(row.seq), at: Number(row.at), department_code: row.department_code, account_id: row.account_id, system: row.system,
    purpose: row.purpose, reference: row.reference, resource_code: row.resource_code, grant_id: row.grant_id, subject_kind: row.subject_kind,
    subject_id: row.subject_id, fields: fromJson(row.fields), masked: fromJson(row.masked), outcome: row.outcome, prev_hash: row.prev_hash,
  });
}

interface Pending {
  entry: LogEntry;
  resolve: (seq: number) => void;
  reject: (err: unknown) => void;
}

/**
 * The exchange log (交换日志): every call, allowed or refused, hash-chained so that editing,
 * deleting or reordering entries is detected by `verify()`. Calls wait for their entry to commit
 * before any data leaves (no unlogged exchange), and entries that arrive together share one
 * transaction (group commit): the chain head is read and written once per batch, not per call.
 */
export class ExchangeLog {
  private queue: Pending[] = [];
  private insert: Statement | undefined;
  private running: Promise<void> | null = null;

  constructor(private readonly ctx: AppContext) {}

  /** Appends an entry; resolves with its seq once it is committed. */
  append(entry: LogEntry): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (!this.running) this.running = this.drain();
    });
  }

  /** Resolves when everything appended so far is written (tests, shutdown). */
  async flushed(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    // Let the calls of this turn of the event loop join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, BATCH);
        try {
          const seqs = await this.write(batch.map((p) => p.entry));
          batch.forEach((p, i) => p.resolve(seqs[i]!));
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.running = null;
    }
  }

  private async write(entries: LogEntry[]): Promise<number[]> {
    return this.ctx.transaction(async (tx) => {
      if (this.ctx.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${LOG_LOCK})`.execute(tx);
      const head = await tx.selectFrom('exchange_log_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
      const last = await tx.selectFrom('exchange_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
      // A head that is not the last entry means someone changed the log: stop rather than fork the chain.
      if (Number(last?.seq ?? 0) !== Number(head?.seq ?? 0)) {
        throw new AppError('SERVICE_UNAVAILABLE', 'The exchange log is inconsistent (its head is not its last entry); exchange calls stop until an administrator has checked it (GET /api/exchange/log/verify)');
      }
      let seq = Number(head?.seq ?? 0);
      let prev = head?.hash ?? GENESIS;
      const rows: LogRow[] = entries.map((e) => {
        seq++;
        const row: Omit<LogRow, 'hash'> = { ...e, seq, fields: toJson(e.fields), masked: toJson(e.masked), prev_hash: prev };
        prev = entryHash(row);
        return { ...row, hash: prev };
      });
      const sqlite = this.ctx.database.sqlite;
      if (sqlite) {
        // The hot path of every call: one prepared statement run synchronously on the connection the
        // transaction holds, instead of building a multi-row insert through the query builder.
        this.insert ??= sqlite.prepare(`insert into exchange_log (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`);
        for (const r of rows) this.insert.run(COLUMNS.map((c) => r[c]));
      } else {
        for (let i = 0; i < rows.length; i += 200) await tx.insertInto('exchange_log').values(rows.slice(i, i + 200)).execute();
      }
      if (head) await tx.updateTable('exchange_log_head').set({ seq, hash: prev }).where('id', '=', 1).execute();
      else await tx.insertInto('exchange_log_head').values({ id: 1, seq, hash: prev }).execute();
      return rows.map((r) => r.seq);
    });
  }

  /**
   * Walks the chain up to the head as it stood when the walk began (entries committed meanwhile are
   * not mistaken for tampering) and reports every break: an edited entry, a gap, a broken link, or
   * a head that does not match the last entry (truncation).
   */
  async verify(): Promise<LogVerification> {
    const db = this.ctx.db;
    const h = await db.selectFrom('exchange_log_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
    const head = h ? { seq: Number(h.seq), hash: h.hash } : null;
    const problems: LogVerification['problems'] = [];
    let expected = 1;
    let prev = GENESIS;
    let checked = 0;
    for (;;) {
      const rows = await db.selectFrom('exchange_log').selectAll().where('seq', '>=', expected).where('seq', '<=', head?.seq ?? 0).orderBy('seq').limit(2000).execute();
      if (!rows.length) break;
      for (const r of rows) {
        const seq = Number(r.seq);
        if (seq !== expected) problems.push({ seq: expected, problem: `entries ${expected}–${seq - 1} are missing` });
        if (r.prev_hash !== prev) problems.push({ seq, problem: 'does not link to the entry before it' });
        const { hash, ...rest } = r;
        if (entryHash(rest) !== hash) problems.push({ seq, problem: 'was altered after it was written' });
        prev = hash;
        expected = seq + 1;
        checked++;
      }
    }
    if (head && (expected - 1 !== head.seq || prev !== head.hash)) problems.push({ seq: head.seq, problem: 'the chain does not end at the recorded head (entries were removed)' });
    // Entries past the head (a head moved back, or deleted) are beyond the chain: say so.
    const beyond = await db.selectFrom('exchange_log').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('seq').as('first')]).where('seq', '>', head?.seq ?? 0).executeTakeFirst();
    if (Number(beyond?.n ?? 0) > 0) problems.push({ seq: Number(beyond!.first), problem: `${Number(beyond!.n)} entries lie beyond the recorded head (the head was moved back or removed)` });
    return { checked, problems, head };
  }
}

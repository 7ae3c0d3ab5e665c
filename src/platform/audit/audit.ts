import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Dialect, Tx } from '../db/database.ts';
import { fromJson, toJson } from '../db/dialect.ts';

declare module '../db/tables.ts' {
  interface Tables {
    platform_audit: AuditRow;
    platform_audit_head: { id: number; seq: number; hash: string };
  }
}

export interface AuditRow {
  seq: number;
  at: number;
  actor_id: string | null;
  actor_kind: string;
  action: string;
  subject_type: string;
  subject_id: string;
  jurisdiction_code: string | null;
  detail: unknown;
  prev_hash: string;
  hash: string;
}

/** What a service says about a change it is making. */
export interface AuditEntry {
  /** Account id of who did it; null for the system itself (seeders, timers). */
  actorId: string | null;
  actorKind?: string;
  /** Dotted, past tense: `org.account.created`. */
  action: string;
  subjectType: string;
  subjectId: string;
  jurisdictionCode?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditProblem {
  seq: number;
  problem: string;
}

/** What verify() found: entries checked, every break, and the head it checked against. */
export interface AuditVerification {
  checked: number;
  problems: AuditProblem[];
  /**
   * The head as stored. Recording it somewhere else (a ticket, a printout) lets a later check
   * detect even a rewrite of the whole chain by someone with write access to the database.
   */
  head: { seq: number; hash: string } | null;
}

const GENESIS = '0'.repeat(64);
// Serialises writers of the chain in PostgreSQL for the rest of the transaction.
const AUDIT_LOCK = 74_210_002;

/** JSON with sorted keys, so the hash does not depend on how a database returns an object. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
  const keys = Object.keys(value as object).filter((k) => (value as any)[k] !== undefined).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonical((value as any)[k])).join(',') + '}';
}

function entryHash(row: Omit<AuditRow, 'hash'>): string {
  const body = canonical({
    seq: Number(row.seq),
    at: Number(row.at),
    actor_id: row.actor_id,
    actor_kind: row.actor_kind,
    action: row.action,
    subject_type: row.subject_type,
    subject_id: row.subject_id,
    jurisdiction_code: row.jurisdiction_code,
    detail: fromJson(row.detail),
    prev_hash: row.prev_hash,
  });
  return createHash('sha256').update(body).digest('hex');
}

/**
 * The append-only, hash-chained audit log. Each entry carries the hash of the one before, and a
 * head row remembers the last hash, so editing, deleting or truncating entries breaks the chain
 * and `verify()` says where.
 */
export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
    private readonly now: () => number,
  ) {}

  /** Appends an entry inside the caller's transaction: it exists only if the change commits. */
  async record(tx: Tx, entry: AuditEntry): Promise<{ seq: number; hash: string }> {
    return (await this.recordMany(tx, [entry]))[0]!;
  }

  /**
   * Records several entries in one go (a sweep escalating thousands of cases): the head is read
   * once, the chain is hashed in memory in order, and the rows go in as multi-row inserts.
   */
  async recordMany(tx: Tx, entries: AuditEntry[]): Promise<Array<{ seq: number; hash: string }>> {
    if (!entries.length) return [];
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(tx);
    const head = await tx.selectFrom('platform_audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
    let seq = Number(head?.seq ?? 0);
    let prev = head?.hash ?? GENESIS;
    const rows: AuditRow[] = [];
    for (const entry of entries) {
      seq++;
      const row: Omit<AuditRow, 'hash'> = {
        seq,
        at: this.now(),
        actor_id: entry.actorId,
        actor_kind: entry.actorKind ?? (entry.actorId ? 'account' : 'system'),
        action: entry.action,
        subject_type: entry.subjectType,
        subject_id: entry.subjectId,
        jurisdiction_code: entry.jurisdictionCode ?? null,
        detail: toJson(entry.detail ?? {}),
        prev_hash: prev,
      };
      prev = entryHash(row);
      rows.push({ ...row, hash: prev });
    }
    for (let i = 0; i < rows.length; i += 500) await tx.insertInto('platform_audit').values(rows.slice(i, i + 500)).execute();
    if (head) await tx.updateTable('platform_audit_head').set({ seq, hash: prev }).where('id', '=', 1).execute();
    else await tx.insertInto('platform_audit_head').values({ id: 1, seq, hash: prev }).execute();
    return rows.map((r) => ({ seq: r.seq, hash: r.hash }));
  }

  /**
   * Walks the chain up to the head as it stood when the walk began, so entries committed while it
   * runs (a live server) are not mistaken for tampering; returns every break found (empty = intact).
   */
  async verify(onProgress: (checked: number, total: number) => void = () => {}): Promise<AuditVerification> {
    const head = await this.readHead();
    const upTo = head?.seq ?? Number.MAX_SAFE_INTEGER;
    const total = Number(
      (await this.db.selectFrom('platform_audit').select((eb) => eb.fn.countAll<number>().as('n')).where('seq', '<=', upTo).executeTakeFirst())?.n ?? 0,
    );
    const problems: AuditProblem[] = [];
    let expectedSeq = 1;
    let prevHash = GENESIS;
    let checked = 0;
    let after = 0;
    for (;;) {
      const page = await this.db.selectFrom('platform_audit').selectAll().where('seq', '>', after).where('seq', '<=', upTo).orderBy('seq').limit(5000).execute();
      if (page.length === 0) break;
      for (const r of page) {
        const seq = Number(r.seq);
        if (seq !== expectedSeq) {
          const gap = seq - 1 === expectedSeq ? `entry ${expectedSeq} is` : `entries ${expectedSeq}…${seq - 1} are`;
          problems.push({ seq: expectedSeq, problem: `${gap} missing (deleted)` });
        }
        if (r.prev_hash !== prevHash) problems.push({ seq, problem: 'prev_hash does not match the entry before it (an earlier entry was changed or removed)' });
        if (entryHash(r) !== r.hash) problems.push({ seq, problem: 'content does not match its hash (the entry was edited)' });
        prevHash = r.hash;
        expectedSeq = seq + 1;
        after = seq;
        checked++;
      }
      onProgress(checked, total);
    }
    if (head && (head.seq !== expectedSeq - 1 || head.hash !== prevHash)) {
      problems.push({ seq: head.seq, problem: `the log ends at entry ${expectedSeq - 1} but the head says ${head.seq}: entries at the end were removed or changed` });
    }
    if (!head && checked > 0) problems.push({ seq: 0, problem: 'the head record is missing' });
    // Entries past the head that the head never caught up with: the head was moved back.
    const now = await this.readHead();
    const last = Number((await this.db.selectFrom('platform_audit').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst())?.m ?? 0);
    if (now && last > now.seq) problems.push({ seq: now.seq + 1, problem: `entries after the head (${now.seq + 1}…${last}) exist: the head was changed` });
    return { checked, problems, head };
  }

  private async readHead(): Promise<{ seq: number; hash: string } | null> {
    const h = await this.db.selectFrom('platform_audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
    return h ? { seq: Number(h.seq), hash: h.hash } : null;
  }

  /** Entries about one subject, newest first (for history views). */
  async forSubject(subjectType: string, subjectId: string, limit = 100): Promise<AuditRow[]> {
    const rows = await this.db
      .selectFrom('platform_audit')
      .selectAll()
      .where('subject_type', '=', subjectType)
      .where('subject_id', '=', subjectId)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...r, seq: Number(r.seq), at: Number(r.at), detail: fromJson(r.detail) }));
  }
}

import { sql } from 'kysely';
import type { Dialect, Executor } from '../platform/db/database.ts';
import { boolValue, fromJson, toBool, toJson } from '../platform/db/dialect.ts';
import type { DeliveryAttemptRow, DeliveryRow, DeliveryStatus, MessageRow, PreferenceRow } from './notify.schema.ts';
import type { Topic } from './topics.ts';

export type NewMessage = Omit<MessageRow, 'seq' | 'read_at'>;

export interface InboxFilter {
  topic?: Topic;
  unread?: boolean;
  /** Only messages older than this seq (the page cursor). */
  beforeSeq?: number;
  limit: number;
}

/** Preferences as the service works with them. */
export interface PreferenceRecord {
  accountId: string;
  /** topic → channels besides the inbox. */
  channels: Partial<Record<Topic, string[]>>;
  webhookUrl: string | null;
  webhookSecret: string | null;
}

const message = (r: MessageRow): MessageRow => ({
  ...r,
  seq: Number(r.seq),
  created_at: Number(r.created_at),
  read_at: r.read_at === null ? null : Number(r.read_at),
});

const delivery = (r: DeliveryRow): DeliveryRow => ({
  ...r,
  attempts: Number(r.attempts),
  next_attempt_at: r.next_attempt_at === null ? null : Number(r.next_attempt_at),
  claimed_until: r.claimed_until === null ? null : Number(r.claimed_until),
  created_at: Number(r.created_at),
  updated_at: Number(r.updated_at),
  delivered_at: r.delivered_at === null ? null : Number(r.delivered_at),
});

/** All SQL of the notify module. */
export class NotifyStore {
  constructor(private readonly dialect: Dialect) {}

  /** Inserts messages; a (recipient, dedupe key) already present is skipped. Returns the ids inserted. */
  async insertMessages(db: Executor, rows: NewMessage[]): Promise<Set<string>> {
    const inserted = new Set<string>();
    // Chunks keep each statement well under SQLite's and PostgreSQL's parameter limits.
    for (let i = 0; i < rows.length; i += 500) {
      const got = await db
        .insertInto('notify_message')
        .values(rows.slice(i, i + 500).map((r) => ({ ...r, read_at: null })) as never)
        .onConflict((oc) => oc.columns(['recipient_id', 'dedupe_key']).doNothing())
        .returning('id')
        .execute();
      for (const r of got) inserted.add(r.id);
    }
    return inserted;
  }

  /** Ids of messages already sent under these (recipient, dedupe key) pairs. */
  async idsByDedupeKey(db: Executor, pairs: Array<{ recipientId: string; dedupeKey: string }>): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < pairs.length; i += 200) {
      const chunk = pairs.slice(i, i + 200);
      const rows = await db
        .selectFrom('notify_message')
        .select(['id', 'recipient_id', 'dedupe_key'])
        .where((eb) => eb.or(chunk.map((p) => eb.and([eb('recipient_id', '=', p.recipientId), eb('dedupe_key', '=', p.dedupeKey)]))))
        .execute();
      for (const r of rows) out.set(`${r.recipient_id}\0${r.dedupe_key}`, r.id);
    }
    return out;
  }

  async findMessage(db: Executor, id: string): Promise<MessageRow | undefined> {
    const r = await db.selectFrom('notify_message').selectAll().where('id', '=', id).executeTakeFirst();
    return r && message(r);
  }

  /** One page of an inbox, newest first; asks for one more than `limit` so the caller knows if more follow. */
  async inbox(db: Executor, recipientId: string, f: InboxFilter): Promise<MessageRow[]> {
    let q = db.selectFrom('notify_message').selectAll().where('recipient_id', '=', recipientId);
    if (f.topic) q = q.where('topic', '=', f.topic);
    if (f.unread) q = q.where('read_at', 'is', null);
    if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
    const rows = await q.orderBy('seq', 'desc').limit(f.limit + 1).execute();
    return rows.map(message);
  }

  async unreadByTopic(db: Executor, recipientId: string): Promise<Map<Topic, number>> {
    const rows = await db
      .selectFrom('notify_message')
      .select(['topic', (eb) => eb.fn.countAll<number>().as('n')])
      .where('recipient_id', '=', recipientId)
      .where('read_at', 'is', null)
      .groupBy('topic')
      .execute();
    return new Map(rows.map((r) => [r.topic, Number(r.n)]));
  }

  /** Marks one message read (keeping the first time it was read); returns it, or undefined if not theirs. */
  async markRead(db: Executor, recipientId: string, id: string, at: number): Promise<MessageRow | undefined> {
    await db.updateTable('notify_message').set({ read_at: at }).where('id', '=', id).where('recipient_id', '=', recipientId).where('read_at', 'is', null).execute();
    const r = await db.selectFrom('notify_message').selectAll().where('id', '=', id).where('recipient_id', '=', recipientId).executeTakeFirst();
    return r && message(r);
  }

  async markAllRead(db: Executor, recipientId: string, topic: Topic | undefined, at: number): Promise<number> {
    let q = db.updateTable('notify_message').set({ read_at: at }).where('recipient_id', '=', recipientId).where('read_at', 'is', null);
    if (topic) q = q.where('topic', '=', topic);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** A person's preferences; `lock` holds the row (PostgreSQL) until the caller's transaction ends. */
  async preference(db: Executor, accountId: string, lock = false): Promise<PreferenceRecord> {
    let q = db.selectFrom('notify_preference').selectAll().where('account_id', '=', accountId);
    if (lock && this.dialect === 'postgres') q = q.forUpdate();
    const r = await q.executeTakeFirst();
    return {
      accountId,
      channels: r ? fromJson<PreferenceRecord['channels']>(r.channels) : {},
      webhookUrl: r?.webhook_url ?? null,
      webhookSecret: r?.webhook_secret ?? null,
    };
  }

  async savePreference(db: Executor, p: PreferenceRecord, at: number): Promise<void> {
    const values: PreferenceRow = { account_id: p.accountId, channels: toJson(p.channels), webhook_url: p.webhookUrl, webhook_secret: p.webhookSecret, updated_at: at };
    await db
      .insertInto('notify_preference')
      .values(values)
      .onConflict((oc) => oc.column('account_id').doUpdateSet({ channels: values.channels, webhook_url: values.webhook_url, webhook_secret: values.webhook_secret, updated_at: at }))
      .execute();
  }

  /** Adds deliveries; one already present for (message, channel) is left as it is. */
  async insertDeliveries(db: Executor, rows: DeliveryRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const r = await db
      .insertInto('notify_delivery')
      .values(rows)
      .onConflict((oc) => oc.columns(['message_id', 'channel']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0);
  }

  /**
   * Claims up to `limit` deliveries that are due and not held by another worker, in one statement
   * (atomic in SQLite; PostgreSQL skips rows another process has locked).
   */
  async claimDue(db: Executor, now: number, claimUntil: number, limit: number): Promise<DeliveryRow[]> {
    const rows = await db
      .updateTable('notify_delivery')
      .set({ claimed_until: claimUntil })
      .where((eb) => {
        let due = eb
          .selectFrom('notify_delivery')
          .select('id')
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<', now)]))
          .orderBy('next_attempt_at')
          .limit(limit);
        if (this.dialect === 'postgres') due = due.forUpdate().skipLocked();
        return eb('id', 'in', due);
      })
      .returningAll()
      .execute();
    return rows.map(delivery);
  }

  /** Records one attempt and the delivery's new state together. */
  async recordAttempt(
    db: Executor,
    attempt: DeliveryAttemptRow,
    next: { status: DeliveryStatus; nextAttemptAt: number | null; lastError: string | null; deliveredAt: number | null },
  ): Promise<void> {
    await db.insertInto('notify_delivery_attempt').values({ ...attempt, ok: boolValue(this.dialect, toBool(attempt.ok)) }).execute();
    await db
      .updateTable('notify_delivery')
      .set({
        status: next.status,
        attempts: attempt.attempt,
        next_attempt_at: next.nextAttemptAt,
        last_error: next.lastError,
        delivered_at: next.deliveredAt,
        claimed_until: null,
        updated_at: attempt.at,
      })
      .where('id', '=', attempt.delivery_id)
      .execute();
  }

  /** Ends a delivery without an attempt (the person turned the channel off meanwhile). */
  async cancelDelivery(db: Executor, id: string, reason: string, at: number): Promise<void> {
    await db.updateTable('notify_delivery').set({ status: 'cancelled', last_error: reason, next_attempt_at: null, claimed_until: null, updated_at: at }).where('id', '=', id).execute();
  }

  async deliveriesOf(db: Executor, messageId: string): Promise<DeliveryRow[]> {
    const rows = await db.selectFrom('notify_delivery').selectAll().where('message_id', '=', messageId).orderBy('channel').execute();
    return rows.map(delivery);
  }

  async attemptsOf(db: Executor, deliveryId: string): Promise<DeliveryAttemptRow[]> {
    const rows = await db.selectFrom('notify_delivery_attempt').selectAll().where('delivery_id', '=', deliveryId).orderBy('attempt').execute();
    return rows.map((r) => ({ ...r, at: Number(r.at), ok: toBool(r.ok), attempt: Number(r.attempt), duration_ms: Number(r.duration_ms) }));
  }
}

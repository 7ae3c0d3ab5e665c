import { authorize, type Principal } from '../platform/access.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/database.ts';
import { AppError, invalid } from '../platform/errors.ts';
import type { DeliverableMessage, DeliveryDispatcher } from './delivery.ts';
import type { ListQuery, ListReply, MessageRow, MessageView, PreferencesUpdate, PreferencesView, SendBody } from './notify.schema.ts';
import type { NewMessage, NotifyStore, PreferenceRecord } from './notify.store.ts';
import { TOPICS, TOPIC_LABELS, isTopic, type Topic } from './topics.ts';
import { newWebhookSecret, validateWebhookUrl, type WebhookOptions } from './webhook.ts';

/** What another module says when it tells someone something. */
export interface SendInput {
  recipientId: string;
  topic: Topic;
  /** Short, shown in lists and push titles (≤ 200 characters). */
  title: string;
  /** Plain text (≤ 5,000 characters); clients render it as text, never as HTML. */
  body: string;
  /** Where the message leads: an app path (`/portal/applications/…`) or an http(s) URL. */
  link?: string | null;
  /** The record it is about, so a client can show it in context. */
  subject?: { type: string; id: string } | null;
  /**
   * Makes sending idempotent: a second message with the same key to the same person is not
   * created (for senders that may run twice, such as event subscribers and timers).
   */
  dedupeKey?: string | null;
  /** The account that sent it (officials through the API); null for the system. */
  senderId?: string | null;
}

export interface SendResult {
  id: string;
  /** False when an earlier message with the same dedupe key already existed. */
  created: boolean;
}

/** Looks up whether an account exists; provided by the org module when it is present. */
export type AccountExists = (accountId: string) => Promise<boolean>;

const MAX_TITLE = 200;
const MAX_BODY = 5000;

function toView(r: MessageRow): MessageView {
  return {
    id: r.id,
    topic: r.topic,
    title: r.title,
    body: r.body,
    link: r.link,
    subject: r.subject_type && r.subject_id ? { type: r.subject_type, id: r.subject_id } : null,
    createdAt: r.created_at,
    readAt: r.read_at,
  };
}

const encodeCursor = (seq: number) => Buffer.from(`m${seq}`).toString('base64url');
function decodeCursor(cursor: string): number {
  const m = /^m(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw invalid('cursor', 'is not a cursor this server gave out');
  return Number(m[1]);
}

/** Checks one message before it is stored; throws FIELD_INVALID naming the field. */
function validate(m: SendInput): void {
  if (typeof m.recipientId !== 'string' || !m.recipientId.trim() || m.recipientId.length > 64) throw invalid('recipientId', 'must be an account id');
  if (!isTopic(m.topic)) throw invalid('topic', `must be one of ${TOPICS.join(', ')}`);
  if (!m.title?.trim() || m.title.length > MAX_TITLE) throw invalid('title', `must be 1 to ${MAX_TITLE} characters`);
  if (!m.body?.trim() || m.body.length > MAX_BODY) throw invalid('body', `must be 1 to ${MAX_BODY} characters`);
  if (m.link != null) {
    const ok = m.link.length <= 500 && (/^\/(?!\/)/.test(m.link) || /^https?:\/\/[^\s]+$/i.test(m.link));
    if (!ok) throw invalid('link', 'must be an app path starting with / or an http(s) URL');
  }
  if (m.dedupeKey != null && (m.dedupeKey.length === 0 || m.dedupeKey.length > 200)) throw invalid('dedupeKey', 'must be 1 to 200 characters');
}

/**
 * The message centre. Other modules call `send`/`sendMany`, inside their own transaction when the
 * message belongs to a change (it then exists exactly when the change commits). People read their
 * inbox and set their preferences through the access-checked methods the routes call.
 */
export class NotifyService {
  private accountExists: AccountExists | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly store: NotifyStore,
    readonly deliveries: DeliveryDispatcher,
    private readonly webhook: WebhookOptions = {},
  ) {}

  /** Lets the org module (or a test) say which recipient ids are real accounts. */
  useAccountCheck(fn: AccountExists | null): void {
    this.accountExists = fn;
  }

  /** Sends one message; pass the caller's transaction (or null to run in one of its own). */
  async send(tx: Tx | null, input: SendInput): Promise<SendResult> {
    return (await this.sendMany(tx, [input]))[0];
  }

  /** Sends several messages in one transaction; results are in input order. */
  async sendMany(tx: Tx | null, inputs: SendInput[]): Promise<SendResult[]> {
    inputs.forEach(validate);
    if (inputs.length === 0) return [];
    if (!tx) return this.ctx.transaction((t) => this.sendMany(t, inputs));
    const now = this.ctx.clock.now();
    const rows: NewMessage[] = inputs.map((m) => ({
      id: this.ctx.random.uuid(),
      recipient_id: m.recipientId,
      topic: m.topic,
      title: m.title,
      body: m.body,
      link: m.link ?? null,
      subject_type: m.subject?.type ?? null,
      subject_id: m.subject?.id ?? null,
      dedupe_key: m.dedupeKey ?? null,
      sender_id: m.senderId ?? null,
      created_at: now,
    }));
    const inserted = await this.store.insertMessages(tx, rows);
    const skipped = rows.filter((r) => !inserted.has(r.id) && r.dedupe_key !== null);
    const existing = skipped.length ? await this.store.idsByDedupeKey(tx, skipped.map((r) => ({ recipientId: r.recipient_id, dedupeKey: r.dedupe_key! }))) : new Map<string, string>();
    for (const r of rows) {
      if (inserted.has(r.id)) await this.ctx.outbox.add(tx, 'notify.message.created', { v: 1, messageId: r.id, recipientId: r.recipient_id, topic: r.topic });
    }
    return rows.map((r) => (inserted.has(r.id) ? { id: r.id, created: true } : { id: existing.get(`${r.recipient_id}\0${r.dedupe_key}`) ?? r.id, created: false }));
  }

  /** An official (notify.send) sends a message to an account; audited. */
  async sendAs(p: Principal | null, body: SendBody): Promise<SendResult> {
    authorize(p, 'notify.send');
    if (this.accountExists && !(await this.accountExists(body.recipientId))) throw new AppError('ACCOUNT_NOT_FOUND', `No account ${body.recipientId}`, 'recipientId');
    return this.ctx.transaction(async (tx) => {
      const result = await this.send(tx, { ...body, senderId: p.accountId });
      await this.ctx.audit.record(tx, {
        actorId: p.accountId,
        action: 'notify.message.sent',
        subjectType: 'notify_message',
        subjectId: result.id,
        detail: { recipientId: body.recipientId, topic: body.topic, title: body.title },
      });
      return result;
    });
  }

  /** The caller's inbox: a page of messages and unread counts per topic. Inboxes are personal for every role. */
  async list(p: Principal | null, q: ListQuery): Promise<ListReply> {
    const me = this.owner(p);
    const limit = q.limit ?? 20;
    const rows = await this.store.inbox(this.ctx.db, me, { topic: q.topic, unread: q.unread, beforeSeq: q.cursor ? decodeCursor(q.cursor) : undefined, limit });
    const page = rows.slice(0, limit);
    const unread = await this.store.unreadByTopic(this.ctx.db, me);
    const unreadByTopic = Object.fromEntries(TOPICS.map((t) => [t, unread.get(t) ?? 0]));
    return {
      items: page.map(toView),
      unreadByTopic,
      unreadTotal: Object.values(unreadByTopic).reduce((a, b) => a + b, 0),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].seq) : null,
    };
  }

  /** One of the caller's messages. Someone else's is reported as not found, not as forbidden. */
  async get(p: Principal | null, id: string): Promise<MessageView> {
    const me = this.owner(p);
    const r = await this.store.findMessage(this.ctx.db, id);
    if (!r || r.recipient_id !== me) throw new AppError('MESSAGE_NOT_FOUND', `No message ${id} in your inbox`);
    return toView(r);
  }

  async markRead(p: Principal | null, id: string): Promise<MessageView> {
    const me = this.owner(p);
    const r = await this.store.markRead(this.ctx.db, me, id, this.ctx.clock.now());
    if (!r) throw new AppError('MESSAGE_NOT_FOUND', `No message ${id} in your inbox`);
    return toView(r);
  }

  async markAllRead(p: Principal | null, topic?: Topic): Promise<{ updated: number }> {
    const me = this.owner(p);
    return { updated: await this.store.markAllRead(this.ctx.db, me, topic, this.ctx.clock.now()) };
  }

  topics() {
    return { items: TOPICS.map((topic) => ({ topic, label: TOPIC_LABELS[topic] })), channels: this.deliveries.channels() };
  }

  async preferences(p: Principal | null): Promise<PreferencesView> {
    return this.prefView(await this.store.preference(this.ctx.db, this.owner(p)));
  }

  /** Changes the caller's preferences; turning a channel on needs that channel set up (a webhook URL). */
  async updatePreferences(p: Principal | null, u: PreferencesUpdate): Promise<PreferencesView> {
    const me = this.owner(p);
    return this.ctx.transaction(async (tx) => {
      const pref = await this.store.preference(tx, me);
      const channels = this.deliveries.channels();
      if (u.webhook) {
        pref.webhookUrl = u.webhook.url === null || u.webhook.url.trim() === '' ? null : validateWebhookUrl(u.webhook.url, this.webhook);
        if (pref.webhookUrl && !pref.webhookSecret) pref.webhookSecret = newWebhookSecret();
      }
      if (u.rotateWebhookSecret) pref.webhookSecret = newWebhookSecret();
      for (const [topic, settings] of Object.entries(u.topics ?? {})) {
        if (!isTopic(topic)) throw invalid(`topics.${topic}`, `is not a topic; topics are ${TOPICS.join(', ')}`);
        const on = new Set(pref.channels[topic] ?? []);
        for (const [channel, enabled] of Object.entries(settings)) {
          if (channel === 'inbox') {
            if (enabled !== true) throw invalid(`topics.${topic}.inbox`, 'is always on: every message stays in the in-app inbox');
            continue;
          }
          if (!channels.includes(channel)) throw invalid(`topics.${topic}.${channel}`, `is not a channel; channels are inbox, ${channels.join(', ')}`);
          if (enabled) on.add(channel);
          else on.delete(channel);
        }
        pref.channels[topic] = [...on].sort();
      }
      for (const [topic, on] of Object.entries(pref.channels)) {
        if (on?.includes('webhook') && !pref.webhookUrl) throw invalid(`topics.${topic}.webhook`, 'needs a webhook URL (webhook.url) first');
      }
      await this.store.savePreference(tx, pref, this.ctx.clock.now());
      return this.prefView(pref);
    });
  }

  /** A message as delivery adapters see it (null if it does not exist). */
  async deliverable(messageId: string): Promise<DeliverableMessage | null> {
    const r = await this.store.findMessage(this.ctx.db, messageId);
    return r ? { ...toView(r), recipientId: r.recipient_id } : null;
  }

  /** The deliveries of one message with their attempts (operators, tests). */
  async deliveryLog(messageId: string) {
    const deliveries = await this.store.deliveriesOf(this.ctx.db, messageId);
    return Promise.all(deliveries.map(async (d) => ({ ...d, attemptLog: await this.store.attemptsOf(this.ctx.db, d.id) })));
  }

  private prefView(pref: PreferenceRecord): PreferencesView {
    const channels = this.deliveries.channels();
    const topics: PreferencesView['topics'] = {};
    for (const t of TOPICS) {
      topics[t] = { inbox: true };
      for (const c of channels) topics[t][c] = (pref.channels[t] ?? []).includes(c);
    }
    return { topics, webhook: { url: pref.webhookUrl, secret: pref.webhookSecret } };
  }

  /** The inbox a principal may read: their own, whatever their role. */
  private owner(p: Principal | null): string {
    authorize(p, 'notify.read_own');
    return p.accountId;
  }
}

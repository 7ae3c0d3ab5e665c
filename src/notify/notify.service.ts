import { BAD_TEXT } from '../platform/http/text-guard.ts';
import { authorize, type Principal, UNSCOPED } from '../platform/access.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/database.ts';
import { AppError, invalid } from '../platform/errors.ts';
import type { DeliverableMessage, DeliveryDispatcher } from './delivery.ts';
import type { ListQuery, ListReply, MessageRow, MessageView, PreferencesUpdate, PreferencesView, SendBody } from './notify.schema.ts';
import type { NewMessage, NotifyStore, PreferenceRecord } from './notify.store.ts';
import { TOPICS, TOPIC_LABELS, isTopic, type Topic } from './topics.ts';
import type { PreferenceChange } from './notify.events.ts';
import { newWebhookSecret, validateWebhookUrl, webhookHost, type WebhookOptions } from './webhook.ts';

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

/**
 * Where an account belongs — a staff account's scope, the city for citizens and companies — or null
 * when there is no such account. Provided by the org module when it is present.
 */
export type RecipientLookup = (accountId: string) => Promise<{ jurisdictionCode: string } | null>;

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
// NUL cannot be stored in PostgreSQL text and a lone UTF-16 surrogate is not a character: refused
// here too, because modules call `send` without going through HTTP's check.

/**
 * An app path: one leading `/` and no character a browser would turn into another origin (`//`,
 * a backslash, which browsers read as `/`, or tabs and newlines, which URL parsing drops).
 */
const APP_PATH = /^\/(?![/\\])[^\\\u0000-\u0020\u007f]*$/;

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
    const ok = m.link.length <= 500 && (APP_PATH.test(m.link) || /^https?:\/\/[^\s\\]+$/i.test(m.link));
    if (!ok) throw invalid('link', 'must be an app path starting with / or an http(s) URL');
  }
  if (m.subject != null) {
    if (!m.subject.type || m.subject.type.length > 64) throw invalid('subject.type', 'must be 1 to 64 characters');
    if (!m.subject.id || m.subject.id.length > 128) throw invalid('subject.id', 'must be 1 to 128 characters');
  }
  if (m.dedupeKey != null && (m.dedupeKey.length === 0 || m.dedupeKey.length > 200)) throw invalid('dedupeKey', 'must be 1 to 200 characters');
  const texts = { title: m.title, body: m.body, link: m.link, 'subject.type': m.subject?.type, 'subject.id': m.subject?.id, dedupeKey: m.dedupeKey };
  for (const [field, text] of Object.entries(texts)) {
    if (text != null && BAD_TEXT.test(text)) throw invalid(field, 'must not contain NUL characters or unpaired surrogates');
  }
}

/** The one answer for "no such account" and "not yours to message", so ids cannot be probed. */
const notYours = (id: string) => new AppError('SCOPE_FORBIDDEN', `recipientId ${id} names no account inside your jurisdiction`, 'recipientId');

/**
 * The message centre. Other modules call `send`/`sendMany`, inside their own transaction when the
 * message belongs to a change (it then exists exactly when the change commits). People read their
 * inbox and set their preferences through the access-checked methods the routes call.
 */
export class NotifyService {
  private recipients: RecipientLookup | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly store: NotifyStore,
    readonly deliveries: DeliveryDispatcher,
    private readonly webhook: WebhookOptions = {},
  ) {}

  /** Lets the org module (or a test) say which accounts exist and where they belong. */
  useRecipientLookup(fn: RecipientLookup | null): void {
    this.recipients = fn;
  }

  /** Sends one message; pass the caller's transaction (or null to run in one of its own). */
  async send(tx: Tx | null, input: SendInput): Promise<SendResult> {
    return (await this.sendMany(tx, [input]))[0];
  }

  /** Sends several messages in one transaction; results are in input order. */
  async sendMany(tx: Tx | null, inputs: SendInput[]): Promise<SendResult[]> {
    inputs.forEach(validate);
    if (inputs.length === 0) return [];
    return tx ? this.insertMessages(tx, inputs) : this.ctx.transaction((t) => this.insertMessages(t, inputs));
  }

  /** Writes validated messages and their events in the given transaction. */
  private async insertMessages(tx: Tx, inputs: SendInput[]): Promise<SendResult[]> {
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

  /**
   * An official (notify.send) sends a free-form message to an account inside their jurisdiction
   * scope; audited. Citizens and companies belong to the city, so only city-wide officials reach
   * them this way (modules tell them about their own cases and applications through `send`).
   * Only app paths may be linked: a message from "the government" must not lead off the site.
   */
  async sendAs(p: Principal | null, body: SendBody): Promise<SendResult> {
    // The role first, on its own: someone who may not send learns nothing about recipients.
    authorize(p, 'notify.send', UNSCOPED);
    if (body.link != null && !APP_PATH.test(body.link)) throw invalid('link', 'must be a path in this app starting with a single / (messages from officials cannot link to other sites)');
    const recipient = this.recipients ? await this.recipients(body.recipientId) : null;
    if (!recipient) throw notYours(body.recipientId);
    try {
      authorize(p, 'notify.send', { jurisdictionCode: recipient.jurisdictionCode });
    } catch (err) {
      if (err instanceof AppError && err.code === 'SCOPE_FORBIDDEN') throw notYours(body.recipientId);
      throw err;
    }
    return this.ctx.transaction(async (tx) => {
      const result = await this.send(tx, { ...body, senderId: p.accountId });
      await this.ctx.audit.record(tx, {
        actorId: p.accountId,
        action: 'notify.message.sent',
        subjectType: 'notify_message',
        subjectId: result.id,
        jurisdictionCode: recipient.jurisdictionCode,
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

  /** The caller's preferences; the signing secret itself is never in this reply, only whether it is set. */
  async preferences(p: Principal | null): Promise<PreferencesView> {
    return this.prefView(await this.store.preference(this.ctx.db, this.owner(p)));
  }

  /**
   * Changes the caller's preferences; turning a channel on needs that channel set up (a webhook URL).
   * A first webhook URL creates the signing secret, shown in this reply only. Where messages go is
   * as sensitive as the messages: changing the URL needs a signed-in session, is audited, and the
   * person is told in their inbox.
   */
  async updatePreferences(p: Principal | null, u: PreferencesUpdate): Promise<PreferencesView> {
    const me = this.owner(p);
    if (u.webhook) this.requireSession(p, 'change your webhook');
    return this.ctx.transaction(async (tx) => {
      const pref = await this.store.preference(tx, me, true);
      const before = { url: pref.webhookUrl, channels: JSON.stringify(this.sortedChannels(pref.channels)) };
      const channels = this.deliveries.channels();
      let revealed: string | undefined;
      if (u.webhook) {
        pref.webhookUrl = u.webhook.url === null || u.webhook.url.trim() === '' ? null : validateWebhookUrl(u.webhook.url, this.webhook);
        if (!pref.webhookUrl) pref.webhookSecret = null;
        else if (!pref.webhookSecret) revealed = pref.webhookSecret = newWebhookSecret();
      }
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
      pref.channels = this.sortedChannels(pref.channels);
      const changed: PreferenceChange[] = [];
      if (JSON.stringify(pref.channels) !== before.channels) changed.push('channels');
      if (pref.webhookUrl !== before.url) changed.push('webhookUrl');
      if (revealed) changed.push('webhookSecret');
      if (changed.length === 0) return this.prefView(pref);
      await this.store.savePreference(tx, pref, this.ctx.clock.now());
      await this.recordPreferenceChange(tx, me, pref, changed);
      if (pref.webhookUrl !== before.url) await this.send(tx, webhookNotice(me, before.url, pref.webhookUrl));
      return this.prefView(pref, revealed);
    });
  }

  /**
   * Replaces the caller's webhook signing secret and shows the new one, once. Needs a signed-in
   * session: an API token may neither read nor replace the key that proves messages are genuine.
   */
  async rotateWebhookSecret(p: Principal | null): Promise<PreferencesView> {
    const me = this.owner(p);
    this.requireSession(p, 'see or replace your webhook signing secret');
    return this.ctx.transaction(async (tx) => {
      const pref = await this.store.preference(tx, me, true);
      if (!pref.webhookUrl) throw invalid('webhook.url', 'must be set before there is a signing secret to replace');
      const secret = (pref.webhookSecret = newWebhookSecret());
      await this.store.savePreference(tx, pref, this.ctx.clock.now());
      await this.recordPreferenceChange(tx, me, pref, ['webhookSecret']);
      await this.send(tx, {
        recipientId: me,
        topic: 'account',
        title: '消息推送签名密钥已更换',
        body: `您的消息推送（Webhook）签名密钥已更换，发往 ${webhookHost(pref.webhookUrl)} 的请求将使用新密钥签名。如果这不是您本人的操作，请立即修改密码。`,
        link: MESSAGE_SETTINGS,
      });
      return this.prefView(pref, secret);
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

  /** The reply shape; `revealedSecret` only from the call that just made it. */
  private prefView(pref: PreferenceRecord, revealedSecret?: string): PreferencesView {
    const channels = this.deliveries.channels();
    const topics: PreferencesView['topics'] = {};
    for (const t of TOPICS) {
      topics[t] = { inbox: true };
      for (const c of channels) topics[t][c] = (pref.channels[t] ?? []).includes(c);
    }
    const webhook: PreferencesView['webhook'] = { url: pref.webhookUrl, secretSet: pref.webhookSecret !== null };
    if (revealedSecret) webhook.secret = revealedSecret;
    return { topics, webhook };
  }

  /** Topics in a fixed order with their channel lists, empty lists left out, so changes compare as text. */
  private sortedChannels(channels: PreferenceRecord['channels']): PreferenceRecord['channels'] {
    const out: PreferenceRecord['channels'] = {};
    for (const t of TOPICS) if (channels[t]?.length) out[t] = [...channels[t]].sort();
    return out;
  }

  /** The audit entry and the event of a preferences change, in the change's transaction. */
  private async recordPreferenceChange(tx: Tx, accountId: string, pref: PreferenceRecord, changed: PreferenceChange[]): Promise<void> {
    const webhookHostNow = webhookHost(pref.webhookUrl);
    await this.ctx.audit.record(tx, {
      actorId: accountId,
      action: 'notify.preferences.updated',
      subjectType: 'account',
      subjectId: accountId,
      detail: { changed, webhookHost: webhookHostNow, channels: pref.channels },
    });
    await this.ctx.outbox.add(tx, 'notify.preferences.updated', { v: 1, accountId, changed, webhookHost: webhookHostNow, channels: pref.channels });
  }

  /** Refuses API tokens for what only the person, signed in, may do. */
  private requireSession(p: Principal | null, what: string): void {
    if (p?.via !== 'session') throw new AppError('SESSION_REQUIRED', `Sign in to ${what}; an API token cannot`);
  }

  /** The inbox a principal may read: their own, whatever their role. */
  private owner(p: Principal | null): string {
    authorize(p, 'notify.read_own', UNSCOPED);
    return p.accountId;
  }
}

/** Where a person manages their message settings (the portal's messages screen). */
const MESSAGE_SETTINGS = '/portal/messages';

/** The inbox notice for a changed webhook URL, so that a change the person did not make gets noticed. */
function webhookNotice(recipientId: string, before: string | null, after: string | null): SendInput {
  const notice = { recipientId, topic: 'account' as const, link: MESSAGE_SETTINGS };
  const unexpected = '如果这不是您本人的操作，请立即修改密码并检查消息设置。';
  if (after === null) {
    return { ...notice, title: '消息推送地址已删除', body: `您的消息不再发送到 ${webhookHost(before)}，仍会保存在站内消息中。${unexpected}` };
  }
  return { ...notice, title: '消息推送地址已更改', body: `您的消息现在也会发送到 ${webhookHost(after)}（您设置的 Webhook 地址）。${unexpected}` };
}

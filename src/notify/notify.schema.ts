import { Type, type Static, type TSchema } from 'typebox';
import { TOPICS, type Topic } from './topics.ts';

declare module '../platform/db/tables.ts' {
  interface Tables {
    notify_message: MessageRow;
    notify_preference: PreferenceRow;
    notify_delivery: DeliveryRow;
    notify_delivery_attempt: DeliveryAttemptRow;
  }
}

/** One message in one person's inbox. `seq` orders the inbox; `id` is what clients see. */
export interface MessageRow {
  seq: number;
  id: string;
  recipient_id: string;
  topic: Topic;
  title: string;
  body: string;
  link: string | null;
  subject_type: string | null;
  subject_id: string | null;
  /** Set by senders that may repeat themselves: one message per (recipient, key). */
  dedupe_key: string | null;
  sender_id: string | null;
  created_at: number;
  read_at: number | null;
}

/** A person's delivery preferences; no row means the defaults (inbox only). */
export interface PreferenceRow {
  account_id: string;
  /** JSON `{ [topic]: channel[] }`: the channels besides the inbox that each topic goes to. */
  channels: unknown;
  webhook_url: string | null;
  /** HMAC-SHA256 key for this person's webhook signatures. */
  webhook_secret: string | null;
  updated_at: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

/** One message on one channel, with its retry state. */
export interface DeliveryRow {
  id: string;
  message_id: string;
  recipient_id: string;
  channel: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number | null;
  claimed_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
}

/** Each try of a delivery, kept so a person or an operator can see what the other end answered. */
export interface DeliveryAttemptRow {
  delivery_id: string;
  attempt: number;
  at: number;
  ok: number | boolean;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

// ---- API shapes -------------------------------------------------------------------------------

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const TopicSchema = Type.Union(
  [Type.Literal('account'), Type.Literal('application'), Type.Literal('case'), Type.Literal('alert'), Type.Literal('consultation'), Type.Literal('system')],
  { description: TOPICS.join(' | ') },
);
// The schema and TOPICS must name the same topics; this fails to compile when they drift apart.
type SameTopics<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const topicsAgree: SameTopics<Static<typeof TopicSchema>, Topic> = true;
void topicsAgree;

export const SubjectSchema = Type.Object({ type: Type.String({ minLength: 1, maxLength: 64 }), id: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false });

export const MessageSchema = Type.Object({
  id: Type.String(),
  topic: TopicSchema,
  title: Type.String(),
  body: Type.String(),
  link: Nullable(Type.String()),
  subject: Nullable(SubjectSchema),
  createdAt: Type.Integer({ description: 'epoch milliseconds' }),
  readAt: Nullable(Type.Integer()),
});
export type MessageView = Static<typeof MessageSchema>;

export const ListQuery = Type.Object({
  topic: Type.Optional(TopicSchema),
  unread: Type.Optional(Type.Boolean({ description: 'only unread messages' })),
  cursor: Type.Optional(Type.String({ maxLength: 64, description: 'nextCursor of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export type ListQuery = Static<typeof ListQuery>;

export const UnreadByTopicSchema = Type.Record(Type.String(), Type.Integer());

export const ListReply = Type.Object({
  items: Type.Array(MessageSchema),
  unreadByTopic: UnreadByTopicSchema,
  unreadTotal: Type.Integer(),
  nextCursor: Nullable(Type.String()),
});
export type ListReply = Static<typeof ListReply>;

export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const ReadAllBody = Type.Object({ topic: Type.Optional(TopicSchema) }, { additionalProperties: false });

export const TopicsReply = Type.Object({
  items: Type.Array(Type.Object({ topic: TopicSchema, label: Type.Object({ zh: Type.String(), en: Type.String() }) })),
  channels: Type.Array(Type.String(), { description: 'delivery channels besides the in-app inbox' }),
});

/** Per topic: the inbox (always on) and each delivery channel on or off. */
export const TopicPrefSchema = Type.Record(Type.String(), Type.Boolean());

export const PreferencesSchema = Type.Object({
  topics: Type.Record(Type.String(), TopicPrefSchema, { description: '{ topic: { inbox: true, webhook: boolean } }' }),
  webhook: Type.Object({
    url: Nullable(Type.String()),
    secretSet: Type.Boolean({ description: 'whether a signing secret exists (it is shown only once, when it is made)' }),
    secret: Type.Optional(
      Type.String({ description: 'key of the X-Yiwang-Signature HMAC-SHA256, only in the reply that created or rotated it; keep it private' }),
    ),
  }),
});
export type PreferencesView = Static<typeof PreferencesSchema>;

export const PreferencesUpdate = Type.Object(
  {
    topics: Type.Optional(Type.Record(Type.String(), TopicPrefSchema)),
    webhook: Type.Optional(Type.Object({ url: Nullable(Type.String({ maxLength: 2000 })) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type PreferencesUpdate = Static<typeof PreferencesUpdate>;

export const SendBody = Type.Object(
  {
    recipientId: Type.String({ minLength: 1, maxLength: 64 }),
    topic: TopicSchema,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    body: Type.String({ minLength: 1, maxLength: 5000 }),
    link: Type.Optional(Type.String({ maxLength: 500 })),
    subject: Type.Optional(SubjectSchema),
  },
  { additionalProperties: false },
);
export type SendBody = Static<typeof SendBody>;

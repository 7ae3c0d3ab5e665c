import { call, get } from './client.ts';
import type { MessagePage, Topic } from './types.ts';

export interface MessageQuery {
  topic?: string;
  unread?: boolean;
  cursor?: string | null;
  limit?: number;
}

export function list(q: MessageQuery = {}, signal?: AbortSignal): Promise<MessagePage> {
  return get<MessagePage>('/messages', { topic: q.topic, unread: q.unread ? 'true' : undefined, cursor: q.cursor, limit: q.limit }, signal);
}

type RawTopic = { topic: string; labelZh?: string; labelEn?: string; label?: { zh?: string; en?: string } };

/** The topics with their labels; accepts a bare list or `{items}`, flat or nested labels. */
export async function topics(signal?: AbortSignal): Promise<Topic[]> {
  const r = await get<RawTopic[] | { items: RawTopic[] }>('/messages/topics', undefined, signal);
  const list = Array.isArray(r) ? r : (r?.items ?? []);
  return list.map((t) => ({
    topic: t.topic,
    labelZh: t.labelZh ?? t.label?.zh ?? t.topic,
    labelEn: t.labelEn ?? t.label?.en ?? t.labelZh ?? t.label?.zh ?? t.topic,
  }));
}

export async function markRead(id: string): Promise<void> {
  await call<unknown>('POST', `/messages/${encodeURIComponent(id)}/read`);
}

export async function markAllRead(topic?: string): Promise<void> {
  await call<unknown>('POST', '/messages/read-all', { body: topic ? { topic } : {} });
}

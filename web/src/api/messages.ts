import { call, get } from './client.ts';
import type { MessagePage, Topic } from './types.ts';

export interface MessageQuery {
  topic?: string;
  unread?: boolean;
  cursor?: string | null;
}

export function list(q: MessageQuery = {}, signal?: AbortSignal): Promise<MessagePage> {
  return get<MessagePage>('/messages', { topic: q.topic, unread: q.unread ? 'true' : undefined, cursor: q.cursor }, signal);
}

export function topics(signal?: AbortSignal): Promise<Topic[]> {
  return get<Topic[]>('/messages/topics', undefined, signal);
}

export async function markRead(id: string): Promise<void> {
  await call<unknown>('POST', `/messages/${encodeURIComponent(id)}/read`);
}

export async function markAllRead(topic?: string): Promise<void> {
  await call<unknown>('POST', '/messages/read-all', { body: topic ? { topic } : {} });
}

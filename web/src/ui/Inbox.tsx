// The message centre: messages grouped by topic, unread ones marked, mark one or all as read.
import { useEffect, useMemo, useState } from 'react';
import * as messages from '../api/messages.ts';
import type { Message, Topic } from '../api/types.ts';
import { isAppPath, Link } from '../app/router.tsx';
import { useI18n } from '../i18n/index.tsx';
import { ErrorNote, Loading } from './ErrorNote.tsx';
import { useUnread } from './unread.tsx';
import { useAsync } from './useAsync.ts';

function MessageLink({ link }: { link: string | null }) {
  const { t } = useI18n();
  if (isAppPath(link)) return <Link to={link} className="link">{t('inbox.open')}</Link>;
  if (link && /^https?:\/\//i.test(link)) {
    return (
      <a href={link} className="link" target="_blank" rel="noopener noreferrer">
        {t('inbox.open')}
      </a>
    );
  }
  return null;
}

function MessageItem({ m, onRead }: { m: Message; onRead(m: Message): void }) {
  const { t, formatTime } = useI18n();
  const unread = !m.readAt;
  return (
    <li className={`message${unread ? ' unread' : ''}`} data-testid={`message-${m.id}`} data-unread={unread ? 'true' : 'false'}>
      <span className="message-dot" aria-label={unread ? t('inbox.unread') : t('inbox.read')} />
      <div className="message-main">
        <div className="message-head">
          <strong className="message-title">{m.title}</strong>
          <time className="muted">{formatTime(m.createdAt)}</time>
        </div>
        <p className="message-body">{m.body}</p>
        <div className="message-actions">
          <MessageLink link={m.link} />
          {unread && (
            <button type="button" className="btn btn-small" onClick={() => onRead(m)} data-testid={`message-read-${m.id}`}>
              {t('inbox.markRead')}
            </button>
          )}
        </div>
      </div>
    </li>
  );
}

export function Inbox() {
  const { t, locale } = useI18n();
  const unread = useUnread();
  const [topic, setTopic] = useState<string>('');
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [items, setItems] = useState<Message[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState<{ busy: boolean; error: unknown }>({ busy: false, error: null });
  const [actionError, setActionError] = useState<unknown>(null);

  const topicsQ = useAsync((signal) => messages.topics(signal).catch((): Topic[] => []), []);
  const pageQ = useAsync((signal) => messages.list({ topic: topic || undefined, unread: unreadOnly }, signal), [topic, unreadOnly]);

  useEffect(() => {
    setItems(pageQ.data?.items ?? []);
    setCursor(pageQ.data?.nextCursor ?? null);
  }, [pageQ.data]);

  const labelOf = useMemo(() => {
    const map = new Map((topicsQ.data ?? []).map((tp) => [tp.topic, locale === 'en' ? tp.labelEn : tp.labelZh]));
    return (key: string) => map.get(key) ?? key;
  }, [topicsQ.data, locale]);

  const byTopic = unread.byTopic;
  const topicKeys = useMemo(() => {
    const keys = new Set<string>((topicsQ.data ?? []).map((tp) => tp.topic));
    Object.keys(byTopic).forEach((k) => keys.add(k));
    items.forEach((m) => keys.add(m.topic));
    return [...keys];
  }, [topicsQ.data, byTopic, items]);

  const groups = useMemo(() => {
    const map = new Map<string, Message[]>();
    for (const m of items) map.set(m.topic, [...(map.get(m.topic) ?? []), m]);
    return [...map.entries()];
  }, [items]);

  const markRead = async (m: Message) => {
    setActionError(null);
    try {
      await messages.markRead(m.id);
      setItems((list) => (unreadOnly ? list.filter((x) => x.id !== m.id) : list.map((x) => (x.id === m.id ? { ...x, readAt: new Date().toISOString() } : x))));
    } catch (err) {
      setActionError(err);
    }
    unread.refresh();
  };

  const markAll = async (tp?: string) => {
    setActionError(null);
    try {
      await messages.markAllRead(tp);
      // Show the change at once; the reload then brings the server's view.
      const now = new Date().toISOString();
      setItems((list) => list.map((x) => (!tp || x.topic === tp ? { ...x, readAt: x.readAt ?? now } : x)));
      pageQ.reload();
    } catch (err) {
      setActionError(err);
    }
    unread.refresh();
  };

  const loadMore = async () => {
    if (!cursor) return;
    setMore({ busy: true, error: null });
    try {
      const page = await messages.list({ topic: topic || undefined, unread: unreadOnly, cursor });
      setItems((list) => [...list, ...page.items]);
      setCursor(page.nextCursor ?? null);
      setMore({ busy: false, error: null });
    } catch (err) {
      setMore({ busy: false, error: err });
    }
  };

  const chip = (key: string, text: string, n: number) => (
    <button type="button" key={key || 'all'} role="tab" aria-selected={topic === key} className={`chip${topic === key ? ' active' : ''}`} onClick={() => setTopic(key)} data-testid={`inbox-topic-${key || 'all'}`}>
      {text}
      {n > 0 && <span className="chip-count">{n}</span>}
    </button>
  );

  return (
    <section className="panel inbox" data-testid="inbox">
      <div className="panel-head">
        <span className="muted" data-testid="inbox-summary">
          {unread.total > 0 ? t('header.unread', { n: unread.total }) : t('header.noUnread')}
        </span>
        <div className="panel-tools">
          <label className="check">
            <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} data-testid="inbox-unread-only" />
            {t('inbox.unreadOnly')}
          </label>
          <button type="button" className="btn btn-small" disabled={unread.total === 0} onClick={() => void markAll(topic || undefined)} data-testid="inbox-read-all">
            {t('inbox.markAllRead')}
          </button>
        </div>
      </div>
      <div className="chips" role="tablist">
        {chip('', t('inbox.all'), unread.total)}
        {topicKeys.map((k) => chip(k, labelOf(k), byTopic[k] ?? 0))}
      </div>
      {actionError != null && <ErrorNote error={actionError} />}
      {pageQ.error ? (
        <ErrorNote error={pageQ.error} onRetry={pageQ.reload} />
      ) : pageQ.loading && items.length === 0 ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="empty" data-testid="inbox-empty">
          {unreadOnly ? t('inbox.emptyUnread') : t('inbox.empty')}
        </p>
      ) : (
        groups.map(([tp, list]) => (
          <div key={tp} className="inbox-group" data-testid={`inbox-group-${tp}`}>
            <h3 className="section-title">
              {labelOf(tp)}
              {(byTopic[tp] ?? 0) > 0 && <span className="muted"> · {t('inbox.unreadN', { n: byTopic[tp] ?? 0 })}</span>}
            </h3>
            <ul className="messages">
              {list.map((m) => (
                <MessageItem key={m.id} m={m} onRead={(x) => void markRead(x)} />
              ))}
            </ul>
          </div>
        ))
      )}
      {more.error != null && <ErrorNote error={more.error} />}
      {cursor && (
        <button type="button" className="btn btn-block" onClick={() => void loadMore()} disabled={more.busy} data-testid="inbox-more">
          {more.busy ? t('app.loading') : t('inbox.loadMore')}
        </button>
      )}
    </section>
  );
}

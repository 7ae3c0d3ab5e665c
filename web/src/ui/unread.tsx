// The unread-message count behind the header bell, shared with the inbox so marking a message
// read updates the bell at once. Polls every 30 s while the tab is visible.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import * as messages from '../api/messages.ts';

interface Unread {
  total: number;
  byTopic: Record<string, number>;
  refresh(): void;
}

const UnreadContext = createContext<Unread>({ total: 0, byTopic: {}, refresh: () => {} });

export function UnreadProvider({ children }: { children: ReactNode }) {
  const [byTopic, setByTopic] = useState<Record<string, number>>({});
  const [serverTotal, setServerTotal] = useState<number | null>(null);
  const refresh = useCallback(() => {
    messages.list({ unread: true, limit: 1 }).then(
      (page) => {
        setByTopic(page.unreadByTopic ?? {});
        setServerTotal(typeof page.unreadTotal === 'number' ? page.unreadTotal : null);
      },
      () => {},
    );
  }, []);
  useEffect(() => {
    refresh();
    const timer = setInterval(() => document.visibilityState === 'visible' && refresh(), 30_000);
    return () => clearInterval(timer);
  }, [refresh]);
  const value = useMemo(
    () => ({ byTopic, refresh, total: serverTotal ?? Object.values(byTopic).reduce((a, n) => a + (Number(n) || 0), 0) }),
    [byTopic, serverTotal, refresh],
  );
  return <UnreadContext.Provider value={value}>{children}</UnreadContext.Provider>;
}

export function useUnread(): Unread {
  return useContext(UnreadContext);
}

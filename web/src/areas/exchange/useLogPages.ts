// Exchange log entries page by page (newest first): the first page loads with its inputs, "load
// more" appends the page before the last entry shown. The workbench log and "who looked at my data"
// page the same way.
import { useEffect, useMemo, useState } from 'react';
import type { LogView } from '../../api/exchange.ts';
import { useAsync } from '../../ui/useAsync.ts';

type Page = { items: LogView[]; nextBefore: number | null };

/** Pages of log entries from `fetch(before)`; reloads from the first page when `deps` change. */
export function useLogPages(fetch: (before: number | undefined, signal?: AbortSignal) => Promise<Page>, deps: unknown[]) {
  const first = useAsync((signal) => fetch(undefined, signal), deps);
  const [more, setMore] = useState<{ items: LogView[]; before: number | null; loading: boolean; error: unknown }>({ items: [], before: null, loading: false, error: null });
  useEffect(() => setMore({ items: [], before: first.data?.nextBefore ?? null, loading: false, error: null }), [first.data]);
  const rows = useMemo(() => [...(first.data?.items ?? []), ...more.items], [first.data, more.items]);
  const loadMore = async () => {
    if (more.before === null) return;
    setMore((m) => ({ ...m, loading: true, error: null }));
    try {
      const page = await fetch(more.before);
      setMore((m) => ({ items: [...m.items, ...page.items], before: page.nextBefore, loading: false, error: null }));
    } catch (error) {
      setMore((m) => ({ ...m, loading: false, error }));
    }
  };
  return { first, more, rows, loadMore };
}

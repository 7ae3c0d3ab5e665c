// 谁查看了我的数据: every exchange call about the signed-in resident or company — when, which
// department, which resource and fields, why, and whether it was allowed or refused (with the code).
// Newest first; "load more" pages with nextBefore.
import { useEffect, useMemo, useState } from 'react';
import { myLog, type LogView } from '../../api/exchange.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNote, loadNote } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { LogTable } from './ExchangeLog.tsx';

const PAGE = 20;

export function WhoLooked() {
  const { t } = useI18n();
  const first = useAsync((signal) => myLog({ limit: PAGE }, signal), []);
  const [more, setMore] = useState<{ items: LogView[]; before: number | null; loading: boolean; error: unknown }>({ items: [], before: null, loading: false, error: null });
  useEffect(() => setMore({ items: [], before: first.data?.nextBefore ?? null, loading: false, error: null }), [first.data]);
  const rows = useMemo(() => [...(first.data?.items ?? []), ...more.items], [first.data, more.items]);
  const loadMore = async () => {
    if (more.before === null) return;
    setMore((m) => ({ ...m, loading: true, error: null }));
    try {
      const page = await myLog({ limit: PAGE, before: more.before });
      setMore((m) => ({ items: [...m.items, ...page.items], before: page.nextBefore, loading: false, error: null }));
    } catch (error) {
      setMore((m) => ({ ...m, loading: false, error }));
    }
  };
  return (
    <section className="panel" data-testid="mydata-log">
      <div className="panel-head">
        <h2 className="panel-title">{t('mydata.log.title')}</h2>
        <div className="panel-tools">
          <button type="button" className="btn btn-small" onClick={first.reload} data-testid="mydata-log-reload">
            {t('desk.reload')}
          </button>
        </div>
      </div>
      <p className="muted">{t('mydata.log.intro')}</p>
      {loadNote(first) ??
        (!rows.length ? (
          <p className="muted" data-testid="mydata-log-none">
            {t('mydata.log.none')}
          </p>
        ) : (
          <LogTable rows={rows} resources={undefined} own />
        ))}
      {more.error != null && <ErrorNote error={more.error} />}
      {more.before !== null && rows.length > 0 && (
        <button type="button" className="btn btn-small" disabled={more.loading} onClick={() => void loadMore()} data-testid="mydata-log-more">
          {t('mydata.log.more')}
        </button>
      )}
    </section>
  );
}

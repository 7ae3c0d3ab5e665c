// 谁查看了我的数据: every exchange call about the signed-in resident or company — when, which
// department, which resource and fields, why, and whether it was allowed or refused (with the code).
// Newest first; "load more" pages with nextBefore.
import { myLog } from '../../api/exchange.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNote, loadNote } from '../../ui/ErrorNote.tsx';
import { LogTable } from './ExchangeLog.tsx';
import { useLogPages } from './useLogPages.ts';

const PAGE = 20;

export function WhoLooked() {
  const { t } = useI18n();
  const { first, more, rows, loadMore } = useLogPages((before, signal) => myLog({ limit: PAGE, before }, signal), []);
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

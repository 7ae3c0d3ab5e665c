// The department directory for officials: search by name or code, within the user's scope or all.
import { useEffect, useMemo, useState } from 'react';
import * as departments from '../api/departments.ts';
import type { Department, JurisdictionNode } from '../api/types.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorNote, Loading } from './ErrorNote.tsx';
import { PlaceName } from './PlaceName.tsx';
import { usePlaceIndex } from './scope.ts';
import { useAsync } from './useAsync.ts';

function JurisdictionCell({ code, place }: { code: string | null; place?: JurisdictionNode }) {
  if (!code) return <>—</>;
  if (!place) return <code className="code">{code}</code>;
  return (
    <span title={code}>
      <PlaceName name={place.name} nameEn={place.nameEn} />
    </span>
  );
}

export function DepartmentList({ scopeCode, scopeLabel }: { scopeCode: string | null; scopeLabel: string | null }) {
  const { t, label, formatNumber } = useI18n();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [mine, setMine] = useState(Boolean(scopeCode));
  const [items, setItems] = useState<Department[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState<{ busy: boolean; error: unknown }>({ busy: false, error: null });

  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);

  const jurisdiction = mine ? scopeCode : null;
  const pageQ = useAsync((signal) => departments.list({ jurisdiction, q }, signal), [jurisdiction, q]);
  useEffect(() => {
    setItems(pageQ.data?.items ?? []);
    setCursor(pageQ.data?.nextCursor ?? null);
  }, [pageQ.data]);

  const loadMore = async () => {
    setMore({ busy: true, error: null });
    try {
      const page = await departments.list({ jurisdiction, q, cursor });
      setItems((list) => [...list, ...page.items]);
      setCursor(page.nextCursor ?? null);
      setMore({ busy: false, error: null });
    } catch (error) {
      setMore({ busy: false, error });
    }
  };

  const byCode = useMemo(() => new Map(items.map((d) => [d.code, d])), [items]);
  const places = usePlaceIndex();

  return (
    <section className="panel departments" data-testid="departments">
      <div className="toolbar">
        <input type="search" className="input" placeholder={t('dept.search')} aria-label={t('dept.search')} value={text} onChange={(e) => setText(e.target.value)} data-testid="departments-search" />
        {scopeCode && (
          <select className="input" aria-label={t('dept.scope')} value={mine ? 'mine' : 'all'} onChange={(e) => setMine(e.target.value === 'mine')} data-testid="departments-scope">
            <option value="mine">{t('dept.myScope', { name: scopeLabel ?? scopeCode })}</option>
            <option value="all">{t('dept.allScopes')}</option>
          </select>
        )}
        {pageQ.data && (
          <span className="muted toolbar-end" data-testid="departments-count">
            {t('dept.count', { n: formatNumber(items.length) + (cursor ? '+' : '') })}
          </span>
        )}
      </div>
      {pageQ.error ? (
        <ErrorNote error={pageQ.error} onRetry={pageQ.reload} />
      ) : pageQ.loading && items.length === 0 ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="empty">{t('dept.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="departments-table">
            <thead>
              <tr>
                <th>{t('dept.name')}</th>
                <th>{t('dept.code')}</th>
                <th>{t('dept.kind')}</th>
                <th>{t('dept.parent')}</th>
                <th>{t('dept.jurisdiction')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => {
                const parent = d.parentCode ? byCode.get(d.parentCode) : undefined;
                return (
                  <tr key={d.code} data-testid={`department-${d.code}`}>
                    <td>
                      <PlaceName name={d.name} nameEn={d.nameEn} />
                    </td>
                    <td>
                      <code className="code">{d.code}</code>
                    </td>
                    <td>
                      <span className="tag">{label('deptKind', d.kind)}</span>
                    </td>
                    <td>{parent ? <PlaceName name={parent.name} nameEn={parent.nameEn} /> : d.parentCode ? <code className="code">{d.parentCode}</code> : '—'}</td>
                    <td>
                      <JurisdictionCell code={d.jurisdictionCode} place={d.jurisdictionCode ? places?.get(d.jurisdictionCode) : undefined} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {more.error != null && <ErrorNote error={more.error} />}
      {cursor && (
        <button type="button" className="btn btn-block" onClick={() => void loadMore()} disabled={more.busy} data-testid="departments-more">
          {more.busy ? t('app.loading') : t('inbox.loadMore')}
        </button>
      )}
    </section>
  );
}

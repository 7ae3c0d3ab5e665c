// The department directory for officials: search by name or code, within the user's scope or all.
import { useEffect, useMemo, useState } from 'react';
import * as departments from '../api/departments.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorNote, Loading } from './ErrorNote.tsx';
import { PlaceName } from './PlaceName.tsx';
import { useAsync } from './useAsync.ts';

export function DepartmentList({ scopeCode, scopeLabel }: { scopeCode: string | null; scopeLabel: string | null }) {
  const { t, label, formatNumber } = useI18n();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [mine, setMine] = useState(Boolean(scopeCode));

  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);

  const listQ = useAsync((signal) => departments.list({ jurisdiction: mine ? scopeCode : null, q }, signal), [mine, scopeCode, q]);
  const items = listQ.data ?? [];
  const byCode = useMemo(() => new Map(items.map((d) => [d.code, d])), [items]);

  return (
    <section className="panel departments" data-testid="departments">
      <div className="panel-head">
        <h2 className="panel-title">{t('dept.title')}</h2>
        {listQ.data && <span className="muted">{t('dept.count', { n: formatNumber(items.length) })}</span>}
      </div>
      <div className="toolbar">
        <input type="search" className="input" placeholder={t('dept.search')} aria-label={t('dept.search')} value={text} onChange={(e) => setText(e.target.value)} data-testid="departments-search" />
        {scopeCode && (
          <select className="input" aria-label={t('dept.scope')} value={mine ? 'mine' : 'all'} onChange={(e) => setMine(e.target.value === 'mine')} data-testid="departments-scope">
            <option value="mine">{t('dept.myScope', { name: scopeLabel ?? scopeCode })}</option>
            <option value="all">{t('dept.allScopes')}</option>
          </select>
        )}
      </div>
      {listQ.error ? (
        <ErrorNote error={listQ.error} onRetry={listQ.reload} />
      ) : listQ.loading && !listQ.data ? (
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
                    <td>{label('kind', d.kind)}</td>
                    <td>{parent ? <PlaceName name={parent.name} nameEn={parent.nameEn} /> : d.parentCode ? <code className="code">{d.parentCode}</code> : '—'}</td>
                    <td>{d.jurisdictionCode ? <code className="code">{d.jurisdictionCode}</code> : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

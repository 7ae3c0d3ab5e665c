// A list of cases: the workbench's queue as a table, the worker's tasks and a citizen's reports as
// cards. Filters are the server's (stage, colour, mine), so a long queue stays one query.
import { useState } from 'react';
import { listCases, type CaseSummary, type ListFilter } from '../../api/cases.ts';
import { Link } from '../../app/router.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { loadNote } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { LimitChip, useCaseText } from './caseText.tsx';

type FilterId = 'open' | 'all' | 'mine' | 'red' | 'yellow' | 'escalated';
const FILTERS: Record<FilterId, ListFilter> = {
  open: { stage: 'open' },
  all: {},
  mine: { stage: 'open', mine: true },
  red: { stage: 'open', colour: 'red' },
  yellow: { stage: 'open', colour: 'yellow' },
  escalated: { stage: 'open', escalated: true },
};

interface Props {
  /** Where a case opens: `${base}/${id}`. */
  base: string;
  filters: FilterId[];
  look: 'table' | 'cards';
  /** Nearest first to this point (a worker's tasks). */
  near?: [number, number] | null;
}

export function CaseList({ base, filters, look, near }: Props) {
  const { t, locale, formatTime } = useI18n();
  const text = useCaseText();
  const [filter, setFilter] = useState<FilterId>(filters[0]!);
  const list = useAsync((signal) => listCases({ ...FILTERS[filter], near: near ? near.join(',') : undefined, limit: 100 }, signal), [filter, near?.[0], near?.[1]]);
  const name = (c: CaseSummary) => (locale === 'en' ? c.categoryNameEn : c.categoryName);
  return (
    <section className="panel case-list" data-testid="case-list">
      {filters.length > 1 && (
        <div className="toolbar" role="tablist">
          {filters.map((f) => (
            <button key={f} type="button" role="tab" aria-selected={f === filter} className={`btn btn-small${f === filter ? ' btn-primary' : ''}`} onClick={() => setFilter(f)} data-testid={`case-filter-${f}`}>
              {t(`cases.filter.${f}` as MessageKey)}
            </button>
          ))}
        </div>
      )}
      {loadNote(list) ?? (!list.data?.items.length ? (
        <p className="muted" data-testid="case-none">{t('cases.none')}</p>
      ) : look === 'table' ? (
        <table className="table" data-testid="case-table">
          <thead>
            <tr>
              <th>{t('cases.col.id')}</th>
              <th>{t('cases.col.category')}</th>
              <th>{t('cases.col.stage')}</th>
              <th>{t('cases.col.due')}</th>
              <th>{t('cases.col.source')}</th>
              <th>{t('cases.col.place')}</th>
              <th>{t('cases.col.reported')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((c) => (
              <tr key={c.id} data-testid="case-row" data-case={c.id} data-colour={c.colour ?? ''}>
                <td>
                  <Link to={`${base}/${c.id}`}>{c.id}</Link>
                  {c.supervised ? <span className="badge badge-special">{t('cases.detail.supervised')}</span> : null}
                </td>
                <td>{name(c)}</td>
                <td>{text.stage(c.stage)}</td>
                <td>
                  <LimitChip colour={c.colour} dueAt={c.dueAt} />
                </td>
                <td>{text.source(c.source)}</td>
                <td>{c.address ?? c.jurisdictionCode}</td>
                <td>{formatTime(c.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <ul className="case-cards">
          {list.data.items.map((c) => (
            <li key={c.id} data-testid="case-row" data-case={c.id} data-colour={c.colour ?? ''}>
              <Link to={`${base}/${c.id}`} className="case-card">
                <strong>{name(c)}</strong>
                <span className="muted">{text.stage(c.stage)}</span>
                <span className="case-card-text">{c.description}</span>
                <span className="case-card-foot">
                  <LimitChip colour={c.colour} dueAt={null} />
                  {c.distanceM !== null ? <span>{t('cases.metres', { n: c.distanceM })}</span> : <span className="muted">{formatTime(c.createdAt)}</span>}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      ))}
    </section>
  );
}

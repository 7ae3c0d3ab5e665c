// 数据资源目录: every department's resources with owner, frequency and subject kind; a resource opens
// to its fields (names, type, sensitivity level, how they are masked). 申请使用 opens the access
// request form under the table. Asking for one's own department's resource needs no grant.
import { Fragment, useMemo, useState } from 'react';
import type { ResourceView } from '../../api/exchange.ts';
import { useAccount } from '../../app/session.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { loadNote } from '../../ui/ErrorNote.tsx';
import type { AsyncState } from '../../ui/useAsync.ts';
import { useDepartments } from './deptNames.ts';
import { LevelBadge, useExchangeText } from './exchangeText.tsx';
import { RequestForm } from './RequestForm.tsx';

/** Who may ask for access: a department's staff (and administrators, for their department). */
const REQUESTERS = new Set(['staff', 'admin']);

function FieldTable({ r }: { r: ResourceView }) {
  const { t } = useI18n();
  const text = useExchangeText();
  return (
    <table className="table xchg-fields" data-testid={`xchg-fields-${r.code}`}>
      <thead>
        <tr>
          <th>{t('xchg.col.field')}</th>
          <th>{t('xchg.col.fieldZh')}</th>
          <th>{t('xchg.col.fieldEn')}</th>
          <th>{t('xchg.col.type')}</th>
          <th>{t('xchg.col.level')}</th>
          <th>{t('xchg.col.mask')}</th>
        </tr>
      </thead>
      <tbody>
        {r.fields.map((f) => (
          <tr key={f.name} data-testid="xchg-field" data-field={f.name} data-level={f.sensitivity}>
            <td className="xchg-mono">{f.name}</td>
            <td>{f.zh}</td>
            <td>{f.en}</td>
            <td>{text.type(f.type)}</td>
            <td>
              <LevelBadge level={f.sensitivity} />
            </td>
            <td>{f.sensitivity >= 3 || f.mask ? text.mask(f.mask) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ResourceCatalogue({ resources }: { resources: AsyncState<ResourceView[]> }) {
  const { t, formatNumber, formatTime } = useI18n();
  const text = useExchangeText();
  const account = useAccount();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [asking, setAsking] = useState<string | null>(null);
  const depts = useDepartments((resources.data ?? []).map((r) => r.ownerCode), text.en);
  const mayRequest = account.roles.some((r) => REQUESTERS.has(r));
  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const all = resources.data ?? [];
    if (!needle) return all;
    return all.filter((r) => [r.code, r.nameZh, r.nameEn, r.ownerName, r.ownerCode, r.descriptionZh, r.descriptionEn].some((s) => s.toLowerCase().includes(needle)));
  }, [resources.data, q]);
  const target = resources.data?.find((r) => r.code === asking) ?? null;

  return (
    <>
      <section className="panel" data-testid="xchg-catalogue">
        <p className="muted xchg-intro">{t('xchg.catalogue.intro')}</p>
        <div className="toolbar">
          <input className="input" type="search" value={q} placeholder={t('xchg.catalogue.search')} aria-label={t('xchg.catalogue.search')} onChange={(e) => setQ(e.target.value)} data-testid="xchg-search" />
          <span className="muted toolbar-end">{t('xchg.catalogue.count', { n: formatNumber(rows.length) })}</span>
          <button type="button" className="btn btn-small" onClick={resources.reload}>
            {t('desk.reload')}
          </button>
        </div>
        {loadNote(resources) ??
          (!rows.length ? (
            <p className="muted" data-testid="xchg-none">
              {t('xchg.catalogue.none')}
            </p>
          ) : (
            <div className="table-wrap">
              <table className="table desk-table" data-testid="xchg-resources">
                <thead>
                  <tr>
                    <th>{t('xchg.col.code')}</th>
                    <th>{t('xchg.col.resource')}</th>
                    <th>{t('xchg.col.owner')}</th>
                    <th>{t('xchg.col.subjectKind')}</th>
                    <th>{t('xchg.col.frequency')}</th>
                    <th className="num">{t('xchg.col.fields')}</th>
                    <th>{t('xchg.col.updated')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => {
                    const own = account.departmentCode === r.ownerCode;
                    const expanded = open === r.code;
                    return (
                      <Fragment key={r.code}>
                        <tr data-testid="xchg-resource" data-code={r.code} data-owner={r.ownerCode} data-expanded={expanded}>
                          <td className="xchg-mono">{r.code}</td>
                          <td>
                            <div className="xchg-name">{text.pick(r.nameZh, r.nameEn)}</div>
                            <div className="muted xchg-desc">{text.pick(r.descriptionZh, r.descriptionEn)}</div>
                          </td>
                          <td>{text.dept(r.ownerCode, r.ownerName, depts)}</td>
                          <td className="nowrap">{text.subjectKind(r.subjectKind)}</td>
                          <td className="nowrap">{text.frequency(r.frequency)}</td>
                          <td className="num">{formatNumber(r.fields.length)}</td>
                          <td className="nowrap">{formatTime(r.updatedAt)}</td>
                          <td className="nowrap">
                            <div className="xchg-row-actions">
                            <button type="button" className="btn btn-small" aria-expanded={expanded} onClick={() => setOpen(expanded ? null : r.code)} data-testid={`xchg-resource-toggle-${r.code}`}>
                              {expanded ? t('xchg.fields.hide') : t('xchg.fields.show')}
                            </button>
                            {mayRequest && (
                              <button
                                type="button"
                                className="btn btn-small btn-primary"
                                disabled={own}
                                title={own ? t('xchg.request.own') : undefined}
                                onClick={() => setAsking(r.code)}
                                data-testid={`xchg-request-${r.code}`}
                              >
                                {t('xchg.request.open')}
                              </button>
                            )}
                            </div>
                          </td>
                        </tr>
                        {expanded && (
                          <tr className="xchg-expanded">
                            <td colSpan={8}>
                              <FieldTable r={r} />
                            </td>
                          </tr>
                        )}
                      </Fragment>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ))}
        <p className="muted xchg-legend">
          {[1, 2, 3, 4].map((l) => (
            <span key={l}>
              <LevelBadge level={l} /> {t(`xchg.level.${l}.hint` as 'xchg.level.1.hint')}
            </span>
          ))}
        </p>
      </section>
      {target && <RequestForm key={target.code} resource={target} ownerName={text.dept(target.ownerCode, target.ownerName, depts)} onClose={() => setAsking(null)} />}
    </>
  );
}

// The redesign report of a bundle (流程再造): what the event took before — every item on its own,
// one after another — against one questionnaire, one form, one set of materials and parallel
// review; the figures the city published; and what the real applications took.
import type { ReactNode } from 'react';
import { listBundles, redesign, type Measures, type Redesign } from '../../api/serviceDesk.ts';
import { navigate, useLocation } from '../../app/router.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ErrorNote, Loading } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { PageTitle } from '../shared.tsx';
import { useDeskText } from './deskText.tsx';

const MEASURES: Array<keyof Measures> = ['departments', 'items', 'forms', 'formFields', 'materials', 'trips', 'inspections', 'days', 'legalDays'];
const PUBLISHED = ['trips', 'materials', 'inspections', 'days'] as const;

function Saving({ before, after }: { before: number; after: number }) {
  const { formatNumber } = useI18n();
  if (before === after) return <span className="muted">—</span>;
  const cut = before - after;
  const pct = before ? Math.round((cut / before) * 100) : 0;
  return (
    <span className={cut > 0 ? 'desk-saving' : 'desk-more'}>
      {cut > 0 ? '−' : '+'}
      {formatNumber(Math.abs(cut))}
      {before ? ` (${cut > 0 ? '−' : '+'}${Math.abs(pct)}%)` : ''}
    </span>
  );
}

/** The head of a before / after table: the measure, both figures and the saving, then any further columns. */
function CompareHead({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <thead>
      <tr>
        <th>{t('rd.measure')}</th>
        <th className="num">{t('rd.before')}</th>
        <th className="num">{t('rd.after')}</th>
        <th className="num">{t('rd.saving')}</th>
        {children}
      </tr>
    </thead>
  );
}

function Compare({ r }: { r: Redesign }) {
  const { t, formatNumber } = useI18n();
  return (
    <table className="table desk-compare" data-testid="rd-compare">
      <CompareHead>
        <th className="desk-bars-col" aria-hidden="true" />
      </CompareHead>
      <tbody>
        {MEASURES.map((m) => {
          const b = r.before[m];
          const a = r.after[m];
          const top = Math.max(b, a, 1);
          return (
            <tr key={m} data-measure={m} data-before={b} data-after={a}>
              <td>{t(`rd.m.${m}` as MessageKey)}</td>
              <td className="num">{formatNumber(b)}</td>
              <td className="num">
                <strong>{formatNumber(a)}</strong>
              </td>
              <td className="num">
                <Saving before={b} after={a} />
              </td>
              <td className="desk-bars-col">
                <span className="desk-bar desk-bar-before" style={{ width: `${(b / top) * 100}%` }} />
                <span className="desk-bar desk-bar-after" style={{ width: `${(a / top) * 100}%` }} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Report({ r }: { r: Redesign }) {
  const { t, locale, formatNumber } = useI18n();
  const text = useDeskText();
  const names = new Map(r.items.map((i) => [i.code, text.name(i.nameZh, i.nameEn)]));
  const real = new Map(r.records.perItem.map((p) => [p.code, p]));
  const pct = (b: number, a: number) => (b ? `${Math.round(((b - a) / b) * 100)}%` : '—');
  return (
    <>
      <div className="stat-row desk-stats" data-testid="rd-highlights">
        <div className="stat">
          <span className="stat-value">{pct(r.before.materials, r.after.materials)}</span>
          <span className="stat-label">{t('rd.cut.materials', { before: r.before.materials, after: r.after.materials })}</span>
        </div>
        <div className="stat">
          <span className="stat-value">{pct(r.before.days, r.after.days)}</span>
          <span className="stat-label">{t('rd.cut.days', { before: r.before.days, after: r.after.days })}</span>
        </div>
        <div className="stat">
          <span className="stat-value">{pct(r.before.formFields, r.after.formFields)}</span>
          <span className="stat-label">{t('rd.cut.fields', { before: r.before.formFields, after: r.after.formFields })}</span>
        </div>
        <div className="stat">
          <span className="stat-value">{formatNumber(r.after.inspections)}</span>
          <span className="stat-label">{t('rd.cut.inspections', { before: r.before.inspections })}</span>
        </div>
      </div>
      <section className="panel">
        <h2 className="panel-title">{t('rd.compare')}</h2>
        <p className="muted">{t('rd.compare.hint')}</p>
        <Compare r={r} />
      </section>
      <div className="two-col">
        <section className="panel" data-testid="rd-records">
          <h2 className="panel-title">{t('rd.records')}</h2>
          <dl className="facts">
            <div>
              <dt>{t('rd.records.submitted')}</dt>
              <dd>{formatNumber(r.records.submitted)}</dd>
            </div>
            <div>
              <dt>{t('rd.records.concluded')}</dt>
              <dd data-testid="rd-concluded">{formatNumber(r.records.concluded)}</dd>
            </div>
            <div>
              <dt>{t('rd.records.avgDays')}</dt>
              <dd data-testid="rd-avg-days">{text.days(r.records.avgDays)}</dd>
            </div>
            <div>
              <dt>{t('rd.records.sequential')}</dt>
              <dd data-testid="rd-seq-days">{text.days(r.records.avgSequentialDays)}</dd>
            </div>
          </dl>
          {r.records.avgDays !== null && r.records.avgSequentialDays !== null ? (
            <p>{t('rd.records.saved', { n: formatNumber(Math.round((r.records.avgSequentialDays - r.records.avgDays) * 100) / 100) })}</p>
          ) : (
            <p className="muted">{t('rd.records.none')}</p>
          )}
        </section>
        {r.published && (
          <section className="panel" data-testid="rd-published">
            <h2 className="panel-title">{t('rd.published')}</h2>
            <p>{locale === 'en' ? r.published.en : r.published.zh}</p>
            <table className="table">
              <CompareHead />
              <tbody>
                {PUBLISHED.map((m) => (
                  <tr key={m} data-measure={m}>
                    <td>{t(`rd.m.${m}` as MessageKey)}</td>
                    <td className="num">{formatNumber(r.published!.before[m])}</td>
                    <td className="num">{formatNumber(r.published!.after[m])}</td>
                    <td className="num">
                      <Saving before={r.published!.before[m]} after={r.published!.after[m]} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </div>
      <section className="panel">
        <h2 className="panel-title">{t('rd.items')}</h2>
        <div className="table-wrap">
          <table className="table" data-testid="rd-items">
            <thead>
              <tr>
                <th>{t('desk.col.item')}</th>
                <th>{t('desk.col.department')}</th>
                <th className="num">{t('rd.col.materials')}</th>
                <th className="num">{t('rd.m.formFields')}</th>
                <th className="num">{t('rd.m.trips')}</th>
                <th className="num">{t('rd.m.inspections')}</th>
                <th className="num">{t('rd.col.promised')}</th>
                <th className="num">{t('rd.col.legal')}</th>
                <th>{t('rd.col.after')}</th>
                <th className="num">{t('rd.col.real')}</th>
              </tr>
            </thead>
            <tbody>
              {r.items.map((i) => (
                <tr key={i.code} data-code={i.code}>
                  <td>{text.name(i.nameZh, i.nameEn)}</td>
                  <td>{text.name(i.departmentName, i.departmentNameEn)}</td>
                  <td className="num">
                    {formatNumber(i.toSubmit)} / {formatNumber(i.materials)}
                  </td>
                  <td className="num">{formatNumber(i.formFields)}</td>
                  <td className="num">{formatNumber(i.trips)}</td>
                  <td className="num">{formatNumber(i.inspections)}</td>
                  <td className="num">{formatNumber(i.promisedDays)}</td>
                  <td className="num">{formatNumber(i.legalDays)}</td>
                  <td>{i.after.length ? i.after.map((c) => names.get(c) ?? c).join('、') : '—'}</td>
                  <td className="num">{real.get(i.code) ? `${text.days(real.get(i.code)!.avgDays)} (${formatNumber(real.get(i.code)!.decided)})` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted">{t('rd.items.hint')}</p>
      </section>
    </>
  );
}

export function RedesignPage() {
  const { t } = useI18n();
  const text = useDeskText();
  const { search } = useLocation();
  const bundles = useAsync((signal) => listBundles(signal), []);
  const code = search.get('bundle') ?? bundles.data?.items[0]?.code ?? '';
  const report = useAsync((signal) => (code ? redesign(code, signal) : Promise.resolve(undefined)), [code]);
  return (
    <div className="desk-page" data-testid="rd-page">
      <PageTitle title={t('rd.title')}>
        {bundles.data && (
          <select className="input" value={code} onChange={(e) => navigate(`/workbench/redesign?bundle=${encodeURIComponent(e.target.value)}`, { replace: true })} data-testid="rd-bundle" aria-label={t('rd.pick')}>
            {bundles.data.items.map((b) => (
              <option key={b.code} value={b.code}>
                {text.name(b.nameZh, b.nameEn)}
              </option>
            ))}
          </select>
        )}
      </PageTitle>
      {bundles.error ? (
        <ErrorNote error={bundles.error} onRetry={bundles.reload} />
      ) : report.error ? (
        <ErrorNote error={report.error} onRetry={report.reload} />
      ) : !report.data ? (
        bundles.data && !bundles.data.items.length ? <p className="muted">{t('rd.none')}</p> : <Loading />
      ) : (
        <div data-testid="rd-report" data-bundle={report.data.bundle.code}>
          <Report r={report.data} />
        </div>
      )}
    </div>
  );
}

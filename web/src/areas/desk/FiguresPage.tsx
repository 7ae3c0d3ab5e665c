// 政务服务指标: the catalogue's shares (fully online, at most one trip, materials the government
// already holds, promised against legal limits) and the applications of a period in the reader's
// scope — per day (and a chart of each day), on time, and per item and department how long
// decisions took against the promised and legal limits (双减半: half the time, half the materials).
import { useState } from 'react';
import { serviceFigures, type FigureRow } from '../../api/serviceDesk.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNote, Loading } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { PageTitle } from '../shared.tsx';
import { useDeskText } from './deskText.tsx';
import { DailyChart, FiguresChart } from './FiguresChart.tsx';

const PERIODS = [7, 30, 90, 365] as const;
const DAY_MS = 86_400_000;
const CHART_ROWS = 15;

function Stat({ value, label, testId }: { value: string; label: string; testId?: string }) {
  return (
    <div className="stat" data-testid={testId}>
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}

function FigureTable({ rows, limits, testId }: { rows: FigureRow[]; limits: boolean; testId: string }) {
  const { t, formatNumber } = useI18n();
  const text = useDeskText();
  if (!rows.length) return <p className="muted">{t('fig.noApplications')}</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th>{limits ? t('desk.col.item') : t('desk.col.department')}</th>
            <th className="num">{t('fig.col.submitted')}</th>
            <th className="num">{t('fig.col.decided')}</th>
            <th className="num">{t('fig.col.onTime')}</th>
            <th className="num">{t('fig.col.avgDays')}</th>
            {limits && <th className="num">{t('fig.series.promised')}</th>}
            {limits && <th className="num">{t('fig.series.legal')}</th>}
            {limits && <th className="num">{t('fig.col.ofLegal')}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.code} data-code={r.code}>
              {/* Departments come with their code as the English name: show the Chinese name then. */}
              <td>{r.nameEn === r.code ? r.nameZh : text.name(r.nameZh, r.nameEn)}</td>
              <td className="num">{formatNumber(r.submitted)}</td>
              <td className="num">{formatNumber(r.decided)}</td>
              <td className="num">{text.percent(r.onTimeRate)}</td>
              <td className="num">{text.days(r.avgDays)}</td>
              {limits && <td className="num">{text.days(r.promisedDays)}</td>}
              {limits && <td className="num">{text.days(r.legalDays)}</td>}
              {limits && (
                <td className="num">
                  {r.ofLegal === null ? (
                    '—'
                  ) : (
                    <span className={r.ofLegal <= 0.5 ? 'desk-saving' : 'desk-more'} title={r.ofLegal <= 0.5 ? t('fig.halved') : t('fig.notHalved')}>
                      {text.percent(r.ofLegal)}
                    </span>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function FiguresPage() {
  const { t, formatNumber, formatTime } = useI18n();
  const text = useDeskText();
  const [days, setDays] = useState<(typeof PERIODS)[number]>(30);
  const figures = useAsync((signal) => {
    const to = Date.now();
    return serviceFigures({ from: to - days * DAY_MS, to }, signal);
  }, [days]);
  const f = figures.data;
  const c = f?.catalogue;
  const a = f?.applications;
  const limitShare = c && c.legalDaysAvg ? c.promisedDaysAvg / c.legalDaysAvg : null;
  const heldShare = c && c.materials ? (c.materials - c.materialsToSubmit) / c.materials : null;

  return (
    <div className="desk-page" data-testid="fig-page">
      <PageTitle title={t('fig.title')}>
        <div className="toolbar desk-periods" role="tablist">
          {PERIODS.map((p) => (
            <button key={p} type="button" role="tab" aria-selected={p === days} className={`btn btn-small${p === days ? ' btn-primary' : ''}`} onClick={() => setDays(p)} data-testid={`fig-period-${p}`}>
              {t('fig.period', { n: p })}
            </button>
          ))}
        </div>
      </PageTitle>
      {figures.error ? (
        <ErrorNote error={figures.error} onRetry={figures.reload} />
      ) : !f || !c || !a ? (
        <Loading />
      ) : (
        <>
          <section className="panel" data-testid="fig-catalogue">
            <h2 className="panel-title">{t('fig.catalogue')}</h2>
            <div className="stat-row">
              <Stat value={formatNumber(c.items)} label={t('fig.items')} />
              <Stat value={text.percent(c.fullyOnline)} label={t('fig.fullyOnline')} testId="fig-online" />
              <Stat value={text.percent(c.atMostOneTrip)} label={t('fig.oneTrip')} />
              <Stat value={text.percent(limitShare)} label={t('fig.limitShare', { promised: formatNumber(c.promisedDaysAvg), legal: formatNumber(c.legalDaysAvg) })} />
              <Stat value={text.percent(heldShare)} label={t('fig.heldShare', { held: formatNumber(c.materials - c.materialsToSubmit), all: formatNumber(c.materials) })} />
            </div>
          </section>
          <section className="panel" data-testid="fig-applications">
            <h2 className="panel-title">{t('fig.applications')}</h2>
            <p className="muted">{t('fig.periodRange', { from: formatTime(f.from), to: formatTime(f.to) })}</p>
            <div className="stat-row">
              <Stat value={formatNumber(a.submitted)} label={t('fig.submitted')} testId="fig-submitted" />
              <Stat value={formatNumber(a.perDay)} label={t('fig.perDay')} />
              <Stat value={formatNumber(a.decided)} label={t('fig.decided')} />
              <Stat value={text.percent(a.onTimeRate)} label={t('fig.onTime')} testId="fig-on-time" />
              <Stat value={formatNumber(a.inBundles)} label={t('fig.inBundles')} />
            </div>
            {f.daily?.length ? (
              <>
                <h3 className="section-title">{t('fig.daily')}</h3>
                <DailyChart days={f.daily} />
              </>
            ) : null}
          </section>
          <section className="panel">
            <h2 className="panel-title">{t('fig.byItem')}</h2>
            <p className="muted">{t('fig.byItem.hint')}</p>
            {f.byItem.length ? <FiguresChart rows={f.byItem.slice(0, CHART_ROWS)} /> : null}
            <FigureTable rows={f.byItem} limits testId="fig-items" />
          </section>
          <section className="panel">
            <h2 className="panel-title">{t('fig.byDepartment')}</h2>
            <FigureTable rows={f.byDepartment} limits={false} testId="fig-departments" />
          </section>
        </>
      )}
    </div>
  );
}

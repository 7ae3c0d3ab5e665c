// The figures' charts (ECharts, loaded only when this page opens): the 双减半 chart — per item, the
// average working days a decision took beside the promised and the legal limit, as horizontal bars —
// and the applications submitted and decided per day of the period, as lines.
import { useEffect, useRef, useState } from 'react';
import type { ECharts } from 'echarts/lib/echarts';
import type { FigureRow, ServiceFigures } from '../../api/serviceDesk.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useDeskText } from './deskText.tsx';

type EChartsModule = typeof import('echarts/lib/echarts');
let loading: Promise<EChartsModule> | null = null;

/** The ECharts core with the bar and line charts, tooltip and legend registered (4.9 is CommonJS: the API may sit on `default`). */
function loadECharts(): Promise<EChartsModule> {
  loading ??= Promise.all([import('echarts/lib/echarts'), import('echarts/lib/chart/bar'), import('echarts/lib/chart/line'), import('echarts/lib/component/tooltip'), import('echarts/lib/component/legend')]).then(([core]) => {
    const m = core as EChartsModule & { default?: EChartsModule };
    return m.default && typeof m.default.init === 'function' ? m.default : m;
  });
  return loading;
}

const SERIES_COLOURS = ['#1456b8', '#52c41a', '#bfbfbf'];

/** A chart on a div of its own: made once ECharts has loaded, resized with the window, disposed on leaving. */
function useEChart() {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    let gone = false;
    loadECharts().then(
      (echarts) => {
        if (gone || !el.current) return;
        chart.current = echarts.init(el.current, null, { renderer: 'canvas' });
        setReady(true);
      },
      (err: Error) => !gone && setFailed(err.message),
    );
    const resize = () => chart.current?.resize();
    window.addEventListener('resize', resize);
    return () => {
      gone = true;
      window.removeEventListener('resize', resize);
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);
  return { el, chart, ready, failed };
}

export function FiguresChart({ rows }: { rows: FigureRow[] }) {
  const { t, locale } = useI18n();
  const text = useDeskText();
  const { el, chart, ready, failed } = useEChart();

  // Bottom-up on a horizontal chart: reverse so the busiest item is on top.
  const shown = [...rows].reverse();
  useEffect(() => {
    if (!ready || !chart.current) return;
    const label = (r: FigureRow) => {
      const n = text.name(r.nameZh, r.nameEn);
      const max = locale === 'en' ? 30 : 16;
      return n.length > max ? `${n.slice(0, max - 1)}…` : n;
    };
    chart.current.setOption(
      {
        color: SERIES_COLOURS,
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0, data: [t('fig.series.avg'), t('fig.series.promised'), t('fig.series.legal')] },
        grid: { left: 8, right: 32, top: 32, bottom: 28, containLabel: true },
        xAxis: { type: 'value', name: t('fig.axis.days'), nameLocation: 'middle', nameGap: 26, minInterval: 1 },
        yAxis: { type: 'category', data: shown.map(label), axisLabel: { fontSize: 12 } },
        series: [
          { name: t('fig.series.avg'), type: 'bar', data: shown.map((r) => r.avgDays ?? '-'), barMaxWidth: 14, label: { show: true, position: 'right', fontSize: 11 } },
          { name: t('fig.series.promised'), type: 'bar', data: shown.map((r) => r.promisedDays ?? '-'), barMaxWidth: 14 },
          { name: t('fig.series.legal'), type: 'bar', data: shown.map((r) => r.legalDays ?? '-'), barMaxWidth: 14 },
        ],
      },
      true,
    );
    chart.current.resize();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, rows, locale]);

  if (failed) return <p className="muted">{t('fig.chartFailed', { reason: failed })}</p>;
  return <div ref={el} className="desk-chart" style={{ height: 60 + Math.max(3, rows.length) * 44 }} data-testid="fig-chart" data-ready={ready ? 'true' : 'false'} role="img" aria-label={t('fig.chart')} />;
}

/** 每日办件量: per Shanghai day of the period, the applications submitted and those decided. */
export function DailyChart({ days }: { days: ServiceFigures['daily'] }) {
  const { t, locale } = useI18n();
  const { el, chart, ready, failed } = useEChart();

  useEffect(() => {
    if (!ready || !chart.current) return;
    const few = days.length <= 31;
    chart.current.setOption(
      {
        color: SERIES_COLOURS,
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { top: 0, data: [t('fig.daily.submitted'), t('fig.daily.decided')] },
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        // The dates as the server gives them (YYYY-MM-DD); the axis shows month and day.
        xAxis: { type: 'category', boundaryGap: false, data: days.map((d) => d.date), axisLabel: { fontSize: 11, formatter: (v: string) => v.slice(5) } },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: t('fig.daily.submitted'), type: 'line', data: days.map((d) => d.submitted), showSymbol: few, smooth: false },
          { name: t('fig.daily.decided'), type: 'line', data: days.map((d) => d.decided), showSymbol: few, smooth: false },
        ],
      },
      true,
    );
    chart.current.resize();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, days, locale]);

  if (failed) return <p className="muted">{t('fig.chartFailed', { reason: failed })}</p>;
  return <div ref={el} className="desk-chart" style={{ height: 220 }} data-testid="fig-daily" data-ready={ready ? 'true' : 'false'} role="img" aria-label={t('fig.daily.chart')} />;
}

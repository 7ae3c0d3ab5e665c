// Small pieces every service-desk screen shares: labels of stages, actions and colours, the
// time-limit chip, names in the reader's language, and office-time durations.
import type { AppColour } from '../../api/serviceDesk.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';

export const DESK_COLOURS: Record<AppColour, string> = { green: '#2e7d32', yellow: '#f9a825', red: '#d32f2f', paused: '#5b7fa6', none: '#b0b7c3' };

/** How urgent a colour is, most urgent first (the queue's "by urgency" order). */
export const URGENCY: Record<AppColour, number> = { red: 0, yellow: 1, green: 2, paused: 3, none: 4 };

/** Office hours in a working day (09:00–12:00, 13:00–17:00). */
const WORK_DAY_MS = 7 * 3600_000;

export function useDeskText() {
  const { t, locale, formatNumber } = useI18n();
  const known = (key: string, fallback: string) => {
    const text = t(key as MessageKey);
    return text === key ? fallback : text;
  };
  return {
    stage: (s: string) => known(`desk.stage.${s}`, s),
    action: (a: string) => known(`desk.event.${a}`, a),
    colour: (c: string) => known(`desk.colour.${c}`, c),
    /** The Chinese or English of a pair, as the reader reads. */
    name: (zh: string | null | undefined, en: string | null | undefined) => (locale === 'en' ? en || zh : zh || en) ?? '',
    /** Office time, as working hours under a day and working days above. */
    officeTime: (ms: number) => {
      if (ms <= 0) return t('desk.duration.none');
      const days = ms / WORK_DAY_MS;
      return days < 1 ? t('desk.duration.hours', { n: formatNumber(Math.round((ms / 3600_000) * 10) / 10) }) : t('desk.duration.days', { n: formatNumber(Math.round(days * 10) / 10) });
    },
    days: (n: number | null | undefined) => (n === null || n === undefined ? '—' : t('desk.days', { n: formatNumber(n) })),
    percent: (share: number | null | undefined) => (share === null || share === undefined ? '—' : `${formatNumber(Math.round(share * 1000) / 10)}%`),
  };
}

/** The time-limit colour with its label and, while the clock runs, the due time. */
export function DeskLimit({ colour, dueAt, level = 0 }: { colour: AppColour; dueAt: number | null; level?: number }) {
  const { t, formatTime } = useI18n();
  const text = useDeskText();
  if (colour === 'none') return <span className="muted" data-testid="app-limit" data-colour="none">—</span>;
  return (
    <span className={`limit-chip limit-${colour}`} data-testid="app-limit" data-colour={colour} title={dueAt ? formatTime(dueAt) : ''}>
      <span className="limit-dot" style={{ background: DESK_COLOURS[colour] }} />
      {text.colour(colour)}
      {level > 0 ? <span className="badge badge-special desk-escalated">{t('desk.escalated')}</span> : null}
      {dueAt && colour !== 'paused' ? <span className="limit-due"> · {formatTime(dueAt)}</span> : null}
    </span>
  );
}

/** A form value as text: options by their label, booleans as yes / no, numbers with their unit. */
export function useValueText() {
  const { t, locale, formatNumber } = useI18n();
  return (value: unknown, field?: { options?: Array<{ value: string; zh: string; en: string }>; unit?: string; unitEn?: string }): string => {
    if (value === null || value === undefined || value === '') return '—';
    if (typeof value === 'boolean') return value ? t('desk.yes') : t('desk.no');
    const option = field?.options?.find((o) => o.value === value);
    if (option) return locale === 'en' ? option.en : option.zh;
    const unit = locale === 'en' ? (field?.unitEn ?? field?.unit) : field?.unit;
    if (typeof value === 'number') return `${formatNumber(value)}${unit ? ` ${unit}` : ''}`;
    if (Array.isArray(value)) return value.map(String).join('、');
    if (typeof value === 'object') return JSON.stringify(value);
    return `${String(value)}${unit ? ` ${unit}` : ''}`;
  };
}

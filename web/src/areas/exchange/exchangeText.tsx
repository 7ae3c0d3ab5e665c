// Words and small pieces the data-exchange screens share: labels of sensitivity levels, frequencies,
// subject kinds, statuses, mask kinds and outcomes; field names in the reader's language; the
// subject scope as a sentence; the sensitivity badge and the outcome chip.
import type { FieldDef, SubjectScope } from '../../api/exchange.ts';
import type { Department } from '../../api/types.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';

/** The fields of each resource by name, from the catalogue (when the reader may read it). */
export type FieldDefs = ReadonlyMap<string, ReadonlyMap<string, FieldDef>>;

export function fieldDefs(resources: Array<{ code: string; fields: FieldDef[] }> | undefined): FieldDefs {
  return new Map((resources ?? []).map((r) => [r.code, new Map(r.fields.map((f) => [f.name, f]))]));
}

/** Shanghai's calendar day as epoch ms at its start (the city keeps one time zone, UTC+8). */
export function dayStart(date: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const ms = Date.parse(`${date}T00:00:00+08:00`);
  return Number.isNaN(ms) ? undefined : ms;
}

export function useExchangeText() {
  const { t, locale } = useI18n();
  const en = locale === 'en';
  const known = (key: string, fallback: string) => {
    const text = t(key as MessageKey);
    return text === key ? fallback : text;
  };
  const pick = (zh: string | null | undefined, e: string | null | undefined) => (en ? e || zh : zh || e) ?? '';
  return {
    en,
    pick,
    level: (n: number) => known(`xchg.level.${n}`, String(n)),
    frequency: (f: string) => known(`xchg.freq.${f}`, f),
    subjectKind: (k: string) => known(`xchg.subject.${k}`, k),
    status: (s: string) => known(`xchg.status.${s}`, s),
    mask: (m: string | undefined) => (m ? known(`xchg.mask.${m}`, m) : '—'),
    type: (ty: string) => known(`xchg.type.${ty}`, ty),
    /** A refusal code in words, or the code itself when it is not one the screens know. */
    refusal: (code: string) => known(`xchg.refusal.${code}`, code),
    /** A field's name: the resource's own words when known, else the common dictionary, else the name. */
    field: (name: string, def?: FieldDef) => (def ? pick(def.zh, def.en) : known(`xchg.field.${name}`, name)),
    /** A department by its code: the server's Chinese name, or in English the directory's English name. */
    dept: (code: string | null | undefined, zhName: string | null | undefined, depts?: ReadonlyMap<string, Department>): string => {
      const d = code ? depts?.get(code) : undefined;
      return (en ? d?.nameEn || zhName || d?.name : zhName || d?.name) || code || '—';
    },
    scope: (s: SubjectScope | null | undefined): string => {
      if (!s) return '—';
      if (s.kind === 'all') return t('xchg.scope.all');
      if (s.kind === 'jurisdiction') return t('xchg.scope.jurisdictionList', { codes: s.codes.join(', ') });
      return t('xchg.scope.subjectList', { n: s.ids.length, ids: s.ids.slice(0, 5).join(', ') + (s.ids.length > 5 ? ' …' : '') });
    },
  };
}

export type ExchangeText = ReturnType<typeof useExchangeText>;

/** 公开 / 内部 / 敏感 / 高度敏感, coloured by how carefully the field is handled. */
export function LevelBadge({ level }: { level: number }) {
  const text = useExchangeText();
  return (
    <span className={`badge xchg-level xchg-level-${level}`} data-testid="xchg-level" data-level={level}>
      {text.level(level)}
    </span>
  );
}

/** A log entry's outcome: provided, or refused with the code it was refused with. */
export function OutcomeChip({ outcome }: { outcome: string }) {
  const { t } = useI18n();
  const text = useExchangeText();
  if (outcome === 'ok')
    return (
      <span className="xchg-outcome xchg-outcome-ok" data-testid="xchg-outcome" data-outcome="ok">
        {t('xchg.outcome.ok')}
      </span>
    );
  return (
    <span className="xchg-outcome xchg-outcome-refused" data-testid="xchg-outcome" data-outcome={outcome} title={text.refusal(outcome)}>
      {t('xchg.outcome.refused')} <code className="xchg-code">{outcome}</code>
      <span className="xchg-outcome-why">{text.refusal(outcome) !== outcome ? text.refusal(outcome) : ''}</span>
    </span>
  );
}

/** Field names as tags; the ones handed out masked (or needed in clear) marked. */
export function FieldTags({ names, defs, masked, clear, testId }: { names: string[]; defs?: ReadonlyMap<string, FieldDef>; masked?: string[]; clear?: string[]; testId?: string }) {
  const { t } = useI18n();
  const text = useExchangeText();
  if (!names.length) return <span className="muted">—</span>;
  return (
    <span className="xchg-tags" data-testid={testId}>
      {names.map((n) => (
        <span key={n} className={`tag${masked?.includes(n) ? ' xchg-tag-masked' : ''}${clear?.includes(n) ? ' xchg-tag-clear' : ''}`} data-field={n} title={n}>
          {text.field(n, defs?.get(n))}
          {masked?.includes(n) ? <span className="xchg-tag-note">{t('xchg.masked')}</span> : null}
          {clear?.includes(n) ? <span className="xchg-tag-note">{t('xchg.clear')}</span> : null}
        </span>
      ))}
    </span>
  );
}

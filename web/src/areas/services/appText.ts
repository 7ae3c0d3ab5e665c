// Words for the application screens that come from data: stages, colours, timeline actions, field
// labels and values in the current language.
import type { AppColour, FieldLayout, FieldSchema, Option } from '../../api/applications.ts';
import type { JurisdictionNode } from '../../api/types.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';

export interface AppText {
  en: boolean;
  /** Chinese or English of a bilingual pair. */
  pick(zh: string, en: string | null | undefined): string;
  stage(stage: string): string;
  bundleStage(stage: string): string;
  colour(colour: string): string;
  action(action: string): string;
  label(f: FieldLayout): string;
  help(f: FieldLayout): string | undefined;
  unit(f: FieldLayout): string | undefined;
  option(o: Option): string;
  /** A saved value as text: option names, 是/否, district names, numbers with their unit. */
  value(v: unknown, s: FieldSchema | undefined, f: FieldLayout, districts: JurisdictionNode[] | null): string;
  /** The server's reason in the current language, without the field it names (the label is right there). */
  reason(reason: string): string;
}

/** The server's reasons (ajv, in English) as messages of the current language. */
const REASONS: Array<[RegExp, MessageKey]> = [
  [/^is required/, 'apply.why.required'],
  [/^must be at least (\d+) characters/, 'apply.why.minLength'],
  [/^must be at most (\d+) characters/, 'apply.why.maxLength'],
  [/^must be at least (-?[\d.]+)$/, 'apply.why.min'],
  [/^must be at most (-?[\d.]+)$/, 'apply.why.max'],
  [/^must be integer/, 'apply.why.integer'],
  [/^must be number/, 'apply.why.number'],
  [/^must be boolean/, 'apply.why.choose'],
  [/^must be one of/, 'apply.why.choose'],
  [/^must be a date/, 'apply.why.date'],
  [/^is not in the expected format/, 'apply.why.format'],
  [/^is not a district/, 'apply.why.choose'],
];

const known = (t: (k: MessageKey) => string, key: string, fallback: string) => {
  const text = t(key as MessageKey);
  return text === key ? fallback : text;
};

export function useAppText(): AppText {
  const { t, locale, formatNumber } = useI18n();
  const en = locale === 'en';
  const pick = (zh: string, e: string | null | undefined) => (en && e ? e : zh);
  return {
    en,
    pick,
    stage: (s) => known(t, `apply.stage.${s}`, s),
    bundleStage: (s) => known(t, `bundle.stage.${s}`, s),
    colour: (c: AppColour | string) => known(t, `apply.colour.${c}`, c),
    action: (a) => known(t, `apply.action.${a}`, a),
    label: (f) => pick(f.zh, f.en),
    help: (f) => (en ? (f.helpEn ?? f.helpZh) : f.helpZh),
    unit: (f) => (en ? (f.unitEn ?? f.unit) : f.unit),
    option: (o) => pick(o.zh, o.en),
    value: (v, s, f, districts) => {
      if (v === undefined || v === null || v === '') return '—';
      if (typeof v === 'boolean') return v ? t('apply.yes') : t('apply.no');
      if (f.widget === 'district') {
        const d = districts?.find((x) => x.code === v);
        return d ? pick(d.name, d.nameEn) : String(v);
      }
      const o = f.options?.find((x) => x.value === v);
      if (o) return pick(o.zh, o.en);
      const unit = en ? (f.unitEn ?? f.unit) : f.unit;
      if (typeof v === 'number' || s?.type === 'number' || s?.type === 'integer') return `${typeof v === 'number' ? formatNumber(v) : String(v)}${unit ? ` ${unit}` : ''}`;
      return String(v);
    },
    reason: (raw) => {
      const r = raw.replace(/^(form|materials)\.\S+\s+/, '').replace(/\s*\([^()]*\)\s*$/, '');
      for (const [re, key] of REASONS) {
        const m = re.exec(r);
        if (m) return t(key, { n: m[1] ?? '' });
      }
      return r;
    },
  };
}

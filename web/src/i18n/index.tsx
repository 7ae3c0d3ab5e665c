// A tiny dictionary-based i18n: zh-CN (default) and English, the choice kept in localStorage and
// reflected in <html lang>. t('key', {name}) fills {name} placeholders; values stay plain text.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { zhCN, type MessageKey } from './zh-CN.ts';
import { en } from './en.ts';

export type Locale = 'zh-CN' | 'en';
export type { MessageKey };

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'yiwang.locale';

export function isLocale(v: unknown): v is Locale {
  return v === 'zh-CN' || v === 'en';
}

/** The stored choice, or zh-CN. */
export function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // storage blocked: fall through to the default
  }
  return 'zh-CN';
}

/** Translates a key in a locale; unknown keys come back as the key itself so gaps are visible. */
export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  const text = CATALOGUES[locale][key] ?? zhCN[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export interface I18n {
  locale: Locale;
  setLocale(l: Locale): void;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** A label for a value from an open set (levels, kinds, roles); falls back to the raw value. */
  label(prefix: 'level' | 'kind' | 'role' | 'deptKind' | 'cstatus' | 'action' | 'source', value: string): string;
  /** Formats an API timestamp (epoch ms or ISO string). */
  formatTime(value: string | number | null | undefined): string;
  formatNumber(n: number): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((l: Locale) => {
    setLocaleState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // the choice then lasts for this page only
    }
  }, []);

  const value = useMemo<I18n>(() => {
    const timeFmt = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
    const numFmt = new Intl.NumberFormat(locale);
    return {
      locale,
      setLocale,
      t: (key, params) => translate(locale, key, params),
      label: (prefix, value) => {
        const key = `${prefix}.${value}` as MessageKey;
        return key in zhCN ? translate(locale, key) : value;
      },
      formatTime: (v) => {
        if (v === null || v === undefined || v === '') return '';
        const d = new Date(typeof v === 'number' || /^\d+$/.test(v) ? Number(v) : v);
        return Number.isNaN(d.getTime()) ? String(v) : timeFmt.format(d);
      },
      formatNumber: (n) => numFmt.format(n),
    };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

import { useI18n, type Locale } from '../i18n/index.tsx';

/** 中文 | English — a two-button switch; the choice is kept in localStorage. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  const option = (l: Locale, text: string, id: string) => (
    <button type="button" lang={l} className={locale === l ? 'active' : ''} aria-pressed={locale === l} onClick={() => setLocale(l)} data-testid={id}>
      {text}
    </button>
  );
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')} data-testid="lang-switch">
      {option('zh-CN', '中文', 'lang-zh')}
      {option('en', 'English', 'lang-en')}
    </div>
  );
}

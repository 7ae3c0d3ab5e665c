import { useI18n } from '../i18n/index.tsx';

/**
 * A place's name: Chinese in zh-CN; in English the English name with the Chinese beside it in
 * smaller type, so staff can still match it to signs and documents.
 */
export function PlaceName({ name, nameEn, className }: { name: string; nameEn?: string | null; className?: string }) {
  const { locale } = useI18n();
  if (locale === 'zh-CN' || !nameEn || nameEn === name) {
    return (
      <span className={className} lang="zh-CN">
        {name}
      </span>
    );
  }
  return (
    <span className={className}>
      <span lang="en">{nameEn}</span> <small className="zh-aside" lang="zh-CN">{name}</small>
    </span>
  );
}

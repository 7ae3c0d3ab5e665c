// "One thing, one go" bundles (一件事) as cards, each opening its questionnaire.
import type { BundleSummary } from '../../api/applications.ts';
import { Link } from '../../app/router.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { useAppText } from './appText.ts';

export function BundleCards({ items }: { items: BundleSummary[] }) {
  const { t } = useI18n();
  const text = useAppText();
  return (
    <ul className="bundle-cards" data-testid="svc-bundles">
      {items.map((b) => (
        <li key={b.code} className="bundle-card" data-testid="svc-bundle" data-code={b.code}>
          <Link to={`/portal/bundles/${encodeURIComponent(b.code)}`} className="bundle-card-link">
            <span className="badge app-badge-bundle">{t('bundle.badge')}</span>
            <strong className="bundle-card-name">{text.pick(b.nameZh, b.nameEn)}</strong>
            <span className="bundle-card-summary">{text.pick(b.summaryZh, b.summaryEn)}</span>
            <span className="muted">
              {t('bundle.counts', { items: b.items, depts: b.departments })} · <span className="link">{t('bundle.open')}</span>
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

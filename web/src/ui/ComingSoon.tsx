import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { Link } from '../app/router.tsx';
import { Icon } from './icons.tsx';

/** An honest placeholder for a feature that is not built yet: no invented data. */
export function ComingSoon({ feature, available }: { feature: MessageKey; available: Array<{ to: string; label: MessageKey }> }) {
  const { t } = useI18n();
  return (
    <section className="panel coming-soon" data-testid="coming-soon">
      <div className="coming-soon-mark" aria-hidden="true">
        <Icon name="doc" size={28} />
      </div>
      <h2>
        {t(feature)} <span className="badge badge-soon">{t('soon.title')}</span>
      </h2>
      <p>{t('soon.text', { feature: t(feature) })}</p>
      {available.length > 0 && (
        <p className="coming-soon-links">
          {t('soon.now')}
          {available.map((a) => (
            <Link key={a.to} to={a.to} className="link">
              {t(a.label)}
            </Link>
          ))}
        </p>
      )}
    </section>
  );
}

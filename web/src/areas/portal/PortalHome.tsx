import { Link } from '../../app/router.tsx';
import { useAccount } from '../../app/session.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { Icon, type IconName } from '../../ui/icons.tsx';
import { LocateBox } from '../../ui/LocateBox.tsx';
import { useUnread } from '../../ui/unread.tsx';
import { ScopeCard } from '../ScopeSummary.tsx';

const QUICK: Array<{ page: string; label: MessageKey; icon: IconName; soon?: boolean }> = [
  { page: 'services', label: 'nav.services', icon: 'search' },
  { page: 'bundles', label: 'nav.bundles', icon: 'layers' },
  { page: 'applications', label: 'nav.applications', icon: 'doc' },
  { page: 'my-data', label: 'mydata.nav', icon: 'eye' },
  { page: 'wallet', label: 'nav.wallet', icon: 'wallet' },
  { page: 'certificates', label: 'cert.nav', icon: 'doc' },
  { page: 'report', label: 'nav.report', icon: 'camera' },
  { page: 'jurisdictions', label: 'nav.jurisdictions', icon: 'tree' },
  { page: 'messages', label: 'nav.messages', icon: 'mail' },
];

export function PortalHome() {
  const { t } = useI18n();
  const account = useAccount();
  const { total } = useUnread();
  return (
    <div className="portal-home">
      <section className="hero" data-testid="portal-hero">
        <h1 data-testid="page-title">{t('portal.welcome', { name: account.displayName })}</h1>
        <p>{t('portal.welcomeText')}</p>
      </section>
      <section className="panel">
        <h2 className="panel-title">{t('portal.quick')}</h2>
        <div className="quick-grid">
          {QUICK.map((q) => (
            <Link key={q.page} to={`/portal/${q.page}`} className={`quick${q.soon ? ' soon' : ''}`} data-testid={`quick-${q.page}`}>
              <span className="quick-icon">
                <Icon name={q.icon} size={26} />
              </span>
              <span className="quick-label">{t(q.label)}</span>
              {q.soon ? <span className="badge badge-soon">{t('nav.soon')}</span> : q.page === 'messages' && total > 0 ? <span className="badge badge-count">{t('inbox.unreadN', { n: total })}</span> : null}
            </Link>
          ))}
        </div>
      </section>
      <div className="two-col">
        <LocateBox browsePath="/portal/jurisdictions" />
        <ScopeCard scopeCode={account.scopeCode} browsePath="/portal/jurisdictions" title={account.scopeCode ? t('portal.myArea') : t('portal.cityArea')} />
      </div>
    </div>
  );
}

// The frame every area shares: a header (area name, user, role, scope, language, bell, logout)
// and the area's navigation — top tabs, a side bar or a bottom tab bar.
import type { ReactNode } from 'react';
import type { AreaId } from '../app/areas.ts';
import { Link } from '../app/router.tsx';
import { useAccount, useSession } from '../app/session.tsx';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { Bell } from './Bell.tsx';
import { Icon, type IconName } from './icons.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { PlaceName } from './PlaceName.tsx';
import { useScopeDetail } from './scope.ts';
import { UnreadProvider } from './unread.tsx';

export interface NavItem {
  /** '' for the area's home page. */
  page: string;
  label: MessageKey;
  icon: IconName;
  /** Not built yet: the page says so honestly. */
  soon?: boolean;
  /** The page fills the frame below the navigation edge to edge (a map), without the page margins. */
  full?: boolean;
}

interface Props {
  area: AreaId;
  nav: NavItem[];
  /** The page segment currently shown. */
  current: string;
  layout: 'top' | 'side' | 'bottom';
  /** Extra header controls (the portal's elder-mode switch). */
  headerExtra?: ReactNode;
  className?: string;
  children: ReactNode;
}

export function pagePath(area: AreaId, page: string): string {
  return page ? `/${area}/${page}` : `/${area}`;
}

function UserBlock() {
  const { t, label } = useI18n();
  const account = useAccount();
  const scope = useScopeDetail(account.scopeCode);
  const roles = account.roles.filter((r) => r !== 'system');
  return (
    <div className="user-block" data-testid="user-block">
      <span className="user-name" data-testid="user-name">
        {account.displayName}
      </span>
      <span className="user-meta">
        <span data-testid="user-role">{roles.map((r) => label('role', r)).join(' / ')}</span>
        <span className="sep" aria-hidden="true">
          ·
        </span>
        <span data-testid="user-scope" title={t('header.scope')}>
          {scope.data ? (
            <PlaceName name={scope.data.node.name} nameEn={scope.data.node.nameEn} />
          ) : account.scopeName ? (
            account.scopeName
          ) : (
            t(account.kind === 'enterprise' ? 'header.enterpriseAccount' : 'header.noScope')
          )}
        </span>
      </span>
    </div>
  );
}

export function AreaFrame({ area, nav, current, layout, headerExtra, className, children }: Props) {
  const { t } = useI18n();
  const { signOut } = useSession();
  const navEl = (
    <nav className={`area-nav nav-${layout}`} aria-label={t('header.menu')} data-testid="nav">
      {nav.map((item) => {
        const active = item.page === current;
        return (
          <Link
            key={item.page}
            to={pagePath(area, item.page)}
            className={`nav-item${active ? ' active' : ''}${item.soon ? ' soon' : ''}`}
            aria-current={active ? 'page' : undefined}
            title={item.soon ? `${t(item.label)} · ${t('nav.soon')}` : undefined}
            data-testid={`nav-${item.page || 'home'}`}
          >
            <Icon name={item.icon} size={layout === 'bottom' ? 22 : 18} />
            <span className="nav-label">{t(item.label)}</span>
            {item.soon && layout !== 'side' && <span className="visually-hidden"> ({t('nav.soon')})</span>}
            {item.soon && layout === 'side' && <span className="nav-soon">{t('nav.soon')}</span>}
          </Link>
        );
      })}
    </nav>
  );
  return (
    <UnreadProvider>
      <div className={`frame frame-${area} layout-${layout} ${className ?? ''}`} data-testid="area-frame" data-area={area}>
        <a className="skip-link" href="#main">
          {t('header.menu')}
        </a>
        <header className="area-header">
          <Link to={pagePath(area, '')} className="brand">
            <span className="brand-mark" aria-hidden="true">
              一网
            </span>
            <span className="brand-text">
              <span className="brand-area" data-testid="area-title">
                {t(`area.${area}` as MessageKey)}
              </span>
              <span className="brand-sub">{t('app.fullName')}</span>
            </span>
          </Link>
          <div className="header-tools">
            <UserBlock />
            {headerExtra}
            <LanguageSwitch />
            <Bell to={pagePath(area, 'messages')} />
            <button type="button" className="btn-logout" onClick={() => void signOut()} data-testid="logout" title={t('header.logout')}>
              <Icon name="logout" size={18} />
              <span>{t('header.logout')}</span>
            </button>
          </div>
        </header>
        {layout === 'top' && navEl}
        <div className="area-body">
          {layout === 'side' && navEl}
          <main id="main" className="area-main" tabIndex={-1}>
            {children}
          </main>
        </div>
        {layout === 'bottom' && navEl}
      </div>
    </UnreadProvider>
  );
}

import { Link } from '../../app/router.tsx';
import { useAccount } from '../../app/session.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { PlaceName } from '../../ui/PlaceName.tsx';
import { useScopeDetail } from '../../ui/scope.ts';
import { useUnread } from '../../ui/unread.tsx';
import { ComingSoon } from '../../ui/ComingSoon.tsx';
import { PageTitle } from '../shared.tsx';
import { ScopeCard } from '../ScopeSummary.tsx';

export function WorkbenchHome() {
  const { t, label } = useI18n();
  const account = useAccount();
  const scope = useScopeDetail(account.scopeCode);
  const { total } = useUnread();
  return (
    <>
      <PageTitle title={t('workbench.welcome', { name: account.displayName })} />
      <div className="two-col">
        <section className="panel" data-testid="profile">
          <h2 className="panel-title">{t('workbench.profile')}</h2>
          <dl className="facts facts-stacked">
            <div>
              <dt>{t('workbench.department')}</dt>
              <dd>{account.departmentName ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('header.scope')}</dt>
              <dd>{scope.data ? <PlaceName name={scope.data.node.name} nameEn={scope.data.node.nameEn} /> : (account.scopeName ?? t('header.scopeCity'))}</dd>
            </div>
            <div>
              <dt>{t('header.user')}</dt>
              <dd>
                {account.displayName} <span className="muted">({account.username})</span> · {account.roles.map((r) => label('role', r)).join(' / ')}
              </dd>
            </div>
            <div>
              <dt>{t('nav.messages')}</dt>
              <dd>
                <Link to="/workbench/messages" className="link">
                  {total > 0 ? t('header.unread', { n: total }) : t('header.noUnread')}
                </Link>
              </dd>
            </div>
          </dl>
        </section>
        <ScopeCard scopeCode={account.scopeCode} browsePath="/workbench/jurisdictions" title={t('workbench.scopeSummary')} />
      </div>
      <ComingSoon
        feature="nav.queue"
        available={[
          { to: '/workbench/jurisdictions', label: 'nav.jurisdictions' },
          { to: '/workbench/departments', label: 'nav.departments' },
        ]}
      />
    </>
  );
}

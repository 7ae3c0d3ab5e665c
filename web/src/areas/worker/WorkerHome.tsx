import { Link } from '../../app/router.tsx';
import { useAccount } from '../../app/session.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { Icon } from '../../ui/icons.tsx';
import { LocateBox } from '../../ui/LocateBox.tsx';
import { ScopeCard } from '../ScopeSummary.tsx';

export function WorkerHome() {
  const { t } = useI18n();
  const account = useAccount();
  return (
    <div className="worker-home">
      <h1 className="worker-hello" data-testid="page-title">
        {t('worker.hello', { name: account.displayName })}
      </h1>
      <ScopeCard scopeCode={account.scopeCode} browsePath="/worker/jurisdictions" title={t('worker.myGrid')} />
      <div className="worker-tiles">
        <Link to="/worker/tasks" className="worker-tile" data-testid="tile-tasks">
          <Icon name="tasks" size={26} />
          <span>{t('nav.tasks')}</span>
        </Link>
        <Link to="/worker/report" className="worker-tile" data-testid="tile-report">
          <Icon name="camera" size={26} />
          <span>{t('nav.report')}</span>
        </Link>
      </div>
      <LocateBox browsePath="/worker/jurisdictions" compact />
    </div>
  );
}

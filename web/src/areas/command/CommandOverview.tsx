// The operations centre's overview: the scope's real structure as big figures and a ranking.
// Live feeds (alerts, cases, vitals) are named as coming, not faked; the map is one click away.
import { Link } from '../../app/router.tsx';
import { useAccount } from '../../app/session.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ErrorNote, Loading } from '../../ui/ErrorNote.tsx';
import { JurisdictionFlags, LevelTag } from '../../ui/Flags.tsx';
import { Icon, type IconName } from '../../ui/icons.tsx';
import { PlaceName } from '../../ui/PlaceName.tsx';
import { useUnread } from '../../ui/unread.tsx';
import { nextLevel, useScopeFigures } from '../ScopeSummary.tsx';
import { Clock } from './Clock.tsx';

const LATER: Array<{ page: string; label: MessageKey; icon: IconName }> = [
  { page: 'alerts', label: 'nav.alerts', icon: 'alert' },
  { page: 'vitals', label: 'nav.vitals', icon: 'chart' },
];

export function CommandOverview() {
  const { t, label, formatNumber } = useI18n();
  const account = useAccount();
  const { total } = useUnread();
  const { figures, error, reload } = useScopeFigures(account.scopeCode);
  if (error) return <ErrorNote error={error} onRetry={reload} />;
  if (!figures) return <Loading />;
  const { node, children } = figures;
  const max = Math.max(1, ...children.map((c) => c.childCount));
  const ranked = [...children].sort((a, b) => b.childCount - a.childCount);
  const below = children[0] ? label('level', nextLevel(children[0].level)) : '';
  return (
    <div className="command-overview">
      <div className="command-banner">
        <div>
          <span className="muted">{t('command.scope')}</span>
          <h1 data-testid="page-title">
            <PlaceName name={node.name} nameEn={node.nameEn} />
          </h1>
          <span className="command-banner-meta">
            <LevelTag node={node} /> <code className="code">{node.code}</code> <JurisdictionFlags node={node} />
          </span>
        </div>
        <Clock />
      </div>
      <div className="kpis">
        {figures.byKind.map(([kind, n]) => (
          <div className="kpi" key={kind} data-testid={`kpi-${kind}`}>
            <span className="kpi-label">{label('kind', kind)}</span>
            <span className="kpi-value">{formatNumber(n)}</span>
          </div>
        ))}
        {figures.grandchildren > 0 && (
          <div className="kpi">
            <span className="kpi-label">{t('command.byLevel', { level: below })}</span>
            <span className="kpi-value">{formatNumber(figures.grandchildren)}</span>
          </div>
        )}
        {figures.special > 0 && (
          <div className="kpi">
            <span className="kpi-label">{t('j.special')}</span>
            <span className="kpi-value">{formatNumber(figures.special)}</span>
          </div>
        )}
        <Link to="/command/messages" className="kpi kpi-link">
          <span className="kpi-label">{t('inbox.unread')}</span>
          <span className="kpi-value">{formatNumber(total)}</span>
        </Link>
      </div>
      <div className="command-grid">
        <section className="panel" aria-label={t('command.children')}>
          <h2 className="panel-title">
            {t('command.children')} · {t('j.childCount')}
          </h2>
          <ol className="ranking" data-testid="ranking">
            {ranked.map((c) => (
              <li key={c.code}>
                <Link to={`/command/jurisdictions/${c.code}`} className="ranking-name" title={`${c.name} ${c.nameEn}`}>
                  <PlaceName name={c.name} nameEn={c.nameEn} />
                </Link>
                <span className="ranking-bar" aria-hidden="true">
                  <span style={{ width: `${(c.childCount / max) * 100}%` }} />
                </span>
                <span className="ranking-value">{formatNumber(c.childCount)}</span>
              </li>
            ))}
          </ol>
        </section>
        <section className="panel">
          <Link to="/command/map" className="later later-ready" data-testid="overview-map">
            <Icon name="map" size={22} />
            <span>{t('map.title')}</span>
            <Icon name="chevron" size={18} className="later-go" />
          </Link>
          <Link to="/command/cases" className="later later-ready" data-testid="overview-cases">
            <Icon name="doc" size={22} />
            <span>{t('nav.cases')}</span>
            <Icon name="chevron" size={18} className="later-go" />
          </Link>
          <h2 className="panel-title">{t('soon.title')}</h2>
          <p className="hint">{t('command.live')}</p>
          <ul className="later-list" data-testid="coming-soon">
            {LATER.map((l) => (
              <li key={l.page}>
                <Link to={`/command/${l.page}`} className="later">
                  <Icon name={l.icon} size={22} />
                  <span>{t(l.label)}</span>
                  <span className="badge badge-soon">{t('nav.soon')}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}

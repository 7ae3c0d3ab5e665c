// 数据共享 in the workbench, one lazily loaded entry with three tabs as sub-routes:
//   /workbench/exchange               the resource catalogue (资源目录) and the access request form
//   /workbench/exchange/requests[/id] requests and grants (申请与授权); one request by its id
//   /workbench/exchange/log           the exchange log (交换日志), with the chain check for administrators
// The catalogue is read once here: the other tabs name fields and resources from it.
import { listResources } from '../../api/exchange.ts';
import { Link, useLocation } from '../../app/router.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import '../../styles/desk.css';
import '../../styles/exchange.css';
import { useAsync } from '../../ui/useAsync.ts';
import { PageTitle } from '../shared.tsx';
import { ExchangeLog } from './ExchangeLog.tsx';
import { RequestList, RequestOne } from './RequestList.tsx';
import { ResourceCatalogue } from './ResourceCatalogue.tsx';

const BASE = '/workbench/exchange';
const TABS: Array<{ id: 'catalogue' | 'requests' | 'log'; path: string; label: MessageKey }> = [
  { id: 'catalogue', path: BASE, label: 'xchg.tab.catalogue' },
  { id: 'requests', path: `${BASE}/requests`, label: 'xchg.tab.requests' },
  { id: 'log', path: `${BASE}/log`, label: 'xchg.tab.log' },
];

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export default function ExchangeSection() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const [, , , sub = '', id] = pathname.split('/').map(decode);
  const tab = sub === 'requests' || sub === 'log' ? sub : 'catalogue';
  const resources = useAsync((signal) => listResources(signal).then((r) => r.items), []);

  return (
    <div className="xchg-page" data-testid="xchg-page" data-tab={tab}>
      <PageTitle title={t('xchg.title')}>
        <nav className="toolbar xchg-tabs" role="tablist" aria-label={t('xchg.title')}>
          {TABS.map((x) => (
            <Link key={x.id} to={x.path} role="tab" aria-selected={x.id === tab} className={`btn btn-small${x.id === tab ? ' btn-primary' : ''}`} data-testid={`xchg-tab-${x.id}`}>
              {t(x.label)}
            </Link>
          ))}
        </nav>
      </PageTitle>
      {tab === 'catalogue' && <ResourceCatalogue resources={resources} />}
      {tab === 'requests' && (id ? <RequestOne key={id} id={id} resources={resources.data} back={`${BASE}/requests`} /> : <RequestList resources={resources.data} base={`${BASE}/requests`} />)}
      {tab === 'log' && <ExchangeLog resources={resources.data} />}
    </div>
  );
}

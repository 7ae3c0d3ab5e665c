// 一网通办 for citizens and companies: top navigation, elder mode.
import { useLocation } from '../../app/router.tsx';
import { AreaFrame, type NavItem } from '../../ui/AreaFrame.tsx';
import { JurisdictionsPage, MessagesPage, NotFoundPage, pageOf, SoonPage } from '../shared.tsx';
import { ElderToggle } from './ElderToggle.tsx';
import { useElderMode } from './elder.ts';
import { PortalHome } from './PortalHome.tsx';

const NAV: NavItem[] = [
  { page: '', label: 'nav.home', icon: 'home' },
  { page: 'services', label: 'nav.services', icon: 'search', soon: true },
  { page: 'applications', label: 'nav.applications', icon: 'doc', soon: true },
  { page: 'wallet', label: 'nav.wallet', icon: 'wallet', soon: true },
  { page: 'report', label: 'nav.report', icon: 'camera', soon: true },
  { page: 'jurisdictions', label: 'nav.jurisdictions', icon: 'tree' },
  { page: 'messages', label: 'nav.messages', icon: 'mail' },
];

export default function PortalArea() {
  const { pathname } = useLocation();
  const { page, param } = pageOf(pathname);
  const [elder, setElder] = useElderMode();
  const item = NAV.find((n) => n.page === page);
  let content;
  if (!item) content = <NotFoundPage area="portal" />;
  else if (item.soon) content = <SoonPage area="portal" feature={item.label} />;
  else if (page === '') content = <PortalHome />;
  else if (page === 'jurisdictions') content = <JurisdictionsPage area="portal" param={param} />;
  else content = <MessagesPage />;
  return (
    <AreaFrame area="portal" nav={NAV} current={page} layout="top" className={elder ? 'elder' : ''} headerExtra={<ElderToggle on={elder} onChange={setElder} />}>
      {content}
    </AreaFrame>
  );
}

// The operations centre (一网统管): dark big-screen styling, top tabs.
import { useLocation } from '../../app/router.tsx';
import { AreaFrame, type NavItem } from '../../ui/AreaFrame.tsx';
import { DepartmentsPage, JurisdictionsPage, LocatePage, MessagesPage, NotFoundPage, pageOf, SoonPage } from '../shared.tsx';
import { CommandOverview } from './CommandOverview.tsx';

const NAV: NavItem[] = [
  { page: '', label: 'nav.overview', icon: 'overview' },
  { page: 'map', label: 'nav.map', icon: 'map', soon: true },
  { page: 'alerts', label: 'nav.alerts', icon: 'alert', soon: true },
  { page: 'cases', label: 'nav.cases', icon: 'doc', soon: true },
  { page: 'vitals', label: 'nav.vitals', icon: 'chart', soon: true },
  { page: 'emergency', label: 'nav.emergency', icon: 'siren', soon: true },
  { page: 'jurisdictions', label: 'nav.jurisdictions', icon: 'tree' },
  { page: 'locate', label: 'nav.locate', icon: 'pin' },
  { page: 'departments', label: 'nav.departments', icon: 'building' },
  { page: 'messages', label: 'nav.messages', icon: 'mail' },
];

export default function CommandArea() {
  const { pathname } = useLocation();
  const { page, param } = pageOf(pathname);
  const item = NAV.find((n) => n.page === page);
  let content;
  if (!item) content = <NotFoundPage area="command" />;
  else if (item.soon) content = <SoonPage area="command" feature={item.label} />;
  else if (page === '') content = <CommandOverview />;
  else if (page === 'jurisdictions') content = <JurisdictionsPage area="command" param={param} />;
  else if (page === 'locate') content = <LocatePage area="command" />;
  else if (page === 'departments') content = <DepartmentsPage />;
  else content = <MessagesPage />;
  return (
    <AreaFrame area="command" nav={NAV} current={page} layout="top">
      {content}
    </AreaFrame>
  );
}

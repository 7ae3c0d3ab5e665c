// Grid workers on a phone: compact header, bottom tab bar, one column.
import { useLocation } from '../../app/router.tsx';
import { AreaFrame, type NavItem } from '../../ui/AreaFrame.tsx';
import { DepartmentsPage, JurisdictionsPage, MessagesPage, NotFoundPage, pageOf, SoonPage } from '../shared.tsx';
import { WorkerHome } from './WorkerHome.tsx';

const NAV: NavItem[] = [
  { page: '', label: 'nav.home', icon: 'home' },
  { page: 'tasks', label: 'nav.tasks', icon: 'tasks', soon: true },
  { page: 'report', label: 'nav.report', icon: 'camera', soon: true },
  { page: 'jurisdictions', label: 'nav.grid', icon: 'tree' },
  { page: 'departments', label: 'nav.departments', icon: 'building' },
  { page: 'messages', label: 'nav.messages', icon: 'mail' },
];

export default function WorkerArea() {
  const { pathname } = useLocation();
  const { page, param } = pageOf(pathname);
  const item = NAV.find((n) => n.page === page);
  let content;
  if (!item) content = <NotFoundPage area="worker" />;
  else if (item.soon) content = <SoonPage area="worker" feature={item.label} />;
  else if (page === '') content = <WorkerHome />;
  else if (page === 'jurisdictions') content = <JurisdictionsPage area="worker" param={param} />;
  else if (page === 'departments') content = <DepartmentsPage />;
  else content = <MessagesPage />;
  return (
    <AreaFrame area="worker" nav={NAV} current={page} layout="bottom">
      {content}
    </AreaFrame>
  );
}

// The department workbench: side navigation, dense tables.
import { useLocation } from '../../app/router.tsx';
import { AreaFrame, type NavItem } from '../../ui/AreaFrame.tsx';
import { DepartmentsPage, JurisdictionsPage, LocatePage, MessagesPage, NotFoundPage, pageOf, SoonPage } from '../shared.tsx';
import { WorkbenchHome } from './WorkbenchHome.tsx';

const NAV: NavItem[] = [
  { page: '', label: 'nav.overview', icon: 'overview' },
  { page: 'queue', label: 'nav.queue', icon: 'list', soon: true },
  { page: 'cases', label: 'nav.cases', icon: 'doc', soon: true },
  { page: 'jurisdictions', label: 'nav.jurisdictions', icon: 'tree' },
  { page: 'locate', label: 'nav.locate', icon: 'pin' },
  { page: 'departments', label: 'nav.departments', icon: 'building' },
  { page: 'messages', label: 'nav.messages', icon: 'mail' },
];

export default function WorkbenchArea() {
  const { pathname } = useLocation();
  const { page, param } = pageOf(pathname);
  const item = NAV.find((n) => n.page === page);
  let content;
  if (!item) content = <NotFoundPage area="workbench" />;
  else if (item.soon) content = <SoonPage area="workbench" feature={item.label} />;
  else if (page === '') content = <WorkbenchHome />;
  else if (page === 'jurisdictions') content = <JurisdictionsPage area="workbench" param={param} />;
  else if (page === 'locate') content = <LocatePage area="workbench" />;
  else if (page === 'departments') content = <DepartmentsPage />;
  else content = <MessagesPage />;
  return (
    <AreaFrame area="workbench" nav={NAV} current={page} layout="side">
      {content}
    </AreaFrame>
  );
}

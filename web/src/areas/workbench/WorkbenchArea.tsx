// The department workbench: side navigation, dense tables.
import type { NavItem } from '../../ui/AreaFrame.tsx';
import { AreaShell } from '../AreaShell.tsx';
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
  return <AreaShell area="workbench" nav={NAV} home={<WorkbenchHome />} layout="side" />;
}

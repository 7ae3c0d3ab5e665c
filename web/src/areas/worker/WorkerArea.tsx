// Grid workers on a phone: compact header, bottom tab bar, one column.
import type { NavItem } from '../../ui/AreaFrame.tsx';
import { AreaShell } from '../AreaShell.tsx';
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
  return <AreaShell area="worker" nav={NAV} home={<WorkerHome />} layout="bottom" />;
}

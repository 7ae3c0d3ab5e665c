// Grid workers on a phone: compact header, bottom tab bar, one column.
import { lazy, Suspense } from 'react';
import type { NavItem } from '../../ui/AreaFrame.tsx';
import { Loading } from '../../ui/ErrorNote.tsx';
import { AreaShell } from '../AreaShell.tsx';
import { WorkerHome } from './WorkerHome.tsx';

const NAV: NavItem[] = [
  { page: '', label: 'nav.home', icon: 'home' },
  { page: 'tasks', label: 'nav.tasks', icon: 'tasks' },
  { page: 'report', label: 'nav.report', icon: 'camera' },
  { page: 'jurisdictions', label: 'nav.grid', icon: 'tree' },
  { page: 'departments', label: 'nav.departments', icon: 'building' },
  { page: 'messages', label: 'nav.messages', icon: 'mail' },
];

const CasesSection = lazy(() => import('../cases/CasesSection.tsx'));
const PAGES = {
  tasks: (
    <Suspense fallback={<Loading />}>
      <CasesSection area="worker" view="tasks" />
    </Suspense>
  ),
  report: (
    <Suspense fallback={<Loading />}>
      <CasesSection area="worker" view="report" />
    </Suspense>
  ),
};

export default function WorkerArea() {
  return <AreaShell area="worker" nav={NAV} home={<WorkerHome />} layout="bottom" pages={PAGES} />;
}

// The operations centre (一网统管): dark big-screen styling, top tabs.
import { lazy, Suspense } from 'react';
import type { NavItem } from '../../ui/AreaFrame.tsx';
import { Loading } from '../../ui/ErrorNote.tsx';
import { AreaShell } from '../AreaShell.tsx';
import { CommandOverview } from './CommandOverview.tsx';

// MapLibre is large: only the map page loads it.
const CommandMap = lazy(() => import('./map/CommandMap.tsx'));
const CasesSection = lazy(() => import('../cases/CasesSection.tsx'));

const NAV: NavItem[] = [
  { page: '', label: 'nav.overview', icon: 'overview' },
  { page: 'map', label: 'nav.map', icon: 'map', full: true },
  { page: 'alerts', label: 'nav.alerts', icon: 'alert', soon: true },
  { page: 'cases', label: 'nav.cases', icon: 'doc' },
  { page: 'vitals', label: 'nav.vitals', icon: 'chart', soon: true },
  { page: 'emergency', label: 'nav.emergency', icon: 'siren', soon: true },
  { page: 'jurisdictions', label: 'nav.jurisdictions', icon: 'tree' },
  { page: 'locate', label: 'nav.locate', icon: 'pin' },
  { page: 'departments', label: 'nav.departments', icon: 'building' },
  { page: 'messages', label: 'nav.messages', icon: 'mail' },
];

const PAGES = {
  cases: (
    <Suspense fallback={<Loading />}>
      <CasesSection area="command" view="cases" />
    </Suspense>
  ),
  map: (
    <Suspense fallback={<Loading />}>
      <CommandMap />
    </Suspense>
  ),
};

export default function CommandArea() {
  return <AreaShell area="command" nav={NAV} home={<CommandOverview />} layout="top" pages={PAGES} />;
}

// The operations centre (一网统管): dark big-screen styling, top tabs.
import type { NavItem } from '../../ui/AreaFrame.tsx';
import { AreaShell } from '../AreaShell.tsx';
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
  return <AreaShell area="command" nav={NAV} home={<CommandOverview />} layout="top" />;
}

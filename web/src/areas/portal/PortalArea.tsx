// 一网通办 for citizens and companies: top navigation, elder mode.
import type { NavItem } from '../../ui/AreaFrame.tsx';
import { AreaShell } from '../AreaShell.tsx';
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
  const [elder, setElder] = useElderMode();
  return (
    <AreaShell
      area="portal"
      nav={NAV}
      home={<PortalHome />}
      layout="top"
      className={elder ? 'elder' : ''}
      headerExtra={<ElderToggle on={elder} onChange={setElder} />}
    />
  );
}

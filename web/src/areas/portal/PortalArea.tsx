// 一网通办 for citizens and companies: top navigation, elder mode.
import { lazy, Suspense } from 'react';
import type { NavItem } from '../../ui/AreaFrame.tsx';
import { Loading } from '../../ui/ErrorNote.tsx';
import { AreaShell } from '../AreaShell.tsx';
import { ElderToggle } from './ElderToggle.tsx';
import { useElderMode } from './elder.ts';
import { PortalHome } from './PortalHome.tsx';

const NAV: NavItem[] = [
  { page: '', label: 'nav.home', icon: 'home' },
  { page: 'services', label: 'nav.services', icon: 'search' },
  { page: 'bundles', label: 'nav.bundles', icon: 'layers' },
  { page: 'applications', label: 'nav.applications', icon: 'doc' },
  { page: 'my-data', label: 'mydata.nav', icon: 'eye' },
  { page: 'wallet', label: 'nav.wallet', icon: 'wallet' },
  { page: 'certificates', label: 'cert.nav', icon: 'doc' },
  { page: 'report', label: 'nav.report', icon: 'camera' },
  { page: 'reports', label: 'cases.mine.title', icon: 'list' },
  { page: 'nearby', label: 'cases.nearby.title', icon: 'pin' },
  { page: 'jurisdictions', label: 'nav.jurisdictions', icon: 'tree' },
  { page: 'messages', label: 'nav.messages', icon: 'mail' },
];

const CasesSection = lazy(() => import('../cases/CasesSection.tsx'));
const cases = (view: 'report' | 'reports' | 'nearby') => (
  <Suspense fallback={<Loading />}>
    <CasesSection area="portal" view={view} />
  </Suspense>
);
const ServicesPage = lazy(() => import('../services/ServicesPage.tsx'));
const ApplicationsSection = lazy(() => import('../services/ApplicationsSection.tsx'));
const applications = (view: 'applications' | 'bundles') => (
  <Suspense fallback={<Loading />}>
    <ApplicationsSection view={view} />
  </Suspense>
);
const WalletSection = lazy(() => import('../wallet/WalletSection.tsx'));
const wallet = (view: 'wallet' | 'certificates') => (
  <Suspense fallback={<Loading />}>
    <WalletSection view={view} />
  </Suspense>
);
const MyDataSection = lazy(() => import('../exchange/MyDataSection.tsx'));
const PAGES = {
  'my-data': (
    <Suspense fallback={<Loading />}>
      <MyDataSection />
    </Suspense>
  ),
  wallet: wallet('wallet'),
  certificates: wallet('certificates'),
  report: cases('report'),
  reports: cases('reports'),
  nearby: cases('nearby'),
  applications: applications('applications'),
  bundles: applications('bundles'),
  services: (
    <Suspense fallback={<Loading />}>
      <ServicesPage />
    </Suspense>
  ),
};

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
      pages={PAGES}
    />
  );
}

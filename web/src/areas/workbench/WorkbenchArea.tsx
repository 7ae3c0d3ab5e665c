// The department workbench: side navigation, dense tables.
import { lazy, Suspense } from 'react';
import { useAccount } from '../../app/session.tsx';
import { Loading } from '../../ui/ErrorNote.tsx';
import type { NavItem } from '../../ui/AreaFrame.tsx';
import type { Role } from '../../api/types.ts';
import { AreaShell } from '../AreaShell.tsx';
import { ComponentImportPage } from './ComponentImportPage.tsx';
import { RulesPage } from './RulesPage.tsx';
import { WorkbenchHome } from './WorkbenchHome.tsx';

const NAV: NavItem[] = [
  { page: '', label: 'nav.overview', icon: 'overview' },
  { page: 'applications', label: 'desk.nav.applications', icon: 'tasks' },
  { page: 'queue', label: 'nav.queue', icon: 'list' },
  { page: 'cases', label: 'nav.cases', icon: 'doc' },
  { page: 'hotline', label: 'cases.hotline.title', icon: 'bell' },
  { page: 'redesign', label: 'desk.nav.redesign', icon: 'layers' },
  { page: 'service-figures', label: 'desk.nav.figures', icon: 'chart' },
  { page: 'exchange', label: 'xchg.nav', icon: 'globe' },
  { page: 'jurisdictions', label: 'nav.jurisdictions', icon: 'tree' },
  { page: 'locate', label: 'nav.locate', icon: 'pin' },
  { page: 'departments', label: 'nav.departments', icon: 'building' },
  { page: 'component-import', label: 'componentImport.nav', icon: 'doc' },
  { page: 'rules', label: 'rules.nav', icon: 'list' },
  { page: 'messages', label: 'nav.messages', icon: 'mail' },
];

/** Importing components and writing rules need operators or administrators, not department staff. */
const CasesSection = lazy(() => import('../cases/CasesSection.tsx'));
const cases = (view: 'queue' | 'cases' | 'hotline') => (
  <Suspense fallback={<Loading />}>
    <CasesSection area="workbench" view={view} />
  </Suspense>
);

/** The service desk (一网通办 办件, 流程再造, 指标), loaded when one of its pages opens. */
const DeskSection = lazy(() => import('../desk/DeskSection.tsx'));
const desk = (view: 'applications' | 'redesign' | 'figures') => (
  <Suspense fallback={<Loading />}>
    <DeskSection view={view} />
  </Suspense>
);

/** 数据共享 (catalogue, requests and grants, exchange log), loaded when it opens. */
const ExchangeSection = lazy(() => import('../exchange/ExchangeSection.tsx'));

const IMPORTERS = new Set(['operator', 'admin']);
const MANAGER_PAGES = new Set(['component-import', 'rules', 'hotline']);
/**
 * Pages only some roles get: staff decide their department's applications and administrators read
 * them; the figures are for the same people (operators may read them too). The redesign report is
 * for everyone in the workbench.
 */
const PAGE_ROLES: Record<string, ReadonlySet<Role>> = {
  applications: new Set<Role>(['staff', 'admin']),
  'service-figures': new Set<Role>(['staff', 'admin', 'operator']),
  // Data sharing is a department's business: its staff ask, decide and read the log; administrators oversee.
  exchange: new Set<Role>(['staff', 'admin']),
};

export default function WorkbenchArea() {
  const account = useAccount();
  const manager = account.roles.some((r) => IMPORTERS.has(r));
  const nav = NAV.filter((n) => (manager || !MANAGER_PAGES.has(n.page)) && (!PAGE_ROLES[n.page] || account.roles.some((r) => PAGE_ROLES[n.page]!.has(r))));
  return (
    <AreaShell
      area="workbench"
      nav={nav}
      home={<WorkbenchHome />}
      layout="side"
      pages={{
        'component-import': <ComponentImportPage />,
        rules: <RulesPage />,
        queue: cases('queue'),
        cases: cases('cases'),
        hotline: cases('hotline'),
        applications: desk('applications'),
        redesign: desk('redesign'),
        'service-figures': desk('figures'),
        exchange: (
          <Suspense fallback={<Loading />}>
            <ExchangeSection />
          </Suspense>
        ),
      }}
    />
  );
}

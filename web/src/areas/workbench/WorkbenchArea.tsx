// The department workbench: side navigation, dense tables.
import { lazy, Suspense } from 'react';
import { useAccount } from '../../app/session.tsx';
import { Loading } from '../../ui/ErrorNote.tsx';
import type { NavItem } from '../../ui/AreaFrame.tsx';
import { AreaShell } from '../AreaShell.tsx';
import { ComponentImportPage } from './ComponentImportPage.tsx';
import { RulesPage } from './RulesPage.tsx';
import { WorkbenchHome } from './WorkbenchHome.tsx';

const NAV: NavItem[] = [
  { page: '', label: 'nav.overview', icon: 'overview' },
  { page: 'queue', label: 'nav.queue', icon: 'list' },
  { page: 'cases', label: 'nav.cases', icon: 'doc' },
  { page: 'hotline', label: 'cases.hotline.title', icon: 'bell' },
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

const IMPORTERS = new Set(['operator', 'admin']);
const MANAGER_PAGES = new Set(['component-import', 'rules', 'hotline']);

export default function WorkbenchArea() {
  const account = useAccount();
  const nav = account.roles.some((r) => IMPORTERS.has(r)) ? NAV : NAV.filter((n) => !MANAGER_PAGES.has(n.page));
  return <AreaShell area="workbench" nav={nav} home={<WorkbenchHome />} layout="side" pages={{ 'component-import': <ComponentImportPage />, rules: <RulesPage />, queue: cases('queue'), cases: cases('cases'), hotline: cases('hotline') }} />;
}

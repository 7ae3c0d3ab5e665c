// The cases pages of each area, one entry point (loaded lazily: the case map brings MapLibre):
// a list or, with an id in the path, the case page; the report form; public reports nearby.
import { useMemo, useState } from 'react';
import type { AreaId } from '../../app/areas.ts';
import { navigate, useLocation } from '../../app/router.tsx';
import { useAccount } from '../../app/session.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { useScopeDetail } from '../../ui/scope.ts';
import { PageTitle, pageOf } from '../shared.tsx';
import { CaseList } from './CaseList.tsx';
import { CasePage } from './CasePage.tsx';
import { NearbyReports } from './NearbyReports.tsx';
import { ReportForm } from './ReportForm.tsx';

export type CasesView = 'queue' | 'cases' | 'tasks' | 'reports' | 'report' | 'nearby' | 'hotline';

const TITLES = { queue: 'cases.queue.title', cases: 'cases.all.title', tasks: 'cases.tasks.title', reports: 'cases.mine.title', report: 'cases.report.title', nearby: 'cases.nearby.title', hotline: 'cases.hotline.title' } as const;

export default function CasesSection({ area, view }: { area: AreaId; view: CasesView }) {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const { param } = pageOf(pathname);
  const account = useAccount();
  const scope = useScopeDetail(account.scopeCode);
  const centre = useMemo<[number, number] | undefined>(() => {
    const c = scope.data?.node.centroid;
    return c ? [c[0], c[1]] : undefined;
  }, [scope.data]);
  // Where the list of tasks is "nearest first" from: the worker's position when the phone gives it.
  const [here, setHere] = useState<[number, number] | null>(null);
  const detailBase = `/${area}/${view === 'queue' || view === 'hotline' ? 'cases' : view === 'report' ? (area === 'worker' ? 'tasks' : 'reports') : view}`;

  if (param && view !== 'report' && view !== 'nearby' && view !== 'hotline') return <CasePage key={param} id={param} back={`/${area}/${view}`} />;
  return (
    <>
      <PageTitle title={t(TITLES[view])}>
        {view === 'tasks' && 'geolocation' in navigator && (
          <button type="button" className="btn btn-small" onClick={() => navigator.geolocation.getCurrentPosition((p) => setHere([p.coords.longitude, p.coords.latitude]))} data-testid="tasks-near-me">
            {t('cases.report.useMyLocation')}
          </button>
        )}
      </PageTitle>
      {view === 'queue' && <CaseList base={detailBase} filters={['open', 'red', 'yellow', 'escalated', 'mine']} look="table" />}
      {view === 'cases' && <CaseList base={detailBase} filters={['all', 'open', 'red', 'escalated']} look="table" />}
      {view === 'tasks' && <CaseList base={detailBase} filters={['mine', 'open']} look="cards" near={here ?? centre ?? null} />}
      {view === 'reports' && <CaseList base={detailBase} filters={['all']} look="cards" />}
      {view === 'report' && <ReportForm compact={area === 'worker'} center={centre} onDone={(c) => navigate(`${detailBase}/${c.id}`)} />}
      {view === 'nearby' && <NearbyReports />}
      {view === 'hotline' && <ReportForm hotline center={centre} onDone={(c) => navigate(`${detailBase}/${c.id}`)} />}
    </>
  );
}

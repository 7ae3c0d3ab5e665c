// /portal/applications — 我的办件: the applicant's applications and bundle applications, newest
// change first (the items of a bundle are shown inside it), and the results issued.
import { listApplications, listBundleApps, myResults } from '../../api/applications.ts';
import { Link } from '../../app/router.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNote, Loading } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { PageTitle } from '../shared.tsx';
import { useAppText } from './appText.ts';
import { ColourChip, StageBadge } from './badges.tsx';
import { ResultCard } from './ResultCard.tsx';

interface Row {
  kind: 'application' | 'bundle';
  id: string;
  name: string;
  stage: string;
  colour: string;
  dueAt: number | null;
  department: string | null;
  updatedAt: number;
  link: string;
}

export function MyApplications() {
  const { t, formatTime } = useI18n();
  const text = useAppText();
  const state = useAsync(async (signal) => {
    const [apps, bundles] = await Promise.all([listApplications(signal), listBundleApps(signal)]);
    return { apps: apps.items, bundles: bundles.items };
  }, []);
  const results = useAsync((signal) => myResults(signal), []);

  if (state.loading && !state.data) return <Loading />;
  if (state.error) return <ErrorNote error={state.error} onRetry={state.reload} />;
  const { apps, bundles } = state.data!;
  const rows: Row[] = [
    ...bundles.map<Row>((b) => ({ kind: 'bundle', id: b.id, name: text.pick(b.nameZh, b.nameEn), stage: b.stage, colour: 'none', dueAt: null, department: b.stage === 'draft' ? null : t('myapps.items', { n: apps.filter((a) => a.bundleId === b.id).length }), updatedAt: b.updatedAt, link: `/portal/bundles/applications/${b.id}` })),
    ...apps
      .filter((a) => !a.bundleId)
      .map<Row>((a) => ({ kind: 'application', id: a.id, name: text.pick(a.itemNameZh, a.itemNameEn), stage: a.stage, colour: a.colour, dueAt: a.dueAt, department: a.departmentName ? text.pick(a.departmentName, a.departmentNameEn) : null, updatedAt: a.updatedAt, link: `/portal/applications/${a.id}` })),
  ].sort((a, b) => b.updatedAt - a.updatedAt);

  return (
    <>
      <PageTitle title={t('myapps.title')}>
        <Link to="/portal/services" className="btn btn-small">
          {t('myapps.new')}
        </Link>
      </PageTitle>
      <section className="panel">
        {rows.length === 0 ? (
          <p className="muted" data-testid="myapps-empty">
            {t('myapps.none')}{' '}
            <Link className="link" to="/portal/services">
              {t('myapps.find')}
            </Link>
          </p>
        ) : (
          <ul className="app-list" data-testid="myapps">
            {rows.map((r) => (
              <li key={`${r.kind}-${r.id}`} data-testid="myapps-row" data-kind={r.kind} data-id={r.id} data-stage={r.stage}>
                <div className="app-list-main">
                  <Link to={r.link} className="svc-name">
                    {r.name}
                  </Link>
                  {r.kind === 'bundle' && <span className="badge app-badge-bundle">{t('bundle.badge')}</span>}
                  <StageBadge stage={r.stage} bundle={r.kind === 'bundle'} />
                  <ColourChip colour={r.colour} dueAt={r.dueAt} />
                </div>
                <div className="muted">
                  {r.id}
                  {r.department ? ` · ${r.department}` : ''} · {t('myapps.updated', { at: formatTime(r.updatedAt) })}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      {(results.data?.items.length ?? 0) > 0 && (
        <section className="panel" data-testid="my-results">
          <h2 className="panel-title">{t('myapps.results')}</h2>
          {results.data!.items.map((r) => (
            <ResultCard key={r.id} r={r} />
          ))}
        </section>
      )}
    </>
  );
}

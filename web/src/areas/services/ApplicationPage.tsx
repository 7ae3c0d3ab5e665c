// /portal/applications/:id — one application: the draft being filled in, or, once submitted,
// where it stands. The item's form (fields, materials, steps) comes with it.
import { useEffect, useState } from 'react';
import { getApplication, itemForm, type ApplicationView } from '../../api/applications.ts';
import { Link } from '../../app/router.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNote, Loading } from '../../ui/ErrorNote.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { PageTitle } from '../shared.tsx';
import { ApplicationDraft } from './ApplicationDraft.tsx';
import { ApplicationStatus } from './ApplicationStatus.tsx';
import { useAppText } from './appText.ts';
import { ColourChip, StageBadge } from './badges.tsx';

export function ApplicationPage({ id }: { id: string }) {
  const { t } = useI18n();
  const text = useAppText();
  const loaded = useAsync((signal) => getApplication(id, signal), [id]);
  const [app, setApp] = useState<ApplicationView | null>(null);
  useEffect(() => setApp(loaded.data ?? null), [loaded.data]);
  const code = app?.itemCode ?? null;
  const form = useAsync((signal) => (code ? itemForm(code, signal) : Promise.resolve(null)), [code]);

  if (loaded.loading && !app) return <Loading />;
  if (loaded.error) return <ErrorNote error={loaded.error} onRetry={loaded.reload} />;
  if (!app) return null;
  return (
    <div className="app-page" data-testid="app-page" data-id={app.id} data-stage={app.stage}>
      <PageTitle title={text.pick(app.itemNameZh, app.itemNameEn)}>
        <Link to="/portal/applications" className="btn btn-small">
          {t('apply.back')}
        </Link>
      </PageTitle>
      <p className="app-headline">
        <StageBadge stage={app.stage} testId="app-stage" />
        <ColourChip colour={app.colour} dueAt={app.dueAt} testId="app-colour" />
        <span className="muted">
          {app.id}
          {app.departmentName ? ` · ${text.pick(app.departmentName, app.departmentNameEn)}` : ''}
        </span>
      </p>
      {app.stage === 'draft' ? (
        form.error ? (
          <ErrorNote error={form.error} onRetry={form.reload} />
        ) : !form.data ? (
          <Loading />
        ) : (
          <ApplicationDraft key={app.id} app={app} form={form.data} onChange={setApp} />
        )
      ) : (
        <ApplicationStatus app={app} form={form.data ?? null} onChange={setApp} />
      )}
    </div>
  );
}

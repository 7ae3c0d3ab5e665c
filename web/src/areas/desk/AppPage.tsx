// One application as the department reviews it: who asks for what, where it stands against its
// time limits, the review steps, the form, the materials with previews, the decisions the reader
// may take now, and the timeline.
import { useEffect, useState } from 'react';
import { getApplication, itemForm, type ApplicationView } from '../../api/serviceDesk.ts';
import { Link } from '../../app/router.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNote, Loading } from '../../ui/ErrorNote.tsx';
import { Fact } from '../../ui/Fact.tsx';
import { useAsync } from '../../ui/useAsync.ts';
import { PageTitle } from '../shared.tsx';
import { AppActions } from './AppActions.tsx';
import { AppFormValues, AppStepper, AppTimeline } from './AppDetails.tsx';
import { AppMaterials } from './AppMaterials.tsx';
import { DeskLimit, useDeskText } from './deskText.tsx';

export function AppPage({ id, back }: { id: string; back: string }) {
  const { t, formatTime } = useI18n();
  const text = useDeskText();
  const loaded = useAsync((signal) => getApplication(id, signal), [id]);
  const [app, setApp] = useState<ApplicationView | null>(null);
  useEffect(() => setApp(loaded.data ?? null), [loaded.data]);
  const itemCode = app?.itemCode ?? '';
  const form = useAsync((signal) => (itemCode ? itemForm(itemCode, signal) : Promise.resolve(undefined)), [itemCode]);

  if (loaded.loading && !app) return <Loading />;
  if (loaded.error && !app) return <ErrorNote error={loaded.error} onRetry={loaded.reload} />;
  if (!app) return null;
  const clocked = app.stage === 'submitted' || app.stage === 'review' || app.stage === 'correction';

  return (
    <div className="desk-app" data-testid="desk-app" data-id={app.id} data-stage={app.stage} data-version={app.version}>
      <PageTitle title={`${text.name(app.itemNameZh, app.itemNameEn)} · ${app.id}`}>
        <Link to={back} className="btn btn-small" data-testid="app-back">
          {t('desk.back')}
        </Link>
      </PageTitle>
      <section className="panel desk-head">
        <dl className="facts desk-facts">
          <Fact label={t('desk.col.stage')}>
            <span className={`desk-stage desk-stage-${app.stage}`} data-testid="app-stage" data-stage={app.stage}>
              {text.stage(app.stage)}
            </span>
            {app.stepName && app.stage === 'review' ? <span className="muted"> · {text.name(app.stepName, app.stepNameEn)}</span> : null}
          </Fact>
          <Fact label={t('desk.col.limit')} testId="app-colour">
            {clocked ? <DeskLimit colour={app.colour} dueAt={app.dueAt} level={app.level} /> : app.late ? <span className="limit-red">{t('desk.late')}</span> : <span>{t('desk.onTime')}</span>}
          </Fact>
          {app.legalDueAt !== null && (
            <Fact label={t('desk.legalDue')} testId="app-legal-due">
              {formatTime(app.legalDueAt)}
            </Fact>
          )}
          <Fact label={t('desk.limits')}>
            {t('desk.limits.value', { promised: app.promisedDays, legal: app.legalDays })}
          </Fact>
          <Fact label={t('desk.paused')} testId="app-paused">
            {text.officeTime(app.pausedMs)}
            {app.stage === 'correction' ? <span className="muted"> · {t('desk.pausedNow')}</span> : null}
          </Fact>
          <Fact label={t('desk.col.applicant')} testId="app-applicant">
            {app.applicantName}
          </Fact>
          <Fact label={t('desk.col.department')}>{text.name(app.departmentName, app.departmentNameEn) || app.departmentCode || '—'}</Fact>
          <Fact label={t('desk.col.submitted')}>{formatTime(app.submittedAt) || '—'}</Fact>
          {app.acceptedAt !== null && <Fact label={t('desk.accepted')}>{formatTime(app.acceptedAt)}</Fact>}
          {app.bundleId && (
            <Fact label={t('desk.bundle')} testId="app-bundle-id">
              {app.bundleId}
            </Fact>
          )}
        </dl>
        <AppStepper app={app} />
        {app.correction && (
          <div className="note desk-correction" data-testid="app-correction">
            <strong>{t('desk.correctionAsked')}</strong>
            <span>{app.correction.note}</span>
          </div>
        )}
        {app.reasons && (
          <div className="note note-error" data-testid="app-reasons">
            <strong>{text.stage(app.stage)}</strong>
            <span>{app.reasons}</span>
          </div>
        )}
        {app.result && (
          <div className="note desk-result" data-testid="app-result">
            <strong>{t('desk.result')}</strong>
            <span>
              {text.name(app.result.titleZh, app.result.titleEn)} · {formatTime(app.result.issuedAt)}
              {app.result.validUntil ? ` · ${t('desk.validUntil', { at: formatTime(app.result.validUntil) })}` : ''}
            </span>
          </div>
        )}
      </section>
      <AppActions app={app} form={form.data} onChanged={setApp} onStale={loaded.reload} />
      <div className="desk-grid">
        <section className="panel">
          <h2 className="panel-title">{t('desk.form')}</h2>
          {form.error ? <ErrorNote error={form.error} onRetry={form.reload} /> : null}
          <AppFormValues app={app} form={form.data} />
        </section>
        <AppMaterials app={app} />
      </div>
      <AppTimeline app={app} />
    </div>
  );
}

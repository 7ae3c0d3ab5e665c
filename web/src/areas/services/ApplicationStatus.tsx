// A submitted application, read only: where it stands and its time limit, the steps, a correction
// to answer, the result, withdrawing, what was sent and what happened when.
import { useState } from 'react';
import { attachedFileUrl, resubmitApplication, withdrawApplication, type ApplicationView, type ItemFormReply } from '../../api/applications.ts';
import { Link } from '../../app/router.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { attachedOf } from './useDraft.ts';
import { AppSteps } from './AppSteps.tsx';
import { AppTimeline } from './AppTimeline.tsx';
import { CorrectionForm } from './CorrectionForm.tsx';
import { FormSummary } from './FormSummary.tsx';
import { MaterialsPanel } from './MaterialsPanel.tsx';
import { ResultCard } from './ResultCard.tsx';
import { useAppText } from './appText.ts';

function Withdraw({ app, onChange }: { app: ApplicationView; onChange(a: ApplicationView): void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      onChange(await withdrawApplication(app.id, note.trim() || undefined));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (!open)
    return (
      <button type="button" className="btn btn-large" onClick={() => setOpen(true)} data-testid="app-withdraw">
        {t('apply.withdraw')}
      </button>
    );
  return (
    <div className="app-withdraw-box">
      <label className="field">
        {t('apply.withdraw.note')}
        <textarea className="input app-textarea" rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} data-testid="app-withdraw-note" />
      </label>
      {error != null && <ErrorNote error={error} />}
      <div className="app-actions">
        <button type="button" className="btn btn-large app-danger" disabled={busy} onClick={() => void go()} data-testid="app-withdraw-yes">
          {t('apply.withdraw.yes')}
        </button>
        <button type="button" className="btn btn-large" onClick={() => setOpen(false)}>
          {t('apply.cancel')}
        </button>
      </div>
    </div>
  );
}

export function ApplicationStatus({ app, form, onChange }: { app: ApplicationView; form: ItemFormReply | null; onChange(a: ApplicationView): void }) {
  const { t, formatTime } = useI18n();
  const text = useAppText();
  const { attached, files } = attachedOf(app.materials);
  const fileUrl = (id: string) => attachedFileUrl(app.id, id);
  const asked = new Set((app.correction?.fields ?? []).map((f) => f.replace(/^form\./, '')));
  const canResubmit = app.stage === 'correction' && app.correction && app.actions.includes('resubmit');

  return (
    <>
      <section className="panel">
        <dl className="facts">
          <div>
            <dt>{t('apply.id')}</dt>
            <dd>{app.id}</dd>
          </div>
          <div>
            <dt>{t('apply.department')}</dt>
            <dd data-testid="app-department">{app.departmentName ? text.pick(app.departmentName, app.departmentNameEn) : '—'}</dd>
          </div>
          {app.submittedAt && (
            <div>
              <dt>{t('apply.submittedAt')}</dt>
              <dd>{formatTime(app.submittedAt)}</dd>
            </div>
          )}
          {app.stage === 'review' && app.stepName && (
            <div>
              <dt>{t('apply.currentStep')}</dt>
              <dd data-testid="app-step">{text.pick(app.stepName, app.stepNameEn)}</dd>
            </div>
          )}
          <div>
            <dt>{t('apply.limit')}</dt>
            <dd>{t('apply.limitDays', { p: app.promisedDays, l: app.legalDays })}</dd>
          </div>
        </dl>
        <AppSteps app={app} />
        {app.bundleId && (
          <p className="hint">
            {t('apply.partOfBundle')}{' '}
            <Link className="link" to={`/portal/bundles/applications/${app.bundleId}`} data-testid="app-bundle-link">
              {app.bundleId}
            </Link>
          </p>
        )}
      </section>

      {app.stage === 'correction' && app.correction && (
        <section className="panel app-attention">
          {canResubmit ? (
            <CorrectionForm
              asks={[{ note: app.correction.note }]}
              view={form}
              values={app.form}
              fields={app.correction.fields}
              materials={app.materials}
              materialKeys={app.correction.materials}
              attached={attached}
              files={files}
              fileUrl={fileUrl}
              onResubmit={async (body) => onChange(await resubmitApplication(app.id, body))}
              testId="app-resubmit"
            />
          ) : (
            <>
              <h2 className="panel-title">{t('apply.correction.title')}</h2>
              <p data-testid="app-correction-note">{app.correction.note}</p>
              {app.bundleId && (
                <Link className="btn btn-primary btn-large" to={`/portal/bundles/applications/${app.bundleId}`}>
                  {t('apply.correction.inBundle')}
                </Link>
              )}
            </>
          )}
        </section>
      )}

      {(app.result || app.stage === 'denied' || app.stage === 'rejected') && (
        <section className="panel">
          <h2 className="panel-title">{t('apply.result')}</h2>
          {app.result && <ResultCard r={app.result} />}
          {app.reasons && (
            <p data-testid="app-reasons">
              <strong>{t('apply.reasons')}：</strong>
              {app.reasons}
            </p>
          )}
        </section>
      )}

      {app.actions.includes('withdraw') && (
        <section className="panel">
          <Withdraw app={app} onChange={onChange} />
        </section>
      )}

      {form && (
        <section className="panel">
          <h2 className="panel-title">{t('apply.form.sent')}</h2>
          <FormSummary view={form} values={app.form} highlight={asked} />
        </section>
      )}
      <section className="panel">
        <h2 className="panel-title">{t('apply.mat.title')}</h2>
        <MaterialsPanel materials={app.materials} attached={attached} files={files} onChange={() => {}} fileUrl={fileUrl} readOnly />
      </section>
      {app.timeline.length > 0 && (
        <section className="panel">
          <h2 className="panel-title">{t('apply.timeline')}</h2>
          <AppTimeline events={app.timeline} />
        </section>
      )}
    </>
  );
}

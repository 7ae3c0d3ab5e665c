// A submitted bundle in one view: its overall stage, each item with its department, stage, step and
// time limit, the corrections any department asks for answered in one resubmission, and the results.
import { useState } from 'react';
import { ownFileUrl, resubmitBundleApp, withdrawBundleApp, type BundleAppView } from '../../api/applications.ts';
import { Link } from '../../app/router.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { attachedOf } from './useDraft.ts';
import { useAppText } from './appText.ts';
import { ColourChip, StageBadge } from './badges.tsx';
import { BundleSteps } from './BundleSteps.tsx';
import { ConfirmButton } from './ConfirmButton.tsx';
import { CorrectionForm } from './CorrectionForm.tsx';
import { FormSummary } from './FormSummary.tsx';
import { ResultCard } from './ResultCard.tsx';

export function BundleProgress({ app, onChange }: { app: BundleAppView; onChange(v: BundleAppView): void }) {
  const { t, formatTime } = useI18n();
  const text = useAppText();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { attached, files } = attachedOf(app.materials);
  const itemName = (code: string) => {
    const i = app.items.find((x) => x.code === code);
    return i ? text.pick(i.nameZh, i.nameEn) : code;
  };
  const done = app.stage === 'completed' || app.stage === 'concluded';
  const open = app.stage === 'processing' || app.stage === 'correction';

  const withdraw = async () => {
    setBusy(true);
    setError(null);
    try {
      onChange(await withdrawBundleApp(app.id));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="bundle-progress" data-testid="bundle-progress">
      <BundleSteps at="progress" />
      <section className="panel">
        <p className="app-headline">
          <StageBadge stage={app.stage} bundle testId="bundle-stage" />
          <span className="muted">
            {app.id}
            {app.submittedAt ? ` · ${t('apply.submittedAt')} ${formatTime(app.submittedAt)}` : ''}
          </span>
        </p>
        <p className="hint">{t(`bundle.progress.${done ? 'done' : app.stage === 'withdrawn' ? 'withdrawn' : 'parallel'}` as MessageKey, { n: app.applications.length })}</p>
        <div className="table-wrap">
          <table className="table bundle-apps">
            <thead>
              <tr>
                <th>{t('bundle.col.item')}</th>
                <th>{t('apply.department')}</th>
                <th>{t('bundle.col.stage')}</th>
                <th>{t('apply.currentStep')}</th>
                <th>{t('apply.limit')}</th>
              </tr>
            </thead>
            <tbody>
              {app.applications.map((a) => (
                <tr key={a.id} data-testid="bundle-app" data-stage={a.stage} data-id={a.id} data-item={a.itemCode}>
                  <td>
                    <Link className="link" to={`/portal/applications/${encodeURIComponent(a.id)}`}>
                      {text.pick(a.itemNameZh, a.itemNameEn)}
                    </Link>
                    <div className="muted">{a.id}</div>
                  </td>
                  <td>{a.departmentName ? text.pick(a.departmentName, a.departmentNameEn) : '—'}</td>
                  <td>
                    <StageBadge stage={a.stage} />
                  </td>
                  <td>{a.stepName ? text.pick(a.stepName, a.stepNameEn) : '—'}</td>
                  <td>
                    <ColourChip colour={a.colour} dueAt={a.dueAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {app.corrections.length > 0 && (
        <section className="panel app-attention">
          <CorrectionForm
            key={app.version}
            asks={app.corrections.map((c) => ({ who: text.pick(c.itemNameZh, c.itemNameEn), note: c.note }))}
            view={app.formView}
            values={app.form}
            fields={app.corrections.flatMap((c) => c.fields)}
            materials={app.materials}
            materialKeys={app.corrections.flatMap((c) => c.materials)}
            attached={attached}
            files={files}
            fileUrl={ownFileUrl}
            itemName={itemName}
            onResubmit={async (body) => onChange(await resubmitBundleApp(app.id, body))}
            testId="bw-resubmit"
          />
        </section>
      )}

      {app.results.length > 0 && (
        <section className="panel" data-testid="bundle-results">
          <h2 className="panel-title">{done ? t('bundle.results.all') : t('bundle.results.some')}</h2>
          {app.results.map((r) => (
            <ResultCard key={r.id} r={r} />
          ))}
        </section>
      )}

      {open && (
        <section className="panel">
          {error != null && <ErrorNote error={error} />}
          <ConfirmButton label={t('bundle.withdraw')} sure={t('bundle.withdraw.sure')} yes={t('bundle.withdraw.yes')} disabled={busy} onConfirm={() => void withdraw()} testId="bw-withdraw" />
        </section>
      )}

      <details className="panel">
        <summary>{t('apply.form.sent')}</summary>
        <FormSummary view={app.formView} values={app.form} />
      </details>
    </div>
  );
}

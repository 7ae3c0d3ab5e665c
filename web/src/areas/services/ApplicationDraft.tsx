// Filling in an application (a draft): the item's form (the applicant's own data filled from the
// registries, read-only), saved as the applicant types, the materials uploaded one by one, then
// submit — with or without consent to fetch held documents — or throw the draft away.
import { useRef, useState } from 'react';
import { discardApplication, ownFileUrl, saveApplication, submitApplication, type ApplicationView, type Attached, type FormValues, type ItemFormReply } from '../../api/applications.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ConfirmButton } from './ConfirmButton.tsx';
import { ConsentBox, docsList, heldDocuments } from './ConsentBox.tsx';
import { FormRenderer } from './FormRenderer.tsx';
import { MaterialsPanel } from './MaterialsPanel.tsx';
import { ProblemNote } from './ProblemNote.tsx';
import { SaveStatusNote } from './SaveStatusNote.tsx';
import { useAutosave } from './useAutosave.ts';
import { useDraftEditor, useDraftState } from './useDraft.ts';

type Patch = { form?: FormValues; materials?: Attached };

export function ApplicationDraft({ app, form, onChange }: { app: ApplicationView; form: ItemFormReply; onChange(app: ApplicationView): void }) {
  const { t, locale } = useI18n();
  const draft = useDraftState(app);
  const { values, attached, files, errors, matErrors, error, busy } = draft;
  const version = useRef(app.version);
  const saver = useAutosave<Patch, ApplicationView>(
    (patch) => saveApplication(app.id, { ...patch, version: version.current }),
    (v) => {
      version.current = v.version;
      onChange(v);
    },
  );
  const { setField, setMaterial, submit: submitDraft, discard: discardDraft } = useDraftEditor(draft, saver, form);

  // Once-only: with consent, the department fetches the documents other departments issued.
  // Consent is asked, never assumed: the box starts unticked.
  const [consent, setConsent] = useState(false);
  const held = heldDocuments(form.materials);
  const submit = () => submitDraft(async () => onChange(await submitApplication(app.id, held.length > 0 && consent)));
  const discard = () => discardDraft(() => discardApplication(app.id));

  return (
    <>
      <section className="panel">
        <h2 className="panel-title">{t('apply.form.title')}</h2>
        <p className="hint">{t('apply.form.intro')}</p>
        <FormRenderer view={form} values={values} onChange={setField} errors={errors} registry={app.locked} />
      </section>
      <section className="panel">
        <h2 className="panel-title">{t('apply.mat.title')}</h2>
        <MaterialsPanel materials={form.materials} attached={attached} files={files} onChange={setMaterial} fileUrl={ownFileUrl} errors={matErrors} consent={consent} />
      </section>
      <section className="panel app-submit-bar">
        <SaveStatusNote status={saver.status} error={saver.error} />
        {error != null && <ProblemNote error={error} testId="app-submit-error" />}
        {held.length > 0 && <ConsentBox text={t('apply.consent', { docs: docsList(held, locale) })} checked={consent} onChange={setConsent} testId="app-consent" />}
        <div className="app-actions">
          <button type="button" className="btn btn-primary btn-large" disabled={busy} onClick={() => void submit()} data-testid="app-submit">
            {busy ? t('apply.sending') : t('apply.submit')}
          </button>
          <ConfirmButton label={t('apply.discard')} sure={t('apply.discard.sure')} yes={t('apply.discard.yes')} disabled={busy} onConfirm={() => void discard()} testId="app-discard" />
        </div>
      </section>
    </>
  );
}

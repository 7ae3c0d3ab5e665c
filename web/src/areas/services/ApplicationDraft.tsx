// Filling in an application (a draft): the item's form, saved as the applicant types, the materials
// uploaded one by one, then submit — or throw the draft away.
import { useEffect, useRef, useState } from 'react';
import { discardApplication, ownFileUrl, saveApplication, submitApplication, type ApplicationView, type Attached, type FormValues, type FormView, type ItemFormReply, type UploadedFile } from '../../api/applications.ts';
import { navigate } from '../../app/router.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { ConfirmButton } from './ConfirmButton.tsx';
import { FormRenderer } from './FormRenderer.tsx';
import { MaterialsPanel } from './MaterialsPanel.tsx';
import { ProblemNote } from './ProblemNote.tsx';
import { fieldErrors, materialErrors, without } from './problems.ts';
import { SaveStatusNote } from './SaveStatusNote.tsx';
import { useAutosave } from './useAutosave.ts';

/** Unticked checkboxes mean "no": sent as false so a required one counts as answered. */
export function withDefaults(view: FormView, values: FormValues): FormValues {
  const out = { ...values };
  for (const [id, f] of Object.entries(view.layout.fields)) if (f.widget === 'checkbox' && out[id] === undefined) out[id] = false;
  return out;
}

/** Material key → file ids, and what is known about each file, from a server view. */
export function attachedOf(materials: Array<{ key: string; files?: UploadedFile[] }>): { attached: Attached; files: Record<string, UploadedFile> } {
  const attached: Attached = {};
  const files: Record<string, UploadedFile> = {};
  for (const m of materials) {
    if (!m.files?.length) continue;
    attached[m.key] = m.files.map((f) => f.id);
    for (const f of m.files) files[f.id] = f;
  }
  return { attached, files };
}

type Patch = { form?: FormValues; materials?: Attached };

export function ApplicationDraft({ app, form, onChange }: { app: ApplicationView; form: ItemFormReply; onChange(app: ApplicationView): void }) {
  const { t } = useI18n();
  const [values, setValues] = useState<FormValues>(app.form);
  const [{ attached, files }, setMaterials] = useState(() => attachedOf(app.materials));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [matErrors, setMatErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const version = useRef(app.version);
  const saver = useAutosave<Patch, ApplicationView>(
    (patch) => saveApplication(app.id, { ...patch, version: version.current }),
    (v) => {
      version.current = v.version;
      onChange(v);
    },
  );

  useEffect(() => {
    if (saver.error) setErrors((e) => ({ ...e, ...fieldErrors(saver.error) }));
  }, [saver.error]);

  const setField = (id: string, v: unknown) => {
    const next = { ...values, [id]: v };
    setValues(next);
    setErrors(without(errors, id));
    saver.schedule({ form: withDefaults(form, next) });
  };

  const setMaterial = (key: string, ids: string[], uploaded: UploadedFile[]) => {
    const next = { ...attached, [key]: ids };
    setMaterials({ attached: next, files: { ...files, ...Object.fromEntries(uploaded.map((f) => [f.id, f])) } });
    setMatErrors(without(matErrors, key));
    saver.schedule({ materials: next }, true);
  };

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      // Whatever is still waiting (unticked checkboxes included) is saved first.
      saver.schedule({ form: withDefaults(form, values) }, true);
      await saver.flush();
      onChange(await submitApplication(app.id));
    } catch (err) {
      setError(err);
      setErrors(fieldErrors(err));
      setMatErrors(materialErrors(err, t('apply.mat.missing')));
      requestAnimationFrame(() => document.querySelector('.has-error')?.scrollIntoView({ block: 'center', behavior: 'smooth' }));
    } finally {
      setBusy(false);
    }
  };

  const discard = async () => {
    setBusy(true);
    try {
      await discardApplication(app.id);
      navigate('/portal/applications');
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <>
      <section className="panel">
        <h2 className="panel-title">{t('apply.form.title')}</h2>
        <p className="hint">{t('apply.form.intro')}</p>
        <FormRenderer view={form} values={values} onChange={setField} errors={errors} />
      </section>
      <section className="panel">
        <h2 className="panel-title">{t('apply.mat.title')}</h2>
        <MaterialsPanel materials={form.materials} attached={attached} files={files} onChange={setMaterial} fileUrl={ownFileUrl} errors={matErrors} />
      </section>
      <section className="panel app-submit-bar">
        <SaveStatusNote status={saver.status} error={saver.error} />
        {error != null && <ProblemNote error={error} testId="app-submit-error" />}
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

// A bundle application being drafted: the answers (step 1, still changeable), the one merged form
// (step 2, the applicant's own data filled from the registries, read-only) and the one merged
// materials list (step 3), all saved as the applicant goes; then one submission for every item,
// with or without consent to fetch the documents departments already hold.
import { useRef, useState } from 'react';
import { ownFileUrl, planBundle, saveBundleApp, submitBundleApp, withdrawBundleApp, type Answers, type Attached, type BundleAppView, type BundleDetail, type FormValues } from '../../api/applications.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useAppText } from './appText.ts';
import { BundlePlanPreview } from './BundlePlanPreview.tsx';
import { BundleQuestions } from './BundleQuestions.tsx';
import { BundleSteps, type BundleStep } from './BundleSteps.tsx';
import { ConfirmButton } from './ConfirmButton.tsx';
import { ConsentBox, docsList, heldDocuments } from './ConsentBox.tsx';
import { deptEnOf } from './BundleWizard.tsx';
import { FormRenderer } from './FormRenderer.tsx';
import { MaterialsPanel } from './MaterialsPanel.tsx';
import { ProblemNote } from './ProblemNote.tsx';
import { SaveStatusNote } from './SaveStatusNote.tsx';
import { useAutosave } from './useAutosave.ts';
import { useDraftEditor, useDraftState } from './useDraft.ts';

type Patch = { answers?: Answers; form?: FormValues; materials?: Attached };

/** Form fields the questionnaire answers (the server fills them in from the answers). */
export function answeredFields(bundle: BundleDetail, answers: Answers, fields: Record<string, unknown>): Set<string> {
  return new Set(bundle.questions.filter((q) => q.field && answers[q.id] !== undefined && q.field in fields).map((q) => q.field!));
}

/** Values for the fields of the form, null for any other (so a field the answers dropped is cleared). */
function fit(values: FormValues, fields: Set<string>): FormValues {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, fields.has(k) ? v : null]));
}

export function BundleDraft({ app, bundle, onChange }: { app: BundleAppView; bundle: BundleDetail; onChange(v: BundleAppView): void }) {
  const { t, locale } = useI18n();
  const text = useAppText();
  const [step, setStep] = useState<BundleStep>('form');
  // Consent is asked, never assumed: the box starts unticked.
  const [consent, setConsent] = useState(false);
  const [answers, setAnswers] = useState<Answers>(app.answers);
  const draft = useDraftState(app);
  const { values, setValues, attached, files, setMaterials, errors, matErrors, error, busy } = draft;
  const latest = useRef({ values, attached, version: app.version, fields: new Set(Object.keys(app.formView.schema.properties)), keys: new Set(app.materials.filter((m) => !m.notToSubmit).map((m) => m.key)) });
  latest.current.values = values;
  latest.current.attached = attached;

  const saver = useAutosave<Patch, BundleAppView>(
    async (patch) => {
      const now = latest.current;
      let { fields, keys } = now;
      if (patch.answers) {
        // New answers may drop items: their fields and materials must leave the draft, or the server refuses it.
        const plan = await planBundle(app.bundleCode, patch.answers);
        fields = new Set(Object.keys(plan.form.schema.properties));
        keys = new Set(plan.materials.filter((m) => !m.notToSubmit).map((m) => m.key));
      }
      const form = patch.form || patch.answers ? fit(patch.form ?? now.values, fields) : undefined;
      const materials = patch.materials || patch.answers ? Object.fromEntries(Object.entries(patch.materials ?? now.attached).filter(([k]) => keys.has(k))) : undefined;
      return saveBundleApp(app.id, { answers: patch.answers, form, materials, version: now.version });
    },
    (v) => {
      const fields = new Set(Object.keys(v.formView.schema.properties));
      latest.current.version = v.version;
      latest.current.fields = fields;
      latest.current.keys = new Set(v.materials.filter((m) => !m.notToSubmit).map((m) => m.key));
      // What the answers and the registries fill in comes from the server; fields no longer asked for go.
      const given = new Set([...answeredFields(bundle, v.answers, v.formView.schema.properties), ...Object.keys(v.locked ?? {})]);
      setValues((prev) => ({ ...Object.fromEntries(Object.entries(prev).filter(([k]) => fields.has(k))), ...Object.fromEntries([...given].map((f) => [f, v.form[f]])) }));
      setMaterials((prev) => ({ ...prev, attached: Object.fromEntries(Object.entries(prev.attached).filter(([k]) => latest.current.keys.has(k))) }));
      onChange(v);
    },
  );

  const edit = useDraftEditor(draft, saver, app.formView);

  const locked = answeredFields(bundle, answers, app.formView.schema.properties);
  const itemName = (code: string) => {
    const i = app.items.find((x) => x.code === code);
    return i ? text.pick(i.nameZh, i.nameEn) : code;
  };

  const held = heldDocuments(app.materials);

  const answer = (next: Answers) => {
    setAnswers(next);
    saver.schedule({ answers: next });
  };

  const submit = () =>
    edit.submit(
      async () => onChange(await submitBundleApp(app.id, held.length > 0 && consent)),
      (fe, me) => {
        if (Object.keys(fe).length) setStep('form');
        else if (Object.keys(me).length) setStep('materials');
      },
    );

  const discard = () =>
    edit.discard(async () => {
      await saver.flush().catch(() => {});
      await withdrawBundleApp(app.id);
    });

  const next = (s: BundleStep) => (
    <div className="app-actions">
      <button type="button" className="btn btn-primary btn-large" onClick={() => setStep(s)} data-testid="bw-next">
        {t('bundle.next')}
      </button>
    </div>
  );

  return (
    <div className="bw-draft" data-testid="bw-draft">
      <BundleSteps at={step} onPick={setStep} />
      <div className="bw-savebar">
        <SaveStatusNote status={saver.status} error={saver.error} />
      </div>
      {step === 'answers' && (
        <div className="bw-layout">
          <section className="panel">
            <h2 className="panel-title">{t('bundle.q.title')}</h2>
            <p className="hint">{t('bundle.q.change')}</p>
            <BundleQuestions questions={bundle.questions} answers={answers} onChange={answer} />
          </section>
          <section className="panel bw-side">
            <h2 className="panel-title">{t('bundle.plan.title')}</h2>
            <BundlePlanPreview items={app.items} materials={app.materials} busy={saver.status !== 'saved'} jointInspection={bundle.jointInspection} deptEn={deptEnOf(bundle)} />
            {next('form')}
          </section>
        </div>
      )}
      {step === 'form' && (
        <section className="panel">
          <h2 className="panel-title">{t('bundle.form.title')}</h2>
          <p className="hint">{t('bundle.form.intro', { n: app.items.length })}</p>
          <FormRenderer view={app.formView} values={values} onChange={edit.setField} errors={errors} locked={{ fields: locked, note: t('bundle.form.locked') }} registry={app.locked} />
          {next('materials')}
        </section>
      )}
      {step === 'materials' && (
        <>
          <section className="panel">
            <h2 className="panel-title">{t('bundle.mat.title')}</h2>
            <p className="hint">{t('bundle.mat.intro')}</p>
            <MaterialsPanel materials={app.materials} attached={attached} files={files} onChange={edit.setMaterial} fileUrl={ownFileUrl} itemName={itemName} errors={matErrors} consent={consent} />
          </section>
          <section className="panel app-submit-bar">
            <p>{t('bundle.submit.intro', { n: app.items.length, depts: new Set(app.items.map((i) => i.departmentName)).size })}</p>
            {error != null && <ProblemNote error={error} testId="bw-submit-error" />}
            {held.length > 0 && <ConsentBox text={t('bundle.consent', { docs: docsList(held, locale) })} checked={consent} onChange={setConsent} testId="bw-consent" />}
            <div className="app-actions">
              <button type="button" className="btn btn-primary btn-large" disabled={busy} onClick={() => void submit()} data-testid="bw-submit">
                {busy ? t('apply.sending') : t('bundle.submit')}
              </button>
              <ConfirmButton label={t('bundle.discard')} sure={t('bundle.discard.sure')} yes={t('bundle.discard.yes')} disabled={busy} onConfirm={() => void discard()} testId="bw-discard" />
            </div>
          </section>
        </>
      )}
      {step !== 'materials' && error != null && <ProblemNote error={error} testId="bw-submit-error" />}
    </div>
  );
}

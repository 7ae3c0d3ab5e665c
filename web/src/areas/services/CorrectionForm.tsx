// Answering a correction (补正): what the department asked for, the fields to fix, the materials to
// upload again and a note, sent in one resubmission. Used by an application and by a bundle (where
// one form answers every department at once).
import { useState, type FormEvent } from 'react';
import type { Attached, FormValues, FormView, UploadedFile } from '../../api/applications.ts';
import { useI18n } from '../../i18n/index.tsx';
import { FormRenderer } from './FormRenderer.tsx';
import { MaterialsPanel, type MaterialRow } from './MaterialsPanel.tsx';
import { ProblemNote } from './ProblemNote.tsx';
import { fieldErrors, materialErrors, without } from './problems.ts';

export interface Ask {
  /** Who asks (a department's item), when several do. */
  who?: string;
  note: string;
}

interface Props {
  asks: Ask[];
  view: FormView | null;
  values: FormValues;
  /** Field ids asked for (a leading `form.` is allowed). */
  fields: string[];
  materials: MaterialRow[];
  /** Material keys asked for. */
  materialKeys: string[];
  attached: Attached;
  files: Record<string, UploadedFile>;
  fileUrl(id: string): string;
  itemName?(code: string): string;
  onResubmit(body: { form?: FormValues; materials?: Attached; note?: string }): Promise<void>;
  testId: string;
}

export function CorrectionForm({ asks, view, values: initial, fields, materials, materialKeys, attached: initialAttached, files: initialFiles, fileUrl, itemName, onResubmit, testId }: Props) {
  const { t } = useI18n();
  const ids = [...new Set(fields.map((f) => f.replace(/^form\./, '')))].filter((f) => view?.layout.fields[f]);
  const keys = [...new Set(materialKeys)];
  const [values, setValues] = useState<FormValues>(initial);
  const [attached, setAttached] = useState<Attached>(() => Object.fromEntries(keys.map((k) => [k, initialAttached[k] ?? []])));
  const [files, setFiles] = useState(initialFiles);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [matErrors, setMatErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSending(true);
    setError(null);
    try {
      await onResubmit({
        form: ids.length ? Object.fromEntries(ids.map((f) => [f, values[f] ?? null])) : undefined,
        materials: keys.length ? attached : undefined,
        note: note.trim() || undefined,
      });
    } catch (err) {
      setError(err);
      setErrors(fieldErrors(err));
      setMatErrors(materialErrors(err, t('apply.mat.missing')));
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="app-correction" noValidate onSubmit={(e) => void submit(e)} data-testid="app-correction">
      <h2 className="panel-title">{t('apply.correction.title')}</h2>
      <p className="hint">{t('apply.correction.paused')}</p>
      <ul className="app-asks">
        {asks.map((a, i) => (
          <li key={i} data-testid="app-correction-note">
            {a.who && <strong>{a.who}：</strong>}
            {a.note}
          </li>
        ))}
      </ul>
      {ids.length > 0 && view && (
        <>
          <h3>{t('apply.correction.fields')}</h3>
          <FormRenderer
            view={view}
            values={values}
            only={ids}
            errors={errors}
            onChange={(id, v) => {
              setValues({ ...values, [id]: v });
              setErrors(without(errors, id));
            }}
            testId="correction-form"
          />
        </>
      )}
      {keys.length > 0 && (
        <>
          <h3>{t('apply.correction.materials')}</h3>
          <MaterialsPanel
            materials={materials.map((m) => ({ ...m, toCorrect: keys.includes(m.key) }))}
            only={keys}
            attached={attached}
            files={files}
            fileUrl={fileUrl}
            itemName={itemName}
            errors={matErrors}
            onChange={(key, next, uploaded) => {
              setAttached({ ...attached, [key]: next });
              setFiles({ ...files, ...Object.fromEntries(uploaded.map((f) => [f.id, f])) });
              setMatErrors(without(matErrors, key));
            }}
            testId="correction-materials"
          />
        </>
      )}
      <label className="field">
        {t('apply.correction.note')}
        <textarea className="input app-textarea" rows={3} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} data-testid="app-correction-text" />
      </label>
      {error != null && <ProblemNote error={error} testId="app-resubmit-error" />}
      <div className="app-actions">
        <button type="submit" className="btn btn-primary btn-large" disabled={sending} data-testid={testId}>
          {sending ? t('apply.sending') : t('apply.correction.resubmit')}
        </button>
      </div>
    </form>
  );
}

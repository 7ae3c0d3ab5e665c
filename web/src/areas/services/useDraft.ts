// What a draft (one application's, or a bundle's) keeps on screen while it is filled in, and the
// edits both drafts share: a field or a material changed and saved as the applicant goes, submit
// (saving what waits first, then putting each refusal under its field or material) and discard.
import { useEffect, useState } from 'react';
import type { Attached, FormValues, FormView, UploadedFile } from '../../api/applications.ts';
import { navigate } from '../../app/router.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { fieldErrors, materialErrors, without } from './problems.ts';
import type { Autosave } from './useAutosave.ts';

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

/** The draft's values and files as first loaded, the problems shown under each, the last refusal, and whether a send runs. */
export function useDraftState(app: { form: FormValues; materials: Array<{ key: string; files?: UploadedFile[] }> }) {
  const [values, setValues] = useState<FormValues>(app.form);
  const [{ attached, files }, setMaterials] = useState(() => attachedOf(app.materials));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [matErrors, setMatErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return { values, setValues, attached, files, setMaterials, errors, setErrors, matErrors, setMatErrors, error, setError, busy, setBusy };
}

export type DraftState = ReturnType<typeof useDraftState>;

/** The edits of a draft whose form is `view`, saved through `saver`. */
export function useDraftEditor(draft: DraftState, saver: Autosave<{ form?: FormValues; materials?: Attached }>, view: FormView) {
  const { t } = useI18n();
  const { values, setValues, attached, files, setMaterials, errors, setErrors, matErrors, setMatErrors, setError, setBusy } = draft;

  useEffect(() => {
    if (saver.error) setErrors((e) => ({ ...e, ...fieldErrors(saver.error) }));
  }, [saver.error, setErrors]);

  const setField = (id: string, v: unknown) => {
    const next = { ...values, [id]: v };
    setValues(next);
    setErrors(without(errors, id));
    saver.schedule({ form: withDefaults(view, next) });
  };

  const setMaterial = (key: string, ids: string[], uploaded: UploadedFile[]) => {
    const next = { ...attached, [key]: ids };
    setMaterials({ attached: next, files: { ...files, ...Object.fromEntries(uploaded.map((f) => [f.id, f])) } });
    setMatErrors(without(matErrors, key));
    saver.schedule({ materials: next }, true);
  };

  /** Saves whatever still waits (unticked checkboxes included), then `send`s; a refusal goes under each field and material (and to `refused`). */
  const submit = async (send: () => Promise<void>, refused?: (fields: Record<string, string>, materials: Record<string, string>) => void) => {
    setBusy(true);
    setError(null);
    try {
      saver.schedule({ form: withDefaults(view, values) }, true);
      await saver.flush();
      await send();
    } catch (err) {
      const fe = fieldErrors(err);
      const me = materialErrors(err, t('apply.mat.missing'));
      setError(err);
      setErrors(fe);
      setMatErrors(me);
      refused?.(fe, me);
      requestAnimationFrame(() => document.querySelector('.has-error')?.scrollIntoView({ block: 'center', behavior: 'smooth' }));
    } finally {
      setBusy(false);
    }
  };

  /** Throws the draft away (`drop`) and goes back to the applicant's applications. */
  const discard = async (drop: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await drop();
      navigate('/portal/applications');
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return { setField, setMaterial, submit, discard };
}
